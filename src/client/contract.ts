/**
 * What the deck's pages and the Node side say to each other through `window`: the scripts of
 * src/client/ set these globals, the printer (src/print/) and the dev server (src/dev/) read or
 * call them from Puppeteer. Types only, imported with `import type` on both sides, so a name
 * changed here is a type error wherever it is used.
 */
import type { Chart } from 'chart.js';
import type { RevealApi } from 'reveal.js';

/** The kinds of chart a deck can draw (a `table` is shown by the table layout, never drawn). */
export type ChartType = 'bar' | 'line' | 'area' | 'doughnut';

/** One series of a chart: its values over the chart's categories (or periods, or parts). */
export interface ChartSeriesSpec {
  label: string;
  /** The theme role its colour comes from (several series: one colour per series). */
  role: string;
  /** Values divided to the axis scale, one per category. */
  values: number[];
  /** Each value as printed on the slide ("13,7 Md$", "$13.7B"). */
  valueLabels: string[];
  /** Which values are written on the chart (`labels: all | last | none`). */
  labelled: boolean[];
}

/** A reference line (`to` null) or band drawn across a bar or line chart, from data. */
export interface ChartAnnotationSpec {
  kind: 'line' | 'band';
  /** On the axis scale, as the series' values. */
  from: number;
  to: number | null;
  label: string;
  /** The figure(s) as printed ("4,3 %", "4,25–4,5 %"). */
  valueLabel: string;
}

/**
 * Everything the browser needs to draw one chart, embedded by the build in the chart's figure as
 * `<script type="application/json" data-chart-spec>`; a pure function of the facts and the language.
 * One series of bars is the simplest case: `series` has one entry, each category its own role.
 */
export interface ChartSpec {
  id: string;
  type: ChartType;
  /** Bars and areas: the series piled up rather than side by side. */
  stacked: boolean;
  orientation: 'vertical' | 'horizontal';
  title: string;
  /** The categories (bars), the periods in order (lines, areas) or the parts (doughnut). */
  labels: string[];
  /** Each category's role, when a category has a colour of its own (one series of bars, a doughnut's parts); else null. */
  categoryRoles: string[] | null;
  series: ChartSeriesSpec[];
  /** Stacked bars with `total: true`: each category's sum, on the axis scale, and as printed. */
  totals: { values: number[]; labels: string[] } | null;
  /** A doughnut: each part's share of the whole, computed and written ("54 %"). */
  shares: string[] | null;
  /** The category drawn in its colour while the others are muted; null for none. */
  highlight: number | null;
  annotations: ChartAnnotationSpec[];
  /** Shown when there are several series, and for a doughnut. */
  legend: boolean;
  axisTitle: string;
  /** Ticks are formatted in the browser with this locale. */
  locale: string;
}

/** How charts.js draws the charts of a page (or of one slide). */
export interface DrawOptions {
  /** For paper: an SVG drawing (svgcanvas) in place of each canvas, so the PDF gets vector shapes and text. */
  vector: boolean;
  /** On screen: Chart.js's animation (ignored for paper). */
  animate?: boolean;
}

/** charts.js's API, window.datadeckCharts. */
export interface ChartsApi {
  /** Draws the charts under `root` (the whole page when null) that are not drawn yet. */
  draw(root: ParentNode | null, options: DrawOptions): void;
  /** Forgets every chart: the slides were swapped in place (datadeck dev). */
  reset(): void;
  /** Drawn charts by canvas (null while a drawing for paper waits for the fonts). */
  charts: Map<Element, Chart | null>;
  /** How many bars a chart (its canvas or its drawing) has. */
  barCount(element: Element): number;
  /**
   * The overflow check's trial: draws a printed chart again in the same box with its first
   * `count` bars only, in place of `drawing`; returns the trial drawing (put the real one back
   * with trial.replaceWith(drawing)).
   */
  drawFirst(drawing: Element, count: number): SVGSVGElement;
}

/** One entry of the handout PDF's outline: a card's title and the sheet (from 0) it starts on. */
export interface HandoutOutlineEntry {
  title: string;
  page: number;
}

/** deck.js's API, window.datadeck. */
export interface DeckApi {
  deck: RevealApi;
  /**
   * Swaps in new slides (the inner HTML of `.reveal .slides` of a new build) where the page
   * is. False when it cannot (the print view with another number of slides): load the page again.
   */
  replaceSlides(slidesHtml: string): boolean;
}

/** What the dev server sends the dev client with each `state` event on /__datadeck/events. */
export interface PreviewState {
  /** The latest good build. */
  build: number;
  /** The first build since which only data changed: a page at least as recent swaps its slides in. */
  fullSince: number;
  /** Located problems of the last edit, shown over the last good deck; empty when it built. */
  errors: string[];
}

/** dev-client.js's API, window.datadeckDev (there once the client runs). */
export interface DevClientApi {
  source: EventSource;
  /** The build the page shows. */
  build(): number;
}

/** The globals a deck's page may carry. */
export interface DatadeckGlobals {
  /** Set by the printer when reveal.js dispatches pdf-ready: the print view is laid out. */
  datadeckPdfReady?: boolean;
  /** True once every chart of the page is drawn (then the event datadeck:charts-drawn fires). */
  datadeckChartsDrawn?: boolean;
  datadeckCharts?: ChartsApi;
  /** The handout's sheets are laid out. */
  datadeckHandoutReady?: boolean;
  datadeckHandoutOutline?: HandoutOutlineEntry[];
  datadeck?: DeckApi;
  datadeckDev?: DevClientApi;
}

declare global {
  interface Window extends DatadeckGlobals {}
}
