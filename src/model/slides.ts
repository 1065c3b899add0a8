import type { DataProblem, ProblemList } from '../errors.js';
import { defaultRole, type Slide } from '../data/schema.js';
import { slideFieldTable, slideFields, type FieldKind, type FieldsOfKind, type SlideFieldEntry } from '../data/fields.js';
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

/** A slide's text fields (data/fields.ts), by the names the view gives them: kicker, figureCaption, notes... */
export type TextFields = { [Row in FieldsOfKind<'text' | 'notes'> as Row['view']]?: RichText };

export interface ContentSlide extends TextFields {
  /** 1-based position in the deck. */
  number: number;
  layout: string;
  id: string | undefined;
  text?: RichText[];
  figure?: Figure;
  columns?: ColumnModel[];
  items?: RichText[];
  chart?: ChartModel;
  /** A chart of type table, shown by the table layout. */
  table?: ChartModel;
  claims: ClaimResult[];
  /** Every figure the slide shows or rests on, in the order a reader meets them. */
  figures: Figure[];
}

/** What a layout needs from a slide and can hold, declared at the top of its template (render/layout-contract.ts). */
export interface LayoutContract {
  requires: readonly (keyof Slide)[];
  /** The fields it shows, in the order a reader meets them (its template's order). */
  reads?: readonly (keyof Slide)[];
  /** The most entries of a list field it holds (`items: 8`); on the sources layout, `sources` per slide. */
  limits?: Readonly<Record<string, number>>;
  /** Its template, as messages name it (templates/layouts/bullets.hbs). */
  file?: string;
}

/** Where a field's figures come in reading order when the layout does not show it: the fields table's order (notes, then claims last). */
const defaultReadingOrder: readonly (keyof Slide)[] = slideFields;

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

/** How a field of each kind becomes the model's (claims, the id and the layout are the slide's own). */
type FieldResolvers = { [K in Exclude<FieldKind, 'claims' | 'id' | 'layout'>]?: (resolving: Resolving, field: FieldsOfKind<K>) => void };

export interface SlideContext {
  figures: FigureBook;
  charts: ReadonlyMap<string, ChartModel>;
  layouts: ReadonlyMap<string, LayoutContract>;
  roles: ReadonlySet<string>;
  trulyUnknown: (id: string) => boolean;
  deckFile: YamlFile;
  problems: ProblemList;
}

/** The slide's text without markup, figures shown by id: enough to name a slide in a message. */
export function plainText(rich: RichText | undefined): string {
  return (rich ?? []).map((segment) => (segment.kind === 'text' ? segment.text : `{{${segment.id}}}`)).join('');
}

export function describeSlide(slide: ContentSlide): string {
  const title = plainText(slide.title ?? slide.kicker ?? slide.quote).trim();
  return `slide ${slide.number}${title ? ` "${title}"` : ` (${slide.layout})`}`;
}

/** One slide being resolved: its source, what it becomes, and how it reads and reports. */
interface Resolving {
  source: Slide;
  slide: ContentSlide;
  context: SlideContext;
  /** Where a path under the slide is in deck.yaml, as a problem to fill in. */
  where(...path: YamlPath): DataProblem;
  /** A figure the slide uses, noted for the reading order; reported when unknown. */
  useFigure(id: string, path: YamlPath): Figure | undefined;
  /** Text with its figure placeholders parsed (and their figures used). */
  rich(text: string, path: YamlPath): RichText;
}

/**
 * One slide of deck.yaml resolved against the figures and charts: text parsed for figure
 * references, the layout's needs checked, claims evaluated. Problems are located in deck.yaml.
 */
