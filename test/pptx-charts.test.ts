/**
 * deck.pptx's charts of every type and its tables, drawn from hand-written specs (the contract the
 * model fills: ChartSpec, TableView) through the PowerPoint export's own slide code, read back as
 * Open XML (chart type, grouping, series, cached values, the sheet behind Edit Data, a:tbl) and
 * opened by LibreOffice, whose PDF must show the labels.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChartSpec } from '../src/client/contract.js';
import type { PartBox, SlideGeometry, ThemeTokens } from '../src/print/measure.js';
import { build, type BuildResult } from '../src/pipeline.js';
import { buildPptx } from '../src/pptx/deck.js';
import type { TableView } from '../src/render/charts.js';
import type { DeckView, SlideView } from '../src/render/view.js';
import { pdfText } from './support/pdf.js';
import { pptxToPdf, soffice } from './support/libreoffice.js';
import { readPptx, type ChartPart, type SlidePart } from './support/pptx-reader.js';
import { smallDecks, type FactRow } from './support/small-deck.js';

const spaces = (text: string): string => text.replace(/[\s\u00a0\u202f]+/g, ' ').trim();

const tokens: ThemeTokens = {
  paper: '#ffffff',
  ink: '#1a1a1a',
  inkSoft: '#555555',
  inkFaint: '#999999',
  rule: '#dddddd',
  accent: '#00856f',
  mark: '#c0392b',
  serif: ['Source Serif 4'],
  sans: ['Source Sans 3'],
  stylesheets: [],
  roles: { gold: '#c9a227', silver: '#8a8f98', bronze: '#a0522d', france: '#1f4e9c', usa: '#b22234', china: '#de2910', tether: '#00856f', neutral: '#999999' },
  chart: { tick: 16, category: 18, value: 18, grid: '#e5e5e5' },
};

/** A spec as the model writes it; `series` as given, the deprecated fields filled as the build fills them. */
function spec(fields: Partial<ChartSpec> & Pick<ChartSpec, 'id' | 'labels' | 'series'>): ChartSpec {
  const first = fields.series[0]!;
  return {
    type: 'bar',
    stacked: false,
    orientation: 'vertical',
    title: fields.id,
    categoryRoles: null,
    totals: null,
    shares: null,
    highlight: null,
    annotations: [],
    legend: fields.series.length > 1,
    axisTitle: '',
    locale: 'fr-FR',
    ...fields,
  };
}

const countries = ['France', 'États-Unis', 'Chine'];
const medals = {
  gold: [16, 40, 40],
  silver: [26, 44, 27],
  bronze: [22, 42, 24],
};
const medalSeries = (labelled: boolean) => (['gold', 'silver', 'bronze'] as const).map((kind, index) => ({
  label: ['Or', 'Argent', 'Bronze'][index]!,
  role: kind,
  values: medals[kind],
  valueLabels: medals[kind].map((value) => `${value} méd.`),
  labelled: medals[kind].map(() => labelled),
}));
const years = ['2021', '2022', '2023', '2024', '2025'];
const tbill = [0.05, 2.02, 5.07, 4.97, 4.15];

