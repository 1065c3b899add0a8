import { ProblemList, DataErrors, type DataProblem } from '../errors.js';
import type { LoadedData } from '../data/load.js';
import { defaultRole, type DeckUnits } from '../data/schema.js';
import { listFields } from '../data/fields.js';
import { buildCharts, type ChartModel } from './charts.js';
import { numberCitations } from './citations.js';
import { buildFigureBook, type FigureBook, type SourcedFact } from './figures.js';
import { buildSlide, describeSlide, type ContentSlide, type LayoutContract } from './slides.js';

export type { ChartAnnotation, ChartCategory, ChartModel, ChartSeries } from './charts.js';
export type { ClaimResult } from './claims.js';
export type { ColumnModel, ContentSlide, LayoutContract, RichText } from './slides.js';
export { describeSlide, plainText } from './slides.js';

export interface DeckModel {
  title: string;
  subtitle: string | undefined;
  author: string | undefined;
  lang: string;
  locale: string;
  sourcesTitle: string | undefined;
  slides: ContentSlide[];
  figures: FigureBook;
  charts: ReadonlyMap<string, ChartModel>;
  /** The deck's own units (data/units.yaml), with their words in this edition's language. */
  units: DeckUnits;
  /** The layouts the slides were checked against, with their contracts (the sources layout says how many sources a slide lists). */
  layouts: ReadonlyMap<string, LayoutContract>;
  /** Cited facts, numbered by their position (1-based) in order of first citation. */
  citations: SourcedFact[];
  /** For each slide, the sorted numbers of the facts it cites. */
  citationsBySlide: number[][];
  warnings: string[];
}

export interface ModelOptions {
  /** Layouts that have a template, with the fields each needs; a slide naming any other is an error. */
  layouts: ReadonlyMap<string, LayoutContract>;
  allowFalseClaims?: boolean;
}

/**
 * Turns validated data into the deck: figures computed, every reference resolved, claims
 * evaluated, citations numbered. All problems are collected, then thrown together.
 */
export function buildDeckModel(data: LoadedData, options: ModelOptions): DeckModel {
  const problems = new ProblemList();
  const { book: figures, failed, warnings: figureWarnings } = buildFigureBook(data.facts, data.derived, data.derivedFile, problems);
  // A derived figure that failed is reported once, in derived.yaml, not again where it is used.
  const trulyUnknown = (id: string): boolean => !failed.has(id);
  const roles = new Set([defaultRole, ...Object.keys(data.theme.roles)]);
  const charts = buildCharts(data.charts, data.chartsFile, { figures, trulyUnknown, roles, problems });
  const slides = data.deck.slides.map((source, index) => buildSlide(source, index, { figures, charts, layouts: options.layouts, roles, trulyUnknown, deckFile: data.deckFile, problems }));
  const warnings = [...data.notices, ...figureWarnings, ...unusedWarnings(data, slides, charts), ...limitWarnings(data, options.layouts)];
  problems.throwIfAny();

  const falseClaims: DataProblem[] = slides.flatMap((slide) =>
    slide.claims
      .filter((claim) => !claim.holds)
      .map((claim) => ({ ...data.deckFile.locate(['slides', slide.number - 1, 'claims']), message: `${describeSlide(slide)}: ${claim.withValues} is false (claim: ${claim.check}${claim.says ? `, "${claim.says}"` : ''})` })),
  );
  if (falseClaims.length > 0) {
    if (!options.allowFalseClaims) throw new DataErrors(falseClaims, 'falseClaim');
    warnings.push(...falseClaims.map((claim) => `${claim.file}:${claim.line}: ${claim.message} (allowed by --allow-false-claims)`));
  }

  const { citations, perSlide } = numberCitations(slides);
  return {
    title: data.deck.title,
    subtitle: data.deck.subtitle,
    author: data.deck.author,
    lang: data.deck.lang,
    locale: data.deck.locale,
    sourcesTitle: data.deck.sources_title,
    slides,
    figures,
    charts,
    units: data.units,
    layouts: options.layouts,
    citations,
    citationsBySlide: perSlide,
    warnings,
  };
}

/** Facts no slide shows and charts on no slide: likely leftovers of an edit. */
function unusedWarnings(data: LoadedData, slides: readonly ContentSlide[], charts: ReadonlyMap<string, ChartModel>): string[] {
  // Derived figures used on slides make their inputs used too.
  const usedFacts = new Set(slides.flatMap((slide) => slide.figures.flatMap((figure) => figure.basis.map((fact) => fact.id))));
  const usedCharts = new Set(slides.flatMap((slide) => [slide.chart?.id, slide.table?.id].filter((id) => id !== undefined)));
  return [
    ...data.facts.filter(({ fact }) => !usedFacts.has(fact.id)).map(({ fact, line }) => `${data.factsFile}:${line}: fact "${fact.id}" is defined but not shown or cited on any slide`),
    ...[...charts.keys()].filter((id) => !usedCharts.has(id)).map((id) => `${data.chartsFile.file}: chart "${id}" is defined but on no slide`),
  ];
}

/** A slide that gives a list more entries than its layout says it holds: the overflow check will tell whether they fit. */
function limitWarnings(data: LoadedData, layouts: ReadonlyMap<string, LayoutContract>): string[] {
  return data.deck.slides.flatMap((slide, index) => {
    const limits = layouts.get(slide.layout)?.limits ?? {};
    return listFields.flatMap((field) => {
      const value = slide[field];
      const limit = limits[field];
      if (limit === undefined || !Array.isArray(value) || value.length <= limit) return [];
      const where = data.deckFile.locate(['slides', index, field]);
      return [`${where.file}:${where.line}: slide ${index + 1}${slide.id ? ` "${slide.id}"` : ''} has ${value.length} ${field}; layout "${slide.layout}" holds ${limit}`];
    });
  });
}