export function buildSlide(source: Slide, index: number, context: SlideContext): ContentSlide {
  const { figures, layouts, trulyUnknown, deckFile, problems } = context;
  const uses: { figure: Figure; field: keyof Slide }[] = [];
  const where = (...path: YamlPath): DataProblem => ({ ...deckFile.locate(['slides', index, ...path]), field: `slides[${index}]${path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`)).join('')}`, message: '' });
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
      for (const segment of segments) {
        if (segment.kind !== 'figure') continue;
        const figure = useFigure(segment.id, path);
        if (figure) checkStyle(figure, segment.style, where(...path), problems);
      }
      return segments;
    } catch (error) {
      if (!(error instanceof PlaceholderError)) throw error;
      problems.add({ ...where(...path), message: error.message });
      return [{ kind: 'text', text }];
    }
  };
  const resolving: Resolving = { source, slide: { number: index + 1, layout: source.layout, id: source.id, claims: [], figures: [] }, context, where, useFigure, rich };
  const layout = layouts.get(source.layout);
  if (!layout) {
    problems.add({ ...resolving.where('layout'), message: `unknown layout "${source.layout}" (templates exist for: ${[...layouts.keys()].sort().join(', ')})${didYouMean(source.layout, layouts.keys())}` });
  }
  for (const field of layout?.requires ?? []) {
    if (source[field] === undefined) problems.add({ ...resolving.where(), message: `layout "${source.layout}" needs "${field}"` });
  }
  for (const field of slideFieldTable) (resolvers[field.kind as keyof FieldResolvers] as ((resolving: Resolving, field: SlideFieldEntry) => void) | undefined)?.(resolving, field);
  const { slide } = resolving;
  slide.claims = evaluateClaims(source.claims ?? [], (i) => resolving.where('claims', i), { figures, trulyUnknown, use: (id) => resolving.useFigure(id, ['claims']), problems });
  slide.figures = inReadingOrder(uses, layout);
  return slide;
}

/** A multiplier ("×1,9") says how many times one figure is another: only a ratio is one. */
function checkStyle(figure: Figure, style: FigureStyle, where: DataProblem, problems: ProblemList): void {
  if (style === 'multiplier' && figure.unit !== 'ratio') {
    problems.add({ ...where, message: `style "multiplier" writes a ratio as "×1,9", but "${figure.id}" is in ${figure.unit}: make it a ratio in derived.yaml (a / b), or use long, short or number` });
  }
}

function resolveText({ source, slide, rich }: Resolving, field: FieldsOfKind<'text' | 'notes'>): void {
  const value = source[field.name];
  if (value !== undefined) slide[field.view] = rich(value, [field.name]);
}

/** How a field of each kind becomes the model's (claims, the id and the layout are the slide's own). */
const resolvers: FieldResolvers = {
  text: resolveText,
  notes: resolveText,
  paragraphs({ source, slide, rich }, field) {
    const value = source[field.name];
    if (value === undefined) return;
    const paragraphs = typeof value === 'string' ? [value] : value;
    slide[field.view] = paragraphs.map((paragraph, i) => rich(paragraph, typeof value === 'string' ? [field.name] : [field.name, i]));
  },
  list({ source, slide, rich }, field) {
    const value = source[field.name];
    if (value !== undefined) slide[field.view] = value.map((item, i) => rich(item, [field.name, i]));
  },
  'figure-ref'({ source, slide, useFigure }, field) {
    const value = source[field.name];
    if (value !== undefined) slide[field.view] = useFigure(value, [field.name]);
  },
  columns({ source, slide, rich, useFigure, where, context }, field) {
    const value = source[field.name];
    if (value === undefined) return;
    slide[field.view] = value.flatMap((column, i) => {
      const role = column.role ?? defaultRole;
      if (!context.roles.has(role)) context.problems.add({ ...where(field.name, i, 'role'), message: unknownRoleMessage(role, context.roles) });
      const figure = useFigure(column.fact, [field.name, i, 'fact']);
      if (!figure) return [];
      if (column.style) checkStyle(figure, column.style, where(field.name, i, 'style'), context.problems);
      return [{ figure, style: column.style ?? 'short', label: rich(column.label, [field.name, i, 'label']), caption: column.caption === undefined ? undefined : rich(column.caption, [field.name, i, 'caption']), role }];
    });
  },
  'chart-ref': (resolving, field) => resolveChartRef(resolving, field, 'chart'),
  'table-ref': (resolving, field) => resolveChartRef(resolving, field, 'table'),
};

/**
 * A chart or a table of charts.yaml, its figures cited by the slide. A table is shown by the
 * table layout and a chart by the chart layout: the other way round is a mistake said as such.
 */
function resolveChartRef({ source, slide, useFigure, where, context }: Resolving, field: FieldsOfKind<'chart-ref' | 'table-ref'>, wants: 'chart' | 'table'): void {
  const value = source[field.name];
  if (value === undefined) return;
  const chart = context.charts.get(value);
  const fitting = [...context.charts.values()].filter((candidate) => (candidate.type === 'table') === (wants === 'table')).map((candidate) => candidate.id);
  if (!chart) {
    context.problems.add({ ...where(field.name), message: `unknown ${wants} "${value}" (charts.yaml defines: ${fitting.join(', ') || 'none'})${didYouMean(value, context.charts.keys())}` });
    return;
  }
  if ((chart.type === 'table') !== (wants === 'table')) {
    const message = wants === 'chart'
      ? `"${value}" is a table, not a chart: show it with layout: table and table: ${value}`
      : `"${value}" is a ${chart.type} chart, not a table: show it with layout: chart and chart: ${value} (or make it type: table in charts.yaml)`;
    context.problems.add({ ...where(field.name), message });
    return;
  }
  slide[field.view] = chart;
  for (const figure of chart.figures) useFigure(figure.id, [field.name]);
}