const charts = {
  grouped: spec({ id: 'grouped', title: 'Médailles par pays', labels: countries, series: medalSeries(true), axisTitle: 'médailles', highlight: 0, annotations: [{ kind: 'line', from: 30, to: null, label: 'Objectif', valueLabel: '30 méd.' }] }),
  stacked: spec({ id: 'stacked', title: 'Médailles empilées', orientation: 'horizontal', stacked: true, labels: countries, series: medalSeries(false), totals: { values: [64, 126, 91], labels: ['64 au total', '126 au total', '91 au total'] }, annotations: [{ kind: 'line', from: 100, to: null, label: 'Cent', valueLabel: '100' }] }),
  single: spec({ id: 'single', title: 'Or seul', labels: countries, categoryRoles: ['france', 'usa', 'china'], series: [medalSeries(true)[0]!], highlight: 1 }),
  line: spec({
    id: 'line',
    type: 'line',
    title: 'Rendement des bons à 3 mois',
    labels: years,
    series: [{ label: 'Bons à 3 mois', role: 'tether', values: tbill, valueLabels: tbill.map((value) => `${value.toFixed(2).replace('.', ',')} %`), labelled: tbill.map((_, index) => index === tbill.length - 1) }],
    legend: false,
    highlight: 2,
    annotations: [{ kind: 'band', from: 4.25, to: 4.5, label: 'Taux directeur', valueLabel: '4,25–4,5 %' }],
  }),
  area: spec({ id: 'area', type: 'area', stacked: true, title: 'Aires empilées', labels: years, series: medalSeries(true).map((series) => ({ ...series, values: [...series.values, 10, 12], valueLabels: [...series.valueLabels, '10 méd.', '12 méd.'], labelled: [false, false, false, false, true] })) }),
  doughnut: spec({
    id: 'doughnut',
    type: 'doughnut',
    title: 'D’où vient le bénéfice',
    labels: ['Intérêts des bons', 'Or et bitcoin', 'Autres'],
    categoryRoles: ['tether', 'gold', 'neutral'],
    series: [{ label: 'Bénéfice', role: 'tether', values: [7, 5, 1.7], valueLabels: ['7 Md$', '5 Md$', '1,7 Md$'], labelled: [true, true, true] }],
    shares: ['51 %', '36 %', '12 %'],
    legend: true,
  }),
  columns: spec({ id: 'columns', title: 'Colonnes empilées', stacked: true, labels: countries, series: medalSeries(true), totals: { values: [64, 126, 91], labels: ['64 au total', '126 au total', '91 au total'] } }),
};

const table: TableView = {
  id: 'medal_table',
  title: 'Tableau des médailles',
  corner: 'Pays',
  columns: [{ key: 'gold', label: 'Or', role: 'gold' }, { key: 'silver', label: 'Argent', role: 'silver' }, { key: 'total', label: 'Total', role: 'neutral' }],
  rows: countries.map((label, row) => ({
    key: label,
    label,
    role: 'neutral',
    highlighted: row === 0,
    cells: [medals.gold[row]!, medals.silver[row]!, medals.gold[row]! + medals.silver[row]!].map((value, column) => ({ text: String(value), value, citation: column === 2 ? null : String(column + 1) })),
  })),
  description: 'Les médailles de trois pays.',
};

const look = { fontSize: 24, bold: false, italic: false, color: '#1a1a1a', family: 'Source Sans 3', serif: false, letterSpacing: 0, uppercase: false, lineHeight: 1.3, align: 'left' as const };
const partAt = (part: string, field: string, box: { x: number; y: number; w: number; h: number }): PartBox => ({ part, field, parent: undefined, box, content: box, baseline: box.y + 20, look, rules: [], marker: undefined });
const chartBox = { x: 80, y: 120, w: 1120, h: 520 };
const tableBox = { x: 120, y: 160, w: 900, h: 280 };
const captionBox = { x: 120, y: 160, w: 900, h: 40 };

/** A deck of one slide per chart and a table slide, as the browser would have measured it, written by the export. */
async function deckOfSpecs(): Promise<{ bytes: Uint8Array; warnings: string[] }> {
  const slide = (number: number, fields: Record<string, unknown>): SlideView => ({ id: `s${number}`, number, layout: fields['table'] ? 'table' : 'chart', heading: `Diapositive ${number}`, notes: [], citedSources: [], chart: null, ...fields }) as unknown as SlideView;
  const chartSlides = Object.values(charts).map((chart, index) => slide(index + 1, { chart: { id: chart.id, orientation: chart.orientation, title: chart.title, description: `Le graphique ${chart.id}.`, spec: chart } }));
  const slides = [...chartSlides, slide(chartSlides.length + 1, { table })];
  const geometry: SlideGeometry[] = slides.map((view) => ({ parts: view.chart ? [partAt('chart', 'chart', chartBox)] : [partAt('table', 'table', tableBox), { ...partAt('text', 'table.title', captionBox), parent: 0 }], unmarked: [], number: undefined }));
  const built = await buildPptx({
    view: { slides, labelValueSeparator: ' : ' } as unknown as DeckView,
    slides: geometry,
    tokens,
    meta: { title: 'Graphiques', author: 'datadeck', subject: 'tests', language: 'fr-FR' },
    fonts: { deckDir: os.tmpdir(), assets: [] },
    layoutFile: (layout) => `templates/layouts/${layout}.hbs`,
  });
  return built;
}

