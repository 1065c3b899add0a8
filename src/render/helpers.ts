import Handlebars from 'handlebars';
import type { Figure, SourcedFact } from '../model/figures.js';
import type { ChartModel, ContentSlide, RichText, SlideModel } from '../model/deck.js';
import { figureStyles, formatFigure, type FigureStyle } from './format.js';
import { chartSpec } from './charts.js';

const { escapeExpression, SafeString } = Handlebars;

interface HelperOptions {
  data: { root: { locale: string; figures: ReadonlyMap<string, Figure> } };
  hash: Record<string, unknown>;
}

function figureHtml(figure: Figure, style: FigureStyle, locale: string, as: 'value' | 'article' = 'value'): string {
  const value = as === 'article' ? (figure.articleValue ?? figure.value) : figure.value;
  return `<span class="figure${as === 'article' ? ' figure-article' : ''}" data-figure="${escapeExpression(figure.id)}">${escapeExpression(formatFigure(value, figure.unit, style, locale))}</span>`;
}

/** Beat text: every character of data escaped, figures formatted in the deck's locale. */
export function richHtml(rich: RichText | undefined, figures: ReadonlyMap<string, Figure>, locale: string): string {
  return (rich ?? [])
    .map((segment) => {
      if (segment.kind === 'text') return escapeExpression(segment.text);
      const figure = figures.get(segment.id);
      return figure ? figureHtml(figure, segment.style, locale, segment.as) : '';
    })
    .join('');
}

/** JSON inside <script type="application/json">: "<" escaped so data can never close the element. */
export function scriptJson(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c').replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');
}

export interface Caveat {
  label: string;
  status: SourcedFact['status'];
  articleText: string | undefined;
  note: string;
}

/** Facts on a slide whose figure differs from the article's or has no public source. */
export function caveats(slide: ContentSlide, locale: string): Caveat[] {
  const facts = new Map(slide.figures.flatMap((figure) => figure.basis).map((fact) => [fact.id, fact]));
  return [...facts.values()]
    .filter((fact) => fact.status !== 'sourced' || (fact.articleValue !== undefined && fact.articleValue !== fact.value))
    .map((fact) => ({
      label: fact.label,
      status: fact.status,
      articleText: fact.articleValue === undefined ? undefined : formatFigure(fact.articleValue, fact.unit, 'long', locale),
      note: fact.note,
    }));
}

/**
 * Helpers read the model; they never compute figures (that is the model's job) and every string
 * that came from data/ leaves them escaped.
 */
export function registerHelpers(env: typeof Handlebars): void {
  env.registerHelper('rich', function (rich: RichText | undefined, options: HelperOptions) {
    return new SafeString(richHtml(rich, options.data.root.figures, options.data.root.locale));
  });
  env.registerHelper('figure', function (figure: Figure, ...rest: unknown[]) {
    const options = rest.pop() as HelperOptions;
    const style = (rest[0] ?? 'long') as FigureStyle;
    if (!figureStyles.includes(style)) throw new Error(`figure helper: unknown style "${String(style)}"`);
    return new SafeString(figureHtml(figure, style, options.data.root.locale));
  });
  env.registerHelper('value', function (fact: SourcedFact | Figure, ...rest: unknown[]) {
    const options = rest.pop() as HelperOptions;
    const which = rest[0] === 'article' ? 'articleValue' : 'value';
    const value = fact[which];
    return value === undefined ? '' : formatFigure(value, fact.unit, 'long', options.data.root.locale);
  });
  env.registerHelper('layoutPartial', function (slide: SlideModel) {
    return `layout-${slide.layout}`;
  });
  env.registerHelper('caveats', function (slide: ContentSlide, options: HelperOptions) {
    return caveats(slide, options.data.root.locale);
  });
  env.registerHelper('chartSpec', function (chart: ChartModel, options: HelperOptions) {
    return new SafeString(scriptJson(chartSpec(chart, options.data.root.locale)));
  });
  env.registerHelper('chartDescription', function (chart: ChartModel, options: HelperOptions) {
    return chartSpec(chart, options.data.root.locale).description;
  });
  env.registerHelper('eq', (a: unknown, b: unknown) => a === b);
  env.registerHelper('derivedNotes', (slide: ContentSlide) => slide.figures.filter((figure) => figure.kind === 'derived' && figure.note !== ''));
  env.registerHelper('falseClaims', (slide: ContentSlide) => slide.claims.filter((claim) => !claim.holds));
}
