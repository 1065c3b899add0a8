import type { DataProblem, ProblemList } from '../errors.js';
import type { LocatedFact } from '../data/csv.js';
import { isRank, rankMessage, type FactRow, type DerivedSource, type FactStatus, type Unit } from '../data/schema.js';
import type { YamlFile } from '../data/yaml.js';
import { evaluate, ExpressionError, parseExpression, references, type Expr } from './expression.js';
import { didYouMean } from '../suggest.js';

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

/** The figure book being built: what is computed, what waits, what failed, where to say so. */
interface Builder {
  book: Map<string, Figure>;
  /** Derived figures parsed and not yet computed. */
  pending: Map<string, { source: DerivedSource; expr: Expr; index: number }>;
  /** Figures on the current path of the depth-first walk (a cycle comes back to one). */
  visiting: Set<string>;
  /** Figures that exist but could not be computed: their dependants fail quietly, reported once. */
  failed: Set<string>;
  knownIds: string[];
  derivedFile: YamlFile;
  problems: ProblemList;
  warnings: string[];
}

/**
 * Evaluates derived figures in dependency order. Each problem (unknown id, cycle, bad syntax,
 * division by zero) is located at the figure's expression in derived.yaml.
 */
export function buildFigureBook(facts: readonly LocatedFact[], derived: readonly DerivedSource[], derivedFile: YamlFile, problems: ProblemList): { book: Map<string, Figure>; failed: FailedFigures; warnings: string[] } {
  const builder: Builder = { book: new Map(), pending: new Map(), visiting: new Set(), failed: new Set(), knownIds: [...facts.map(({ fact }) => fact.id), ...derived.map((source) => source.id)], derivedFile, problems, warnings: [] };
  for (const located of facts) {
    const fact = toSourcedFact(located);
    builder.book.set(fact.id, { id: fact.id, value: fact.value, unit: fact.unit, label: fact.label, kind: 'fact', basis: [fact], articleValue: fact.articleValue, note: fact.note });
  }
  derived.forEach((source, index) => parseDerived(builder, source, index));
  for (const id of [...builder.pending.keys()]) resolve(builder, id);
  const { book, failed, warnings } = builder;
  return { book, failed: new Set([...failed, ...derived.map((source) => source.id).filter((id) => !book.has(id))]), warnings };
}

function parseDerived(builder: Builder, source: DerivedSource, index: number): void {
  const { book, pending, derivedFile, problems } = builder;
  if (book.has(source.id) || pending.has(source.id)) {
    problems.add({ ...derivedFile.locate([index, 'id']), field: `[${index}].id`, message: `duplicate id "${source.id}" (already a fact or a derived figure)` });
    return;
  }
  try {
    pending.set(source.id, { source, expr: parseExpression(source.expr), index });
  } catch (error) {
    if (!(error instanceof ExpressionError)) throw error;
    problems.add({ ...derivedFile.locate([index, 'expr']), field: `${source.id}.expr`, message: `figure "${source.id}": expression "${source.expr}": ${error.message}` });
  }
}

function whereOf(builder: Builder, id: string): DataProblem {
  const { source, index } = builder.pending.get(id)!;
  return { ...builder.derivedFile.locate([index, 'expr']), field: `${source.id}.expr`, message: '' };
}

/** All inputs resolved: the figure's value, and what the article's own numbers would give. */
function compute(builder: Builder, id: string, inputs: ReadonlyMap<string, Figure>): Figure | undefined {
  const { source, expr } = builder.pending.get(id)!;
  const where = whereOf(builder, id);
  let value: number;
  try {
    value = evaluate(expr, (ref) => inputs.get(ref)!.value);
  } catch (error) {
    if (!(error instanceof ExpressionError)) throw error;
    builder.problems.add({ ...where, message: `figure "${id}": expression "${source.expr}": ${error.message}` });
    return undefined;
  }
  if (!Number.isFinite(value)) {
    builder.problems.add({ ...where, message: `figure "${id}": expression "${source.expr}" gives ${value}, not a finite number` });
    return undefined;
  }
  if (source.unit === 'rank' && !isRank(value)) {
    builder.problems.add({ ...where, message: `"${id}" (unit rank): expression "${source.expr}" gives ${value}, which ${rankMessage}; round() it or change its unit` });
    return undefined;
  }
  if (source.unit === 'percent' && value !== 0 && Math.abs(value) < 1) {
    const { file, line } = builder.derivedFile.locate([builder.pending.get(id)!.index, 'unit']);
    builder.warnings.push(`${file}:${line}: figure "${id}" (unit percent) is ${value}, which reads as ${value} %: percent is 0 to 100 (12.5 for 12.5 %). If it is a fraction of a whole, multiply it by 100 (${source.expr} * 100) or give it the unit fraction`);
  }
  const basis = [...new Map([...inputs.values()].flatMap((input) => input.basis).map((fact) => [fact.id, fact])).values()];
  return { id, value, unit: source.unit, label: source.label, kind: 'derived', basis, articleValue: articleValueOf(builder, source, expr, inputs), expr: source.expr, note: source.note ?? '' };
}

