/**
 * Issue 16's chart types, from charts.yaml to the spec in the page: grouped and stacked bars,
 * lines and areas over periods, doughnuts, annotations and highlights; their located errors; the
 * hidden grid and text alternative; every figure cited on the slide.
 */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ChartSpec } from '../src/client/contract.js';
import type { DataProblem } from '../src/errors.js';
import { build } from '../src/pipeline.js';
import { buildDataErrors, buildOptions } from './support/build.js';
import { expectProblem, lineOf } from './support/problems.js';
import { read } from './support/project.js';
import { smallDecks, type ChartSource, type FactRow, type SmallDeckSpec } from './support/small-deck.js';

const smallDeck = smallDecks();

const medals: FactRow[] = [
  ['fra', 16, 26, 22],
  ['usa', 40, 44, 42],
  ['chn', 40, 27, 24],
].flatMap(([country, gold, silver, bronze]) => [
  { id: `${country}.medals.gold`, value: gold!, unit: 'count', label: `Or ${country}` },
  { id: `${country}.medals.silver`, value: silver!, unit: 'count', label: `Argent ${country}` },
  { id: `${country}.medals.bronze`, value: bronze!, unit: 'count', label: `Bronze ${country}` },
]);

// Written out of order: a line runs in the order of its periods, not of facts.csv.
const rates: FactRow[] = [
  { id: 'rates.tbill.2023', value: 5.07, unit: 'percent', period: '2023', label: 'Bons 2023' },
  { id: 'rates.tbill.2021', value: 0.04, unit: 'percent', period: '2021', label: 'Bons 2021' },
  { id: 'rates.tbill.2024', value: 4.97, unit: 'percent', period: '2024', label: 'Bons 2024' },
  { id: 'rates.tbill.2022', value: 2.02, unit: 'percent', period: '2022', label: 'Bons 2022' },
  { id: 'rates.fed.2021', value: 0.08, unit: 'percent', period: '2021', label: 'Fed 2021' },
  { id: 'rates.fed.2022', value: 1.68, unit: 'percent', period: '2022', label: 'Fed 2022' },
  { id: 'rates.fed.2024', value: 5.14, unit: 'percent', period: '2024', label: 'Fed 2024' },
];

const profit: FactRow[] = [
  { id: 'co.profit.2024', value: 13_700_000_000, label: 'Bénéfice' },
  { id: 'co.interest.2024', value: 7_000_000_000, label: 'Intérêts' },
  { id: 'co.gold.2024', value: 5_000_000_000, label: 'Or et bitcoin' },
];

const countries = [
  { key: 'fra', label: 'France', role: 'neutral' },
  { key: 'usa', label: 'États-Unis' },
  { key: 'chn', label: 'Chine' },
];
const kinds = [
  { key: 'gold', label: 'Or', role: 'gold' },
  { key: 'silver', label: 'Argent', role: 'silver' },
  { key: 'bronze', label: 'Bronze', role: 'bronze' },
];
const theme = { roles: { gold: '#b8860b', silver: '#707070', bronze: '#8c5a2b', rates: '#00856f' } };

/** A deck with one chart slide per chart. */
function chartDeck(charts: Record<string, ChartSource>, extra: SmallDeckSpec = {}): SmallDeckSpec {
  return {
    facts: [...medals, ...rates, ...profit],
    charts,
    theme,
    slides: Object.keys(charts).map((id) => ({ layout: 'chart', id, title: `Graphique ${id}`, chart: id })),
    ...extra,
  };
}

/** Builds the deck (no browser) and reads back its page. */
async function built(spec: SmallDeckSpec, edition = ''): Promise<{ html: string; spec: (id: string) => ChartSpec; section: (id: string) => string }> {
  const p = await smallDeck(spec);
  await build(buildOptions(p));
  const html = await read(path.join(p.out, edition, 'index.html'));
  return {
    html,
    spec(id) {
      const json = new RegExp(`<script type="application/json" data-chart-spec="${id}">(.*?)</script>`, 's').exec(html)?.[1];
      expect(json, `no spec for ${id}`).toBeDefined();
      return JSON.parse(json!) as ChartSpec;
    },
    section(id) {
      const match = new RegExp(`<section[^>]*id="${id}"[\\s\\S]*?</section>`).exec(html);
      expect(match, `no slide ${id}`).not.toBeNull();
      return match![0];
    },
  };
}

