import { describe, expect, it } from 'vitest';
import { evaluate, ExpressionError, isBoolean, parseExpression, references, substitute } from '../src/model/expression.js';

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
