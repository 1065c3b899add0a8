import Handlebars from 'handlebars';
import type { Figure, SourcedFact } from '../model/figures.js';
import type { ChartModel, ContentSlide, DeckModel, RichText } from '../model/deck.js';
import { fieldsOfKind, type FieldsOfKind } from '../data/fields.js';
import { defaultSourcesPerSlide } from './layout-contract.js';
import type { FigureStyle } from '../model/text.js';
import { withDeckUnits, type Locale } from '../i18n/locale.js';
import { chartDescription, chartSpec, chartTable, tableView, type ChartSpec, type ChartTable, type TableView } from './charts.js';
import { claimInFigures } from './claims.js';

const { escapeExpression, SafeString } = Handlebars;

/** A stretch of text as written: plain words, or a figure (shown in bold, traced to its fact). */
export interface Run {
  text: string;
  figure: string | undefined;
}

/**
 * Text ready for every output: as HTML (data escaped, figures marked), as plain text (outlines,
 * file names, alt text) and as runs (PowerPoint text boxes). In a template it renders as its HTML.
 */
export class Rich extends SafeString {
  constructor(readonly html: string, readonly text: string, readonly runs: readonly Run[]) {
    super(html);
  }
}

export interface ColumnView {
  figure: Rich;
  label: Rich;
  caption: Rich | null;
  role: string;
}

export interface ChartView {
  id: string;
  orientation: 'vertical' | 'horizontal';
  title: string;
  /** One sentence with every figure: the chart's text alternative. */
  description: string;
  spec: ChartSpec;
  /** The spec as JSON for a <script type="application/json">, safe inside HTML. */
  specJson: Handlebars.SafeString;
  /** The figures as a table (hidden in the deck, for screen readers; shown in the handout). */
  table: ChartTable;
}

export interface CitationView {
  number: number;
  /** In-document link to the sources slide that lists it (works in the deck and in the PDF). */
  href: string;
}

export interface FootnoteView {
  label: string;
  citations: CitationView[];
  caveats: { status: string; text: string }[];
}

export interface NoteView {
  kind: 'notes' | 'caveat' | 'derived' | 'false-claim' | 'sources';
  text: Rich;
}

/** A claim that holds, as the handout shows it: what it says, and the figures that make it true. */
export interface ClaimView {
  /** The claim's sentence in the edition's language ('' when the claim has none). */
  says: string;
  /** "vérifié : 10 Md$ < 13,7 Md$". */
  checked: string;
}

export interface SourceEntryView {
  number: number;
  label: string;
  period: string;
  value: string;
  sourceTitle: string;
  sourceUrl: string;
  status: string;
  /** "the article's figure, unverified" or "corrected: the article says…", else empty. */
  statusText: string;
}

export interface SourcesPageView {
  title: string;
  /** "(2/4)" when the list spans several slides, else empty. */
  pageLabel: string;
  start: number;
  entries: SourceEntryView[];
}

/** A slide's text fields (data/fields.ts) as templates show them: kicker, title, figureCaption… (null when absent). */
export type TextFieldViews = { [Row in FieldsOfKind<'text'> as Row['view']]: Rich | null };

/** One slide as templates show it: every field present (null when absent), every string formatted. */
export interface SlideView extends TextFieldViews {
  number: number;
  layout: string;
  /** The partial that renders it: layout-<name>. */
  partial: string;
  /** Its anchor: the deck's own id, or slide-N. */
  id: string;
  kind: 'content' | 'sources';
  /** The slide's title as plain text (outline, image names). */
  heading: string;
  text: Rich[];
  figure: Rich | null;
  columns: ColumnView[] | null;
  items: Rich[] | null;
  chart: ChartView | null;
  /** A table of charts.yaml (the table layout). */
  table: TableView | null;
  footnote: FootnoteView | null;
  notes: NoteView[];
  sources: SourcesPageView | null;
  /** The entries of the facts this slide cites (the handout lists them under the slide). */
  citedSources: SourceEntryView[];
  /** The slide's claims that hold (the handout lists them under the slide). */
  claims: ClaimView[];
  /** "Slide 3": how the handout names it. */
  handoutLabel: string;
}

export interface EditionLink {
  lang: string;
  name: string;
  href: string;
}

