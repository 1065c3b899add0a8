// A ChartSpec as Chart.js's configuration: bars (side by side or stacked, either way up), lines,
// areas and doughnuts, coloured by role, with the legend, figures and annotations the spec asks for.
import type { Chart, ChartConfiguration, ChartDataset, Scale } from 'chart.js';
import type { ChartSpec } from './contract.js';
import { annotations, valueLabels } from './chart-plugins.js';
import { distinct, font, grid, ink, inkSoft, muted, onPaper, paper, roleColour, sans, sizes, textWidth } from './chart-theme.js';
import { wrapLabel } from './chart-labels.js';

export interface ConfigOptions {
  vector: boolean;
  animate: boolean;
  /** Called once the chart is drawn (when not animated; the animation's end says so otherwise). */
  onRendered: (chart: Chart | null) => void;
}

/**
 * Each series' colour for each category: one series takes each category's role (a doughnut's
 * parts of one role in lighter shades, to tell them apart), several series each its own; a
 * highlighted category keeps its colour, the others are muted.
 */
export function coloursOf(spec: ChartSpec): string[][] {
  const parts = spec.categoryRoles?.map(roleColour);
  const own = spec.series.length === 1 && parts
    ? [spec.type === 'doughnut' ? distinct(parts) : parts]
    : distinct(spec.series.map((series) => roleColour(series.role))).map((colour) => spec.labels.map(() => colour));
  return own.map((row) => row.map((colour, j) => (spec.highlight === null || spec.highlight === j ? colour : muted(colour))));
}

function datasets(spec: ChartSpec): ChartDataset[] {
  const colours = coloursOf(spec);
  return spec.series.map((series, i): ChartDataset => {
    const fills = colours[i] ?? [];
    const main = roleColour(series.role);
    if (spec.type === 'doughnut') return { type: 'doughnut', label: series.label, data: series.values, backgroundColor: fills, borderColor: paper, borderWidth: 2 };
    if (spec.type === 'bar') return { type: 'bar', label: series.label, data: series.values, backgroundColor: fills, borderRadius: 2, maxBarThickness: 150 };
    const area = spec.type === 'area';
    return {
      type: 'line',
      label: series.label,
      data: series.values,
      borderColor: spec.series.length === 1 ? fills[0] ?? main : main,
      borderWidth: 3,
      pointBackgroundColor: fills,
      pointBorderColor: fills,
      pointRadius: 5,
      tension: 0,
      // Chart.js strokes a line through a Path2D, which svgcanvas cannot read; segment options make it draw the path itself.
      segment: {},
      backgroundColor: onPaper(main, spec.stacked ? 0.55 : 0.3),
      fill: area ? (spec.stacked && i > 0 ? '-1' : 'origin') : false,
    };
  });
}

/** A legend of the series (or of a doughnut's parts), in the spec's colours; it does not hide series. */
function legend(spec: ChartSpec): object {
  const colours = coloursOf(spec);
  const items = spec.type === 'doughnut'
    ? spec.labels.map((text, j) => ({ text, colour: colours[0]?.[j] ?? inkSoft }))
    : spec.series.map((series) => ({ text: series.label, colour: roleColour(series.role) }));
  return {
    display: spec.legend,
    position: spec.type === 'doughnut' ? 'right' : 'top',
    align: 'start',
    onClick: () => undefined,
    labels: {
      color: ink,
      font: { size: sizes.tick, weight: 600, family: sans },
      boxWidth: sizes.tick,
      boxHeight: sizes.tick,
      generateLabels: () => items.map((item, index) => ({ text: item.text, fillStyle: item.colour, strokeStyle: item.colour, lineWidth: 0, hidden: false, index, datasetIndex: index, fontColor: ink })),
    },
  };
}

function valueAxis(spec: ChartSpec): object {
  const numberFormat = new Intl.NumberFormat(spec.locale, { maximumFractionDigits: 1 });
  const marks = spec.annotations.flatMap((annotation) => [annotation.from, annotation.to ?? annotation.from]);
  return {
    beginAtZero: true,
    stacked: spec.stacked,
    grace: '12%',
    ...(marks.length > 0 ? { suggestedMax: Math.max(...marks) } : {}),
    grid: { color: grid },
    border: { display: false },
    ticks: { color: inkSoft, font: { size: sizes.tick, family: sans }, callback: (value: number | string) => numberFormat.format(Number(value)).replace(/\u202f/g, '\u00a0') },
    title: { display: spec.axisTitle !== '', text: spec.axisTitle, color: inkSoft, font: { size: sizes.tick, family: sans } },
  };
}

