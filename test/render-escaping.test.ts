/**
 * Rendering (src/render/): every string that comes from data/ reaches the HTML as text, never as
 * markup: escaped in the page and in the charts' JSON, right-to-left and combining text intact,
 * template syntax in data shown as written.
 */
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { build, type BuildResult } from '../src/pipeline.js';
import { frenchOptions } from './support/build.js';
import { cell } from './support/facts-csv.js';
import { editFile, read, scratchProjects } from './support/project.js';

const project = scratchProjects();

describe('rendering hostile text', () => {
  /** A payload per field; the mark tells which field leaked if one does. */
  const payload = (mark: string): string => `<script>alert(${mark})</script><img src=x onerror=alert(${mark})>`;
  const escaped = (mark: string): string => `&lt;script&gt;alert(${mark})&lt;/script&gt;`;
  const inJson = (mark: string): string => `\\u003cscript>alert(${mark})\\u003c/script>`;
  const yamlText = (text: string): string => JSON.stringify(text);

  const rtl = 'صافي الربح ‏— רווח נקי ‏(2024) 🚀 e\u0301 \u202Eevil\u202C';
  const rtlTitle = 'تيثر والذكاء الاصطناعي — טת\'ר';
  const bracesLabel = 'Perte {{fact "openai.staff"}} {{constructor}} {{#each slides}}x{{/each}}';

  let html = '';
  let baseline = '';
  let result: BuildResult;

  const fields = {
    factLabel: 'F01', factNote: 'F02', factSourceTitle: 'F03', factPeriod: 'F04',
    deckTitle: 'D01', sourcesTitle: 'D03',
    kicker: 'S01', slideTitle: 'S02', subtitle: 'S03', byline: 'S04', notes: 'S05', text: 'S06', numberCaption: 'S07',
    item: 'S08', quote: 'S09', attribution: 'S10', columnLabel: 'S11', columnCaption: 'S12',
    chartTitle: 'C01', barLabel: 'C02', axis: 'C03',
  } as const;
  const m = fields;

  beforeAll(async () => {
    const clean = await project();
    baseline = await read((await build(frenchOptions(clean))).htmlPath);

    const p = await project();
    const csvFile = path.join(p.data, 'facts.csv');
    await editFile(csvFile, (text) => {
      const lines = text.split('\n');
      expect(lines[1]).toMatch(/^tether\.net_profit\.2024,/);
      lines[1] = [
        'tether.net_profit.2024', '13700000000', 'USD', payload(m.factPeriod), payload(m.factLabel), payload(m.factSourceTitle),
        'https://thecoinacademy.co/?p="><img src=x onerror=alert(URL)>', '13000000000', 'sourced', payload(m.factNote),
      ].map((text) => cell(text)).join(',');
      return lines.join('\n')
        .replace('openai.revenue.2024,3700000000,USD,2024,Chiffre d’affaires d’OpenAI,', `openai.revenue.2024,3700000000,USD,2024,${rtl},`)
        .replace('Perte nette d’OpenAI,', `${cell(bracesLabel)},`);
    });
    await editFile(path.join(p.data, 'deck.yaml'), (text) => text
      .replace(/^title: .*$/m, `title: ${yamlText(`${payload(m.deckTitle)} ${rtlTitle}`)}`)
      .replace(/^sources_title: Sources$/m, `sources_title: ${yamlText(payload(m.sourcesTitle))}`)
      .replace('    kicker: Stablecoins et intelligence artificielle', `    kicker: ${yamlText(payload(m.kicker))}`)
      .replace("\n    title: Dans l’IA, un Tether qui ne manque pas d’argent\n", `\n    title: ${yamlText(payload(m.slideTitle))}\n`)
      .replace("    subtitle: Ce que rapportent les bons du Trésor, et où va l’argent", `    subtitle: ${yamlText(payload(m.subtitle))}`)
      .replace('    byline: D’après un article de TechFlow · chiffres vérifiés, corrigés et sourcés', `    byline: ${yamlText(payload(m.byline))}`)
      .replace("      Le fil : Tether gagne plus avec des intérêts que les laboratoires d’IA ne perdent, et", `      ${payload(m.notes)} et`)
      .replace(/^ {4}text: L’émetteur du stablecoin USDT.*$/m, `    text: ${yamlText(`${payload(m.text)} {{fact "tether.net_profit.2024"}}`)}`)
      .replace('    number_caption: de bénéfice net en une seule année.', `    number_caption: ${yamlText(payload(m.numberCaption))}`)
      .replace('      - Vous achetez des USDT au pair avec le dollar ; Tether place vos dollars en bons du Trésor américain.', `      - ${yamlText(payload(m.item))}`)
      .replace('    quote: Des puces dans le cortex pour taper, piloter un fauteuil ou un bras robotisé par la pensée.', `    quote: ${yamlText(payload(m.quote))}`)
      .replace('    attribution: TechFlow', `    attribution: ${yamlText(payload(m.attribution))}`)
      .replace('label: employés chez Tether,', `label: ${yamlText(payload(m.columnLabel))},`)
      .replace("caption: bénéfice par employé de Tether rapporté au chiffre d’affaires par employé d’OpenAI,", `caption: ${yamlText(payload(m.columnCaption))},`));
    await editFile(path.join(p.data, 'charts.yaml'), (text) => text
      .replace('  title: Par employé, 2024', `  title: ${yamlText(payload(m.chartTitle))}\n  axis: ${yamlText(payload(m.axis))}`)
      .replace('label: Tether (bénéfice),', `label: ${yamlText(payload(m.barLabel))},`));
    result = await build(frenchOptions(p));
    html = await read(result.htmlPath);
  });

  it.each(Object.entries(fields))('%s (%s) renders as escaped text, never as a <script> element', (_field, mark) => {
    expect(html).not.toContain(`<script>alert(${mark})`);
    expect(html).not.toContain(`<img src=x onerror=alert(${mark})`);
    if (mark === m.axis) {
      expect(html).toContain(inJson(mark)); // the axis title lives only in the chart's JSON
    } else {
      expect(html).toContain(escaped(mark));
    }
  });

  it('chart titles and labels are escaped in the chart JSON too, so data cannot close the <script> element', () => {
    expect(html).toContain(inJson(m.chartTitle));
    expect(html).toContain(inJson(m.barLabel));
    const jsonBlocks = [...html.matchAll(/<script type="application\/json"[^>]*>([\s\S]*?)<\/script>/g)].map((match) => match[1]!);
    expect(jsonBlocks.length).toBeGreaterThan(0);
    for (const block of jsonBlocks) {
      expect(block).not.toContain('<');
      expect(() => JSON.parse(block)).not.toThrow();
    }
  });

  it('no markup element is created by data: no <img>, same number of <script> tags as the clean deck', () => {
    expect(html).not.toMatch(/<img/i);
    const scripts = (text: string): number => text.match(/<script\b/gi)?.length ?? 0;
    expect(scripts(html)).toBe(scripts(baseline));
    expect(html).not.toContain('"><img');
    expect(html).toContain('href="https://thecoinacademy.co/?p&#x3D;&quot;&gt;&lt;img src&#x3D;x onerror&#x3D;alert(URL)&gt;"');
  });

  it('unicode and right-to-left text (Arabic, Hebrew, bidi controls, emoji, combining marks) render intact', () => {
    expect(html).toContain(`<strong>${rtl}</strong>`);
    expect(html).toContain(`<title>${escaped(m.deckTitle)}&lt;img src&#x3D;x onerror&#x3D;alert(${m.deckTitle})&gt; تيثر والذكاء الاصطناعي — טת&#x27;ר</title>`);
  });

  it('{{...}} in a fact label renders literally, not as a template or a figure', () => {
    expect(html).toContain('<strong>Perte {{fact &quot;openai.staff&quot;}} {{constructor}} {{#each slides}}x{{/each}}</strong>');
    expect(result.model.figures.get('openai.net_loss.2024')!.label).toBe(bracesLabel);
  });
});
