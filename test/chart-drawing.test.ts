/**
 * How the browser draws a chart spec (src/client/charts.ts): grouped and stacked bars either way
 * up, lines, areas and doughnuts, legends, highlights and annotations; long category labels that
 * wrap rather than slant; the chart's title on the slide; real text on paper; the overflow check's
 * trial with several series. The specs are written here, in the page a small deck built, in place
 * of the one the build embedded, and the drawing is read back: the SVG made for paper, its PDF.
 * To look at them: CHART_SHOTS=/some/folder saves each trial page's drawings and pictures there.
 */
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser, Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChartSeriesSpec, ChartSpec } from '../src/client/contract.js';
import { build } from '../src/pipeline.js';
import { buildOptions } from './support/build.js';
import { pdfText } from './support/pdf.js';
import { read } from './support/project.js';
import { smallDecks } from './support/small-deck.js';

const smallDeck = smallDecks();
const roles = { gold: '#a87400', silver: '#5b6670', bronze: '#8b4513', france: '#1f4e9c' };
/** A colour as the browser's computed style writes it. */
const rgb = (hex: string): string => `rgb(${[1, 3, 5].map((at) => parseInt(hex.slice(at, at + 2), 16)).join(', ')})`;
const slideCount = 5;

let html = '';
let out = '';
let browser: Browser;
let close: () => Promise<void>;

beforeAll(async () => {
  const p = await smallDeck({
    facts: [{ id: 'a.staff', value: 150, unit: 'people' }, { id: 'b.staff', value: 3000, unit: 'people' }],
    charts: { per_person: { title: 'Par employé', bars: [{ fact: 'a.staff', label: 'A' }, { fact: 'b.staff', label: 'B' }] } },
    slides: Array.from({ length: slideCount }, (_, i) => ({ layout: 'chart', id: `chart${i}`, title: `Graphique ${i}`, chart: 'per_person' })),
    theme: { roles },
  });
  const result = await build(buildOptions(p));
  html = await read(result.htmlPath);
  out = path.dirname(result.htmlPath);
  const { launchBrowser } = await import('../src/print/browser.js');
  const session = await launchBrowser({ timeoutMs: 20_000 });
  browser = session.browser;
  close = () => session.close();
}, 120_000);
afterAll(async () => {
  await close?.();
});

function series(label: string, role: string, values: number[], labelled?: boolean[]): ChartSeriesSpec {
  return { label, role, values, valueLabels: values.map((value) => `${value} u`), labelled: labelled ?? values.map(() => true) };
}

/** A spec with today's defaults; the deprecated fields left empty, as new code no longer reads them. */
function spec(over: Partial<ChartSpec> & Pick<ChartSpec, 'labels' | 'series'>): ChartSpec {
  return { id: 'trial', type: 'bar', stacked: false, orientation: 'vertical', title: 'Trial', categoryRoles: null, totals: null, shares: null, highlight: null, annotations: [], legend: over.series.length > 1, axisTitle: '', locale: 'en-US', ...over };
}

let pages = 0;
/** The deck with its first charts' specs replaced, opened in the print view (or on screen), charts drawn. */
async function open(specs: ChartSpec[], view: 'print' | 'screen' = 'print'): Promise<Page> {
  let index = 0;
  const page = html.replace(/(<script type="application\/json" data-chart-spec="[^"]*">)([^<]*)(<\/script>)/g, (whole, start: string, _json: string, end: string) => {
    const replacement = specs[index++];
    return replacement ? start + JSON.stringify(replacement).replace(/</g, '\\u003c') + end : whole;
  });
  const file = path.join(out, `trial-${++pages}.html`);
  await writeFile(file, page);
  const tab = await browser.newPage();
  await tab.setViewport({ width: 1280, height: 720 });
  const errors: string[] = [];
  tab.on('pageerror', (error) => { errors.push(String((error as Error).stack ?? error)); });
  await tab.goto(`${pathToFileURL(file).href}${view === 'print' ? '?print-pdf' : ''}`, { waitUntil: 'load' });
  // On paper every chart is drawn at once; on screen only those of the slides shown are, so one is enough.
  if (view === 'print') await tab.waitForFunction(() => window.datadeckChartsDrawn === true, { timeout: 30_000 });
  else await tab.waitForFunction(() => window.datadeckChartsDrawn === true || document.querySelector('[data-chart-drawn]') !== null, { timeout: 30_000 }).catch(() => undefined);
  if (process.env.CHART_SHOTS) {
    await writeFile(path.join(process.env.CHART_SHOTS, `trial-${pages}.svg.txt`), await tab.evaluate(() => [...document.querySelectorAll('svg[data-chart]')].map((svg) => svg.outerHTML).join('\n\n')));
    const shown = await tab.$$('.pdf-page');
    for (const [i, element] of shown.slice(0, Math.max(1, specs.length)).entries()) await element.screenshot({ path: path.join(process.env.CHART_SHOTS, `trial-${pages}-${i}.png`) as `${string}.png` });
  }
  expect(errors).toEqual([]);
  return tab;
}