export interface DeckView {
  lang: string;
  locale: string;
  title: string;
  subtitle: string;
  author: string;
  slides: SlideView[];
  /** Links to the deck's other editions, each named in its own language. */
  otherEditions: EditionLink[];
  otherEditionsLabel: string;
  /** Between a label and its value ("Revenue, 2024: $13.7 billion"). */
  labelValueSeparator: string;
  /** Every cited fact, numbered (the handout's closing list). */
  sourceEntries: SourceEntryView[];
  sourcesTitle: string;
  handout: {
    kicker: string;
    contents: string;
    /** "{page} / {pages}", filled in page by page. */
    pagePattern: string;
    /** "{title} (continued)". */
    continuedPattern: string;
    /** "p. {page}". */
    pageRefPattern: string;
    /** The heading of a slide's checked claims. */
    claims: string;
  };
}

export interface ViewOptions {
  otherEditions?: EditionLink[];
}

const figureSpan = (figure: Figure, html: string, article: boolean): string =>
  `<span class="figure${article ? ' figure-article' : ''}" data-figure="${escapeExpression(figure.id)}">${html}</span>`;

/** How an edition writes text: the language's typography, figures formatted, HTML escaped once. */
interface Writer {
  model: DeckModel;
  locale: Locale;
  rich(segments: RichText): Rich;
  plain(text: string): Rich;
  figure(figure: Figure, style: FigureStyle): Rich;
  /** What the article printed for a fact, in words ('' when it printed the same). */
  articleValue(fact: SourcedFact): string;
}

function writer(model: DeckModel, locale: Locale): Writer {
  const typeset = locale.typography;
  const formatFigure = (figure: Figure, style: FigureStyle, as: 'value' | 'article' = 'value'): string =>
    locale.figures.format(as === 'article' ? (figure.articleValue ?? figure.value) : figure.value, figure.unit, style);
  return {
    model,
    locale,
    rich(segments) {
      const runs: Run[] = segments.map((segment) => {
        if (segment.kind === 'text') return { text: typeset(segment.text), figure: undefined };
        const figure = model.figures.get(segment.id)!;
        return { text: formatFigure(figure, segment.style, segment.as), figure: figure.id };
      });
      const html = runs
        .map((run, index) => {
          if (run.figure === undefined) return escapeExpression(run.text);
          const segment = segments[index] as Extract<RichText[number], { kind: 'figure' }>;
          return figureSpan(model.figures.get(run.figure)!, escapeExpression(run.text), segment.as === 'article');
        })
        .join('');
      return new Rich(html, runs.map((run) => run.text).join(''), runs);
    },
    plain(text) {
      const shown = typeset(text);
      return new Rich(escapeExpression(shown), shown, [{ text: shown, figure: undefined }]);
    },
    figure(figure, style) {
      const text = formatFigure(figure, style);
      return new Rich(figureSpan(figure, escapeExpression(text), false), text, [{ text, figure: figure.id }]);
    },
    articleValue: (fact) => (fact.articleValue === undefined ? '' : locale.figures.format(fact.articleValue, fact.unit, 'long')),
  };
}

/** Where citations are listed: the sources slides, so many a slide as the sources layout holds. */
interface SourcesPaging {
  perPage: number;
  pages: number;
  anchorOfPage(page: number): string;
  anchorOfCitation(number: number): string;
}

function sourcesPaging(model: DeckModel): SourcesPaging {
  const perPage = model.layouts.get('sources')?.limits?.sources ?? defaultSourcesPerSlide;
  const anchorOfPage = (page: number): string => (page === 1 ? 'sources' : `sources-${page}`);
  return { perPage, pages: Math.max(1, Math.ceil(model.citations.length / perPage)), anchorOfPage, anchorOfCitation: (number) => anchorOfPage(Math.ceil(number / perPage)) };
}

/**
 * The deck model as templates show it, for one language: text formatted and escaped once,
 * citations paged onto sources slides, caveats and notes written out. Templates hold no logic.
 */
