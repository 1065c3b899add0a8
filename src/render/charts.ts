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

export function chartSpec(chart: ChartModel, locale: Locale): ChartSpec {
  const unit = chart.bars[0]?.figure.unit ?? 'count';
  const largest = Math.max(0, ...chart.bars.map((bar) => Math.abs(bar.figure.value)));
  const axis = locale.figures.axis(unit, largest);
  return {
    id: chart.id,
    title: locale.typography(chart.title),
    orientation: chart.orientation,
    labels: chart.bars.map((bar) => locale.typography(bar.label)),
    values: chart.bars.map((bar) => bar.figure.value / axis.divisor),
    valueLabels: chart.bars.map((bar) => locale.figures.format(bar.figure.value, bar.figure.unit, 'short')),
    roles: chart.bars.map((bar) => bar.role),
    axisTitle: locale.typography(chart.axis ?? axis.title),
    locale: locale.locale,
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
