import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { ProblemList } from '../src/errors.js';
import { evaluateClaims } from '../src/model/claims.js';
import { evaluate, ExpressionError, isBoolean, parseExpression, references, substitute } from '../src/model/expression.js';
import type { Figure } from '../src/model/figures.js';

const facts: Record<string, number> = { 'a.b.2024': 5e9, 'c.d': 5e9, 'e': 9.1e9 };
const lookup = (id: string): number => facts[id]!;

describe('expressions', () => {
  it('computes with precedence and parentheses', () => {
    expect(evaluate(parseExpression('1 + 2 * 3'), lookup)).toBe(7);
    expect(evaluate(parseExpression('(1 + 2) * 3'), lookup)).toBe(9);
    expect(evaluate(parseExpression('-a.b.2024 / 5e9'), lookup)).toBe(-1);
  });
  it('lists references, including ids ending in a year', () => {
    expect(references(parseExpression('a.b.2024 + c.d < e'))).toEqual(['a.b.2024', 'c.d', 'e']);
  });
  it('explains a false claim with values', () => {
    const claim = parseExpression('a.b.2024 + c.d < e');
    expect(isBoolean(claim)).toBe(true);
    expect(evaluate(claim, lookup)).toBe(0);
    expect(substitute(claim, lookup)).toBe('5.0e9 + 5.0e9 < 9.1e9');
  });
  it('keeps the brackets that change the meaning when it shows values', () => {
    const values = (source: string): string => substitute(parseExpression(source), () => 2);
    expect(values('a / (b * c) > 1')).toBe('2 / (2 * 2) > 1');
    expect(values('a - (b + c)')).toBe('2 - (2 + 2)');
    expect(values('-(a + b)')).toBe('-(2 + 2)');
    expect(values('(a + b) + c')).toBe('2 + 2 + 2');
  });
  it('supports between, min, max, abs, round', () => {
    expect(evaluate(parseExpression('between(74, 50, 90)'), lookup)).toBe(1);
    expect(evaluate(parseExpression('min(3, 1, 2) + max(1, 4) + abs(-2) + round(2.6)'), lookup)).toBe(10);
  });
  it('refuses anything that is not arithmetic', () => {
    for (const source of ['process.exit()', 'a; b', '"x"', 'a[0]', 'a = 1', '1 +', 'between(1, 2)', 'x => x']) {
      expect(() => parseExpression(source), source).toThrow(ExpressionError);
    }
  });
  it('reports division by zero', () => {
    expect(() => evaluate(parseExpression('1 / (e - e)'), lookup)).toThrow('division by zero');
  });
});

describe('pathological expressions', () => {
  it('reports deep nesting as an expression error, not a stack overflow', () => {
    for (const source of ['('.repeat(3000) + '1' + ')'.repeat(3000), '-'.repeat(30_000) + '1', 'min('.repeat(500) + '1' + ')'.repeat(500)]) {
      expect(() => parseExpression(source)).toThrow(/nested too deeply/);
    }
    expect(evaluate(parseExpression('--((1))'), () => 0)).toBe(1);
  });
});

/** Each operator as JavaScript itself evaluates it: the reference a claim's comparison must match. */
const javascript: Record<string, (a: number, b: number) => boolean> = {
  '<': (a, b) => a < b,
  '<=': (a, b) => a <= b,
  '>': (a, b) => a > b,
  '>=': (a, b) => a >= b,
  '==': (a, b) => a === b,
  '!=': (a, b) => a !== b,
};

/** A claim as the build checks it: parsed, evaluated over the deck's figures, held or not. */
function claimHolds(check: string, values: Record<string, number>): boolean {
  const problems = new ProblemList();
  const figures = new Map(Object.entries(values).map(([id, value]) => [id, { id, value, unit: 'count', label: id, kind: 'fact', basis: [], articleValue: undefined, note: '' } satisfies Figure]));
  const [result] = evaluateClaims([check], () => ({ file: 'deck.yaml', message: '' }), { figures, trulyUnknown: () => true, use: () => undefined, problems });
  expect(problems.problems).toEqual([]);
  return result!.holds;
}

describe('comparisons at their boundaries', () => {
  it('every operator tells equal, smaller and larger apart, as JavaScript does', () => {
    const expected: Record<string, [equal: boolean, smaller: boolean, larger: boolean]> = {
      '<': [false, true, false],
      '<=': [true, true, false],
      '>': [false, false, true],
      '>=': [true, false, true],
      '==': [true, false, false],
      '!=': [false, true, true],
    };
    for (const [op, [equal, smaller, larger]] of Object.entries(expected)) {
      expect(claimHolds(`5 ${op} 5`, {}), `5 ${op} 5`).toBe(equal);
      expect(claimHolds(`4 ${op} 5`, {}), `4 ${op} 5`).toBe(smaller);
      expect(claimHolds(`6 ${op} 5`, {}), `6 ${op} 5`).toBe(larger);
      // The same through figures, and with negative values and fractions.
      expect(claimHolds(`a.x ${op} b.y`, { 'a.x': 1.5e9, 'b.y': 1.5e9 }), `equal figures, ${op}`).toBe(equal);
      expect(claimHolds(`a.x ${op} b.y`, { 'a.x': -0.25, 'b.y': -0.2 }), `smaller figure, ${op}`).toBe(smaller);
      expect(claimHolds(`-a.x ${op} -b.y`, { 'a.x': 2, 'b.y': 3 }), `larger negation, ${op}`).toBe(larger);
    }
  });

  it('between includes both of its bounds and nothing beyond them', () => {
    expect(claimHolds('between(5, 5, 9)', {})).toBe(true);
    expect(claimHolds('between(9, 5, 9)', {})).toBe(true);
    expect(claimHolds('between(7, 5, 9)', {})).toBe(true);
    expect(claimHolds('between(4.999, 5, 9)', {})).toBe(false);
    expect(claimHolds('between(9.001, 5, 9)', {})).toBe(false);
    expect(claimHolds('between(5, 5, 5)', {})).toBe(true);
    // Bounds the wrong way round hold for nothing.
    expect(claimHolds('between(7, 9, 5)', {})).toBe(false);
  });

  it('each operator agrees with JavaScript on random pairs, equal ones included', () => {
    const value = fc.oneof(fc.integer({ min: -3, max: 3 }), fc.double({ min: -1e12, max: 1e12, noNaN: true }));
    const pair = fc.oneof(value.map((a) => [a, a] as const), fc.tuple(value, value));
    fc.assert(
      fc.property(pair, fc.constantFrom(...Object.keys(javascript)), ([a, b], op) => {
        expect(claimHolds(`a.x ${op} b.y`, { 'a.x': a, 'b.y': b }), `${a} ${op} ${b}`).toBe(javascript[op]!(a, b));
      }),
      { numRuns: 500 },
    );
    fc.assert(
      fc.property(value, value, value, (x, low, high) => {
        expect(claimHolds('between(x.v, lo.v, hi.v)', { 'x.v': x, 'lo.v': low, 'hi.v': high }), `between(${x}, ${low}, ${high})`).toBe(low <= x && x <= high);
        expect(claimHolds('between(x.v, lo.v, hi.v)', { 'x.v': low, 'lo.v': low, 'hi.v': high }), `between(${low}, ${low}, ${high})`).toBe(low <= high);
      }),
      { numRuns: 300 },
    );
  });
});