interface Shape { fill: string; stroke: string; dashed: boolean; d: string; x: number; y: number; w: number; h: number }
interface Text { text: string; x: number; y: number; w: number; h: number; rotated: boolean; fill: string }

/** The n-th chart drawing of the page, read back: its shapes and texts, in its own pixels. */
async function drawing(page: Page, n = 0): Promise<{ shapes: Shape[]; texts: Text[]; width: number; height: number }> {
  return page.evaluate((n) => {
    const svg = document.querySelectorAll('svg[data-chart]')[n] as SVGSVGElement;
    const frame = svg.getBoundingClientRect();
    const scale = frame.width / svg.viewBox.baseVal.width;
    const box = (element: Element): { x: number; y: number; w: number; h: number } => {
      const rect = element.getBoundingClientRect();
      return { x: (rect.left - frame.left) / scale, y: (rect.top - frame.top) / scale, w: rect.width / scale, h: rect.height / scale };
    };
    const shapes = [...svg.querySelectorAll('path, rect')].map((element) => {
      const style = getComputedStyle(element);
      return { fill: style.fill, stroke: style.stroke, dashed: style.strokeDasharray !== 'none' && style.strokeDasharray !== '', d: element.getAttribute('d') ?? '', ...box(element) };
    });
    const texts = [...svg.querySelectorAll('text')].map((element) => {
      const matrix = (element as SVGGraphicsElement).getCTM();
      return { text: element.textContent ?? '', rotated: matrix !== null && (Math.abs(matrix.b) > 1e-6 || Math.abs(matrix.c) > 1e-6), fill: getComputedStyle(element).fill, ...box(element) };
    });
    return { shapes, texts, width: svg.viewBox.baseVal.width, height: svg.viewBox.baseVal.height };
  }, n);
}

/** The bars (not the legend's small squares) of a colour. */
const barsOf = (shapes: Shape[], colour: string): Shape[] => shapes.filter((shape) => shape.fill === rgb(colour) && shape.w > 20 && shape.h > 20);
const textsOf = (texts: Text[]): string[] => texts.map((text) => text.text);
/** a/b against c/d: within 2%, a pixel or two of anti-aliasing. */
const proportional = (a: number, b: number, c: number, d: number): boolean => Math.abs(a / b - c / d) < 0.02;

const categories = ['France', 'USA', 'China'];
const gold = series('Gold', 'gold', [16, 40, 39]);
const silver = series('Silver', 'silver', [26, 44, 27]);