/** The build's located problems, and charts.yaml's text to find their lines in. */
async function problemsOf(spec: SmallDeckSpec): Promise<{ problems: readonly DataProblem[]; charts: string; deck: string }> {
  const p = await smallDeck(spec);
  const error = await buildDataErrors(buildOptions(p));
  return { problems: error.problems, charts: await read(path.join(p.data, 'charts.yaml')), deck: await read(path.join(p.data, 'deck.yaml')) };
}

const grouped: ChartSource = { title: 'Médailles', categories: countries, series: kinds, facts: '{category}.medals.{series}' };

describe('bars of several series', () => {
  it('grouped bars from an id pattern: one series per key, values on the axis scale, a legend, colours by series', async () => {
    const { spec } = await built(chartDeck({ medals: grouped }));
    const medalsSpec = spec('medals');
    expect(medalsSpec.type).toBe('bar');
    expect(medalsSpec.stacked).toBe(false);
    expect(medalsSpec.labels).toEqual(['France', 'États-Unis', 'Chine']);
    expect(medalsSpec.series.map((series) => [series.label, series.role, series.values])).toEqual([
      ['Or', 'gold', [16, 40, 40]],
      ['Argent', 'silver', [26, 44, 27]],
      ['Bronze', 'bronze', [22, 42, 24]],
    ]);
    expect(medalsSpec.series[0]!.valueLabels).toEqual(['16', '40', '40']);
    expect(medalsSpec.series[0]!.labelled).toEqual([true, true, true]);
    expect(medalsSpec.legend).toBe(true);
    expect(medalsSpec.categoryRoles).toBeNull();
  });

  it('a grid of ids gives the same chart as the pattern', async () => {
    const grid = Object.fromEntries(countries.map(({ key }) => [key, kinds.map((kind) => `${key}.medals.${kind.key}`)]));
    const { spec } = await built(chartDeck({ medals: grouped, written: { title: 'Médailles', categories: countries, series: kinds, grid } }));
    expect(spec('written').series).toEqual(spec('medals').series);
  });

  it('stacked bars with their totals, one category highlighted, a reference line and a band', async () => {
    const { spec } = await built(
      chartDeck({
        medals: {
          ...grouped,
          stacked: true,
          orientation: 'horizontal',
          total: true,
          highlight: 'fra',
          annotations: [
            { line: 'chn.medals.gold', label: 'Or de la Chine' },
            { band: ['fra.medals.gold', 'fra.medals.silver'], label: 'Entre deux' },
          ],
        },
      }),
    );
    const medalsSpec = spec('medals');
    expect(medalsSpec.stacked).toBe(true);
    expect(medalsSpec.orientation).toBe('horizontal');
    expect(medalsSpec.totals).toEqual({ values: [64, 126, 91], labels: ['64', '126', '91'] });
    expect(medalsSpec.highlight).toBe(0);
    expect(medalsSpec.annotations).toEqual([
      { kind: 'line', from: 40, to: null, label: 'Or de la Chine', valueLabel: '40' },
      { kind: 'band', from: 16, to: 26, label: 'Entre deux', valueLabel: '16 – 26' },
    ]);
  });

  it('one series over categories keeps a colour per category (each category its role)', async () => {
    const { spec } = await built(chartDeck({ gold: { title: 'Or', categories: countries, series: [kinds[0]!], facts: '{category}.medals.{series}' } }));
    expect(spec('gold').categoryRoles).toEqual(['neutral', 'gold', 'gold']);
    expect(spec('gold').legend).toBe(false);
  });
});

describe('lines and areas over periods', () => {
  it('a pattern with * takes every matching figure, in the order of their periods; the last value is labelled', async () => {
    const { spec } = await built(chartDeck({ tbill: { type: 'line', title: 'Bons à 3 mois', series: [{ label: 'Bons', role: 'rates', facts: 'rates.tbill.*' }] } }));
    const line = spec('tbill');
    expect(line.type).toBe('line');
    expect(line.labels).toEqual(['2021', '2022', '2023', '2024']);
    expect(line.series[0]!.values).toEqual([0.04, 2.02, 5.07, 4.97]);
    expect(line.series[0]!.valueLabels).toEqual(['0,04\u00a0%', '2\u00a0%', '5,1\u00a0%', '5\u00a0%']);
    expect(line.series[0]!.labelled).toEqual([false, false, false, true]);
    expect(line.legend).toBe(false);
    expect(line.categoryRoles).toBeNull();
  });

  it('an area of listed ids, stacked, with every value labelled', async () => {
    const { spec } = await built(
      chartDeck({ area: { type: 'area', stacked: true, labels: 'all', title: 'Taux', series: [{ label: 'Bons', facts: ['rates.tbill.2021', 'rates.tbill.2022'] }, { label: 'Fed', facts: ['rates.fed.2021', 'rates.fed.2022'] }] } }),
    );
    const area = spec('area');
    expect([area.type, area.stacked, area.legend]).toEqual(['area', true, true]);
    expect(area.series.map((series) => series.values)).toEqual([[0.04, 2.02], [0.08, 1.68]]);
    expect(area.series[1]!.labelled).toEqual([true, true]);
  });
});

