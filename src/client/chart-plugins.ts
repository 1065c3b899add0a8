// Chart.js plugins of our own: the figures written on a chart as the slide says them ("13,7 Md$")
// so it reads without its axis, and the annotations (a reference line or band, with its label).
// Everything is drawn with fillText, so a chart printed through svgcanvas keeps real text.
import type { Chart, Plugin } from 'chart.js';
import type { ChartAnnotationSpec, ChartSpec } from './contract.js';
import { font, ink, inkSoft, onPaper, paper, sizes, textOn, textWidth } from './chart-theme.js';

/** What the plugins read of Chart.js's elements (bars, points, arcs), as they are drawn now. */
interface Drawn {
  x: number;
  y: number;
  base: number;
  width: number;
  height: number;
  startAngle: number;
  endAngle: number;
  outerRadius: number;
  options: { backgroundColor?: unknown };
}

interface Label {
  element: Drawn;
  text: string;
  value: number;
}

function elements(chart: Chart, dataset: number): Drawn[] {
  return chart.isDatasetVisible(dataset) ? (chart.getDatasetMeta(dataset).data as unknown as Drawn[]) : [];
}

/** The labelled values of every series, with the element each belongs to. */
function labelsOf(chart: Chart, spec: ChartSpec): Label[] {
  return spec.series.flatMap((series, i) => elements(chart, i).map((element, j) => ({
    element,
    text: series.labelled[j] ? series.valueLabels[j] ?? '' : '',
    value: series.values[j] ?? 0,
  }))).filter((label) => label.text !== '');
}

// Side by side, each bar's figure at its end; smaller when the bars are too narrow for it.
function barLabels(chart: Chart, spec: ChartSpec): void {
  const ctx = chart.ctx;
  const horizontal = spec.orientation === 'horizontal';
  const labels = labelsOf(chart, spec);
  if (labels.length === 0) return;
  let size = sizes.value;
  if (horizontal) size = Math.min(size, Math.max(12, Math.min(...labels.map((label) => label.element.height)) * 0.9));
  else {
    const room = Math.min(...labels.map((label) => label.element.width)) + 6;
    const widest = Math.max(...labels.map((label) => textWidth(label.text, font(700, size))));
    if (widest > room) size = Math.max(12, size * room / widest);
  }
  ctx.font = font(700, Math.floor(size));
  ctx.fillStyle = ink;
  for (const { element, text, value } of labels) {
    const below = value < 0;
    ctx.textAlign = horizontal ? (below ? 'right' : 'left') : 'center';
    ctx.textBaseline = horizontal ? 'middle' : below ? 'top' : 'bottom';
    if (horizontal) ctx.fillText(text, element.x + (below ? -10 : 10), element.y);
    else ctx.fillText(text, element.x, element.y + (below ? 8 : -8));
  }
}

// Stacked, each part's figure inside it (where it fits), and each stack's total at its end.
function stackLabels(chart: Chart, spec: ChartSpec): void {
  const ctx = chart.ctx;
  const horizontal = spec.orientation === 'horizontal';
  ctx.textAlign = 'center';
  ctx.textBaseline = 'middle';
  ctx.font = font(700, sizes.tick);
  for (const { element, text } of labelsOf(chart, spec)) {
    const along = Math.abs((horizontal ? element.x : element.y) - element.base);
    const across = horizontal ? element.height : element.width;
    const width = textWidth(text, ctx.font);
    const fits = horizontal ? along >= width + 12 && across >= sizes.tick + 4 : along >= sizes.tick + 6 && across >= width + 8;
    if (!fits) continue;
    const fill = element.options.backgroundColor;
    ctx.fillStyle = typeof fill === 'string' ? textOn(fill) : ink;
    if (horizontal) ctx.fillText(text, (element.x + element.base) / 2, element.y);
    else ctx.fillText(text, element.x, (element.y + element.base) / 2);
  }
  if (!spec.totals) return;
  ctx.font = font(700, sizes.value);
  ctx.fillStyle = ink;
  ctx.textAlign = horizontal ? 'left' : 'center';
  ctx.textBaseline = horizontal ? 'middle' : 'bottom';
  spec.totals.labels.forEach((text, j) => {
    const parts = spec.series.map((_, i) => elements(chart, i)[j]).filter((element): element is Drawn => element !== undefined);
    if (parts.length === 0) return;
    if (horizontal) ctx.fillText(text, Math.max(...parts.map((part) => Math.max(part.x, part.base))) + 10, parts[0]!.y);
    else ctx.fillText(text, parts[0]!.x, Math.min(...parts.map((part) => Math.min(part.y, part.base))) - 8);
  });
}

/** Lines and areas: a point's figure above it, the last one's beside it (the room is kept in the layout). */
function pointLabels(chart: Chart, spec: ChartSpec): void {
  const ctx = chart.ctx;
  ctx.font = font(700, sizes.value);
  ctx.fillStyle = ink;
  for (const [i, series] of spec.series.entries()) {
    const last = series.values.length - 1;
    for (const [j, element] of elements(chart, i).entries()) {
      const text = series.labelled[j] ? series.valueLabels[j] ?? '' : '';
      if (text === '') continue;
      ctx.textAlign = j === last ? 'left' : 'center';
      ctx.textBaseline = j === last ? 'middle' : 'bottom';
      const half = textWidth(text, ctx.font) / 2;
      const x = j === last ? element.x + 12 : Math.min(Math.max(element.x, chart.chartArea.left + half), chart.width - half);
      ctx.fillText(text, x, j === last ? element.y : element.y - 12);
    }
  }
}