describe('bars of several series', () => {
  it('groups them side by side: a bar per series and category, heights proportional, each series in its role\'s colour, a legend', async () => {
    const page = await open([spec({ labels: categories, series: [gold, silver] })]);
    const { shapes, texts } = await drawing(page);
    const golds = barsOf(shapes, roles.gold);
    const silvers = barsOf(shapes, roles.silver);
    expect(golds).toHaveLength(3);
    expect(silvers).toHaveLength(3);
    // Side by side: each silver bar right of its gold one, on the same baseline.
    golds.forEach((bar, i) => {
      expect(silvers[i]!.x).toBeGreaterThan(bar.x + bar.w - 1);
      expect(Math.abs(silvers[i]!.y + silvers[i]!.h - (bar.y + bar.h))).toBeLessThan(1);
      expect(proportional(bar.h, golds[1]!.h, gold.values[i]!, 40)).toBe(true);
      expect(proportional(silvers[i]!.h, golds[1]!.h, silver.values[i]!, 40)).toBe(true);
    });
    const words = textsOf(texts);
    expect(words).toEqual(expect.arrayContaining(['Gold', 'Silver', ...categories, '16 u', '44 u', '27 u']));
    // The legend's squares, in the series' colours.
    expect(shapes.filter((shape) => shape.fill === rgb(roles.gold) && shape.w < 20)).toHaveLength(1);
    await page.close();
  });

  it('stacks them, each part written inside it and each stack\'s total at its end, upright or lying', async () => {
    const totals = { values: [42, 84, 66], labels: ['42 total', '84 total', '66 total'] };
    const page = await open([
      spec({ labels: categories, series: [gold, silver], stacked: true, totals }),
      spec({ labels: categories, series: [gold, silver], stacked: true, totals, orientation: 'horizontal' }),
    ]);
    for (const [n, horizontal] of [[0, false], [1, true]] as const) {
      const { shapes, texts } = await drawing(page, n);
      const golds = barsOf(shapes, roles.gold);
      const silvers = barsOf(shapes, roles.silver);
      expect(golds).toHaveLength(3);
      expect(silvers).toHaveLength(3);
      golds.forEach((bar, i) => {
        const top = silvers[i]!;
        // One pile: silver starts where gold ends, along the same line.
        if (horizontal) {
          expect(Math.abs(top.x - (bar.x + bar.w))).toBeLessThan(1.5);
          expect(Math.abs(top.y - bar.y)).toBeLessThan(1);
          expect(proportional(bar.w + top.w, golds[0]!.w + silvers[0]!.w, totals.values[i]!, 42)).toBe(true);
        } else {
          expect(Math.abs(top.y + top.h - bar.y)).toBeLessThan(1.5);
          expect(Math.abs(top.x - bar.x)).toBeLessThan(1);
          expect(proportional(bar.h + top.h, golds[0]!.h + silvers[0]!.h, totals.values[i]!, 42)).toBe(true);
        }
        const total = texts.find((text) => text.text === totals.labels[i])!;
        expect(total, totals.labels[i]).toBeDefined();
        if (horizontal) expect(total.x).toBeGreaterThan(top.x + top.w);
        else expect(total.y + total.h).toBeLessThan(top.y + 1);
        // The part's figure inside its part.
        const part = texts.find((text) => text.text === gold.valueLabels[i])!;
        expect(part.x).toBeGreaterThanOrEqual(bar.x);
        expect(part.x + part.w).toBeLessThanOrEqual(bar.x + bar.w + 0.5);
        expect(part.y).toBeGreaterThanOrEqual(bar.y);
        expect(part.y + part.h).toBeLessThanOrEqual(bar.y + bar.h + 0.5);
      });
    }
    await page.close();
  });
});

/** The points of a drawn line: its path's corners, M x y L x y… */
function corners(path: Shape): { x: number; y: number }[] {
  const numbers = path.d.match(/-?\d+(\.\d+)?(e-?\d+)?/g)!.map(Number);
  const points: { x: number; y: number }[] = [];
  for (let i = 0; i + 1 < numbers.length; i += 2) points.push({ x: numbers[i]!, y: numbers[i + 1]! });
  // Chart.js moves to the first point and draws a line to it again.
  return points.filter((point, i) => i === 0 || point.x !== points[i - 1]!.x || point.y !== points[i - 1]!.y);
}

