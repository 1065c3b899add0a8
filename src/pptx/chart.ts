/**
 * A chart of the deck as a native PowerPoint chart of its type (clustered or stacked bars or
 * columns, line, area, doughnut), every series in the chart's data sheet, with what pptxgenjs
 * cannot write (each point's label as the slide writes it, a muted category among several
 * series, entries left out of the legend) handed to the repair pass as a patch.
 */
import type PptxGenJSModule from 'pptxgenjs';
import type { ChartAnnotationSpec, ChartSpec } from '../client/contract.js';
import type { Box, ThemeTokens } from '../print/measure.js';
import type { ChartView } from '../render/view.js';
import type { ChartPatch } from './repair.js';
import { colour, inches, points } from './text.js';

type ChartOptions = PptxGenJSModule.default.IChartOpts;
type ChartData = PptxGenJSModule.default.OptsChartData;
type ChartName = PptxGenJSModule.default.CHART_NAME;
type ChartPart = PptxGenJSModule.default.IChartMulti;
type PptxSlide = PptxGenJSModule.default.Slide;

/** What a chart needs from the slide's view. */
export type ChartInput = Pick<ChartView, 'title' | 'description' | 'spec'>;

/**
 * Draws a chart on a slide where the browser laid it out; returns what the repair pass adds to it
 * and what the file leaves out of it.
 */
export function drawChart(slide: PptxSlide, chart: ChartInput, box: Box, tokens: ThemeTokens, language: string): { patch: ChartPatch; leftOut: string[] } {
  const native = nativeChart(chart, box, tokens, language);
  if (typeof native.type === 'string') slide.addChart(native.type, native.data, native.options);
  // Several types over the same axes: pptxgenjs then takes the options in place of the data.
  else slide.addChart(native.type, native.options as unknown as unknown[]);
  return { patch: native.patch, leftOut: native.leftOut };
}

/** What slide.addChart takes (one type, or several drawn over the same axes), and what the repair pass adds. */
export interface NativeChart {
  type: ChartName | ChartPart[];
  /** One type: its series; several: empty (each part holds its own). */
  data: ChartData[];
  options: ChartOptions;
  patch: ChartPatch;
  /** What the file leaves out of this chart, as a user reads it. */
  leftOut: string[];
}

/** How much of a category's colour is left when another category is highlighted (the rest is the paper's). */
const mutedStrength = 0.3;

/** A colour mixed with the paper: what a muted category is drawn in. */
function muted(hex: string, paper: string): string {
  const channels = (value: string): number[] => [0, 2, 4].map((at) => parseInt(colour(value).slice(at, at + 2), 16));
  const [ink, ground] = [channels(hex), channels(paper)];
  return ink.map((channel, index) => Math.round(channel * mutedStrength + ground[index]! * (1 - mutedStrength)).toString(16).padStart(2, '0')).join('').toUpperCase();
}

/** Each category's colour (one series of bars, a doughnut's parts), the others muted when one is highlighted. */
function categoryColours(spec: ChartSpec, tokens: ThemeTokens): string[] {
  const roles = spec.categoryRoles ?? spec.labels.map(() => spec.series[0]?.role ?? 'neutral');
  return roles.map((role, index) => {
    const fill = tokens.roles[role] ?? tokens.inkFaint;
    return spec.highlight === null || spec.highlight === index ? colour(fill) : muted(fill, tokens.paper);
  });
}

const seriesColour = (role: string, tokens: ThemeTokens): string => colour(tokens.roles[role] ?? tokens.inkFaint);