export function buildDeckView(model: DeckModel, language: Locale, options: ViewOptions = {}): DeckView {
  const locale = withDeckUnits(language, model.units);
  const write = writer(model, locale);
  const paging = sourcesPaging(model);
  const sourceEntries = model.citations.map((fact, index) => sourceEntryView(write, fact, index + 1));
  const content = model.slides.map((slide, index) => contentSlideView(write, slide, model.citationsBySlide[index] ?? [], sourceEntries, paging));
  const sourcesTitle = locale.typography(model.sourcesTitle ?? locale.catalog.message('sources_title'));
  return {
    lang: model.lang,
    locale: model.locale,
    title: locale.typography(model.title),
    subtitle: locale.typography(model.subtitle ?? ''),
    author: locale.typography(model.author ?? ''),
    slides: [...content, ...sourcesSlideViews(write, sourceEntries, sourcesTitle, paging, content.length)],
    otherEditions: options.otherEditions ?? [],
    otherEditionsLabel: locale.message('other_editions_label'),
    labelValueSeparator: locale.message('label_value_separator'),
    sourceEntries,
    sourcesTitle,
    handout: {
      kicker: locale.message('handout_kicker'),
      contents: locale.message('handout_contents'),
      pagePattern: locale.message('handout_page', { page: '{page}', pages: '{pages}' }),
      continuedPattern: locale.message('handout_continued', { title: '{title}' }),
      pageRefPattern: locale.message('handout_page_ref', { page: '{page}' }),
      claims: locale.message('handout_claims'),
    },
  };
}

function sourceEntryView({ locale, articleValue }: Writer, fact: SourcedFact, number: number): SourceEntryView {
  return {
    number,
    label: locale.typography(fact.label),
    period: locale.typography(fact.period),
    value: locale.figures.format(fact.value, fact.unit, 'long'),
    sourceTitle: locale.typography(fact.sourceTitle),
    sourceUrl: fact.sourceUrl,
    status: fact.status,
    statusText: fact.status === 'article-only' ? locale.message('source_article_only') : fact.status === 'corrected' ? locale.message('source_corrected', { value: articleValue(fact) }) : '',
  };
}

/** The facts of a slide whose figure differs from the article's or has no public source. */
function caveatsOf(slide: ContentSlide): SourcedFact[] {
  const facts = new Map(slide.figures.flatMap((figure) => figure.basis).map((fact) => [fact.id, fact]));
  return [...facts.values()].filter((fact) => fact.status !== 'sourced' || (fact.articleValue !== undefined && fact.articleValue !== fact.value));
}

function contentSlideView(write: Writer, slide: ContentSlide, citations: readonly number[], sourceEntries: readonly SourceEntryView[], paging: SourcesPaging): SlideView {
  const { locale } = write;
  const caveats = caveatsOf(slide);
  const title = slide.title ?? slide.kicker ?? slide.quote;
  const optional = (value: RichText | undefined): Rich | null => (value === undefined ? null : write.rich(value));
  const textFields = Object.fromEntries(fieldsOfKind('text').map((field) => [field.view, optional(slide[field.view])])) as TextFieldViews;
  return {
    number: slide.number,
    layout: slide.layout,
    partial: `layout-${slide.layout}`,
    id: slide.id ?? `slide-${slide.number}`,
    kind: 'content',
    heading: title ? write.rich(title).text : '',
    ...textFields,
    text: (slide.text ?? []).map(write.rich),
    figure: slide.figure ? write.figure(slide.figure, 'short') : null,
    columns: slide.columns ? slide.columns.map((column) => ({ figure: write.figure(column.figure, column.style), label: write.rich(column.label), caption: optional(column.caption), role: column.role })) : null,
    items: slide.items ? slide.items.map(write.rich) : null,
    chart: slide.chart ? chartView(slide.chart, locale) : null,
    table: slide.table ? tableView(slide.table, locale, (figure) => citationOf(write.model, figure)) : null,
    footnote: citations.length === 0 ? null : footnoteView(write, citations, caveats, paging),
    notes: notesView(write, slide, caveats),
    sources: null,
    citedSources: citations.map((number) => sourceEntries[number - 1]!),
    claims: checkedClaims(slide, write.model, locale),
    handoutLabel: locale.message('handout_slide', { number: slide.number }),
  };
}

function chartView(chart: ChartModel, locale: Locale): ChartView {
  const spec = chartSpec(chart, locale);
  return {
    id: chart.id,
    orientation: chart.orientation,
    title: spec.title,
    description: chartDescription(chart, locale),
    spec,
    specJson: new SafeString(scriptJson(spec)),
    table: chartTable(chart, locale),
  };
}

