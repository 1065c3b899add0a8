/** Located problems (file, line, column, field) as the tests expect them, and the lines they point at. */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { expect } from 'vitest';
import type { DataProblem } from '../../src/errors.js';

/** 1-based line of the first occurrence of `needle` in `text`. */
export function lineOf(text: string, needle: string): number {
  const index = text.indexOf(needle);
  if (index < 0) throw new Error(`"${needle}" not found`);
  return text.slice(0, index).split('\n').length;
}

/** 1-based line of a file where `needle` is first written. */
export async function lineIn(file: string, needle: string): Promise<number> {
  const text = await readFile(file, 'utf8');
  if (!text.includes(needle)) throw new Error(`${needle} is not in ${file}`);
  return lineOf(text, needle);
}

/** Paths in messages use the platform separator; compare with forward slashes, whole segments. */
export function endsWithFile(file: string, ending: string): boolean {
  const normal = file.split(path.sep).join('/');
  return normal === ending || normal.endsWith(`/${ending}`);
}

/** A problem as a user reads it from the deck's folder: "data/deck.yaml:12:5: message". */
export function shown(problem: DataProblem): string {
  return `${problem.file.split(path.sep).join('/').replace(/^.*\/(?=data\/)/, '')}:${problem.line ?? ''}${problem.column !== undefined ? `:${problem.column}` : ''}: ${problem.message}`;
}

export interface ExpectedProblem {
  /** The file's path or its last segments ("data/deck.yaml"). */
  file: string;
  line: number;
  column?: number;
  field?: string;
  /** Part of the message, or a pattern it matches. */
  message: string | RegExp;
}

function matches(problem: DataProblem, expected: ExpectedProblem): boolean {
  const messageOk = typeof expected.message === 'string' ? problem.message.includes(expected.message) : expected.message.test(problem.message);
  return endsWithFile(problem.file, expected.file)
    && problem.line === expected.line
    && (expected.column === undefined || problem.column === expected.column)
    && (expected.field === undefined || problem.field === expected.field)
    && messageOk;
}

/** One of the problems is the one expected. */
export function expectProblem(problems: readonly DataProblem[], expected: ExpectedProblem): void {
  const found = problems.find((problem) => matches(problem, expected));
  const wanted = `${expected.file}:${expected.line}${expected.column !== undefined ? `:${expected.column}` : ''}${expected.field !== undefined ? ` (${expected.field})` : ''}: ${String(expected.message)}`;
  expect(found, `no problem like ${wanted} in\n${problems.map(shown).join('\n')}`).toBeDefined();
}

/** The problems are the one expected, and no other. */
export function expectOnlyProblem(problems: readonly DataProblem[], expected: ExpectedProblem): void {
  expect(problems, problems.map(shown).join('\n')).toHaveLength(1);
  expectProblem(problems, expected);
}