/** The look every chart shares: the deck's fonts, sizes and colours, its title, axes and legend. */
function baseOptions(chart: ChartInput, box: Box, tokens: ThemeTokens, language: string): ChartOptions {
  const { spec } = chart;
  const values = [...spec.series.flatMap((series) => series.values), ...spec.annotations.flatMap((note) => [note.from, note.to ?? note.from])];
  return {
    x: inches(box.x),
    y: inches(box.y),
    w: inches(box.w),
    h: inches(box.h),
    lang: language,
    // A chart whose layout shows its title as text (the chart layout's caption) is not titled twice.
    showTitle: chart.title !== '',
    ...(chart.title !== '' ? { title: chart.title } : {}),
    titleFontFace: '+mn-lt',
    titleFontSize: points(tokens.chart.tick),
    titleColor: colour(tokens.inkSoft),
    titleAlign: 'left',
    showLegend: spec.legend,
    ...(spec.legend ? { legendPos: 't' as const, legendFontFace: '+mn-lt', legendFontSize: points(tokens.chart.tick), legendColor: colour(tokens.ink) } : {}),
    showValue: true,
    dataLabelFontFace: '+mn-lt',
    dataLabelFontSize: points(tokens.chart.value),
    dataLabelFontBold: true,
    dataLabelColor: colour(tokens.ink),
    dataLabelFormatCode: 'General',
    catAxisLabelFontFace: '+mn-lt',
    catAxisLabelFontSize: points(tokens.chart.category),
    catAxisLabelFontBold: spec.type === 'bar',
    catAxisLabelColor: colour(tokens.ink),
    catAxisLineShow: true,
    catAxisLineColor: colour(tokens.inkSoft),
    catAxisMajorTickMark: 'none',
    valAxisLabelFontFace: '+mn-lt',
    valAxisLabelFontSize: points(tokens.chart.tick),
    valAxisLabelColor: colour(tokens.inkSoft),
    valAxisLineShow: false,
    valAxisMajorTickMark: 'none',
    // From zero, as the deck draws bars; a negative figure (a loss) gets the axis it needs.
    ...(values.every((value) => value >= 0) ? { valAxisMinVal: 0 } : {}),
    valAxisLabelFormatCode: 'General',
    valGridLine: { color: colour(tokens.chart.grid), size: 0.75, style: 'solid' },
    catGridLine: { style: 'none' },
    showValAxisTitle: spec.axisTitle !== '',
    valAxisTitle: spec.axisTitle,
    valAxisTitleFontFace: '+mn-lt',
    valAxisTitleFontSize: points(tokens.chart.tick),
    valAxisTitleColor: colour(tokens.inkSoft),
    altText: chart.description,
  };
}

/** Each series as the data sheet holds it: a column named by the series, a row per category. */
const seriesData = (spec: ChartSpec): ChartData[] => spec.series.map((series) => ({ name: series.label, labels: spec.labels, values: series.values }));

/** Each series' labels as the slide writes them, where the deck writes one. */
const seriesLabels = (spec: ChartSpec): (string | null)[][] => spec.series.map((series) => series.valueLabels.map((label, index) => (series.labelled[index] ? label : null)));

/**
 * A native chart of the spec's type, where the browser laid the chart out. Reference lines and
 * bands ride along as dashed line series over the same axes (a band as its two edges), labelled at
 * their first point; horizontal bars cannot carry them (a line series runs along the categories) and
 * the file says so.
 */
export function nativeChart(chart: ChartInput, box: Box, tokens: ThemeTokens, language: string): NativeChart {
  const { spec } = chart;
  const base = baseOptions(chart, box, tokens, language);
  if (spec.type === 'doughnut') return doughnut(spec, base, tokens);
  const leftOut: string[] = [];
  const notes = spec.type === 'bar' && spec.orientation === 'horizontal' ? [] : spec.annotations;
  if (notes.length < spec.annotations.length) {
    leftOut.push(`deck.pptx leaves out ${spec.annotations.map((note) => `the reference ${note.kind} "${note.label}"`).join(', ')} of the chart "${spec.id}": PowerPoint draws reference lines over columns and lines, not across horizontal bars`);
  }
  const main = spec.type === 'bar' ? bars(spec, base, tokens) : lines(spec, base, tokens);
  if (notes.length === 0) return { ...main, leftOut };
  const reference = referenceLines(spec, notes, main.data.length, tokens);
  return {
    type: [
      { type: main.type as ChartName, data: main.data, options: main.typeOptions },
      { type: 'line', data: reference.data, options: reference.options },
    ],
    data: [],
    options: main.options,
    patch: { ...main.patch, labels: [...main.patch.labels, ...reference.labels], fills: [...main.patch.fills, ...reference.data.map(() => [])], positions: [...main.patch.positions, ...reference.data.map(() => 't')], unlisted: [...main.patch.unlisted, ...reference.data.map((_, index) => main.data.length + index)] },
    leftOut,
  };
}