describe('lines and areas', () => {
  const years = ['2021', '2022', '2023', '2024', '2025'];
  const rates = series('3-month bills', 'gold', [0.05, 2.02, 5.07, 4.97, 4.07], [false, false, false, false, true]);

  it('draws a line through points at heights proportional to the values, the last one labelled', async () => {
    const page = await open([spec({ type: 'line', labels: years, series: [rates] })]);
    const { shapes, texts } = await drawing(page);
    const line = shapes.filter((shape) => shape.stroke === rgb(roles.gold) && shape.fill === 'none').sort((a, b) => b.d.length - a.d.length)[0]!;
    const points = corners(line);
    expect(points).toHaveLength(5);
    // Evenly spaced periods, heights on one linear scale.
    const step = points[1]!.x - points[0]!.x;
    points.forEach((point, i) => expect(Math.abs(point.x - points[0]!.x - step * i)).toBeLessThan(0.5));
    const rise = (i: number): number => points[0]!.y - points[i]!.y;
    for (const i of [1, 3, 4]) expect(proportional(rise(i), rise(2), rates.values[i]! - 0.05, 5.07 - 0.05)).toBe(true);
    const words = textsOf(texts);
    expect(words).toContain('4.07 u');
    expect(words).not.toContain('5.07 u');
    expect(words).toEqual(expect.arrayContaining(years));
    // The last figure beside its point.
    const last = texts.find((text) => text.text === '4.07 u')!;
    expect(last.x).toBeGreaterThan(points[4]!.x);
    expect(Math.abs(last.y + last.h / 2 - points[4]!.y)).toBeLessThan(last.h);
    await page.close();
  });

  it('fills an area under each series, piled up when stacked, with a legend', async () => {
    const a = series('Gold', 'gold', [10, 20, 30], [false, false, true]);
    const b = series('Silver', 'silver', [10, 10, 10], [false, false, true]);
    const page = await open([spec({ type: 'area', stacked: true, labels: ['2022', '2023', '2024'], series: [a, b] })]);
    const { shapes, texts } = await drawing(page);
    const lineOf = (colour: string): { x: number; y: number }[] => corners(shapes.filter((shape) => shape.stroke === rgb(colour) && shape.fill === 'none').sort((x, y) => y.d.length - x.d.length)[0]!);
    const lower = lineOf(roles.gold);
    const upper = lineOf(roles.silver);
    // Stacked: the upper line is at a + b. With the lower at 10, 20, 30 and the upper at 20, 30, 40.
    const zero = lower[0]!.y + (lower[0]!.y - lower[1]!.y);
    upper.forEach((point, i) => expect(proportional(zero - point.y, zero - lower[2]!.y, a.values[i]! + b.values[i]!, 30)).toBe(true));
    // Two filled areas, neither of them a series' own colour (lighter, on paper).
    const fills = shapes.filter((shape) => shape.fill !== 'none' && shape.w > 200 && shape.h > 50 && shape.fill !== rgb('#fbfaf7'));
    expect(new Set(fills.map((shape) => shape.fill)).size).toBeGreaterThanOrEqual(2);
    expect(textsOf(texts)).toEqual(expect.arrayContaining(['Gold', 'Silver', '30 u', '10 u']));
    await page.close();
  });
});

describe('drawn for paper once the print view is laid out', () => {
  it('takes each chart\'s size from its slide on its page, even when fonts and frames come late', async () => {
    // A loaded machine, made so: the fonts arrive late and frames come late (reveal.js lays the
    // print view out over frames after it says it is ready). A title in a fallback font takes
    // another height, and so leaves the chart another box.
    const tab = await browser.newPage();
    await tab.setRequestInterception(true);
    tab.on('request', (request) => {
      if (/\.woff2?$/.test(request.url())) setTimeout(() => { void request.continue(); }, 1500);
      else void request.continue();
    });
    await tab.evaluateOnNewDocument(() => {
      const frame = window.requestAnimationFrame.bind(window);
      window.requestAnimationFrame = (callback) => window.setTimeout(() => frame(callback), 200);
    });
    await tab.setViewport({ width: 1280, height: 720 });
    await tab.goto(`${pathToFileURL(path.join(out, 'index.html')).href}?print-pdf`, { waitUntil: 'load' });
    await tab.waitForFunction(() => window.datadeckChartsDrawn === true, { timeout: 60_000 });
    const sizes = await tab.$$eval('svg[data-chart]', (drawings) => drawings.map((svg) => {
      const box = (svg as SVGSVGElement).parentElement!.getBoundingClientRect();
      return { chart: svg.getAttribute('data-chart'), drawn: [(svg as SVGSVGElement).viewBox.baseVal.width, (svg as SVGSVGElement).viewBox.baseVal.height], box: [Math.round(box.width), Math.round(box.height)] };
    }));
    expect(sizes.length).toBeGreaterThan(0);
    for (const size of sizes) expect(size.drawn, size.chart ?? '').toEqual(size.box);
    await tab.close();
  });
});

describe('doughnuts', () => {
  it('draws each part in its role\'s colour with its share and its figure, and a legend of the parts', async () => {
    const parts = series('Profit', 'neutral', [7, 5, 1.7]);
    const page = await open([spec({ type: 'doughnut', labels: ['Interest', 'Gold and bitcoin', 'Other'], categoryRoles: ['gold', 'silver', 'bronze'], series: [parts], shares: ['51%', '36%', '12%'], legend: true })]);
    const { shapes, texts } = await drawing(page);
    for (const colour of [roles.gold, roles.silver, roles.bronze]) expect(shapes.some((shape) => shape.fill === rgb(colour) && shape.w > 40), colour).toBe(true);
    expect(textsOf(texts)).toEqual(expect.arrayContaining(['Interest', 'Gold and bitcoin', 'Other', '51%', '36%', '12%', '7 u', '5 u', '1.7 u']));
    await page.close();
  });
});

