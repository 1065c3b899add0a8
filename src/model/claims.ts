import type { DataProblem, ProblemList } from '../errors.js';
import type { Claim } from '../data/schema.js';
import { evaluate, ExpressionError, isBoolean, parseExpression, references, substitute, type Expr } from './expression.js';
import type { FigureBook } from './figures.js';
import { closestName } from '../suggest.js';

export interface ClaimResult {
  check: string;
  says: string | undefined;
  holds: boolean;
  /** The check with values in place of ids, e.g. "5e9 + 5e9 < 1.37e10". */
  withValues: string;
  /** The check, parsed: an edition writes it with its figures ("10 Md$ < 13,7 Md$"). */
  expr: Expr;
}

export interface ClaimContext {
  figures: FigureBook;
  trulyUnknown: (id: string) => boolean;
  /** Marks a figure as shown on the slide (claims cite what they rest on). */
  use: (id: string) => void;
  problems: ProblemList;
}

/** Evaluates a slide's claims; a problem in one (bad syntax, unknown fact) is located at it. */
export function evaluateClaims(claims: readonly Claim[], where: (index: number) => DataProblem, context: ClaimContext): ClaimResult[] {
  const { figures, trulyUnknown, use, problems } = context;
  const results: ClaimResult[] = [];
  claims.forEach((claim, index) => {
    const check = typeof claim === 'string' ? claim : claim.check;
    const says = typeof claim === 'string' ? undefined : claim.says;
    const at = where(index);
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
        const named = missing.map((id) => {
          const close = closestName(id, figures.keys());
          return `"${id}"${close === undefined ? '' : ` (did you mean "${close}"?)`}`;
        });
        problems.add({ ...at, message: `claim "${check}" uses unknown fact${missing.length > 1 ? 's' : ''} ${named.join(', ')}` });
        return;
      }
      for (const id of refs) use(id);
      const lookup = (id: string): number => figures.get(id)!.value;
      results.push({ check, says, holds: evaluate(expr, lookup) !== 0, withValues: substitute(expr, lookup), expr });
    } catch (error) {
      if (!(error instanceof ExpressionError)) throw error;
      problems.add({ ...at, message: `claim "${check}": ${error.message}` });
    }
  });
  return results;
}