describe('doughnuts', () => {
  it('parts of a whole: the rest computed, shares written as percentages, a colour per part and a legend', async () => {
    const { spec } = await built(
      chartDeck({
        parts: {
          type: 'doughnut',
          title: 'D’où vient le bénéfice',
          whole: 'co.profit.2024',
          rest: 'Autres',
          parts: [
            { fact: 'co.interest.2024', label: 'Intérêts', role: 'rates' },
            { fact: 'co.gold.2024', label: 'Or et bitcoin', role: 'gold' },
          ],
        },
      }),
    );
    const doughnut = spec('parts');
    expect(doughnut.type).toBe('doughnut');
    expect(doughnut.labels).toEqual(['Intérêts', 'Or et bitcoin', 'Autres']);
    expect(doughnut.series[0]!.values).toEqual([7, 5, 1.7].map((value) => expect.closeTo(value, 9)));
    expect(doughnut.series[0]!.valueLabels).toEqual(['7\u00a0Md$', '5\u00a0Md$', '1,7\u00a0Md$']);
    expect(doughnut.shares).toEqual(['51,1\u00a0%', '36,5\u00a0%', '12,4\u00a0%']);
    expect(doughnut.categoryRoles).toEqual(['rates', 'gold', 'neutral']);
    expect(doughnut.legend).toBe(true);
  });
});

describe('what a chart says beside its drawing', () => {
  it('the hidden table is a grid (a column per series, a row per category) and the text alternative says every series', async () => {
    const { section } = await built(chartDeck({ medals: grouped }));
    const slide = section('medals');
    expect(slide).toContain('<thead><tr><td></td><th scope="col">Or</th><th scope="col">Argent</th><th scope="col">Bronze</th></tr></thead>');
    expect(slide).toContain('<tr><th scope="row">France</th><td>16</td><td>26</td><td>22</td></tr>');
    const alt = /aria-label="([^"]*)"/.exec(slide)![1]!;
    for (const words of ['Or (France, 16', 'Argent (France, 26', 'Bronze (France, 22\u00a0; États-Unis, 42\u00a0; Chine, 24)']) expect(alt).toContain(words);
  });

  it("every figure of a chart is cited on its slide's sources line", async () => {
    const { section } = await built(chartDeck({ medals: grouped }));
    const citations = [...section('medals').matchAll(/class="cite[^"]*"[^>]*>\[(\d+)\]/g)].map((match) => Number(match[1]));
    expect(citations).toEqual(Array.from({ length: 9 }, (_, i) => i + 1));
  });

  it("a translation gives the chart's categories, series and parts their words", async () => {
    const { spec, section } = await built(
      chartDeck(
        { medals: grouped },
        {
          facts: medals,
          translations: {
            en: {
              lang: 'en',
              title: 'Small deck',
              slides: { medals: { title: 'Chart medals' } },
              facts: Object.fromEntries(medals.map((fact) => [fact.id, { label: `${String(fact.label)} (en)`, source_title: 'A source' }])),
              charts: { medals: { title: 'Medals', categories: ['France', 'United States', 'China'], series: ['Gold', 'Silver', 'Bronze'] } },
            },
          },
        },
      ),
      'en',
    );
    expect(spec('medals').labels).toEqual(['France', 'United States', 'China']);
    expect(spec('medals').series.map((series) => series.label)).toEqual(['Gold', 'Silver', 'Bronze']);
    expect(section('medals')).toContain('<th scope="col">Gold</th>');
  });
});