/** The source numbers of a figure's facts ("2" or "2, 3"): its marker in a table's cell. */
function citationOf(model: DeckModel, figure: Figure): string | null {
  const numbers = [...new Set(figure.basis.map((fact) => model.citations.findIndex((cited) => cited.id === fact.id) + 1))].filter((number) => number > 0).sort((a, b) => a - b);
  return numbers.length === 0 ? null : numbers.join(', ');
}

function footnoteView({ locale, articleValue }: Writer, citations: readonly number[], caveats: readonly SourcedFact[], paging: SourcesPaging): FootnoteView {
  return {
    label: locale.message('footnote_sources'),
    citations: citations.map((number) => ({ number, href: `#${paging.anchorOfCitation(number)}` })),
    caveats: caveats.map((fact) => ({
      status: fact.status,
      text: fact.status === 'article-only' ? locale.message('caveat_article_only', { label: fact.label }) : locale.message('caveat_differs', { label: fact.label, value: articleValue(fact) }),
    })),
  };
}

/** The speaker notes: the slide's own, then what a presenter must know of its figures and claims. */
function notesView(write: Writer, slide: ContentSlide, caveats: readonly SourcedFact[]): NoteView[] {
  const { catalog } = write.locale;
  return [
    ...(slide.notes ? [{ kind: 'notes' as const, text: write.rich(slide.notes) }] : []),
    ...caveats.map((fact) => ({
      kind: 'caveat' as const,
      text: write.plain(
        fact.status === 'article-only'
          ? catalog.message('notes_article_only', { label: fact.label, note: fact.note }).trim()
          : catalog.message('notes_differs', { label: fact.label, value: write.articleValue(fact), note: fact.note }).trim(),
      ),
    })),
    ...slide.figures.filter((figure) => figure.kind === 'derived' && figure.note !== '').map((figure) => ({ kind: 'derived' as const, text: write.plain(catalog.message('notes_derived', { label: figure.label, note: figure.note })) })),
    ...slide.claims.filter((claim) => !claim.holds).map((claim) => ({ kind: 'false-claim' as const, text: write.plain(catalog.message('notes_false_claim', { check: claim.check, values: claim.withValues })) })),
  ];
}

/** The sources slides after the content: every cited fact once, as many a slide as the sources layout holds. */
function sourcesSlideViews(write: Writer, sourceEntries: readonly SourceEntryView[], sourcesTitle: string, paging: SourcesPaging, before: number): SlideView[] {
  if (sourceEntries.length === 0) return [];
  const { locale } = write;
  const noText = Object.fromEntries(fieldsOfKind('text').map((field) => [field.view, null])) as TextFieldViews;
  return Array.from({ length: paging.pages }, (_, page) => {
    const entries = sourceEntries.slice(page * paging.perPage, (page + 1) * paging.perPage);
    return {
      number: before + page + 1,
      layout: 'sources',
      partial: 'layout-sources',
      id: paging.anchorOfPage(page + 1),
      kind: 'sources',
      heading: sourcesTitle,
      ...noText,
      title: write.plain(sourcesTitle),
      text: [],
      figure: null,
      columns: null,
      items: null,
      chart: null,
      table: null,
      footnote: null,
      notes: [{ kind: 'sources', text: write.plain(locale.catalog.message('notes_sources')) }],
      sources: { title: sourcesTitle, pageLabel: paging.pages > 1 ? locale.message('sources_page', { page: page + 1, pages: paging.pages }) : '', start: entries[0]!.number, entries },
      citedSources: [],
      claims: [],
      handoutLabel: '',
    };
  });
}

/** A slide's claims that hold, each with its sentence and the edition's figures that make it true. */
function checkedClaims(slide: ContentSlide, model: DeckModel, locale: Locale): ClaimView[] {
  const separator = locale.catalog.message('claim_argument_separator');
  return slide.claims
    .filter((claim) => claim.holds)
    .map((claim) => ({ says: locale.typography(claim.says ?? ''), checked: locale.message('claim_checked', { values: claimInFigures(claim.expr, model.figures, locale, separator) }) }));
}

/** JSON inside <script type="application/json">: "<" escaped so data can never close the element. */
export function scriptJson(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c').replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');
}