/** A chart of one type: its series, the options its type needs (apart, for a chart drawn with others), the patch. */
interface Drawn extends NativeChart {
  type: ChartName;
  typeOptions: ChartOptions;
}

/**
 * Bars or columns, side by side or stacked. One series: a colour per category (its role); several:
 * a colour per series, the points of a muted category mixed with the paper. Stacked with totals:
 * an empty series on top of each stack (zero in the sheet, left out of the legend) carries each
 * total as its label, at the stack's end, in both orientations.
 */
function bars(spec: ChartSpec, base: ChartOptions, tokens: ThemeTokens): Drawn {
  const horizontal = spec.orientation === 'horizontal';
  const single = spec.series.length === 1;
  const data = seriesData(spec);
  const labels = seriesLabels(spec);
  const colours = single ? categoryColours(spec, tokens) : spec.series.map((series) => seriesColour(series.role, tokens));
  const fills: (string | null)[][] = single || spec.highlight === null
    ? spec.series.map(() => [])
    : spec.series.map((series) => spec.labels.map((_, index) => (index === spec.highlight ? null : muted(tokens.roles[series.role] ?? tokens.inkFaint, tokens.paper))));
  const positions: (string | null)[] = spec.series.map(() => (spec.stacked ? 'ctr' : 'outEnd'));
  const unlisted: number[] = [];
  if (spec.stacked && spec.totals) {
    // LibreOffice 7.4 left the first series out of a horizontal chart's legend in place of the one
    // named: across bars, the carrier stays in the legend, unnamed and unfilled (an empty place).
    if (!horizontal) unlisted.push(data.length);
    data.push({ name: horizontal ? ' ' : 'Σ', labels: spec.labels, values: spec.labels.map(() => 0) });
    labels.push(spec.totals.labels);
    fills.push([]);
    positions.push('inBase');
    colours.push(colour(tokens.paper));
  }
  const typeOptions: ChartOptions = {
    barDir: horizontal ? 'bar' : 'col',
    barGrouping: spec.stacked ? 'stacked' : 'clustered',
    // One colour per bar: more than one colour on a single series writes a colour per point.
    chartColors: colours,
    barGapWidthPct: horizontal ? 60 : 80,
    ...(spec.stacked ? { dataLabelPosition: 'ctr' as const } : {}),
  };
  const options: ChartOptions = { ...base, ...typeOptions };
  if (horizontal) {
    // The first bar on top, as on the slide, with the value axis still at the bottom.
    Object.assign(options, { catAxisOrientation: 'maxMin', catAxisCrossesAt: 'max', valAxisLabelPos: 'nextTo' });
  }
  return { type: 'bar', data, options, typeOptions, patch: { labels, fills, positions, unlisted }, leftOut: [] };
}