let slides: SlidePart[];
let problems: string[];
let warnings: string[];
let bytes: Uint8Array;
let byId: Record<keyof typeof charts, ChartPart>;

beforeAll(async () => {
  ({ bytes, warnings } = await deckOfSpecs());
  ({ slides, problems } = await readPptx(bytes));
  const keys = Object.keys(charts) as (keyof typeof charts)[];
  byId = Object.fromEntries(keys.map((key, index) => [key, slides[index]!.charts[0]!])) as Record<keyof typeof charts, ChartPart>;
});

const hex = (role: string): string => tokens.roles[role]!.slice(1);

describe('deck.pptx: a native chart of each type', () => {
  it('writes a package PowerPoint opens without repair, one chart per chart slide', () => {
    expect(problems).toEqual([]);
    expect(slides.map((slide) => slide.charts.length)).toEqual([...Object.keys(charts).map(() => 1), 0]);
  });

  it('draws grouped columns as clustered bars: every series in the sheet, its colour, its labels, the legend, the highlight', () => {
    const chart = byId.grouped;
    expect(chart.types[0]).toEqual({ type: 'barChart', grouping: 'clustered' });
    expect(chart.barDir).toBe('col');
    const bars = chart.series.filter((series) => series.type === 'barChart');
    expect(bars.map((series) => series.name)).toEqual(['Or', 'Argent', 'Bronze']);
    expect(bars.map((series) => series.values)).toEqual([medals.gold, medals.silver, medals.bronze]);
    expect(bars.map((series) => series.fill)).toEqual([hex('gold'), hex('silver'), hex('bronze')]);
    expect(bars[1]!.labels).toEqual({ 0: '26 méd.', 1: '44 méd.', 2: '27 méd.' });
    expect(bars.map((series) => series.labelPosition)).toEqual(['outEnd', 'outEnd', 'outEnd']);
    // Edit Data: a column per series, a row per category.
    expect([chart.sheet.A2, chart.sheet.A3, chart.sheet.A4]).toEqual(countries);
    expect([chart.sheet.B1, chart.sheet.C1, chart.sheet.D1]).toEqual(['Or', 'Argent', 'Bronze']);
    expect([chart.sheet.B2, chart.sheet.C3, chart.sheet.D4]).toEqual([16, 44, 24]);
    // France highlighted: the other countries' bars muted, France's in its series' colour.
    for (const series of bars) {
      expect(Object.keys(series.pointFills)).toEqual(['1', '2']);
      expect(series.pointFills[1]).not.toBe(series.fill);
    }
    // The target as a dashed line over the columns, labelled at its end, out of the legend.
    const line = chart.series.find((series) => series.type === 'lineChart')!;
    expect(line.values).toEqual([30, 30, 30]);
    expect(line.labels).toEqual({ 0: 'Objectif 30 méd.' });
    expect(line.xml).toContain('<a:prstDash val="dash"/>');
    expect(chart.legend).toEqual({ hidden: [3] });
    expect(chart.axisTitles).toEqual(['médailles']);
  });

  it('draws stacked bars, each part labelled or not as the deck says, each stack\'s total at its end, out of the legend', () => {
    const chart = byId.stacked;
    expect(chart.types).toEqual([{ type: 'barChart', grouping: 'stacked' }]);
    expect(chart.barDir).toBe('bar');
    expect(chart.xml).toContain('<c:overlap val="100"/>');
    expect(chart.series.map((series) => series.name)).toEqual(['Or', 'Argent', 'Bronze', ' ']);
    expect(chart.series.slice(0, 3).map((series) => series.labels)).toEqual([{}, {}, {}]);
    const totals = chart.series[3]!;
    expect(totals.values).toEqual([0, 0, 0]);
    expect(totals.labels).toEqual({ 0: '64 au total', 1: '126 au total', 2: '91 au total' });
    expect(totals.labelPosition).toBe('inBase');
    // Across bars the carrier stays in the legend, unnamed (LibreOffice hides the wrong entry there);
    // over columns it is left out of it.
    expect(chart.legend).toEqual({ hidden: [] });
    expect(byId.columns.series.map((series) => series.name)).toEqual(['Or', 'Argent', 'Bronze', 'Σ']);
    expect(byId.columns.legend).toEqual({ hidden: [3] });
    expect(byId.columns.series[3]!.labels).toEqual({ 0: '64 au total', 1: '126 au total', 2: '91 au total' });
    // No label outside a stacked bar's end: the schema has no such place.
    expect(chart.xml).not.toContain('<c:dLblPos val="outEnd"/>');
  });

  it('says which reference lines a horizontal bar chart leaves out, naming the chart', () => {
    expect(warnings).toContainEqual(expect.stringMatching(/^templates\/layouts\/chart\.hbs: deck\.pptx leaves out the reference line "Cent" of the chart "stacked".*\(slide 2\)$/));
    expect(warnings.filter((warning) => /"grouped"|"line"/.test(warning))).toEqual([]);
  });

  it('keeps one series of bars as before: a colour per category by role, the others muted around the highlight', () => {
    const chart = byId.single;
    expect(chart.series.length).toBe(1);
    expect(chart.types).toEqual([{ type: 'barChart', grouping: 'clustered' }]);
    expect(chart.colours[1]).toBe(tokens.roles['usa']);
    expect(chart.colours[0]).not.toBe(tokens.roles['france']);
    expect(chart.colours[2]).not.toBe(tokens.roles['china']);
    expect(chart.labels).toEqual(['16 méd.', '40 méd.', '40 méd.']);
    expect(chart.legend).toBeNull();
  });

  it('draws a line with its points marked, only the points the deck labels labelled, and a band as its two edges', () => {
    const chart = byId.line;
    expect(chart.types.map((type) => type.type)).toEqual(['lineChart', 'lineChart']);
    const [line, upper, lower] = chart.series;
    expect(line!.values).toEqual(tbill);
    expect(line!.categories).toEqual(years);
    expect(line!.fill).toBe(hex('tether'));
    expect(line!.xml).toMatch(/<c:marker>\s*<c:symbol val="circle"\/>/);
    // The schema's order: the marker before the labels.
    expect(line!.xml.indexOf('<c:marker>')).toBeLessThan(line!.xml.indexOf('<c:dLbls>'));
    expect(line!.xml).not.toContain('invertIfNegative');
    expect(line!.labels).toEqual({ 4: '4,15 %' });
    // The highlighted year: a bigger marker, in the line's colour, where the schema puts a point's look.
    expect(line!.pointFills).toEqual({ 2: hex('tether') });
    expect(line!.xml).toMatch(/<\/c:marker>\s*<c:dPt><c:idx val="2"\/><c:marker><c:symbol val="circle"\/><c:size val="12"\/>/);
    expect(line!.xml.indexOf('<c:dPt>')).toBeLessThan(line!.xml.indexOf('<c:dLbls>'));
    expect(line!.labelPosition).toBe('t');
    expect([upper!.values[0], lower!.values[0]]).toEqual([4.5, 4.25]);
    expect(upper!.labels).toEqual({ 0: 'Taux directeur 4,25–4,5 %' });
    expect(lower!.labels).toEqual({});
    expect(chart.legend).toBeNull();
    expect([chart.sheet.A2, chart.sheet.A6, chart.sheet.B6]).toEqual(['2021', '2025', 4.15]);
  });

  it('draws stacked areas with every series in the sheet', () => {
    const chart = byId.area;
    expect(chart.types).toEqual([{ type: 'areaChart', grouping: 'stacked' }]);
    expect(chart.series.map((series) => series.name)).toEqual(['Or', 'Argent', 'Bronze']);
    expect(chart.series[2]!.values).toEqual([...medals.bronze, 10, 12]);
    expect(chart.series[2]!.labels).toEqual({ 4: '12 méd.' });
    expect(chart.xml).not.toMatch(/<c:areaChart>[\s\S]*<c:dLblPos[\s\S]*<\/c:areaChart>/);
    expect([chart.sheet.D1, chart.sheet.D6]).toEqual(['Bronze', 12]);
    expect(chart.legend).toEqual({ hidden: [] });
  });

  it('draws a doughnut: a part per category in its role\'s colour, each labelled with its share, a legend of the parts', () => {
    const chart = byId.doughnut;
    expect(chart.types.map((type) => type.type)).toEqual(['doughnutChart']);
    const [parts] = chart.series;
    expect(chart.series.length).toBe(1);
    expect(parts!.values).toEqual([7, 5, 1.7]);
    expect(parts!.pointFills).toEqual({ 0: hex('tether'), 1: hex('gold'), 2: hex('neutral') });
    expect(parts!.labels).toEqual({ 0: '51 %', 1: '36 %', 2: '12 %' });
    expect(chart.legend).toEqual({ hidden: [] });
    // The legend says every part's share (a thin part's is said there only).
    expect([chart.sheet.A2, chart.sheet.B4]).toEqual(['Intérêts des bons (51 %)', 1.7]);
  });
});

