// A synthetic deck of about N slides for the scaling benchmark: a dataset of sourced figures,
// a chart on every third slide, big numbers and bullets between, the sources slides at the end.
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';

/** Facts a slide cites: about two per content slide, shared, so sources take about a slide in 19. */
export async function writeSyntheticDeck(dir, totalSlides) {
  const content = Math.max(3, Math.round(totalSlides / (1 + 1 / 18)));
  const factCount = Math.ceil(content / 2);
  const facts = Array.from({ length: factCount }, (_, i) => ({
    id: `series.s${i}.value`,
    value: 1_000_000_000 + ((i * 7919) % 97) * 173_000_000,
    label: `Figure number ${i + 1} of the synthetic dataset`,
  }));
  const csv = ['id,value,unit,period,label,source_title,source_url,article_value,status,note',
    ...facts.map((fact, i) => `${fact.id},${fact.value},USD,2025,${fact.label},"Synthetic source ${i + 1}, a report",https://example.org/report/${i + 1},,sourced,`)].join('\n');
  const pick = (i) => facts[i % facts.length].id;
  const charts = {};
  const slides = [];
  for (let i = 0; i < content; i += 1) {
    if (i % 3 === 2) {
      const id = `chart_${i}`;
      charts[id] = { title: `Chart ${i}`, orientation: i % 2 ? 'horizontal' : 'vertical', bars: [0, 1, 2, 3].map((k) => ({ fact: pick(i + k), label: `Bar ${k + 1}`, role: k === 0 ? 'lead' : 'neutral' })) };
      slides.push({ layout: 'chart', id: `s${i}`, kicker: 'Chart', title: `Four figures side by side, slide ${'I'.repeat((i % 3) + 1)}`, chart: id, notes: 'Synthetic notes.' });
    } else if (i % 3 === 1) {
      slides.push({ layout: 'big-number', id: `s${i}`, kicker: 'A figure', number: pick(i), number_caption: 'in a synthetic year.', text: `It compares with {{fact "${pick(i + 1)}"}}.`, notes: 'Synthetic notes.' });
    } else {
      slides.push({ layout: 'bullets', id: `s${i}`, kicker: 'Points', title: 'Three points', items: [`First: {{fact "${pick(i)}"}}.`, `Second: {{fact "${pick(i + 1)}" "short"}}.`, 'Third, in words only.'], notes: 'Synthetic notes.' });
    }
  }
  const deck = { title: `A synthetic deck of ${totalSlides} slides`, lang: 'en', locale: 'en-US', slides };
  await mkdir(dir, { recursive: true });
  await writeFile(path.join(dir, 'facts.csv'), `${csv}\n`);
  await writeFile(path.join(dir, 'derived.yaml'), '[]\n');
  await writeFile(path.join(dir, 'charts.yaml'), JSON.stringify(charts, null, 1));
  await writeFile(path.join(dir, 'theme.yaml'), "roles:\n  lead: '#1f5fa8'\n");
  // YAML is a superset of JSON: the deck can be written as JSON.
  await writeFile(path.join(dir, 'deck.yaml'), JSON.stringify(deck, null, 1));
  return { contentSlides: content, facts: factCount };
}
