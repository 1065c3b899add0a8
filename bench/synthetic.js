// A synthetic deck of about N slides for the scaling benchmark: a dataset of sourced figures,
// a chart or a table on every third slide (every type in turn), big numbers and bullets between, the sources slides at the end.
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
  // Lines run over periods: a few yearly series of their own, shared by the line and area charts.
  const years = [2021, 2022, 2023, 2024];
  const yearly = Array.from({ length: 6 }, (_, s) => years.map((year, y) => ({ id: `yearly.y${s}.${year}`, value: 2 + ((s * 31 + y * 17) % 23) / 4, year })));
  const rows = yearly.flat().map((fact, i) => `${fact.id},${fact.value},percent,${fact.year},Yearly figure ${i + 1},"Synthetic source ${factCount + i + 1}, a report",https://example.org/yearly/${i + 1},,sourced,`);
  const csvAll = `${csv}\n${rows.join('\n')}`;
  const charts = {};
  const slides = [];
  // Every type of chart in turn, on every third slide: one series of bars, grouped, stacked with
  // totals, a line, an area, parts of a whole, and a table on a slide of its own.
  const kinds = ['bars', 'grouped', 'stacked', 'line', 'area', 'doughnut', 'table'];
  const chartOf = (i, kind) => {
    const categories = ['a', 'b', 'c'].map((key, k) => ({ key, label: `Group ${key.toUpperCase()}`, ...(k === 0 ? { role: 'lead' } : {}) }));
    const series = [{ key: 'x', label: 'First', role: 'lead' }, { key: 'y', label: 'Second', role: 'neutral' }];
    const grid = Object.fromEntries(categories.map((category, k) => [category.key, [pick(i + k), pick(i + k + 3)]]));
    switch (kind) {
      case 'grouped': return { title: `Chart ${i}`, orientation: i % 2 ? 'horizontal' : 'vertical', categories, series, grid };
      case 'stacked': return { title: `Chart ${i}`, stacked: true, total: true, categories, series, grid };
      case 'line':
      case 'area': return { title: `Chart ${i}`, type: kind, series: [0, 1].map((k) => ({ label: `Series ${k + 1}`, role: k === 0 ? 'lead' : 'neutral', facts: `yearly.y${(i + k) % yearly.length}.*` })) };
      case 'doughnut': return { title: `Chart ${i}`, type: 'doughnut', parts: [0, 1, 2].map((k) => ({ fact: pick(i + k), label: `Part ${k + 1}`, role: k === 0 ? 'lead' : 'neutral' })) };
      case 'table': return { title: `Table ${i}`, type: 'table', corner: 'Group', categories, series, grid };
      default: return { title: `Chart ${i}`, orientation: i % 2 ? 'horizontal' : 'vertical', bars: [0, 1, 2, 3].map((k) => ({ fact: pick(i + k), label: `Bar ${k + 1}`, role: k === 0 ? 'lead' : 'neutral' })) };
    }
  };
  for (let i = 0; i < content; i += 1) {
    if (i % 3 === 2) {
      const id = `chart_${i}`;
      const kind = kinds[Math.floor(i / 3) % kinds.length];
      charts[id] = chartOf(i, kind);
      if (kind === 'table') slides.push({ layout: 'table', id: `s${i}`, kicker: 'Table', title: 'Figures in rows and columns', table: id, notes: 'Synthetic notes.' });
      else slides.push({ layout: 'chart', id: `s${i}`, kicker: 'Chart', title: `Figures side by side, slide ${'I'.repeat((i % 3) + 1)}`, chart: id, notes: 'Synthetic notes.' });
    } else if (i % 3 === 1) {
      slides.push({ layout: 'big-number', id: `s${i}`, kicker: 'A figure', number: pick(i), number_caption: 'in a synthetic year.', text: `It compares with {{fact "${pick(i + 1)}"}}.`, notes: 'Synthetic notes.' });
    } else {
      slides.push({ layout: 'bullets', id: `s${i}`, kicker: 'Points', title: 'Three points', items: [`First: {{fact "${pick(i)}"}}.`, `Second: {{fact "${pick(i + 1)}" "short"}}.`, 'Third, in words only.'], notes: 'Synthetic notes.' });
    }
  }
  const deck = { title: `A synthetic deck of ${totalSlides} slides`, lang: 'en', locale: 'en-US', slides };
  await mkdir(dir, { recursive: true });
  await writeFile(path.join(dir, 'facts.csv'), `${csvAll}\n`);
  await writeFile(path.join(dir, 'derived.yaml'), '[]\n');
  await writeFile(path.join(dir, 'charts.yaml'), JSON.stringify(charts, null, 1));
  await writeFile(path.join(dir, 'theme.yaml'), "roles:\n  lead: '#1f5fa8'\n");
  // YAML is a superset of JSON: the deck can be written as JSON.
  await writeFile(path.join(dir, 'deck.yaml'), JSON.stringify(deck, null, 1));
  return { contentSlides: content, facts: factCount };
}