describe('deck.pptx: a table as a native table', () => {
  const cellsOf = (xml: string): string[][] => [...xml.matchAll(/<a:tr [^>]*>([\s\S]*?)<\/a:tr>/g)].map((row) => [...row[1]!.matchAll(/<a:tc[^>]*>([\s\S]*?)<\/a:tc>/g)].map((cell) => spaces([...cell[1]!.matchAll(/<a:t>([^<]*)<\/a:t>/g)].map((text) => text[1]).join(''))));

  it('writes a header row and a row per category, the cells as on the slide with their source markers raised', () => {
    const slide = slides.at(-1)!;
    expect(slide.xml).toContain('<a:tbl>');
    expect(cellsOf(slide.xml)).toEqual([
      ['Pays', 'Or', 'Argent', 'Total'],
      ['France', '16 [1]', '26 [2]', '42'],
      ['États-Unis', '40 [1]', '44 [2]', '84'],
      ['Chine', '40 [1]', '27 [2]', '67'],
    ]);
    expect(slide.xml).toMatch(/<a:rPr [^>]*baseline="30000"[^>]*>(?:(?!<\/a:r>)[\s\S])*<a:t>\u2009\[1\]<\/a:t>/);
    // Its caption, a text part inside the table part, is text above it.
    expect(slide.paragraphs).toContain('Tableau des médailles');
  });

  it('right-aligns the figures, tints the highlighted row, and sits where the browser laid the table out', () => {
    const slide = slides.at(-1)!;
    const rows = [...slide.xml.matchAll(/<a:tr [^>]*>([\s\S]*?)<\/a:tr>/g)].map((row) => row[1]!);
    expect(rows[1]!.match(/<a:pPr [^>]*algn="r"/g)?.length).toBe(3);
    // A cell's ground follows its borders in its properties.
    expect(rows[1]!).toMatch(/<\/a:lnB>\s*<a:solidFill>/);
    expect(rows[2]!).not.toMatch(/<\/a:lnB>\s*<a:solidFill>/);
    const frame = /<p:graphicFrame>[\s\S]*?<a:off x="(\d+)" y="(\d+)"\/><a:ext cx="(\d+)" cy="(\d+)"\/>/.exec(slide.xml)!.slice(1).map((value) => Math.round(Number(value) / 9525));
    expect(frame.slice(0, 3)).toEqual([tableBox.x, captionBox.y + captionBox.h, tableBox.w]);
  });
});