/** Lines over ordered periods, with their points marked; areas filled, stacked when the spec says. */
function lines(spec: ChartSpec, base: ChartOptions, tokens: ThemeTokens): Drawn {
  const area = spec.type === 'area';
  const typeOptions: ChartOptions = {
    chartColors: spec.series.map((series) => seriesColour(series.role, tokens)),
    ...(area
      ? { barGrouping: spec.stacked ? 'stacked' : 'standard' }
      : { lineSize: 2.25, lineDataSymbol: 'circle' as const, lineDataSymbolSize: 7, lineDataSymbolLineSize: 0.75, dataLabelPosition: 't' as const }),
  };
  const labels = seriesLabels(spec);
  const { highlight } = spec;
  // A highlighted period: its points' markers bigger on a line; an area has no markers to grow.
  const fills = spec.series.map((series) => (area || highlight === null ? [] : spec.labels.map((_, index) => (index === highlight ? seriesColour(series.role, tokens) : null))));
  return {
    type: area ? 'area' : 'line',
    data: seriesData(spec),
    options: { ...base, ...typeOptions },
    typeOptions,
    // Areas take no label position (the schema has none for them).
    patch: { labels, fills, positions: spec.series.map(() => (area ? null : 't')), unlisted: [] },
    leftOut: area && highlight !== null ? [`deck.pptx leaves out the highlight of the area chart "${spec.id}": an area has no points to mark`] : [],
  };
}

/**
 * Reference lines (a band: its two edges) as dashed line series, each labelled above its first
 * point (a line's own label is most often its last value's).
 */
function referenceLines(spec: ChartSpec, notes: readonly ChartAnnotationSpec[], first: number, tokens: ThemeTokens): { data: ChartData[]; options: ChartOptions; labels: (string | null)[][] } {
  const data: ChartData[] = [];
  const labels: (string | null)[][] = [];
  for (const note of notes) {
    const edges = note.kind === 'band' && note.to !== null ? [note.to, note.from] : [note.from];
    edges.forEach((value, edge) => {
      data.push({ name: edges.length > 1 ? `${note.label} (${edge === 0 ? '+' : '−'})` : note.label, labels: spec.labels, values: spec.labels.map(() => value) });
      labels.push(spec.labels.map((_, index) => (edge === 0 && index === 0 ? `${note.label} ${note.valueLabel}` : null)));
    });
  }
  const ink = colour(tokens.inkSoft);
  return {
    data,
    // Every entry the colour of the notes: pptxgenjs picks a marker's colour by the series' place in the whole chart.
    options: { chartColors: Array.from({ length: first + data.length }, () => ink), lineSize: 1.5, lineDash: 'dash', lineDataSymbol: 'none', dataLabelPosition: 't', dataLabelFontBold: false, dataLabelColor: ink },
    labels,
  };
}

/** A doughnut: a part per category in its role's colour, each labelled with its share of the whole. */
function doughnut(spec: ChartSpec, base: ChartOptions, tokens: ThemeTokens): NativeChart {
  const series = spec.series[0];
  const shares = spec.shares ?? series?.valueLabels ?? [];
  const total = series ? series.values.reduce((sum, value) => sum + value, 0) : 0;
  // PowerPoint writes a doughnut's labels on the ring, where two thin neighbouring parts put
  // theirs over each other: a part under a tenth of the whole is said in the legend only, and
  // every legend entry carries its part's share.
  const onRing = (index: number): boolean => total > 0 && (series?.values[index] ?? 0) / total >= 0.1;
  return {
    type: 'doughnut',
    data: series ? [{ name: series.label, labels: spec.labels.map((label, index) => (shares[index] ? `${label} (${shares[index]})` : label)), values: series.values }] : [],
    options: { ...base, chartColors: categoryColours(spec, tokens), holeSize: 55, showPercent: false, dataLabelColor: colour(tokens.ink), firstSliceAng: 0 },
    patch: { labels: [spec.labels.map((_, index) => (onRing(index) ? (shares[index] ?? null) : null))], fills: [[]], positions: [null], unlisted: [] },
    leftOut: spec.annotations.length > 0 ? [`deck.pptx leaves out the reference lines of the doughnut "${spec.id}": a doughnut has no axis to draw them on`] : [],
  };
}