describe('highlight and annotations', () => {
  it('mutes every category but the highlighted one', async () => {
    const page = await open([spec({ labels: ['A', 'B', 'C', 'D'], categoryRoles: ['france', 'france', 'france', 'france'], series: [series('Medals', 'france', [10, 20, 30, 40])], highlight: 1, legend: false })]);
    const { shapes } = await drawing(page);
    const bars = shapes.filter((shape) => shape.w > 20 && shape.h > 20 && shape.fill !== 'none').sort((a, b) => a.x - b.x);
    expect(bars).toHaveLength(4);
    expect(bars.map((bar) => bar.fill === rgb(roles.france))).toEqual([false, true, false, false]);
    expect(new Set([bars[0]!.fill, bars[2]!.fill, bars[3]!.fill]).size).toBe(1);
    await page.close();
  });

  it('draws a reference line at its value and a band between its values, each with its label and figure', async () => {
    const page = await open([spec({
      labels: ['A', 'B', 'C'],
      categoryRoles: ['gold', 'gold', 'gold'],
      series: [series('Medals', 'gold', [10, 20, 40])],
      legend: false,
      annotations: [
        { kind: 'line', from: 20, to: null, label: 'Target', valueLabel: '20 u' },
        { kind: 'band', from: 5, to: 10, label: 'Usual range', valueLabel: '5–10 u' },
      ],
    })]);
    const { shapes, texts } = await drawing(page);
    const bars = barsOf(shapes, roles.gold).sort((a, b) => a.x - b.x);
    const line = shapes.find((shape) => shape.dashed)!;
    expect(line, 'a dashed reference line').toBeDefined();
    // At 20: the top of the bar of 20.
    expect(Math.abs(line.y - bars[1]!.y)).toBeLessThan(1.5);
    expect(line.w).toBeGreaterThan(bars[2]!.x + bars[2]!.w - bars[0]!.x);
    // The band from 5 to 10: from halfway up the first bar to its top.
    const band = shapes.filter((shape) => shape.fill !== 'none' && shape.h > 5 && shape.w > bars[2]!.x - bars[0]!.x && Math.abs(shape.y - bars[0]!.y) < 1.5)[0]!;
    expect(band, 'a band up to 10').toBeDefined();
    expect(proportional(band.h, bars[0]!.h, 5, 10)).toBe(true);
    expect(textsOf(texts)).toEqual(expect.arrayContaining(['Target ', '20 u', 'Usual range ', '5–10 u']));
    await page.close();
  });
});

describe('long category labels', () => {
  it('wrap onto several lines, upright and apart, instead of slanting into each other', async () => {
    const labels = ['Tether’s net profit in 2024', 'OpenAI’s operating loss in 2024', 'Anthropic’s operating loss in 2024', 'Both labs’ losses added together', 'Tether’s interest on Treasury bills', 'Tether’s investments in artificial intelligence'];
    const values = [13.7, 5, 5.6, 10.6, 7, 3];
    const one = series('Billions', 'gold', values);
    const roles = labels.map(() => 'gold');
    const page = await open([spec({ labels, categoryRoles: roles, series: [one], legend: false })]);
    const { texts } = await drawing(page);
    const words = labels.flatMap((label) => label.split(' '));
    const lines = texts.filter((text) => text.text.split(' ').every((word) => words.includes(word)));
    for (const label of labels) expect(lines.map((line) => line.text).join(' '), label).toContain(label.split(' ').slice(-2).join(' '));
    expect(lines.filter((line) => line.rotated)).toEqual([]);
    expect(lines.length).toBeGreaterThan(labels.length);
    // No two lines overlap: side by side, or a line apart (a text's box holds its font's whole ascent and descent).
    for (const [i, a] of lines.entries()) {
      for (const b of lines.slice(i + 1)) {
        const apart = a.x + a.w <= b.x + 1 || b.x + b.w <= a.x + 1 || Math.abs(a.y - b.y) >= 0.8 * Math.max(a.h, b.h);
        expect(apart, `"${a.text}" and "${b.text}"`).toBe(true);
      }
    }
    await page.close();
  });
});

