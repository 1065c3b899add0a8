import type { ChartModel } from '../model/deck.js';
import type { Locale } from '../i18n/locale.js';

// The spec is what the page's charts.ts reads: declared with the rest of the page's contract.
export type { ChartSpec } from '../client/contract.js';
import type { ChartSpec } from '../client/contract.js';

/** A chart's figures as a table: what screen readers get, and the handout shows beside the chart. */
export interface ChartTable {
  caption: string;
  rows: { label: string; value: string }[];
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

export function chartSpec(chart: ChartModel, locale: Locale): ChartSpec {
  const unit = chart.bars[0]?.figure.unit ?? 'count';
  const largest = Math.max(0, ...chart.bars.map((bar) => Math.abs(bar.figure.value)));
  const axis = locale.figures.axis(unit, largest);
  const values = chart.bars.map((bar) => bar.figure.value / axis.divisor);
  const valueLabels = chart.bars.map((bar) => locale.figures.format(bar.figure.value, bar.figure.unit, 'short'));
  const roles = chart.bars.map((bar) => bar.role);
  return {
    id: chart.id,
    type: 'bar',
    stacked: false,
    title: locale.typography(chart.title),
    orientation: chart.orientation,
    labels: chart.bars.map((bar) => locale.typography(bar.label)),
    categoryRoles: roles,
    series: [{ label: locale.typography(chart.title), role: roles[0] ?? 'neutral', values, valueLabels, labelled: values.map(() => true) }],
    totals: null,
    shares: null,
    highlight: null,
    annotations: [],
    legend: false,
    axisTitle: locale.typography(chart.axis ?? axis.title),
    locale: locale.locale,
    values,
    valueLabels,
    roles,
  };
}

export function chartTable(chart: ChartModel, locale: Locale): ChartTable {
  return {
    caption: locale.typography(chart.title),
    rows: chart.bars.map((bar) => ({ label: locale.typography(bar.label), value: locale.figures.format(bar.figure.value, bar.figure.unit, 'long') })),
  };
}

/** One sentence with every figure, for screen readers and for anyone the drawing fails. */
export function chartDescription(chart: ChartModel, locale: Locale): string {
  const table = chartTable(chart, locale);
  const bars = table.rows.map((row) => locale.message('chart_bar', { label: row.label, value: row.value })).join(locale.message('chart_bar_separator'));
  return locale.message('chart_description', { title: table.caption, bars });
}