describe('translated chart words', () => {
  const doughnut: ChartSource = {
    type: 'doughnut',
    title: 'Bénéfice',
    whole: 'co.profit.2024',
    rest: 'Autres',
    parts: [{ fact: 'co.interest.2024', label: 'Intérêts' }, { fact: 'co.gold.2024', label: 'Or et bitcoin' }],
  };
  const withLine: ChartSource = { ...grouped, annotations: [{ line: 'chn.medals.gold', label: 'Or de la Chine' }] };
  const english = (charts: Record<string, unknown>): SmallDeckSpec['translations'] => ({
    en: {
      lang: 'en',
      title: 'Small deck',
      slides: { parts: { title: 'Parts' }, medals: { title: 'Medals' } },
      facts: Object.fromEntries([...medals, ...profit].map((fact) => [fact.id, { label: `${fact.id} (en)`, source_title: 'A source' }])),
      charts,
    },
  });

  it("a doughnut's parts and rest, and an annotation's label, take the translation's words", async () => {
    const { spec } = await built(
      chartDeck({ parts: doughnut, medals: withLine }, {
        facts: [...medals, ...profit],
        translations: english({
          parts: { title: 'Profit', rest: 'Other', parts: ['Interest', 'Gold and bitcoin'] },
          medals: { title: 'Medals', categories: ['France', 'United States', 'China'], series: ['Gold', 'Silver', 'Bronze'], annotations: ["China's gold"] },
        }),
      }),
      'en',
    );
    expect(spec('parts').labels).toEqual(['Interest', 'Gold and bitcoin', 'Other']);
    expect(spec('parts').shares).toEqual(['51.1%', '36.5%', '12.4%']);
    expect(spec('medals').annotations.map((annotation) => annotation.label)).toEqual(['China’s gold']);
  });

  it('a translation that lacks a list, or gives it another length, is located', async () => {
    const p = await smallDeck(
      chartDeck({ parts: doughnut, medals: withLine }, {
        facts: [...medals, ...profit],
        translations: english({ parts: { title: 'Profit', rest: 'Other', parts: ['Interest'] }, medals: { title: 'Medals', categories: ['France', 'United States', 'China'], series: ['Gold', 'Silver', 'Bronze'] } }),
      }),
    );
    const error = await buildDataErrors(buildOptions(p));
    const translation = await read(path.join(p.data, 'translations', 'en.yaml'));
    expectProblem(error.problems, { file: 'data/translations/en.yaml', line: lineOf(translation, '- Interest'), field: 'chart parts, field parts', message: 'chart parts, field parts: 1 labels, but charts.yaml has 2 parts' });
    expectProblem(error.problems, { file: 'data/translations/en.yaml', line: lineOf(translation, 'charts:') + lineOf(translation.slice(translation.indexOf('charts:')), 'title: Medals') - 1, field: 'chart medals, field annotations', message: 'chart medals, field annotations: no English translation' });
  });
});