describe('the chart on the slide and on paper', () => {
  it('shows the chart\'s title on the slide, marked as a part of the chart field', async () => {
    const page = await open([]);
    const caption = await page.$eval('figure.chart [data-field="chart.title"]', (element) => ({ text: element.textContent, part: element.getAttribute('data-part'), height: element.getBoundingClientRect().height }));
    expect(caption).toEqual({ text: 'Par employé', part: 'text', height: expect.any(Number) });
    expect(caption.height).toBeGreaterThan(10);
    await page.close();
  });

  it('prints every type with real text: labels, figures, shares, legends, annotations', async () => {
    const page = await open([
      spec({ labels: categories, series: [gold, silver] }),
      spec({ labels: categories, series: [gold, silver], stacked: true, totals: { values: [42, 84, 67], labels: ['42 total', '84 total', '67 total'] } }),
      spec({ type: 'line', labels: ['2021', '2022', '2023'], series: [series('Bills', 'gold', [1, 3, 2], [false, false, true])], annotations: [{ kind: 'line', from: 2.5, to: null, label: 'Average', valueLabel: '2.5 u' }] }),
      spec({ type: 'area', labels: ['2021', '2022', '2023'], series: [series('Bills', 'gold', [1, 3, 2])] }),
      spec({ type: 'doughnut', labels: ['Interest', 'Gains'], categoryRoles: ['gold', 'silver'], series: [series('Profit', 'neutral', [7, 5])], shares: ['58%', '42%'], legend: true }),
    ]);
    const pdf = path.join(out, 'trial.pdf');
    await page.pdf({ path: pdf, width: '1280px', height: '720px', printBackground: true });
    await page.close();
    // Each word as pdftotext reads it, spaces aside (it may join a figure and its unit).
    const expectText = async (n: number, words: string[]): Promise<void> => {
      const text = (await pdfText(pdf, n)).replace(/\s+/g, '');
      for (const word of words) expect(text, `page ${n}`).toContain(word.replace(/\s+/g, ''));
    };
    await expectText(1, ['Gold', 'Silver', 'France', 'USA', 'China', '16 u', '44 u', 'Par employé']);
    await expectText(2, ['84 total', '26 u']);
    await expectText(3, ['2021', '2023', 'Average', '2.5 u', '2 u']);
    await expectText(4, ['2022', '3 u']);
    await expectText(5, ['Interest', 'Gains', '58%', '42%', '7 u']);
  });

  it('gives the overflow check a trial of the first categories of every series, and counts categories', async () => {
    const page = await open([spec({ labels: [...categories, 'UK'], series: [series('Gold', 'gold', [16, 40, 40, 14]), series('Silver', 'silver', [26, 44, 27, 22])] })]);
    const trial = await page.evaluate(() => {
      const svg = document.querySelector('svg[data-chart]')!;
      const count = window.datadeckCharts!.barCount(svg);
      const trial = window.datadeckCharts!.drawFirst(svg, 2);
      return { count, texts: [...trial.querySelectorAll('text')].map((text) => text.textContent), fills: [...trial.querySelectorAll('path')].map((path) => getComputedStyle(path).fill) };
    });
    expect(trial.count).toBe(4);
    expect(trial.texts).toEqual(expect.arrayContaining(['France', 'USA', 'Gold', 'Silver', '26 u', '44 u']));
    expect(trial.texts).not.toContain('China');
    expect(trial.texts).not.toContain('27 u');
    // Two bars of each series, and the legend's square of each.
    expect(trial.fills.filter((fill) => fill === rgb(roles.gold))).toHaveLength(3);
    expect(trial.fills.filter((fill) => fill === rgb(roles.silver))).toHaveLength(3);
    await page.close();
  });

  it('draws several series on screen, on a canvas, with Chart.js', async () => {
    const page = await open([spec({ labels: categories, series: [gold, silver], stacked: true })], 'screen');
    await page.waitForSelector('canvas[data-chart-drawn="true"]', { timeout: 10_000 });
    const chart = await page.evaluate(() => {
      const canvas = document.querySelector('canvas[data-chart-drawn="true"]')!;
      const drawn = window.datadeckCharts!.charts.get(canvas)!;
      return { datasets: drawn.data.datasets.length, stacked: (drawn.options.scales?.y as { stacked?: boolean } | undefined)?.stacked, legend: drawn.options.plugins?.legend?.display };
    });
    expect(chart).toEqual({ datasets: 2, stacked: true, legend: true });
    await page.close();
  });
});

