import type { Role } from '../data/schema.js';
import type { ChartModel } from '../model/deck.js';
import { axisTitle, formatFigure } from './format.js';

/** Everything the browser needs to draw one chart; a pure function of the facts. */
export interface ChartSpec {
  id: string;
  title: string;
  orientation: 'vertical' | 'horizontal';
  labels: string[];
  /** Values divided to the axis scale (e.g. milliards), so ticks read as plain numbers. */
  values: number[];
  /** Each bar's value as printed on the slide ("13,7 Md$"). */
  valueLabels: string[];
  roles: Role[];
  axisTitle: string;
  locale: string;
  /** One sentence with every figure, for screen readers and for anyone the canvas fails. */
  description: string;
}

export function chartSpec(chart: ChartModel, locale: string): ChartSpec {
  const unit = chart.bars[0]?.figure.unit ?? 'count';
  const largest = Math.max(0, ...chart.bars.map((bar) => Math.abs(bar.figure.value)));
  const axis = axisTitle(unit, largest);
  const valueLabels = chart.bars.map((bar) => formatFigure(bar.figure.value, bar.figure.unit, 'short', locale));
  return {
    id: chart.id,
    title: chart.title,
    orientation: chart.orientation,
    labels: chart.bars.map((bar) => bar.label),
    values: chart.bars.map((bar) => bar.figure.value / axis.divisor),
    valueLabels,
    roles: chart.bars.map((bar) => bar.role),
    axisTitle: chart.axis ?? axis.title,
    locale,
    description: `${chart.title} : ${chart.bars.map((bar) => `${bar.label}, ${formatFigure(bar.figure.value, bar.figure.unit, 'long', locale)}`).join(' ; ')}.`,
  };
}
