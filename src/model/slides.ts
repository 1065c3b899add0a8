import type { DataProblem, ProblemList } from '../errors.js';
import { defaultRole, type Slide } from '../data/schema.js';
import type { YamlFile, YamlPath } from '../data/yaml.js';
import { unknownRoleMessage, type ChartModel } from './charts.js';
import { evaluateClaims, type ClaimResult } from './claims.js';
import type { Figure, FigureBook } from './figures.js';
import { parseBeatText, PlaceholderError, type FigureStyle, type TextSegment } from './text.js';
import { didYouMean } from '../suggest.js';

export type RichText = TextSegment[];

export interface ColumnModel {
  figure: Figure;
  style: FigureStyle;
  label: RichText;
  caption: RichText | undefined;
  role: string;
}

export interface ContentSlide {
  /** 1-based position in the deck. */
  number: number;
  layout: string;
  id: string | undefined;
  kicker?: RichText;
  title?: RichText;
  subtitle?: RichText;
  byline?: RichText;
  text?: RichText[];
  figure?: Figure;
  figureCaption?: RichText;
  columns?: ColumnModel[];
  items?: RichText[];
  chart?: ChartModel;
  quote?: RichText;
  attribution?: RichText;
  notes?: RichText;
  claims: ClaimResult[];
  /** Every figure the slide shows or rests on, in the order a reader meets them. */
  figures: Figure[];
}

/** What a layout needs from a slide, declared next to its template. */
export interface LayoutContract {
  requires: readonly (keyof Slide)[];
  /** The fields it shows, in the order a reader meets them (its template's order). */
  reads?: readonly (keyof Slide)[];
}

/** Where a field's figures come in reading order when the layout does not show it: notes, then claims last. */
const defaultReadingOrder: readonly (keyof Slide)[] = [
  'kicker', 'title', 'subtitle', 'byline', 'number', 'number_caption', 'text', 'columns', 'items', 'chart', 'quote', 'attribution', 'notes', 'claims',
];

/**
 * A slide's figures in the order a reader meets them, which numbers its sources: the layout's
 * fields in the layout's order, then the fields it does not show (speaker notes, claims), each
 * field's figures in the order they are written. A figure met twice counts where it is met first.
 */
function inReadingOrder(uses: readonly { figure: Figure; field: keyof Slide }[], layout: LayoutContract | undefined): Figure[] {
  const shown = layout?.reads ?? [];
  const order = [...shown, ...defaultReadingOrder.filter((field) => !shown.includes(field))];
  const first = new Map<Figure, number>();
  uses.forEach(({ figure, field }, index) => {
    const at = order.indexOf(field) * uses.length + index;
    const known = first.get(figure);
    if (known === undefined || at < known) first.set(figure, at);
  });
  return [...first.entries()].sort((a, b) => a[1] - b[1]).map(([figure]) => figure);
}

export interface SlideContext {
  figures: FigureBook;
  charts: ReadonlyMap<string, ChartModel>;
  layouts: ReadonlyMap<string, LayoutContract>;
  roles: ReadonlySet<string>;
  trulyUnknown: (id: string) => boolean;
  deckFile: YamlFile;
  problems: ProblemList;
}

const textFields = ['kicker', 'title', 'subtitle', 'byline', 'number_caption', 'quote', 'attribution', 'notes'] as const;

/** The slide's text without markup, figures shown by id: enough to name a slide in a message. */
export function plainText(rich: RichText | undefined): string {
  return (rich ?? []).map((segment) => (segment.kind === 'text' ? segment.text : `{{${segment.id}}}`)).join('');
}

export function describeSlide(slide: ContentSlide): string {
  const title = plainText(slide.title ?? slide.kicker ?? slide.quote).trim();
  return `slide ${slide.number}${title ? ` "${title}"` : ` (${slide.layout})`}`;
}

/**
 * One slide of deck.yaml resolved against the figures and charts: text parsed for figure
 * references, the layout's needs checked, claims evaluated. Problems are located in deck.yaml.
 */