// A label too long for its category wraps onto several lines (a horizontal chart's labels onto a
// third of its width), so Chart.js has no reason to slant it. Only a word wider than its category
// (a chart of very many bars) still slants, as before: then the chart is too dense, and the
// overflow check says how many bars fit. Periods of a line may be many: some are skipped, as usual.
function categoryAxis(spec: ChartSpec, horizontal: boolean): object {
  const labelFont = font(600, sizes.category);
  return {
    stacked: spec.stacked,
    grid: { display: false },
    border: { color: inkSoft },
    ticks: {
      color: ink,
      autoSkip: spec.type === 'line' || spec.type === 'area',
      font: { size: sizes.category, weight: 600, family: sans },
      callback(this: Scale, value: number | string) {
        const label = spec.labels[Number(value)] ?? String(value);
        const width = horizontal ? this.chart.width * 0.3 : this.width / Math.max(1, spec.labels.length) - 16;
        return wrapLabel(label, width, labelFont);
      },
    },
  };
}

/** Room beside the chart for the figures written outside it: bars' ends, a line's last point, a doughnut's parts. */
function padding(spec: ChartSpec): object {
  const widest = (texts: string[], size: number): number => Math.max(0, ...texts.map((text) => textWidth(text, font(700, size))));
  if (spec.type === 'doughnut') {
    const side = Math.max(widest(spec.shares ?? [], sizes.value), widest(spec.series[0]?.valueLabels ?? [], sizes.tick)) + 24;
    // A part at the top or the bottom has its two lines of figures above or below the ring.
    const lines = (sizes.value + sizes.tick) * 1.15 + 20;
    return { top: lines, bottom: lines, left: side, right: side };
  }
  if (spec.type === 'line' || spec.type === 'area') {
    const last = spec.series.flatMap((series) => (series.labelled[series.values.length - 1] ? [series.valueLabels[series.values.length - 1] ?? ''] : []));
    return { top: 8, right: last.length > 0 ? widest(last, sizes.value) + 20 : 12 };
  }
  const ends = spec.totals ? spec.totals.labels : spec.stacked ? [] : spec.series.flatMap((series) => series.valueLabels.filter((_, j) => series.labelled[j]));
  if (spec.orientation !== 'horizontal') return { top: 8, right: 0 };
  // A horizontal chart's annotation labels go on a line of their own above the bars.
  return { top: spec.annotations.length > 0 ? sizes.tick + 14 : 8, right: Math.max(24, widest(ends, sizes.value) + 16) };
}

export function config(spec: ChartSpec, options: ConfigOptions): ChartConfiguration {
  const horizontal = spec.type === 'bar' && spec.orientation === 'horizontal';
  const round = spec.type === 'doughnut';
  const cartesian = horizontal ? { x: valueAxis(spec), y: categoryAxis(spec, true) } : { x: categoryAxis(spec, false), y: valueAxis(spec) };
  return {
    type: round ? 'doughnut' : spec.type === 'bar' ? 'bar' : 'line',
    data: { labels: spec.labels, datasets: datasets(spec) },
    plugins: round ? [valueLabels(spec, options.animate ? null : options.onRendered)] : [annotations(spec), valueLabels(spec, options.animate ? null : options.onRendered)],
    options: {
      indexAxis: horizontal ? 'y' : 'x',
      // A vector drawing has a fixed size in slide pixels; a canvas follows its box.
      responsive: !options.vector,
      maintainAspectRatio: false,
      devicePixelRatio: options.vector ? 1 : Math.max(window.devicePixelRatio || 1, 2),
      animation: options.animate ? { duration: 700, onComplete: () => { options.onRendered(null); } } : false,
      layout: { padding: padding(spec) },
      ...(round ? { cutout: '55%' } : { scales: cartesian }),
      plugins: {
        legend: legend(spec),
        tooltip: { enabled: !options.vector },
      },
    },
  } as ChartConfiguration;
}
