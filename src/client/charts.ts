// Draws the deck's charts with Chart.js from the specs the build embedded, on any page (the deck,
// its print view, the handout). On screen a chart is a canvas, animated unless motion is unwanted;
// for paper it is drawn into an SVG (svgcanvas), so the PDF gets vector shapes and real text.
// window.datadeckChartsDrawn turns true once every chart on the page is drawn.
import type { Chart, ChartConfiguration, ChartType, Plugin } from 'chart.js';
import type { ChartSpec, ChartsApi, DrawOptions } from './contract.js';
import type {} from './vendor.js';

/** The options of the value-labels plugin below, under options.plugins.datadeckValueLabels. */
interface ValueLabelOptions {
  labels: string[];
  color: string;
  /** Called once the chart is drawn (null when the animation's end says so instead). */
  onRendered: ((chart: Chart | null) => void) | null;
}

declare module 'chart.js' {
  interface PluginOptionsByType<TType extends ChartType> {
    datadeckValueLabels?: ValueLabelOptions;
  }
}

interface ConfigOptions {
  vector: boolean;
  animate: boolean;
  onRendered: (chart: Chart | null) => void;
}

type BarConfig = ChartConfiguration<'bar', number[], string>;

// The theme (theme.css, and palette.css from the deck's theme.yaml) says every colour and size.
const theme = getComputedStyle(document.documentElement);
function token(name: string, fallback: string): string {
  return theme.getPropertyValue(name).trim() || fallback;
}
function colour(role: string): string {
  return token('--role-' + role, token('--role-neutral', '#888888'));
}
function pixels(name: string, fallback: number): number {
  return parseFloat(token(name, '')) || fallback;
}
const ink = token('--ink', '#000000');
const inkSoft = token('--ink-soft', ink);
const sans = token('--sans', 'sans-serif');

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

// Prints each bar's figure as the slide says it ("13,7 Md$"), so the chart reads without the axis.
// Its afterRender hook says when a chart is really drawn, however late Chart.js was asked.
const valueLabels: Plugin<'bar', ValueLabelOptions> = {
  id: 'datadeckValueLabels',
  afterRender(chart, _args, options) {
    if (options.onRendered) options.onRendered(chart);
  },
  afterDatasetsDraw(chart, _args, options) {
    const ctx = chart.ctx;
    const meta = chart.getDatasetMeta(0);
    const horizontal = chart.options.indexAxis === 'y';
    ctx.save();
    ctx.fillStyle = options.color;
    ctx.font = '700 ' + pixels('--chart-value-size', 22) + 'px ' + sans;
    ctx.textAlign = horizontal ? 'left' : 'center';
    ctx.textBaseline = horizontal ? 'middle' : 'bottom';
    meta.data.forEach((bar, index) => {
      const text = options.labels[index] ?? '';
      if (horizontal) ctx.fillText(text, bar.x + 10, bar.y);
      else ctx.fillText(text, bar.x, bar.y - 8);
    });
    ctx.restore();
  },
};

function config(spec: ChartSpec, options: ConfigOptions): BarConfig {
  const horizontal = spec.orientation === 'horizontal';
  const numberFormat = new Intl.NumberFormat(spec.locale, { maximumFractionDigits: 1 });
  const valueAxis = {
    beginAtZero: true,
    grace: '12%',
    grid: { color: token('--chart-grid', 'rgba(0,0,0,0.08)') },
    border: { display: false },
    ticks: { color: inkSoft, font: { size: pixels('--chart-tick-size', 18), family: sans }, callback: (value: number | string) => numberFormat.format(Number(value)).replace(/\u202f/g, '\u00a0') },
    title: { display: spec.axisTitle !== '', text: spec.axisTitle, color: inkSoft, font: { size: pixels('--chart-tick-size', 18), family: sans } },
  };
  const categoryAxis = {
    grid: { display: false },
    border: { color: inkSoft },
    // Every bar keeps its label, however little room there is.
    ticks: { color: ink, autoSkip: false, font: { size: pixels('--chart-category-size', 21), weight: 600, family: sans } },
  };
  return {
    type: 'bar',
    data: {
      labels: spec.labels,
      datasets: [{ data: spec.values, backgroundColor: spec.roles.map(colour), borderRadius: 2, maxBarThickness: 150 }],
    },
    plugins: [valueLabels],
    options: {
      indexAxis: horizontal ? 'y' : 'x',
      // A vector drawing has a fixed size in slide pixels; a canvas follows its box.
      responsive: !options.vector,
      maintainAspectRatio: false,
      devicePixelRatio: options.vector ? 1 : Math.max(window.devicePixelRatio || 1, 2),
      animation: options.animate ? { duration: 700, onComplete: () => { options.onRendered(null); } } : false,
      layout: { padding: { right: horizontal ? 110 : 0, top: 8 } },
      scales: horizontal ? { x: valueAxis, y: categoryAxis } : { x: categoryAxis, y: valueAxis },
      plugins: {
        legend: { display: false },
        tooltip: { enabled: !options.vector },
        datadeckValueLabels: { labels: spec.valueLabels, color: ink, onRendered: options.animate ? null : options.onRendered },
      },
    },
  };
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
      drawn();
    },
  }), { platform: Chart.BasicPlatform }));
  charts.set(canvas, chart);
}

function barCount(element: Element): number {
  return specOf(element).labels.length;
}

// Without animation Chart.js draws synchronously: the trial drawing is there when the call returns.
function drawFirst(drawing: Element, count: number): SVGSVGElement {
  const Chart = chartConstructor();
  const spec = specOf(drawing);
  const part: ChartSpec = {
    ...spec,
    labels: spec.labels.slice(0, count),
    values: spec.values.slice(0, count),
    valueLabels: spec.valueLabels.slice(0, count),
    roles: spec.roles.slice(0, count),
  };
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
  return trial;
}

/** The fonts charts measure their labels with, loaded before a drawing that cannot be redone. */
function fontsReady(): Promise<unknown> {
  if (!document.fonts || !document.fonts.load) return Promise.resolve();
  return Promise.all(['400', '600', '700'].map((weight) => document.fonts.load(weight + ' 20px ' + sans).catch(() => undefined)));
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
