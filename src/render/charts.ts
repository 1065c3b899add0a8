import type { ChartAnnotation, ChartModel } from '../model/deck.js';
import type { Figure } from '../model/figures.js';
import type { Unit } from '../data/schema.js';
import type { Locale } from '../i18n/locale.js';

// The spec is what the page's charts.ts reads: declared with the rest of the page's contract.
export type { ChartSpec } from '../client/contract.js';
import type { ChartAnnotationSpec, ChartSpec } from '../client/contract.js';

/**
 * A chart's figures as a grid: what screen readers get, and the handout shows beside the chart.
 * A header row of series, a row per category, each cell written in the edition's locale.
 */
export interface ChartTable {
  caption: string;
  /** The header over the rows' labels. */
  corner: string;
  /** The series' labels (one series: the word for its values). */
  columns: string[];
  rows: { label: string; cells: string[] }[];
}

/**
 * A table (`type: table` in charts.yaml, shown by the `table` layout) as every export shows it:
 * each cell already written for the edition, with the citation marker of its figure.
 */
export interface TableView {
  id: string;
  title: string;
  /** The header of the rows' labels column (may be empty). */
  corner: string;
  columns: { key: string; label: string; role: string }[];
  rows: { key: string; label: string; role: string; highlighted: boolean; cells: TableCell[] }[];
  /** One sentence saying what the table holds, for screen readers (its caption). */
  description: string;
}

export interface TableCell {
  /** The figure as printed ("18", "9,5 millions de billets"); empty when the grid leaves the cell blank. */
  text: string;
  /** The figure's value (for native tables and checks); null for a blank cell. */
  value: number | null;
  /** The source marker shown beside it ("1"), or null. */
  citation: string | null;
}

const isFigure = (figure: Figure | null | undefined): figure is Figure => figure !== null && figure !== undefined;

/** The axis the chart's figures share, and its scale: for stacked bars, the tallest pile. */
function chartAxis(chart: ChartModel, locale: Locale): { unit: Unit; divisor: number; title: string } {
  const figures = chart.series.flatMap((one) => one.points).filter(isFigure);
  const unit = figures[0]?.unit ?? chart.whole?.unit ?? 'count';
  const piles = chart.stacked ? chart.categories.map((_, c) => chart.series.reduce((sum, one) => sum + Math.abs(one.points[c]?.value ?? 0), 0)) : [];
  const annotations = chart.annotations.flatMap((annotation) => [annotation.from, annotation.to]).filter(isFigure);
  const largest = Math.max(0, ...piles, ...[...figures, ...annotations].map((figure) => Math.abs(figure.value)));
  return { unit, ...locale.figures.axis(unit, largest) };
}

/** Which values a series writes on the chart: all, the last, or none. */
function labelled(chart: ChartModel, count: number): boolean[] {
  return Array.from({ length: count }, (_, i) => chart.labels === 'all' || (chart.labels === 'last' && i === count - 1));
}

/** Each part's share of the whole (the rest included) or of their sum, as a percentage. */
function shares(chart: ChartModel, locale: Locale): string[] | null {
  if (chart.type !== 'doughnut') return null;
  const points = chart.series[0]?.points ?? [];
  const whole = points.reduce((sum, point) => sum + (point?.value ?? 0), 0);
  return points.map((point) => locale.figures.format(whole === 0 ? 0 : ((point?.value ?? 0) / whole) * 100, 'percent', 'short'));
}

/** Each category's total, for stacked bars that ask for it. */
function totals(chart: ChartModel, locale: Locale, unit: Unit, divisor: number): ChartSpec['totals'] {
  if (!chart.total) return null;
  const sums = chart.categories.map((_, c) => chart.series.reduce((sum, one) => sum + (one.points[c]?.value ?? 0), 0));
  return { values: sums.map((sum) => sum / divisor), labels: sums.map((sum) => locale.figures.format(sum, unit, 'short')) };
}

function annotationSpec(annotation: ChartAnnotation, locale: Locale, divisor: number): ChartAnnotationSpec {
  const written = (figure: Figure): string => locale.figures.format(figure.value, figure.unit, 'short');
  return {
    kind: annotation.kind,
    from: annotation.from.value / divisor,
    to: annotation.to ? annotation.to.value / divisor : null,
    label: locale.typography(annotation.label),
    valueLabel: annotation.to ? `${written(annotation.from)} – ${written(annotation.to)}` : written(annotation.from),
  };
}

