import { ProblemList, DataErrors, type DataProblem } from '../errors.js';
import type { LoadedData } from '../data/load.js';
import { layoutRequirements, type ChartSource, type Claim, type Role, type Slide } from '../data/schema.js';
import type { YamlPath } from '../data/yaml.js';
import { evaluate, ExpressionError, isBoolean, parseExpression, references, substitute } from './expression.js';
import { buildFigureBook, type Figure, type FigureBook, type SourcedFact } from './figures.js';
import type { FigureStyle } from '../render/format.js';
import { parseBeatText, PlaceholderError, type TextSegment } from './text.js';

export type RichText = TextSegment[];

export interface ChartBar {
  figure: Figure;
  label: string;
  role: Role;
}

export interface ChartModel {
  id: string;
  title: string;
  orientation: ChartSource['orientation'];
  axis: string | undefined;
  bars: ChartBar[];
}

export interface ClaimResult {
  check: string;
  says: string | undefined;
  holds: boolean;
  /** The check with values in place of ids, e.g. "5e9 + 5e9 < 1.37e10". */
  withValues: string;
}

export interface ColumnModel {
  figure: Figure;
  style: FigureStyle;
  label: RichText;
  caption: RichText | undefined;
  role: Role;
}

export interface ContentSlide {
  kind: 'content';
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
  /** Every figure the slide shows or rests on, in order of appearance. */
  figures: Figure[];
  /** 1-based numbers into the deck's citation list, with the id of the sources slide listing each. */
  citations: { number: number; anchor: string }[];
}

export interface SourcesSlide {
  kind: 'sources';
  number: number;
  layout: 'sources';
  /** Anchor for links from the slides' source markers: sources, sources-2, ... */
  id: string;
  page: number;
  pages: number;
  entries: { number: number; fact: SourcedFact }[];
}

export type SlideModel = ContentSlide | SourcesSlide;

export interface DeckModel {
  title: string;
  subtitle: string | undefined;
  author: string | undefined;
  lang: string;
  locale: string;
  sourcesTitle: string;
  slides: SlideModel[];
  figures: FigureBook;
  charts: ReadonlyMap<string, ChartModel>;
  citations: SourcedFact[];
  warnings: string[];
}

export interface ModelOptions {
  /** Layout names that have a template; a slide naming any other is an error. */
  layouts: ReadonlySet<string>;
  allowFalseClaims?: boolean;
  citationsPerSourcesSlide?: number;
}

const textFields = ['kicker', 'title', 'subtitle', 'byline', 'number_caption', 'quote', 'attribution', 'notes'] as const;

function plain(rich: RichText | undefined): string {
  return (rich ?? []).map((segment) => (segment.kind === 'text' ? segment.text : `{{${segment.id}}}`)).join('');
}

export function describeSlide(slide: ContentSlide): string {
  const title = plain(slide.title ?? slide.kicker ?? slide.quote).trim();
  return `slide ${slide.number}${title ? ` "${title}"` : ` (${slide.layout})`}`;
}

function buildCharts(data: LoadedData, figures: FigureBook, problems: ProblemList, trulyUnknown: (id: string) => boolean): Map<string, ChartModel> {
  const charts = new Map<string, ChartModel>();
  for (const [id, source] of Object.entries(data.charts)) {
    const bars: ChartBar[] = [];
    source.bars.forEach((bar, index) => {
      const figure = figures.get(bar.fact);
      if (!figure) {
        if (trulyUnknown(bar.fact)) problems.add({ ...data.chartsFile.locate([id, 'bars', index, 'fact']), field: `${id}.bars[${index}].fact`, message: `unknown fact "${bar.fact}"` });
        return;
      }
      bars.push({ figure, label: bar.label, role: bar.role });
    });
    const units = new Set(bars.map((bar) => bar.figure.unit));
    if (units.size > 1) {
      problems.add({ ...data.chartsFile.locate([id, 'bars']), field: `${id}.bars`, message: `mixes units ${[...units].join(' and ')}: one chart compares figures of one unit` });
    }
    charts.set(id, { id, title: source.title, orientation: source.orientation, axis: source.axis, bars });
  }
  return charts;
}

/**
 * Turns validated data into the deck: resolves every fact reference, evaluates claims, numbers
 * citations in order of first appearance. All problems are collected, then thrown together.
 */
