import type { Unit } from '../data/schema.js';
import type { Locale } from '../i18n/locale.js';
import { evaluate, type Expr } from '../model/expression.js';
import type { FigureBook } from '../model/figures.js';

type Binary = Extract<Expr, { kind: 'binary' }>;
const symbols: Record<Binary['op'], string> = { '<': '<', '<=': '≤', '>': '>', '>=': '≥', '==': '=', '!=': '≠', '+': '+', '-': '−', '*': '×', '/': '/' };
const comparisons: ReadonlySet<Binary['op']> = new Set(['<', '<=', '>', '>=', '==', '!=']);
const precedence = (op: Binary['op']): number => (op === '*' || op === '/' ? 3 : op === '+' || op === '-' ? 2 : 1);

/** The unit a part of a check is counted in, when it says one: a figure's, or that of the figures it adds up. */
function unitOf(expr: Expr, figures: FigureBook): Unit | undefined {
  const common = (parts: readonly Expr[]): Unit | undefined => {
    const units = new Set(parts.map((part) => unitOf(part, figures)).filter((unit) => unit !== undefined));
    return units.size === 1 ? [...units][0] : undefined;
  };
  switch (expr.kind) {
    case 'number':
      return undefined;
    case 'ref':
      return figures.get(expr.id)?.unit;
    case 'unary':
      return unitOf(expr.operand, figures);
    case 'call':
      return expr.name === 'between' ? undefined : common(expr.args);
    case 'binary':
      return expr.op === '+' || expr.op === '-' ? common([expr.left, expr.right]) : undefined;
  }
}

/**
 * A check written with the edition's figures, as a reader verifies it: "10 Md$ < 13,7 Md$",
 * "70 % ≤ 88,6 % ≤ 100 %". A number typed in the check takes the unit of what it is compared
 * with. Figures get more significant digits until the two sides of every comparison read
 * differently when they differ ("1,94 ≥ 1,9", not "1,9 ≥ 1,9").
 */
export function claimInFigures(expr: Expr, figures: FigureBook, locale: Locale, argumentSeparator: string): string {
  let text = '';
  for (const precision of [undefined, 3, 4, 5, 6]) {
    const written = writeCheck(expr, figures, locale, argumentSeparator, precision);
    text = written.text;
    if (!written.blurred) break;
  }
  return text;
}

function writeCheck(root: Expr, figures: FigureBook, locale: Locale, separator: string, precision: number | undefined): { text: string; blurred: boolean } {
  let blurred = false;
  const lookup = (id: string): number => figures.get(id)!.value;
  // A number with no unit keeps what was typed, grouped only from five digits (a year stays 2026).
  const plainNumber = new Intl.NumberFormat(locale.locale, { maximumFractionDigits: 20, useGrouping: 'min2' });
  /** The sides of a comparison, written; two that differ must not read the same. */
  const compare = (sides: readonly Expr[], unit: Unit | undefined): string[] => {
    const texts = sides.map((side) => write(side, unit));
    for (let i = 1; i < sides.length; i += 1) {
      if (texts[i] === texts[i - 1] && evaluate(sides[i]!, lookup) !== evaluate(sides[i - 1]!, lookup)) blurred = true;
    }
    return texts;
  };
  const write = (expr: Expr, unit: Unit | undefined): string => {
    switch (expr.kind) {
      case 'number':
        return unit ? locale.figures.format(expr.value, unit, 'short', precision) : plainNumber.format(expr.value).replace(/\u202f/g, '\u00a0');
      case 'ref': {
        const figure = figures.get(expr.id)!;
        return locale.figures.format(figure.value, figure.unit, 'short', precision);
      }
      case 'unary':
        return `−${expr.operand.kind === 'binary' ? `(${write(expr.operand, unit)})` : write(expr.operand, unit)}`;
      case 'call': {
        if (expr.name === 'between') {
          // between(x, low, high) reads as low ≤ x ≤ high.
          const [low, value, high] = compare([expr.args[1]!, expr.args[0]!, expr.args[2]!], unitOf(expr.args[0]!, figures) ?? unitOf(expr.args[1]!, figures));
          return `${low} ≤ ${value} ≤ ${high}`;
        }
        const inner = unitOf(expr, figures) ?? unit;
        if (expr.name === 'abs') return `|${write(expr.args[0]!, inner)}|`;
        return `${expr.name}(${expr.args.map((arg) => write(arg, inner)).join(separator)})`;
      }
      case 'binary': {
        if (comparisons.has(expr.op)) {
          const [left, right] = compare([expr.left, expr.right], unitOf(expr.left, figures) ?? unitOf(expr.right, figures));
          return `${left} ${symbols[expr.op]} ${right}`;
        }
        // A number multiplying or dividing is a plain number; one added takes the unit of the sum.
        const inner = expr.op === '+' || expr.op === '-' ? (unitOf(expr, figures) ?? unit) : undefined;
        const side = (part: Expr, right: boolean): string => {
          const text = write(part, inner);
          const wrap = part.kind === 'binary' && (precedence(part.op) < precedence(expr.op) || (right && precedence(part.op) === precedence(expr.op) && expr.op !== '+' && expr.op !== '*'));
          return wrap ? `(${text})` : text;
        };
        return `${side(expr.left, false)} ${symbols[expr.op]} ${side(expr.right, true)}`;
      }
    }
  };
  return { text: write(root, undefined), blurred };
}
