/**
 * A deliberately tiny arithmetic language for derived figures and claims: numbers, fact ids,
 * + - * /, comparisons and a few named functions. It is parsed and walked here, never handed to
 * eval or Function, so data can compute but cannot run code.
 */

import { didYouMean } from '../suggest.js';

export type Expr =
  | { kind: 'number'; value: number }
  | { kind: 'ref'; id: string }
  | { kind: 'unary'; op: '-'; operand: Expr }
  | { kind: 'binary'; op: BinaryOp; left: Expr; right: Expr }
  | { kind: 'call'; name: FunctionName; args: Expr[] };

type BinaryOp = '+' | '-' | '*' | '/' | '<' | '<=' | '>' | '>=' | '==' | '!=';
const comparisonOps = ['<=', '>=', '==', '!=', '<', '>'] as const;

const functions = {
  min: { arity: [1, Infinity], apply: (a: number[]) => Math.min(...a) },
  max: { arity: [1, Infinity], apply: (a: number[]) => Math.max(...a) },
  abs: { arity: [1, 1], apply: (a: number[]) => Math.abs(a[0]!) },
  round: { arity: [1, 1], apply: (a: number[]) => Math.round(a[0]!) },
  /** between(x, low, high): low <= x <= high, for "about N" claims. */
  between: { arity: [3, 3], apply: (a: number[]) => (a[1]! <= a[0]! && a[0]! <= a[2]! ? 1 : 0), boolean: true },
} as const satisfies Record<string, { arity: readonly [number, number]; apply: (args: number[]) => number; boolean?: boolean }>;
type FunctionName = keyof typeof functions;

export class ExpressionError extends Error {
  constructor(message: string, readonly position?: number) {
    super(message);
    this.name = 'ExpressionError';
  }
}

type Token =
  | { type: 'number'; value: number; pos: number }
  | { type: 'ident'; value: string; pos: number }
  | { type: 'op'; value: string; pos: number }
  | { type: 'end'; pos: number };

function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  let pos = 0;
  while (pos < source.length) {
    const rest = source.slice(pos);
    const space = /^\s+/.exec(rest);
    if (space) {
      pos += space[0].length;
      continue;
    }
    const number = /^\d+(\.\d+)?([eE][+-]?\d+)?/.exec(rest);
    if (number) {
      tokens.push({ type: 'number', value: Number(number[0]), pos });
      pos += number[0].length;
      continue;
    }
    const ident = /^[a-z][a-z0-9_]*(\.[a-z0-9_]+)*/.exec(rest);
    if (ident) {
      tokens.push({ type: 'ident', value: ident[0], pos });
      pos += ident[0].length;
      continue;
    }
    const op = /^(<=|>=|==|!=|[-+*/()<>,])/.exec(rest);
    if (op) {
      tokens.push({ type: 'op', value: op[0], pos });
      pos += op[0].length;
      continue;
    }
    throw new ExpressionError(`unexpected "${rest[0]}" at character ${pos + 1}`, pos);
  }
  tokens.push({ type: 'end', pos });
  return tokens;
}

/**
 * Operators chain without nesting (a + b + c ...), yet the tree they make is as deep as the chain
 * is long, and every walk over it recurses: a bound on length keeps a pathological expression an
 * error, not a stack overflow.
 */
export const maxTokens = 1000;

export function parseExpression(source: string): Expr {
  const parser = new Parser(tokenize(source));
  const expr = parser.comparison();
  const last = parser.peek();
  if (last.type !== 'end') throw new ExpressionError(`unexpected "${'value' in last ? last.value : ''}" at character ${last.pos + 1}`, last.pos);
  // Checked after parsing, which bounds nesting itself (and says so more precisely).
  if (parser.tokens.length - 1 > maxTokens) {
    throw new ExpressionError(`is too long (${parser.tokens.length - 1} symbols, at most ${maxTokens}): split it into several derived figures`);
  }
  return expr;
}

/** Recursion is bounded so a pathological expression is an error, not a stack overflow. */
const maxDepth = 256;

/** A recursive-descent parser over the tokens: comparison > sum > product > unary > primary. */
class Parser {
  private index = 0;
  private depth = 0;
  constructor(readonly tokens: readonly Token[]) {}

  peek(): Token {
    return this.tokens[this.index]!;
  }

  private next(): Token {
    return this.tokens[this.index++]!;
  }

  private isOp(value: string): boolean {
    const token = this.peek();
    return token.type === 'op' && token.value === value;
  }

  private expect(value: string): void {
    const token = this.next();
    if (token.type !== 'op' || token.value !== value) throw new ExpressionError(`expected "${value}" at character ${token.pos + 1}`, token.pos);
  }

  private deeper(token: Token): void {
    if (this.depth > maxDepth) throw new ExpressionError(`nested too deeply at character ${token.pos + 1}`, token.pos);
  }

  comparison(): Expr {
    const left = this.sum();
    const op = comparisonOps.find((candidate) => this.isOp(candidate));
    if (!op) return left;
    this.next();
    return { kind: 'binary', op, left, right: this.sum() };
  }

  private sum(): Expr {
    let left = this.product();
    while (this.isOp('+') || this.isOp('-')) {
      const op = this.next() as { value: '+' | '-' };
      left = { kind: 'binary', op: op.value, left, right: this.product() };
    }
    return left;
  }