export function buildSlide(source: Slide, index: number, context: SlideContext): ContentSlide {
  const { figures, charts, layouts, roles, trulyUnknown, deckFile, problems } = context;
  const where = (...path: YamlPath): DataProblem => ({
    ...deckFile.locate(['slides', index, ...path]),
    field: `slides[${index}]${path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`)).join('')}`,
    message: '',
  });
  const uses: { figure: Figure; field: keyof Slide }[] = [];
  const useFigure = (id: string, path: YamlPath): Figure | undefined => {
    const figure = figures.get(id);
    if (!figure) {
      if (trulyUnknown(id)) problems.add({ ...where(...path), message: `unknown fact "${id}"${didYouMean(id, figures.keys())}` });
      return undefined;
    }
    uses.push({ figure, field: path[0] as keyof Slide });
    return figure;
  };
  const rich = (text: string, path: YamlPath): RichText => {
    try {
      const segments = parseBeatText(text);
      for (const segment of segments) if (segment.kind === 'figure') useFigure(segment.id, path);
      return segments;
    } catch (error) {
      if (!(error instanceof PlaceholderError)) throw error;
      problems.add({ ...where(...path), message: error.message });
      return [{ kind: 'text', text }];
    }
  };
  const checkRole = (role: string, path: YamlPath): void => {
    if (!roles.has(role)) problems.add({ ...where(...path), message: unknownRoleMessage(role, roles) });
  };

  const layout = layouts.get(source.layout);
  if (!layout) {
    problems.add({ ...where('layout'), message: `unknown layout "${source.layout}" (templates exist for: ${[...layouts.keys()].sort().join(', ')})${didYouMean(source.layout, layouts.keys())}` });
  }
  for (const field of layout?.requires ?? []) {
    if (source[field] === undefined) problems.add({ ...where(), message: `layout "${source.layout}" needs "${field}"` });
  }

  const slide: ContentSlide = { number: index + 1, layout: source.layout, id: source.id, claims: [], figures: [] };
  for (const field of textFields) {
    const value = source[field];
    if (value === undefined) continue;
    const parsed = rich(value, [field]);
    if (field === 'number_caption') slide.figureCaption = parsed;
    else slide[field] = parsed;
  }
  if (source.number !== undefined) slide.figure = useFigure(source.number, ['number']);
  if (source.text !== undefined) {
    const paragraphs = typeof source.text === 'string' ? [source.text] : source.text;
    slide.text = paragraphs.map((paragraph, i) => rich(paragraph, typeof source.text === 'string' ? ['text'] : ['text', i]));
  }
  if (source.items) slide.items = source.items.map((item, i) => rich(item, ['items', i]));
  if (source.columns) {
    slide.columns = source.columns.flatMap((column, i) => {
      const role = column.role ?? defaultRole;
      checkRole(role, ['columns', i, 'role']);
      const figure = useFigure(column.fact, ['columns', i, 'fact']);
      if (!figure) return [];
      return [{ figure, style: column.style ?? 'short', label: rich(column.label, ['columns', i, 'label']), caption: column.caption === undefined ? undefined : rich(column.caption, ['columns', i, 'caption']), role }];
    });
  }
  if (source.chart !== undefined) {
    const chart = charts.get(source.chart);
    if (!chart) problems.add({ ...where('chart'), message: `unknown chart "${source.chart}" (charts.yaml defines: ${[...charts.keys()].join(', ') || 'none'})${didYouMean(source.chart, charts.keys())}` });
    else {
      slide.chart = chart;
      for (const bar of chart.bars) useFigure(bar.figure.id, ['chart']);
    }
  }
  slide.claims = evaluateClaims(source.claims ?? [], (i) => where('claims', i), {
    figures,
    trulyUnknown,
    use: (id) => useFigure(id, ['claims']),
    problems,
  });
  slide.figures = inReadingOrder(uses, layout);
  return slide;
}
