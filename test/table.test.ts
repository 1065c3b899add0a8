/**
 * The table layout: a `type: table` of charts.yaml shown as a real table (caption, header cells
 * with their scope, figures in the edition's locale with their source markers, a highlighted
 * row), in the deck, in the handout PDF, for screen readers (axe-core), and checked for overflow.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { DataErrors } from '../src/errors.js';
import { build } from '../src/pipeline.js';
import { launchBrowser } from '../src/print/browser.js';
import { buildOptions } from './support/build.js';
import { pdfText } from './support/pdf.js';
import { expectProblem, lineOf } from './support/problems.js';
import { read, repoRoot, type ScratchProject } from './support/project.js';
import { smallDecks, type ChartSource, type FactRow, type SmallDeckSpec } from './support/small-deck.js';

const smallDeck = smallDecks();

const rows: [string, string, number, number, number, number][] = [
  ['usa', 'États-Unis', 40, 44, 42, 126],
  ['chn', 'Chine', 40, 27, 24, 91],
  ['fra', 'France', 16, 26, 22, 64],
];
const facts: FactRow[] = [
  ...rows.flatMap(([key, name, gold, silver, bronze]) => [
    { id: `${key}.medals.gold`, value: gold, unit: 'count', label: `Médailles d’or, ${name}` },
    { id: `${key}.medals.silver`, value: silver, unit: 'count', label: `Médailles d’argent, ${name}` },
    { id: `${key}.medals.bronze`, value: bronze, unit: 'count', label: `Médailles de bronze, ${name}` },
  ]),
  { id: 'paris.tickets', value: 9_500_000, unit: 'people', label: 'Billets vendus' },
];
const derived = rows.map(([key, name]) => ({ id: `${key}.medals.total`, label: `Médailles, ${name}`, unit: 'count', expr: `${key}.medals.gold + ${key}.medals.silver + ${key}.medals.bronze` }));

const medalTable: ChartSource = {
  type: 'table',
  title: 'Tableau des médailles, Paris 2024',
  corner: 'Pays',
  categories: rows.map(([key, label]) => ({ key, label })),
  series: [
    { key: 'gold', label: 'Or', role: 'gold' },
    { key: 'silver', label: 'Argent' },
    { key: 'bronze', label: 'Bronze' },
    { key: 'total', label: 'Total' },
  ],
  facts: '{category}.medals.{series}',
  highlight: 'fra',
};

function tableDeck(table: ChartSource = medalTable): SmallDeckSpec {
  return {
    facts,
    derived,
    charts: { medal_table: table },
    theme: { roles: { gold: '#b8860b' } },
    slides: [
      { layout: 'title', id: 'opening', title: 'Paris 2024' },
      { layout: 'table', id: 'medals', kicker: 'Jeux olympiques', title: 'La France cinquième', table: 'medal_table', text: 'Devant {{fact "paris.tickets"}} spectateurs.' },
    ],
  };
}

describe('the table layout', () => {
  let p: ScratchProject;
  let html: string;

  beforeAll(async () => {
    p = await smallDeck(tableDeck());
    await build(buildOptions(p, { pdf: true, formats: ['handout'] }));
    html = await read(path.join(p.out, 'index.html'));
  });

  const slide = (): string => /<section[^>]*id="medals"[\s\S]*?<\/section>/.exec(html)![0];

  it('is a real table: caption, header cells with their scope, a row per category, figures in the locale with their source markers', () => {
    const table = /<table class="data-table"[\s\S]*?<\/table>/.exec(slide())![0];
    expect(table).toContain('data-part="table" data-field="table"');
    expect(table).toMatch(/<caption[^>]*>Tableau des médailles, Paris 2024<\/caption>/);
    expect(table).toContain('<th scope="col" class="data-table-corner">Pays</th>');
    expect([...table.matchAll(/<th scope="col" class="role-(\w+)">([^<]*)<\/th>/g)].map((match) => [match[1], match[2]])).toEqual([['gold', 'Or'], ['neutral', 'Argent'], ['neutral', 'Bronze'], ['neutral', 'Total']]);
    const bodyRows = [...table.matchAll(/<tr([^>]*)><th scope="row">([^<]*)<\/th>([\s\S]*?)<\/tr>/g)];
    expect(bodyRows.map((row) => row[2])).toEqual(['États-Unis', 'Chine', 'France']);
    // Sources are numbered in reading order (the text above the table first, then row by row); the total cites the three facts it adds.
    expect(bodyRows[0]![3]).toBe('<td>40<sup class="cell-cite">[2]</sup></td><td>44<sup class="cell-cite">[3]</sup></td><td>42<sup class="cell-cite">[4]</sup></td><td>126<sup class="cell-cite">[2, 3, 4]</sup></td>');
    // Only France's row is highlighted.
    expect(bodyRows.map((row) => row[1]!.includes('data-highlighted'))).toEqual([false, false, true]);
  });

  it("cites every figure of the table on the slide's sources line", () => {
    const cited = [...slide().matchAll(/class="cite[^"]*"[^>]*>\[(\d+)\]/g)].map((match) => Number(match[1]));
    expect(cited).toEqual(Array.from({ length: 10 }, (_, i) => i + 1));
  });

  it('is in the handout PDF as text: the caption, the headers and each row', async () => {
    const text = (await pdfText(path.join(p.out, 'handout.pdf'), undefined, 'raw')).replace(/[\s\u00a0\u202f]+/g, ' ');
    expect(text).toContain('Tableau des médailles, Paris 2024');
    expect(text).toMatch(/Pays Or Argent Bronze Total/);
    expect(text).toMatch(/France 16 ?\[\d+\] 26 ?\[\d+\] 22 ?\[\d+\] 64 ?\[[\d, ]+\]/);
  });

  it('passes axe-core (WCAG 2.1 A and AA) on the deck', async () => {
    const axe = await readFile(path.join(repoRoot, 'node_modules', 'axe-core', 'axe.min.js'), 'utf8');
    const session = await launchBrowser({ timeoutMs: 30_000 });
    try {
      const page = await session.browser.newPage();
      await page.setViewport({ width: 1280, height: 720 });
      await page.goto(pathToFileURL(path.join(p.out, 'index.html')).href, { waitUntil: 'load' });
      await page.evaluate(() => document.querySelectorAll('.reveal .slides section').forEach((section) => { section.removeAttribute('aria-hidden'); section.removeAttribute('hidden'); }));
      await page.evaluate(axe);
      const violations = await page.evaluate(async () => {
        const result = await (window as unknown as { axe: { run(context: Document, options: object): Promise<{ violations: { id: string; nodes: { target: string[] }[] }[] }> } }).axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } });
        return result.violations.map((violation) => `${violation.id}: ${violation.nodes.slice(0, 3).map((node) => node.target.join(' ')).join(', ')}`);
      });
      expect(violations).toEqual([]);
      // Figures are right-aligned, the row labels are not.
      const aligns = await page.$eval('#medals table.data-table tbody tr', (row) => [...row.children].map((cell) => getComputedStyle(cell).textAlign));
      expect(aligns).toEqual(['left', 'right', 'right', 'right', 'right']);
    } finally {
      await session.close();
    }
  });

  it("takes its words from the translation: title, corner, categories and series", async () => {
    const spec = tableDeck();
    const en = await smallDeck({
      ...spec,
      translations: {
        en: {
          lang: 'en',
          title: 'Small deck',
          slides: { opening: { title: 'Paris 2024' }, medals: { kicker: 'Olympics', title: 'France fifth', text: 'Before {{fact "paris.tickets"}} spectators.' } },
          facts: Object.fromEntries(facts.map((fact) => [fact.id, { label: `${fact.id} (en)`, source_title: 'A source' }])),
          derived: Object.fromEntries(derived.map((figure) => [figure.id, { label: `${figure.id} (en)` }])),
          charts: { medal_table: { title: 'Medal table, Paris 2024', corner: 'Country', categories: ['United States', 'China', 'France'], series: ['Gold', 'Silver', 'Bronze', 'Total'] } },
        },
      },
    });
    await build(buildOptions(en));
    const english = await read(path.join(en.out, 'en', 'index.html'));
    expect(english).toContain('<th scope="col" class="data-table-corner">Country</th>');
    expect(english).toContain('<th scope="row">United States</th>');
    expect(english).toMatch(/<caption[^>]*>Medal table, Paris 2024<\/caption>/);
  });
});

describe('a table that does not fit', () => {
  it('is said at the first category of charts.yaml that does not fit, with how many do', async () => {
    const many = Array.from({ length: 30 }, (_, i) => ({ key: `c${i}`, label: `Pays numéro ${i}` }));
    const p = await smallDeck({
      facts: many.map((row) => ({ id: `${row.key}.medals.gold`, value: 3, unit: 'count' })),
      charts: { long_table: { type: 'table', title: 'Long', categories: many, series: [{ key: 'gold', label: 'Or' }], facts: '{category}.medals.{series}' } },
      slides: [{ layout: 'table', id: 'long', title: 'Trop long', table: 'long_table' }],
    });
    const error = await build(buildOptions(p, { pdf: true, formats: ['pdf'] })).then(() => undefined, (thrown: unknown) => thrown);
    expect(error).toBeInstanceOf(DataErrors);
    const charts = await read(path.join(p.data, 'charts.yaml'));
    const problems = (error as DataErrors).problems;
    const fit = /the first (\d+) fit/.exec(problems.map((problem) => problem.message).join('\n'))?.[1];
    expect(fit, problems.map((problem) => problem.message).join('\n')).toBeDefined();
    expectProblem(problems, { file: 'data/charts.yaml', line: lineOf(charts, `key: c${fit}\n`), message: `its table long_table has 30 rows and the first ${fit} fit; remove rows or split the table in two` });
  });
});