export function buildDeckModel(data: LoadedData, options: ModelOptions): DeckModel {
  const problems = new ProblemList();
  const { book: figures, failed, warnings: figureWarnings } = buildFigureBook(data.facts, data.derived, data.derivedFile, problems);
  // A derived figure that failed is reported once, in derived.yaml, not again where it is used.
  const trulyUnknown = (id: string): boolean => !failed.has(id);
  const charts = buildCharts(data, figures, problems, trulyUnknown);
  const warnings: string[] = [...data.notices, ...figureWarnings];
  const falseClaims: DataProblem[] = [];
  const usedFigureIds = new Set<string>();
  const usedChartIds = new Set<string>();

  const slides: ContentSlide[] = data.deck.slides.map((source: Slide, index) => {
    const where = (...path: YamlPath): DataProblem => ({ ...data.deckFile.locate(['slides', index, ...path]), field: `slides[${index}]${path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`)).join('')}`, message: '' });
    const slideFigures: Figure[] = [];
    const useFigure = (id: string, path: YamlPath): Figure | undefined => {
      const figure = figures.get(id);
      if (!figure) {
        if (trulyUnknown(id)) problems.add({ ...where(...path), message: `unknown fact "${id}"` });
        return undefined;
      }
      usedFigureIds.add(id);
      if (!slideFigures.includes(figure)) slideFigures.push(figure);
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

    if (!options.layouts.has(source.layout)) {
      problems.add({ ...where('layout'), message: `unknown layout "${source.layout}" (templates exist for: ${[...options.layouts].sort().join(', ')})` });
    }
    for (const field of layoutRequirements[source.layout] ?? []) {
      if (source[field] === undefined) problems.add({ ...where(), message: `layout "${source.layout}" needs "${field}"` });
    }

    const slide: ContentSlide = { kind: 'content', number: index + 1, layout: source.layout, id: source.id, claims: [], figures: slideFigures, citations: [] };
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
        const figure = useFigure(column.fact, ['columns', i, 'fact']);
        if (!figure) return [];
        return [{ figure, style: column.style ?? 'short', label: rich(column.label, ['columns', i, 'label']), caption: column.caption === undefined ? undefined : rich(column.caption, ['columns', i, 'caption']), role: column.role ?? 'neutral' }];
      });
    }
    if (source.chart !== undefined) {
      const chart = charts.get(source.chart);
      if (!chart) problems.add({ ...where('chart'), message: `unknown chart "${source.chart}" (charts.yaml defines: ${[...charts.keys()].join(', ') || 'none'})` });
      else {
        slide.chart = chart;
        usedChartIds.add(chart.id);
        for (const bar of chart.bars) useFigure(bar.figure.id, ['chart']);
      }
    }
    (source.claims ?? []).forEach((claim: Claim, i) => {
      const check = typeof claim === 'string' ? claim : claim.check;
      const says = typeof claim === 'string' ? undefined : claim.says;
      const at = where('claims', i);
      try {
        const expr = parseExpression(check);
        if (!isBoolean(expr)) {
          problems.add({ ...at, message: `claim "${check}" is not a comparison (write e.g. a < b, or between(x, low, high))` });
          return;
        }
        const refs = references(expr);
        const missing = refs.filter((id) => !figures.has(id));
        if (missing.some((id) => !trulyUnknown(id))) return;
        if (missing.length > 0) {
          problems.add({ ...at, message: `claim "${check}" uses unknown fact${missing.length > 1 ? 's' : ''} ${missing.map((id) => `"${id}"`).join(', ')}` });
          return;
        }
        for (const id of refs) useFigure(id, ['claims', i]);
        const lookup = (id: string): number => figures.get(id)!.value;
        const holds = evaluate(expr, lookup) !== 0;
        slide.claims.push({ check, says, holds, withValues: substitute(expr, lookup) });
      } catch (error) {
        if (!(error instanceof ExpressionError)) throw error;
        problems.add({ ...at, message: `claim "${check}": ${error.message}` });
      }
    });
    return slide;
  });

  for (const slide of slides) {
    for (const claim of slide.claims.filter((c) => !c.holds)) {
      const located = data.deckFile.locate(['slides', slide.number - 1, 'claims']);
      falseClaims.push({ ...located, message: `${describeSlide(slide)}: ${claim.withValues} is false (claim: ${claim.check}${claim.says ? `, "${claim.says}"` : ''})` });
    }
  }

  // Derived figures used on slides make their inputs used too.
  const usedFactIds = new Set([...usedFigureIds].flatMap((id) => figures.get(id)?.basis.map((fact) => fact.id) ?? []));
  for (const { fact, line } of data.facts) {
    if (!usedFactIds.has(fact.id)) warnings.push(`${data.factsFile}:${line}: fact "${fact.id}" is defined but not shown or cited on any slide`);
  }
  for (const id of charts.keys()) if (!usedChartIds.has(id)) warnings.push(`${data.chartsFile.file}: chart "${id}" is defined but on no slide`);

  if (!options.layouts.has('sources') && slides.some((slide) => slide.figures.length > 0)) {
    problems.add({ file: data.deckFile.file, message: 'the deck cites facts but the templates have no layouts/sources.hbs to list them' });
  }
  problems.throwIfAny();
  if (falseClaims.length > 0) {
    if (!options.allowFalseClaims) throw new DataErrors(falseClaims, 'falseClaim');
    warnings.push(...falseClaims.map((claim) => `${claim.file}:${claim.line}: ${claim.message} (allowed by --allow-false-claims)`));
  }

  const perPage = options.citationsPerSourcesSlide ?? 9;
  const anchorOfPage = (page: number): string => (page === 1 ? 'sources' : `sources-${page}`);
  const citations: SourcedFact[] = [];
  const citationNumber = new Map<string, number>();
  for (const slide of slides) {
    const numbers = new Set<number>();
    for (const fact of slide.figures.flatMap((figure) => figure.basis)) {
      if (!citationNumber.has(fact.id)) {
        citations.push(fact);
        citationNumber.set(fact.id, citations.length);
      }
      numbers.add(citationNumber.get(fact.id)!);
    }
    slide.citations = [...numbers].sort((a, b) => a - b).map((number) => ({ number, anchor: anchorOfPage(Math.ceil(number / perPage)) }));
  }
  const pages = Math.max(1, Math.ceil(citations.length / perPage));
  const sourcesSlides: SourcesSlide[] = citations.length === 0 ? [] : Array.from({ length: pages }, (_, page) => ({
    kind: 'sources' as const,
    number: slides.length + page + 1,
    layout: 'sources' as const,
    id: anchorOfPage(page + 1),
    page: page + 1,
    pages,
    entries: citations.slice(page * perPage, (page + 1) * perPage).map((fact, i) => ({ number: page * perPage + i + 1, fact })),
  }));

  return {
    title: data.deck.title,
    subtitle: data.deck.subtitle,
    author: data.deck.author,
    lang: data.deck.lang,
    locale: data.deck.locale,
    sourcesTitle: data.deck.sources_title,
    slides: [...slides, ...sourcesSlides],
    figures,
    charts,
    citations,
    warnings,
  };
}
