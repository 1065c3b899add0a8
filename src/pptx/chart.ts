/** A chart of the deck as a native PowerPoint bar chart, its figures in the chart's data sheet. */
import type PptxGenJSModule from 'pptxgenjs';
import type { Box, ThemeTokens } from '../print/measure.js';
import type { ChartView } from '../render/view.js';
import { colour, inches, points } from './text.js';

type ChartOptions = PptxGenJSModule.default.IChartOpts;

/** A native bar chart: one series, a colour per bar by role, the deck's fonts and sizes. */
export function chartOptions(chart: ChartView, box: Box, tokens: ThemeTokens, language: string): ChartOptions {
  const horizontal = chart.orientation === 'horizontal';
  const options: ChartOptions = {
    x: inches(box.x),
    y: inches(box.y),
    w: inches(box.w),
    h: inches(box.h),
    barDir: horizontal ? 'bar' : 'col',
    // One colour per bar: more than one colour on a single series writes a colour per point.
    chartColors: chart.spec.roles.map((role) => colour(tokens.roles[role] ?? tokens.inkFaint)),
    barGapWidthPct: horizontal ? 60 : 80,
    lang: language,
    showTitle: true,
    title: chart.title,
    titleFontFace: '+mn-lt',
    titleFontSize: points(tokens.chart.tick),
    titleColor: colour(tokens.inkSoft),
    titleAlign: 'left',
    showLegend: false,
    showValue: true,
    dataLabelPosition: 'outEnd',
    dataLabelFontFace: '+mn-lt',
    dataLabelFontSize: points(tokens.chart.value),
    dataLabelFontBold: true,
    dataLabelColor: colour(tokens.ink),
    dataLabelFormatCode: 'General',
    catAxisLabelFontFace: '+mn-lt',
    catAxisLabelFontSize: points(tokens.chart.category),
    catAxisLabelFontBold: true,
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
    ...(chart.spec.values.every((value) => value >= 0) ? { valAxisMinVal: 0 } : {}),
    valAxisLabelFormatCode: 'General',
    valGridLine: { color: colour(tokens.chart.grid), size: 0.75, style: 'solid' },
    catGridLine: { style: 'none' },
    showValAxisTitle: chart.spec.axisTitle !== '',
    valAxisTitle: chart.spec.axisTitle,
    valAxisTitleFontFace: '+mn-lt',
    valAxisTitleFontSize: points(tokens.chart.tick),
    valAxisTitleColor: colour(tokens.inkSoft),
    altText: chart.description,
  };
  if (horizontal) {
    // The first bar on top, as on the slide, with the value axis still at the bottom.
    Object.assign(options, { catAxisOrientation: 'maxMin', catAxisCrossesAt: 'max', valAxisLabelPos: 'nextTo' });
  }
  return options;
}