describe('from charts.yaml to paper', () => {
  it('prints each type a deck declares in charts.yaml, with its figures, legend and annotation as text', async () => {
    const medals = [['fra', 'France', 16, 26], ['usa', 'United States of America', 40, 44], ['chn', 'People’s Republic of China', 39, 27]] as const;
    const p = await smallDeck({
      facts: [
        ...medals.flatMap(([key, , gold, silver]) => [{ id: `${key}.medals.gold`, value: gold, unit: 'count' }, { id: `${key}.medals.silver`, value: silver, unit: 'count' }]),
        ...[['2021', 0.04], ['2022', 2.02], ['2023', 5.07], ['2024', 4.97]].map(([period, value]) => ({ id: `rates.tbill.${period}`, value: value!, unit: 'percent', period: period! })),
        { id: 'co.profit.2024', value: 13_700_000_000 },
        { id: 'co.interest.2024', value: 7_000_000_000 },
        { id: 'co.gold.2024', value: 5_000_000_000 },
      ],
      charts: {
        grouped: { title: 'Médailles', categories: medals.map(([key, label]) => ({ key, label })), series: [{ key: 'gold', label: 'Or', role: 'gold' }, { key: 'silver', label: 'Argent', role: 'silver' }], facts: '{category}.medals.{series}' },
        stacked: { title: 'Médailles empilées', categories: medals.map(([key, label]) => ({ key, label })), series: [{ key: 'gold', label: 'Or', role: 'gold' }, { key: 'silver', label: 'Argent', role: 'silver' }], facts: '{category}.medals.{series}', stacked: true, total: true, highlight: 'fra', annotations: [{ line: 'chn.medals.gold', label: 'Or de la Chine' }] },
        tbill: { type: 'line', title: 'Bons à 3 mois', series: [{ label: 'Bons', role: 'gold', facts: 'rates.tbill.*' }] },
        parts: { type: 'doughnut', title: 'D’où vient le bénéfice', whole: 'co.profit.2024', rest: 'Autres', parts: [{ fact: 'co.interest.2024', label: 'Intérêts', role: 'gold' }, { fact: 'co.gold.2024', label: 'Or et bitcoin', role: 'silver' }] },
      },
      slides: ['grouped', 'stacked', 'tbill', 'parts'].map((id) => ({ layout: 'chart', id, title: `Graphique ${id}`, chart: id })),
      theme: { roles },
    });
    const result = await build(buildOptions(p, { formats: ['pdf'], pdf: true, timeoutMs: 30_000 }));
    const pdf = result.pdfPath!;
    if (process.env.CHART_SHOTS) await writeFile(path.join(process.env.CHART_SHOTS, 'from-yaml.pdf'), await readFile(pdf));
    const text = async (n: number): Promise<string> => (await pdfText(pdf, n)).replace(/\s+/g, '');
    const has = async (n: number, words: string[]): Promise<void> => {
      const page = await text(n);
      for (const word of words) expect(page, `page ${n}: ${word}`).toContain(word.replace(/\s+/g, ''));
    };
    await has(1, ['Médailles', 'Or', 'Argent', 'France', 'United States', 'of America', '44', '39']);
    await has(2, ['Médailles empilées', '42', '84', '66', 'Or de la Chine']);
    await has(3, ['Bons à 3 mois', '2021', '2024', '5 %']);
    await has(4, ['D’où vient le bénéfice', 'Intérêts', 'Or et bitcoin', 'Autres', '51,1 %', '36,5 %', '12,4 %', '7 Md$']);
  });
});

describe('the same drawing every time', () => {
  it('names its clip paths after the chart and its place, not at random: the same slides laid out twice are the same markup', async () => {
    const markup = async (): Promise<string[]> => {
      const page = await open([]);
      try {
        return await page.evaluate(() => [...document.querySelectorAll('.pdf-page')].map((element) => element.outerHTML));
      } finally {
        await page.close();
      }
    };
    const [first, second] = [await markup(), await markup()];
    expect(first.join('')).toContain('<clipPath id="chart-per_person-1-');
    expect(second).toEqual(first);
    // Five drawings of one chart on a page: no two elements share an id, and every reference finds its target.
    const ids = first.join('').match(/ id="[^"]+"/g) ?? [];
    expect(new Set(ids).size).toBe(ids.length);
    for (const reference of first.join('').match(/url\(#[^)]+\)/g) ?? []) expect(ids, reference).toContain(` id="${reference.slice(5, -1)}"`);
  });
});