describe.skipIf(!soffice && process.env.DATADECK_REQUIRE_LIBREOFFICE !== '1')('deck.pptx\'s charts and table opened by LibreOffice', () => {
  let dir: string;
  let pdf: string;
  beforeAll(async () => {
    if (!soffice) throw new Error('DATADECK_REQUIRE_LIBREOFFICE=1 but LibreOffice is not installed: apt-get install libreoffice-impress-nogui');
    dir = await mkdtemp(path.join(os.tmpdir(), 'datadeck-pptx-charts-'));
    await writeFile(path.join(dir, 'charts.pptx'), bytes);
    ({ pdf } = await pptxToPdf(path.join(dir, 'charts.pptx'), dir));
  }, 180_000);
  afterAll(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('shows every chart\'s labels, legends, totals, shares and reference lines, and the table\'s cells', async () => {
    const page = async (number: number): Promise<string> => spaces(await pdfText(pdf, number, 'plain'));
    const grouped = await page(1);
    for (const text of ['Médailles par pays', 'Or', 'Argent', 'Bronze', '44 méd.', 'Objectif 30 méd.', 'France', 'États-Unis']) expect(grouped).toContain(text);
    const stacked = await page(2);
    for (const text of ['126 au total', '64 au total', '91 au total']) expect(stacked).toContain(text);
    expect(stacked).not.toContain('méd.');
    // (LibreOffice wraps a long label where it likes.)
    expect((await page(4)).replace(/ /g, '')).toContain('Tauxdirecteur4,25–4,5%');
    expect(await page(4)).toContain('4,15 %');
    expect(await page(4)).not.toContain('5,07 %');
    expect(await page(5)).toContain('12 méd.');
    const doughnut = await page(6);
    for (const text of ['51 %', '36 %', '12 %', 'Intérêts des bons', 'Or et bitcoin', 'Autres']) expect(doughnut).toContain(text);
    const columns = await page(7);
    for (const text of ['126 au total', '40 méd.', 'Or', 'Bronze']) expect(columns).toContain(text);
    expect(columns).not.toContain('Σ');
    for (const text of ['Or', 'Argent', 'Bronze']) expect(stacked).toContain(text);
    expect(stacked).not.toMatch(/Series|Σ/);
    const tablePage = await page(8);
    for (const text of ['Tableau des médailles', 'Pays', 'Argent', 'Total', 'États-Unis', '84', '44 [2]']) expect(tablePage).toContain(text);
  });
});

describe('deck.pptx from charts.yaml: every type built end to end', () => {
  const smallDeck = smallDecks();
  const facts: FactRow[] = [
    ...(['fra', 'usa', 'chn'] as const).flatMap((key, row) => (['gold', 'silver', 'bronze'] as const).map((kind) => ({ id: `${key}.medals.${kind}`, value: medals[kind][row]!, unit: 'count', label: `${kind} ${key}` }))),
    ...years.slice(0, 4).map((year, index) => ({ id: `rates.tbill.${year}`, value: tbill[index]!, unit: 'percent', period: year, label: `Bons ${year}` })),
    { id: 'co.interest.2024', value: 7_000_000_000, label: 'Intérêts' },
    { id: 'co.gold.2024', value: 5_000_000_000, label: 'Or et bitcoin' },
  ];
  const categories = [{ key: 'fra', label: 'France' }, { key: 'usa', label: 'États-Unis' }, { key: 'chn', label: 'Chine' }];
  const kinds = [{ key: 'gold', label: 'Or', role: 'gold' }, { key: 'silver', label: 'Argent', role: 'silver' }, { key: 'bronze', label: 'Bronze', role: 'bronze' }];
  const grid = { categories, series: kinds, facts: '{category}.medals.{series}' };
  let result: BuildResult;
  let built: SlidePart[];
  let specs: ChartSpec[];

  beforeAll(async () => {
    const p = await smallDeck({
      facts,
      theme: { roles: { gold: '#b8860b', silver: '#707070', bronze: '#8c5a2b', rates: '#00856f' } },
      charts: {
        grouped: { title: 'Médailles', ...grid, highlight: 'fra' },
        stacked: { title: 'Médailles empilées', stacked: true, total: true, ...grid },
        tbill: { type: 'line', title: 'Bons à 3 mois', series: [{ label: 'Bons', role: 'rates', facts: 'rates.tbill.*' }] },
        parts: { type: 'doughnut', title: 'Bénéfice', parts: [{ fact: 'co.interest.2024', label: 'Intérêts', role: 'rates' }, { fact: 'co.gold.2024', label: 'Or et bitcoin', role: 'gold' }] },
        medal_table: { type: 'table', title: 'Tableau des médailles', corner: 'Pays', ...grid, highlight: 'fra' },
      },
      slides: [
        ...['grouped', 'stacked', 'tbill', 'parts'].map((id) => ({ layout: 'chart', id, title: `Graphique ${id}`, chart: id })),
        { layout: 'table', id: 'table', title: 'Le tableau', table: 'medal_table' },
      ],
    });
    result = await build({ dataDir: p.data, templatesDir: p.templates, outDir: p.out, formats: ['pptx'], langs: ['fr'] });
    ({ slides: built } = await readPptx(await readFile(path.join(p.out, 'deck.pptx'))));
    const html = await readFile(path.join(p.out, 'index.html'), 'utf8');
    specs = [...html.matchAll(/<script type="application\/json" data-chart-spec="[^"]+">([^<]*)<\/script>/g)].map((match) => JSON.parse(match[1]!) as ChartSpec);
  }, 180_000);

  it('draws each chart of the deck as its native type, every series of its spec with its values in the sheet', () => {
    const drawn = built.flatMap((slide) => slide.charts);
    expect(drawn.map((chart) => chart.types.map((type) => `${type.type}${type.grouping ? `/${type.grouping}` : ''}`))).toEqual([['barChart/clustered'], ['barChart/stacked'], ['lineChart'], ['doughnutChart']]);
    drawn.forEach((chart, index) => {
      const spec = specs[index]!;
      expect(chart.series.slice(0, spec.series.length).map((series) => series.values)).toEqual(spec.series.map((series) => series.values));
      // A doughnut's legend (its categories) carries each part's share.
      expect(chart.series[0]!.categories).toEqual(spec.type === 'doughnut' ? spec.labels.map((label, part) => `${label} (${spec.shares![part]})`) : spec.labels);
      spec.series.forEach((series, column) => expect(chart.sheet[`${String.fromCharCode(66 + column)}2`]).toBe(series.values[0]));
    });
    // The stacked chart's totals, as the deck writes them, at each stack's end.
    expect(Object.values(drawn[1]!.series[3]!.labels)).toEqual(specs[1]!.totals!.labels);
    expect(Object.values(drawn[3]!.series[0]!.labels)).toEqual(specs[3]!.shares);
    expect(result.warnings.filter((warning) => warning.includes('deck.pptx'))).toEqual([]);
  });

  it('draws the table layout\'s table as a native table, its caption above it', () => {
    const slide = built[4]!;
    expect(slide.title).toBe('Le tableau');
    expect(slide.xml).toContain('<a:tbl>');
    expect(slide.paragraphs).toContain('Tableau des médailles');
    expect(spaces(slide.paragraphs.join(' | '))).toMatch(/\| France \| 16 \[\d\] \| 26 \[\d\] \| 22 \[\d\] \|/);
  });
});