describe('located errors', () => {
  const at = (text: string, needle: string): number => lineOf(text, needle);

  it('a chart that mixes units names both', async () => {
    const { problems, charts } = await problemsOf(chartDeck({ mixed: { title: 'Mélange', categories: [{ key: 'interest', label: 'A' }], series: [{ key: '2024', label: 'B' }], grid: { interest: ['co.interest.2024'] }, annotations: [{ line: 'fra.medals.gold', label: 'Or' }] } }));
    expectProblem(problems, { file: 'data/charts.yaml', line: at(charts, 'grid:') + 1, field: 'mixed.grid', message: 'chart "mixed" mixes units USD and count ("co.interest.2024" is USD, "fra.medals.gold" is count)' });
  });

  it('an id the pattern cannot find names the pattern, the keys, the id built, and suggests', async () => {
    const { problems, charts } = await problemsOf(chartDeck({ medals: { ...grouped, categories: [...countries, { key: 'jpn', label: 'Japon' }], facts: '{category}.medal.{series}' } }));
    expectProblem(problems, { file: 'data/charts.yaml', line: at(charts, 'facts:'), field: 'medals.facts', message: 'chart "medals", facts: the pattern "{category}.medal.{series}" finds no fact or derived figure: category "fra" and series "gold" give "fra.medal.gold"; did you mean "fra.medals.gold"?' });
  });

  it('a period missing from one series of a line names the series and the period', async () => {
    const { problems, charts } = await problemsOf(chartDeck({ rates: { type: 'line', title: 'Taux', series: [{ label: 'Bons', facts: 'rates.tbill.*' }, { label: 'Fed', facts: 'rates.fed.*' }] } }));
    expectProblem(problems, { file: 'data/charts.yaml', line: at(charts, 'facts: rates.fed.*'), field: 'rates.series[1].facts', message: 'series "Fed" has no figure for the period 2023, which series "Bons" has' });
  });

  it('a line pattern that matches nothing is said, with a suggestion', async () => {
    const { problems, charts } = await problemsOf(chartDeck({ rates: { type: 'line', title: 'Taux', series: [{ label: 'Bons', facts: 'rates.tbil.*' }] } }));
    expectProblem(problems, { file: 'data/charts.yaml', line: at(charts, 'facts: rates.tbil.*'), message: 'the pattern "rates.tbil.*" matches no fact or derived figure' });
  });

  it('parts that exceed their whole name both sums; a part below zero is refused', async () => {
    const facts = [...profit, { id: 'co.small.2024', value: 10_000_000_000, label: 'Petit tout' }, { id: 'co.change.2024', value: -1_000_000_000, label: 'Variation' }];
    const parts = [{ fact: 'co.interest.2024', label: 'Intérêts' }, { fact: 'co.gold.2024', label: 'Or' }];
    const { problems, charts } = await problemsOf(
      chartDeck({ over: { type: 'doughnut', title: 'Trop', whole: 'co.small.2024', rest: 'Autres', parts }, negative: { type: 'doughnut', title: 'Négatif', parts: [...parts, { fact: 'co.change.2024', label: 'Variation' }] } }, { facts }),
    );
    expectProblem(problems, { file: 'data/charts.yaml', line: at(charts, 'whole: co.small.2024'), field: 'over.whole', message: 'the parts add up to 12,000,000,000, more than their whole "co.small.2024" (10,000,000,000)' });
    expectProblem(problems, { file: 'data/charts.yaml', line: at(charts, 'fact: co.change.2024'), field: 'negative.parts[2].fact', message: 'a part of a whole cannot be below zero' });
  });

  it('a stacked chart that mixes signs is refused', async () => {
    const facts = [{ id: 'a.x.gain', value: 5 }, { id: 'a.x.loss', value: -3 }];
    const { problems, charts } = await problemsOf(chartDeck({ signs: { title: 'Signes', stacked: true, categories: [{ key: 'a', label: 'A' }], series: [{ key: 'gain', label: 'Gain' }, { key: 'loss', label: 'Perte' }], facts: '{category}.x.{series}' } }, { facts }));
    expectProblem(problems, { file: 'data/charts.yaml', line: at(charts, 'stacked: true'), field: 'signs.stacked', message: 'a stacked chart mixes signs ("a.x.gain" is 5, "a.x.loss" is -3)' });
  });

  it('a highlight or an annotation that names nothing', async () => {
    const { problems, charts } = await problemsOf(chartDeck({ medals: { ...grouped, highlight: 'fr', annotations: [{ line: 'chn.medals.gol', label: 'Or' }] } }));
    expectProblem(problems, { file: 'data/charts.yaml', line: at(charts, 'highlight: fr'), field: 'medals.highlight', message: '"fr" names no category of the chart (its categories: fra, usa, chn); did you mean "fra"?' });
    expectProblem(problems, { file: 'data/charts.yaml', line: at(charts, 'line: chn.medals.gol'), field: 'medals.annotations[0].line', message: 'unknown fact "chn.medals.gol"; did you mean "chn.medals.gold"?' });
  });

  it('a table shown as a chart, and a chart shown as a table, are said at the slide', async () => {
    const spec = chartDeck({ table: { ...grouped, type: 'table' }, medals: grouped });
    spec.slides = [
      { layout: 'chart', id: 'one', title: 'Un', chart: 'table' },
      { layout: 'table', id: 'two', title: 'Deux', table: 'medals' },
    ];
    const { problems, deck } = await problemsOf(spec);
    expectProblem(problems, { file: 'data/deck.yaml', line: at(deck, 'chart: table'), message: '"table" is a table, not a chart: show it with layout: table and table: table' });
    expectProblem(problems, { file: 'data/deck.yaml', line: at(deck, 'table: medals'), message: '"medals" is a bar chart, not a table: show it with layout: chart and chart: medals' });
  });

  it('a chart of the wrong shape for its type is said at its field', async () => {
    const { problems, charts } = await problemsOf(chartDeck({ pie: { type: 'doughnut', title: 'Camembert', categories: countries, series: kinds, facts: '{category}.medals.{series}' } }));
    expectProblem(problems, { file: 'data/charts.yaml', line: at(charts, 'type: doughnut'), field: 'pie.type', message: 'a doughnut shows the parts of a whole: give parts' });
  });
});