/** A doughnut: each part's share, and its figure under it, outside the ring by the part. */
function partLabels(chart: Chart, spec: ChartSpec): void {
  const ctx = chart.ctx;
  const series = spec.series[0];
  if (!series) return;
  for (const [j, arc] of elements(chart, 0).entries()) {
    if (!series.labelled[j]) continue;
    const lines = [{ text: spec.shares?.[j] ?? '', font: font(700, sizes.value), size: sizes.value }, { text: series.valueLabels[j] ?? '', font: font(600, sizes.tick), size: sizes.tick }].filter((line) => line.text !== '');
    const middle = (arc.startAngle + arc.endAngle) / 2;
    const cos = Math.cos(middle);
    const sin = Math.sin(middle);
    const height = lines.reduce((sum, line) => sum + line.size * 1.15, 0);
    const side = Math.abs(cos) < 0.3;
    let y = arc.y + sin * (arc.outerRadius + 14) - height / 2 + (side ? (sin * height) / 2 : 0);
    const x = arc.x + cos * (arc.outerRadius + 14);
    ctx.textAlign = side ? 'center' : cos > 0 ? 'left' : 'right';
    ctx.textBaseline = 'top';
    ctx.fillStyle = ink;
    for (const line of lines) {
      ctx.font = line.font;
      ctx.fillText(line.text, x, y);
      y += line.size * 1.15;
    }
  }
}

/** Writes the figures on a chart; says when the chart is really drawn, however late Chart.js was asked. */
export function valueLabels(spec: ChartSpec, onRendered: ((chart: Chart) => void) | null): Plugin {
  return {
    id: 'datadeckValueLabels',
    afterRender(chart) {
      if (onRendered) onRendered(chart);
    },
    afterDatasetsDraw(chart) {
      chart.ctx.save();
      if (spec.type === 'doughnut') partLabels(chart, spec);
      else if (spec.type === 'line' || spec.type === 'area') pointLabels(chart, spec);
      else if (spec.stacked) stackLabels(chart, spec);
      else barLabels(chart, spec);
      chart.ctx.restore();
    },
  };
}

/** Where an annotation lies across the chart, in pixels along the value axis. */
function span(chart: Chart, spec: ChartSpec, annotation: ChartAnnotationSpec): [number, number] {
  const scale = chart.scales[spec.orientation === 'horizontal' ? 'x' : 'y'];
  if (!scale) return [0, 0];
  const from = scale.getPixelForValue(annotation.from);
  const to = annotation.to === null ? from : scale.getPixelForValue(annotation.to);
  return [Math.min(from, to), Math.max(from, to)];
}

// The label on a paper ground, so that it reads over a bar: vertical charts at the right end of
// the line, above it; horizontal ones above the bars (the layout keeps a line for it), beside it.
function annotationLabel(chart: Chart, spec: ChartSpec, annotation: ChartAnnotationSpec, [low, high]: [number, number]): void {
  const ctx = chart.ctx;
  const area = chart.chartArea;
  const name = annotation.label + (annotation.valueLabel ? ' ' : '');
  const width = textWidth(name, font(600, sizes.tick)) + textWidth(annotation.valueLabel, font(700, sizes.tick));
  let x: number;
  let y: number;
  if (spec.orientation === 'horizontal') {
    x = high + 8 + width <= chart.width ? high + 8 : low - 8 - width;
    y = area.top - sizes.tick - 6;
  } else {
    x = area.right - width - 4;
    y = low - 6 - sizes.tick;
  }
  ctx.fillStyle = paper;
  ctx.fillRect(x - 3, y - 2, width + 6, sizes.tick + 4);
  ctx.textAlign = 'left';
  ctx.textBaseline = 'top';
  ctx.fillStyle = inkSoft;
  ctx.font = font(600, sizes.tick);
  ctx.fillText(name, x, y);
  ctx.fillStyle = ink;
  ctx.font = font(700, sizes.tick);
  ctx.fillText(annotation.valueLabel, x + textWidth(name, font(600, sizes.tick)), y);
}

/** Reference lines and bands from the spec: bands under the data, lines and labels over it. */
export function annotations(spec: ChartSpec): Plugin {
  return {
    id: 'datadeckAnnotations',
    beforeDatasetsDraw(chart) {
      const ctx = chart.ctx;
      const area = chart.chartArea;
      ctx.save();
      ctx.fillStyle = onPaper(inkSoft, 0.14);
      for (const annotation of spec.annotations.filter((candidate) => candidate.kind === 'band')) {
        const [low, high] = span(chart, spec, annotation);
        if (spec.orientation === 'horizontal') ctx.fillRect(low, area.top, high - low, area.bottom - area.top);
        else ctx.fillRect(area.left, low, area.right - area.left, high - low);
      }
      ctx.restore();
    },
    afterDatasetsDraw(chart) {
      const ctx = chart.ctx;
      const area = chart.chartArea;
      ctx.save();
      for (const annotation of spec.annotations) {
        const where = span(chart, spec, annotation);
        if (annotation.kind === 'line') {
          ctx.strokeStyle = inkSoft;
          ctx.lineWidth = 2;
          ctx.setLineDash([8, 6]);
          ctx.beginPath();
          if (spec.orientation === 'horizontal') {
            ctx.moveTo(where[0], area.top);
            ctx.lineTo(where[0], area.bottom);
          } else {
            ctx.moveTo(area.left, where[0]);
            ctx.lineTo(area.right, where[0]);
          }
          ctx.stroke();
          ctx.setLineDash([]);
        }
        annotationLabel(chart, spec, annotation, where);
      }
      ctx.restore();
    },
  };
}
