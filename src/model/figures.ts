import type { ProblemList } from '../errors.js';
import type { LocatedFact } from '../data/csv.js';
import type { FactRow, DerivedSource, FactStatus, Unit } from '../data/schema.js';
import type { YamlFile } from '../data/yaml.js';
import { evaluate, ExpressionError, parseExpression, references, type Expr } from './expression.js';

/** A fact as read from facts.csv: the unit of citation on the sources slide. */
export interface SourcedFact {
  id: string;
  value: number;
  unit: Unit;
  period: string;
  label: string;
  status: FactStatus;
  sourceTitle: string;
  sourceUrl: string;
  articleValue: number | undefined;
  note: string;
  line: number;
}

/** Anything a slide can show: a fact, or a figure derived from facts. */
export interface Figure {
  id: string;
  value: number;
  unit: Unit;
  label: string;
  kind: 'fact' | 'derived';
  /** The facts this figure rests on (itself, for a fact), each cited on the sources slide. */
  basis: readonly SourcedFact[];
  /** What the figure would be with the article's own numbers, when they differ from the sourced ones. */
  articleValue: number | undefined;
  expr?: string;
  note: string;
}

export type FigureBook = ReadonlyMap<string, Figure>;

/** Figures declared in derived.yaml that could not be computed (already reported there). */
export type FailedFigures = ReadonlySet<string>;

function toSourcedFact({ fact, line }: LocatedFact): SourcedFact {
  const row: FactRow = fact;
  return {
    id: row.id,
    value: row.value,
    unit: row.unit,
    period: row.period,
    label: row.label,
    status: row.status,
    sourceTitle: row.source_title,
    sourceUrl: row.source_url,
    articleValue: row.article_value,
    note: row.note,
    line,
  };
}

/**
 * Evaluates derived figures in dependency order. Each problem (unknown id, cycle, bad syntax,
 * division by zero) is located at the figure's expression in derived.yaml.
 */
export function buildFigureBook(facts: readonly LocatedFact[], derived: readonly DerivedSource[], derivedFile: YamlFile, problems: ProblemList): { book: Map<string, Figure>; failed: FailedFigures } {
  const book = new Map<string, Figure>();
  for (const located of facts) {
    const fact = toSourcedFact(located);
    book.set(fact.id, {
      id: fact.id,
      value: fact.value,
      unit: fact.unit,
      label: fact.label,
      kind: 'fact',
      basis: [fact],
      articleValue: fact.articleValue,
      note: fact.note,
    });
  }

  const pending = new Map<string, { source: DerivedSource; expr: Expr; index: number }>();
  derived.forEach((source, index) => {
    const where = derivedFile.locate([index, 'expr']);
    if (book.has(source.id) || pending.has(source.id)) {
      problems.add({ ...derivedFile.locate([index, 'id']), field: `[${index}].id`, message: `duplicate id "${source.id}" (already a fact or a derived figure)` });
      return;
    }
    try {
      pending.set(source.id, { source, expr: parseExpression(source.expr), index });
    } catch (error) {
      if (!(error instanceof ExpressionError)) throw error;
      problems.add({ ...where, field: `${source.id}.expr`, message: `expression "${source.expr}": ${error.message}` });
    }
  });

  const visiting = new Set<string>();
  // Figures that exist but could not be computed: their dependants fail quietly, reported once.
  const failed = new Set<string>();
  const resolve = (id: string): Figure | undefined => {
    const known = book.get(id);
    if (known) return known;
    const entry = pending.get(id);
    if (!entry) return undefined;
    const { source, expr, index } = entry;
    const where = { ...derivedFile.locate([index, 'expr']), field: `${source.id}.expr` };
    if (visiting.has(id)) {
      problems.add({ ...where, message: `"${id}" depends on itself (${[...visiting, id].join(' -> ')})` });
      return undefined;
    }
    visiting.add(id);
    const inputs = new Map<string, Figure>();
    for (const ref of references(expr)) {
      const input = resolve(ref);
      if (!input) {
        if (!pending.has(ref) && !failed.has(ref)) problems.add({ ...where, message: `expression "${source.expr}" uses unknown fact "${ref}"` });
        visiting.delete(id);
        pending.delete(id);
        failed.add(id);
        return undefined;
      }
      inputs.set(ref, input);
    }
    visiting.delete(id);
    pending.delete(id);
    let value: number;
    let articleValue: number | undefined;
    try {
      value = evaluate(expr, (ref) => inputs.get(ref)!.value);
      const articleDiffers = [...inputs.values()].some((input) => input.articleValue !== undefined && input.articleValue !== input.value);
      articleValue = articleDiffers ? evaluate(expr, (ref) => inputs.get(ref)!.articleValue ?? inputs.get(ref)!.value) : undefined;
    } catch (error) {
      if (!(error instanceof ExpressionError)) throw error;
      problems.add({ ...where, message: `expression "${source.expr}": ${error.message}` });
      failed.add(id);
      return undefined;
    }
    if (!Number.isFinite(value)) {
      failed.add(id);
      problems.add({ ...where, message: `expression "${source.expr}" gives ${value}, not a finite number` });
      return undefined;
    }
    const basis = [...new Map([...inputs.values()].flatMap((input) => input.basis).map((fact) => [fact.id, fact])).values()];
    const figure: Figure = { id, value, unit: source.unit, label: source.label, kind: 'derived', basis, articleValue, expr: source.expr, note: source.note ?? '' };
    book.set(id, figure);
    return figure;
  };
  for (const id of [...pending.keys()]) resolve(id);
  return { book, failed: new Set([...failed, ...derived.map((source) => source.id).filter((id) => !book.has(id))]) };
}