/**
 * The figure computed with the article's numbers, shown only to discuss a correction. The
 * article may print a zero or numbers that overflow: then there is nothing to compare, which
 * is worth a warning but is no fault in the deck's own figure.
 */
function articleValueOf(builder: Builder, source: DerivedSource, expr: Expr, inputs: ReadonlyMap<string, Figure>): number | undefined {
  const articleDiffers = [...inputs.values()].some((input) => input.articleValue !== undefined && input.articleValue !== input.value);
  if (!articleDiffers) return undefined;
  let articleValue: number;
  try {
    articleValue = evaluate(expr, (ref) => inputs.get(ref)!.articleValue ?? inputs.get(ref)!.value);
  } catch (error) {
    if (!(error instanceof ExpressionError)) throw error;
    builder.warnings.push(`${builder.derivedFile.file}: "${source.id}" with the article's own figures: ${error.message}; no comparison with the article is shown`);
    return undefined;
  }
  if (!Number.isFinite(articleValue)) {
    builder.warnings.push(`${builder.derivedFile.file}: "${source.id}" with the article's own figures gives ${articleValue}; no comparison with the article is shown`);
    return undefined;
  }
  return articleValue;
}

/**
 * Computes a derived figure and everything it depends on, depth first with an explicit stack: a
 * chain of thousands of derived figures must not overflow the call stack.
 */
function resolve(builder: Builder, rootId: string): void {
  const { book, pending, visiting, failed, problems } = builder;
  if (book.has(rootId) || !pending.has(rootId)) return;
  interface Frame { id: string; refs: string[]; next: number; inputs: Map<string, Figure> }
  const stack: Frame[] = [];
  const enter = (id: string): void => {
    visiting.add(id);
    stack.push({ id, refs: references(pending.get(id)!.expr), next: 0, inputs: new Map() });
  };
  const leave = (figure: Figure | undefined): { figure: Figure | undefined } => {
    const frame = stack.pop()!;
    visiting.delete(frame.id);
    pending.delete(frame.id);
    if (figure) book.set(frame.id, figure);
    else failed.add(frame.id);
    return { figure };
  };
  enter(rootId);
  // What the frame just left gave its parent: a figure, or undefined when it could not be computed.
  let returned: { figure: Figure | undefined } | undefined;
  while (stack.length > 0) {
    const frame = stack.at(-1)!;
    if (returned) {
      const { figure } = returned;
      returned = figure ? undefined : leave(undefined);
      if (!figure) continue;
      frame.inputs.set(frame.refs[frame.next - 1]!, figure);
    }
    if (frame.next === frame.refs.length) {
      returned = leave(compute(builder, frame.id, frame.inputs));
      continue;
    }
    const ref = frame.refs[frame.next++]!;
    const known = book.get(ref);
    if (known) frame.inputs.set(ref, known);
    else if (visiting.has(ref)) {
      problems.add({ ...whereOf(builder, ref), message: `"${ref}" depends on itself (${[...visiting, ref].join(' -> ')})` });
      returned = leave(undefined);
    } else if (!pending.has(ref)) {
      if (!failed.has(ref)) problems.add({ ...whereOf(builder, frame.id), message: `figure "${frame.id}": expression "${pending.get(frame.id)!.source.expr}" uses unknown fact "${ref}"${didYouMean(ref, builder.knownIds)}` });
      returned = leave(undefined);
    } else enter(ref);
  }
}
