// Draws the deck's charts with Chart.js from the specs the build embedded, on any page (the deck,
// its print view, the handout). On screen a chart is a canvas, animated unless motion is unwanted;
// for paper it is drawn into an SVG (svgcanvas), so the PDF gets vector shapes and real text.
// window.datadeckChartsDrawn turns true once every chart on the page is drawn.
import type { Chart } from 'chart.js';
import type { ChartSpec, ChartsApi, DrawOptions } from './contract.js';
import type {} from './vendor.js';
import { config } from './chart-config.js';
import { sans } from './chart-theme.js';

// Drawn charts by canvas element, not by chart id: a chart may appear on two slides (a recap).
const charts = new Map<Element, Chart | null>();
let pending = 0;

function announce(): void {
  window.datadeckChartsDrawn = true;
  document.dispatchEvent(new CustomEvent('datadeck:charts-drawn'));
}

function specOf(element: Element): ChartSpec {
  const json = element.closest('figure')?.querySelector('script[data-chart-spec]')?.textContent;
  if (!json) throw new Error('a chart without its spec (script[data-chart-spec] in its figure)');
  return JSON.parse(json) as ChartSpec;
}

function chartConstructor(): NonNullable<Window['Chart']> {
  if (!window.Chart) throw new Error('Chart.js is not loaded');
  return window.Chart;
}

function drawn(): void {
  pending -= 1;
  if (pending === 0) announce();
}

function drawCanvas(canvas: HTMLCanvasElement, animate: boolean): void {
  let finished = false;
  charts.set(canvas, new (chartConstructor())(canvas, config(specOf(canvas), {
    vector: false,
    animate,
    onRendered: () => {
      if (finished) return;
      finished = true;
      canvas.setAttribute('data-chart-drawn', 'true');
      drawn();
    },
  })));
}

/**
 * svgcanvas names the clip paths and gradients it writes at random: named again after the chart
 * and its place among the drawings of that chart, so that the same slide laid out twice is the
 * same markup (its picture is reused by that digest) and the PDF the same from build to build.
 */