/** Everything the browser and the PowerPoint export need to draw a chart, for one edition. */
export function chartSpec(chart: ChartModel, locale: Locale): ChartSpec {
  const { unit, divisor, title: axisTitle } = chartAxis(chart, locale);
  const series = chart.series.map((one) => ({
    label: locale.typography(one.label),
    role: one.role,
    values: one.points.map((point) => (point?.value ?? 0) / divisor),
    valueLabels: one.points.map((point) => (point ? locale.figures.format(point.value, point.unit, 'short') : '')),
    labelled: labelled(chart, one.points.length),
  }));
  const type = chart.type === 'table' ? 'bar' : chart.type;
  const categoryRoles = type === 'doughnut' || (type === 'bar' && series.length === 1) ? chart.categories.map((category) => category.role) : null;
  return {
    id: chart.id,
    type,
    stacked: chart.stacked,
    title: locale.typography(chart.title),
    orientation: chart.orientation,
    labels: chart.categories.map((category) => categoryLabel(category, locale)),
    categoryRoles,
    series,
    totals: totals(chart, locale, unit, divisor),
    shares: shares(chart, locale),
    highlight: chart.highlight,
    annotations: chart.annotations.map((annotation) => annotationSpec(annotation, locale, divisor)),
    legend: series.length > 1 || type === 'doughnut',
    axisTitle: locale.typography(chart.axis ?? axisTitle),
    locale: locale.locale,
  };
}

/** A cell as the tables write it: the figure in full, a doughnut's part with its share. */
function cellText(figure: Figure | null, locale: Locale, share: string | undefined): string {
  if (!figure) return '';
  const value = locale.figures.format(figure.value, figure.unit, 'long');
  return share === undefined ? value : `${value} (${share})`;
}

export function chartTable(chart: ChartModel, locale: Locale): ChartTable {
  const partShares = shares(chart, locale);
  const several = chart.series.length > 1;
  return {
    caption: locale.typography(chart.title),
    // One series: its rows are the series' bars ("Série | Valeur"); several: rows are categories, said by no word.
    corner: chart.corner !== undefined ? locale.typography(chart.corner) : several ? '' : locale.message('chart_table_series'),
    columns: several ? chart.series.map((one) => locale.typography(one.label)) : [locale.message('chart_table_value')],
    rows: chart.categories.map((category, c) => ({
      label: categoryLabel(category, locale),
      cells: chart.series.map((one) => cellText(one.points[c] ?? null, locale, partShares?.[c])),
    })),
  };
}

/**
 * A category as the edition writes it: a period written as a month (2024-10, the facts' own
 * notation) reads as people write months ("oct. 2024", "Oct 2024"); any other label as written.
 */
function categoryLabel(category: ChartModel['categories'][number], locale: Locale): string {
  const month = /^(\d{4})-(\d{2})$/.exec(category.label.trim());
  if (!month) return locale.typography(category.label);
  const date = Date.UTC(Number(month[1]), Number(month[2]) - 1, 1);
  return new Intl.DateTimeFormat(locale.locale, { month: 'short', year: 'numeric', timeZone: 'UTC' }).format(date);
}

/** One sentence with every figure, for screen readers and for anyone the drawing fails: every series said. */
export function chartDescription(chart: ChartModel, locale: Locale): string {
  const table = chartTable(chart, locale);
  const separator = locale.message('chart_bar_separator');
  const seriesText = (s: number): string => table.rows.filter((row) => row.cells[s] !== '').map((row) => locale.message('chart_bar', { label: row.label, value: row.cells[s]! })).join(separator);
  const bars = chart.series.length === 1 ? seriesText(0) : chart.series.map((one, s) => locale.message('chart_series', { label: locale.typography(one.label), bars: seriesText(s) })).join(separator);
  return locale.message('chart_description', { title: table.caption, bars });
}

/** A table of charts.yaml as the table layout and every export show it: cells written, each with its source marker. */
export function tableView(chart: ChartModel, locale: Locale, citationOf: (figure: Figure) => string | null): TableView {
  return {
    id: chart.id,
    title: locale.typography(chart.title),
    corner: locale.typography(chart.corner ?? ''),
    columns: chart.series.map((one) => ({ key: one.key, label: locale.typography(one.label), role: one.role })),
    rows: chart.categories.map((category, c) => ({
      key: category.key,
      label: locale.typography(category.label),
      role: category.role,
      highlighted: chart.highlight === c,
      cells: chart.series.map((one): TableCell => {
        const figure = one.points[c] ?? null;
        return figure ? { text: locale.figures.format(figure.value, figure.unit, 'short'), value: figure.value, citation: citationOf(figure) } : { text: '', value: null, citation: null };
      }),
    })),
    description: chartDescription(chart, locale),
  };
}