  private product(): Expr {
    let left = this.unary();
    while (this.isOp('*') || this.isOp('/')) {
      const op = this.next() as { value: '*' | '/' };
      left = { kind: 'binary', op: op.value, left, right: this.unary() };
    }
    return left;
  }

  private unary(): Expr {
    if (!this.isOp('-')) return this.primary();
    this.deeper(this.next());
    this.depth += 1;
    const operand = this.unary();
    this.depth -= 1;
    return { kind: 'unary', op: '-', operand };
  }

  private primary(): Expr {
    const token = this.next();
    this.deeper(token);
    if (token.type === 'number') return { kind: 'number', value: token.value };
    if (token.type === 'ident') return this.isOp('(') ? this.call(token) : { kind: 'ref', id: token.value };
    if (token.type === 'op' && token.value === '(') {
      this.depth += 1;
      const inner = this.comparison();
      this.expect(')');
      this.depth -= 1;
      return inner;
    }
    throw new ExpressionError(token.type === 'end' ? 'unexpected end of expression' : `unexpected "${token.value}" at character ${token.pos + 1}`, token.pos);
  }

  /** A function call: its name known, its arguments as many as it takes. */
  private call(token: Extract<Token, { type: 'ident' }>): Expr {
    if (!Object.hasOwn(functions, token.value)) {
      throw new ExpressionError(`unknown function "${token.value}" (known: ${Object.keys(functions).join(', ')})${didYouMean(token.value, Object.keys(functions))}`, token.pos);
    }
    this.next();
    this.depth += 1;
    const args: Expr[] = [];
    if (!this.isOp(')')) {
      args.push(this.comparison());
      while (this.isOp(',')) {
        this.next();
        args.push(this.comparison());
      }
    }
    this.expect(')');
    this.depth -= 1;
    const name = token.value as FunctionName;
    const [low, high] = functions[name].arity;
    if (args.length < low || args.length > high) throw new ExpressionError(`${name}() takes ${low === high ? low : `${low} or more`} arguments, got ${args.length}`, token.pos);
    return { kind: 'call', name, args };
  }
}

/** Fact ids an expression reads, in the order written. */
export function references(expr: Expr): string[] {
  switch (expr.kind) {
    case 'number':
      return [];
    case 'ref':
      return [expr.id];
    case 'unary':
      return references(expr.operand);
    case 'binary':
      return [...references(expr.left), ...references(expr.right)];
    case 'call':
      return expr.args.flatMap(references);
  }
}

export function isBoolean(expr: Expr): boolean {
  if (expr.kind === 'binary') return (comparisonOps as readonly string[]).includes(expr.op);
  return expr.kind === 'call' && 'boolean' in functions[expr.name];
}

export type Lookup = (id: string) => number;

export function evaluate(expr: Expr, lookup: Lookup): number {
  switch (expr.kind) {
    case 'number':
      return expr.value;
    case 'ref':
      return lookup(expr.id);
    case 'unary':
      return -evaluate(expr.operand, lookup);
    case 'call':
      return functions[expr.name].apply(expr.args.map((arg) => evaluate(arg, lookup)));
    case 'binary': {
      const left = evaluate(expr.left, lookup);
      const right = evaluate(expr.right, lookup);
      switch (expr.op) {
        case '+': return left + right;
        case '-': return left - right;
        case '*': return left * right;
        case '/':
          if (right === 0) throw new ExpressionError('division by zero');
          return left / right;
        case '<': return left < right ? 1 : 0;
        case '<=': return left <= right ? 1 : 0;
        case '>': return left > right ? 1 : 0;
        case '>=': return left >= right ? 1 : 0;
        case '==': return left === right ? 1 : 0;
        case '!=': return left !== right ? 1 : 0;
      }
    }
  }
}

function compactNumber(value: number): string {
  if (value !== 0 && (Math.abs(value) >= 1e4 || Math.abs(value) < 1e-3)) return value.toExponential(1).replace('e+', 'e');
  return String(Number(value.toPrecision(3)));
}

/** The expression with every fact replaced by its value: what a reader needs to see a claim fail. */
export function substitute(expr: Expr, lookup: Lookup): string {
  switch (expr.kind) {
    case 'number':
      return compactNumber(expr.value);
    case 'ref':
      return compactNumber(lookup(expr.id));
    case 'unary':
      return expr.operand.kind === 'binary' ? `-(${substitute(expr.operand, lookup)})` : `-${substitute(expr.operand, lookup)}`;
    case 'call':
      return `${expr.name}(${expr.args.map((arg) => substitute(arg, lookup)).join(', ')})`;
    case 'binary': {
      // a - (b + c) and a / (b * c) keep their brackets: equal precedence on the right still binds.
      const wrap = (side: Expr, right: boolean): string =>
        side.kind === 'binary' && (precedence(side.op) < precedence(expr.op) || (right && precedence(side.op) === precedence(expr.op) && expr.op !== '+' && expr.op !== '*'))
          ? `(${substitute(side, lookup)})`
          : substitute(side, lookup);
      return `${wrap(expr.left, false)} ${expr.op} ${wrap(expr.right, true)}`;
    }
  }
}

function precedence(op: BinaryOp): number {
  if (op === '*' || op === '/') return 3;
  if (op === '+' || op === '-') return 2;
  return 1;
}