function stableIds(svg: SVGSVGElement, chartName: string): void {
  const place = [...document.querySelectorAll('[data-chart]')].filter((drawing) => drawing.getAttribute('data-chart') === chartName).indexOf(svg);
  const renamed = new Map<string, string>();
  svg.querySelectorAll('[id]').forEach((element, index) => {
    const id = 'chart-' + chartName + '-' + (place + 1) + '-' + (index + 1);
    renamed.set(element.id, id);
    element.id = id;
  });
  if (renamed.size === 0) return;
  for (const element of svg.querySelectorAll('*')) {
    for (const attribute of [...element.attributes]) {
      const value = attribute.value
        .replace(/url\(#([^)]+)\)/g, (whole, id: string) => (renamed.has(id) ? 'url(#' + renamed.get(id) + ')' : whole))
        .replace(/^#(.+)$/, (whole, id: string) => (renamed.has(id) ? '#' + renamed.get(id) : whole));
      if (value !== attribute.value) attribute.value = value;
    }
  }
}

// The SVG takes the canvas's place, with its text alternative.
function drawVector(canvas: HTMLCanvasElement): void {
  const Chart = chartConstructor();
  const box = getComputedStyle(canvas.parentElement ?? canvas);
  // Not offsetWidth: a hidden slide measures 0.
  const width = Math.round(parseFloat(box.width)) || 1104;
  const height = Math.round(parseFloat(box.height)) || 360;
  const context = new window.SVGCanvas.Context({ width, height });
  let finished = false;
  const chart = new Chart(context, Object.assign(config(specOf(canvas), {
    vector: true,
    animate: false,
    onRendered: () => {
      if (finished) return;
      finished = true;
      const svg = context.getSvg();
      svg.setAttribute('viewBox', '0 0 ' + width + ' ' + height);
      svg.setAttribute('class', 'chart-drawing');
      svg.setAttribute('role', 'img');
      svg.setAttribute('aria-label', canvas.getAttribute('aria-label') ?? '');
      svg.setAttribute('data-chart', canvas.getAttribute('data-chart') ?? '');
      svg.setAttribute('data-chart-drawn', 'true');
      canvas.replaceWith(svg);
      stableIds(svg, canvas.getAttribute('data-chart') ?? '');
      drawn();
    },
  }), { platform: Chart.BasicPlatform }));
  charts.set(canvas, chart);
}

function barCount(element: Element): number {
  return specOf(element).labels.length;
}

/** The spec with its first `count` categories (bars, periods or parts) only. */
function firstOf(spec: ChartSpec, count: number): ChartSpec {
  const first = <T>(list: T[]): T[] => list.slice(0, count);
  return {
    ...spec,
    labels: first(spec.labels),
    categoryRoles: spec.categoryRoles && first(spec.categoryRoles),
    series: spec.series.map((series) => ({ ...series, values: first(series.values), valueLabels: first(series.valueLabels), labelled: first(series.labelled) })),
    totals: spec.totals && { values: first(spec.totals.values), labels: first(spec.totals.labels) },
    shares: spec.shares && first(spec.shares),
    highlight: spec.highlight !== null && spec.highlight < count ? spec.highlight : null,
  };
}

// Without animation Chart.js draws synchronously: the trial drawing is there when the call returns.
function drawFirst(drawing: Element, count: number): SVGSVGElement {
  const Chart = chartConstructor();
  const part = firstOf(specOf(drawing), count);
  const box = drawing instanceof SVGSVGElement ? drawing.viewBox.baseVal : null;
  const width = box && box.width ? box.width : drawing.getBoundingClientRect().width;
  const height = box && box.height ? box.height : drawing.getBoundingClientRect().height;
  const context = new window.SVGCanvas.Context({ width, height });
  let svg: SVGSVGElement | null = null;
  const chart = new Chart(context, Object.assign(config(part, {
    vector: true,
    animate: false,
    onRendered: () => { svg = svg ?? (context.getSvg().cloneNode(true) as SVGSVGElement); },
  }), { platform: Chart.BasicPlatform }));
  chart.destroy();
  // TypeScript cannot see that the callback above ran during `new Chart`.
  const trial = svg as SVGSVGElement | null;
  if (!trial) throw new Error('the chart was not drawn synchronously');
  trial.setAttribute('viewBox', '0 0 ' + width + ' ' + height);
  trial.setAttribute('class', drawing.getAttribute('class') ?? '');
  trial.setAttribute('data-chart', drawing.getAttribute('data-chart') ?? '');
  drawing.replaceWith(trial);
  stableIds(trial, drawing.getAttribute('data-chart') ?? '');
  return trial;
}

/**
 * The fonts charts measure their labels with, and every font the page is laid out with (a title in
 * a fallback font leaves the chart another box), loaded before a drawing that cannot be redone.
 */
function fontsReady(): Promise<unknown> {
  if (!document.fonts || !document.fonts.load) return Promise.resolve();
  return Promise.all([...['400', '600', '700'].map((weight) => document.fonts.load(weight + ' 20px ' + sans).catch(() => undefined)), document.fonts.ready]);
}

function draw(root: ParentNode | null, options: DrawOptions): void {
  if (!window.Chart) return;
  const canvases = [...(root ?? document).querySelectorAll<HTMLCanvasElement>('canvas[data-chart]')].filter((canvas) => !charts.has(canvas));
  if (canvases.length === 0) return;
  if (options.vector) {
    canvases.forEach((canvas) => { charts.set(canvas, null); });
    void fontsReady().then(() => {
      canvases.forEach(drawVector);
    });
  } else {
    canvases.forEach((canvas) => { drawCanvas(canvas, options.animate ?? false); });
  }
}

function reset(): void {
  charts.forEach((chart) => { if (chart && chart.destroy) chart.destroy(); });
  charts.clear();
  pending = document.querySelectorAll('canvas[data-chart]').length;
  window.datadeckChartsDrawn = pending === 0;
}

pending = document.querySelectorAll('canvas[data-chart]').length;
if (pending === 0) window.datadeckChartsDrawn = true;
const api: ChartsApi = { draw, reset, charts, barCount, drawFirst };
window.datadeckCharts = api;
