/**
 * Messages about a deck's data: each names the file, the line and the field, says what was found
 * and what would be right, and is headed for what it is.
 */
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { DataErrors, type DataProblem } from '../src/errors.js';
import { build, type BuildOptions } from '../src/pipeline.js';
import { editFile, scratchProjects, setFactValue, type ScratchProject } from './helpers.js';

const project = scratchProjects();
const read = (file: string): Promise<string> => readFile(file, 'utf8');

/** Both editions unless told otherwise, no browser: these tests are about the data. */
function options(p: ScratchProject, extra: Partial<BuildOptions> = {}): BuildOptions {
  return { dataDir: p.data, templatesDir: p.templates, outDir: p.out, pdf: false, ...extra };
}

/** The build's rejection, which must be located problems (DataErrors), not a crash. */
async function dataErrors(p: ScratchProject, extra: Partial<BuildOptions> = {}): Promise<DataErrors> {
  const error = await build(options(p, extra)).then(() => undefined, (thrown: unknown) => thrown);
  expect(error, `expected DataErrors, got ${String(error)}`).toBeInstanceOf(DataErrors);
  return error as DataErrors;
}

/** 1-based line of the first occurrence of `needle` in `text`. */
function lineOf(text: string, needle: string): number {
  const index = text.indexOf(needle);
  if (index < 0) throw new Error(`"${needle}" not found`);
  return text.slice(0, index).split('\n').length;
}

/** A problem as a user reads it, with forward slashes: "data/deck.yaml:12:5: message". */
function shown(problem: DataProblem): string {
  return `${problem.file.split(path.sep).join('/')}:${problem.line ?? ''}${problem.column !== undefined ? `:${problem.column}` : ''}: ${problem.message}`;
}

function expectProblem(problems: readonly DataProblem[], expected: { file: string; line: number; column?: number; message: string | RegExp }): void {
  const found = problems.find((problem) =>
    problem.file.split(path.sep).join('/').endsWith(expected.file)
    && problem.line === expected.line
    && (expected.column === undefined || problem.column === expected.column)
    && (typeof expected.message === 'string' ? problem.message.includes(expected.message) : expected.message.test(problem.message)));
  expect(found, `no problem like ${expected.file}:${expected.line}: ${String(expected.message)} in\n${problems.map(shown).join('\n')}`).toBeDefined();
}

describe('headings say what kind of error follows', () => {
  it('a false claim is headed as a false claim, not as a problem in the sources', async () => {
    const p = await project();
    await editFile(path.join(p.data, 'facts.csv'), (csv) => setFactValue(csv, 'tether.net_profit.2024', '1000'));
    const error = await dataErrors(p, { langs: ['fr'] });
    expect(error.code).toBe('falseClaim');
    expect(error.message.split('\n')[0]).toMatch(/^\d+ claims? (is|are) false:$/);
  });

  it('data, overflow and template errors each have their own heading', () => {
    const problem = { file: 'data/deck.yaml', line: 3, message: 'something' };
    expect(new DataErrors([problem]).message.split('\n')[0]).toBe("1 problem in the deck's data:");
    expect(new DataErrors([problem, problem, problem]).message.split('\n')[0]).toBe("3 problems in the deck's data:");
    expect(new DataErrors([problem, problem], 'overflow').message.split('\n')[0]).toBe('2 slides do not fit:');
    expect(new DataErrors([problem], 'overflow').message.split('\n')[0]).toBe('1 slide does not fit:');
    expect(new DataErrors([problem], 'falseClaim').message.split('\n')[0]).toBe('1 claim is false:');
    expect(new DataErrors([problem, problem], 'template').message.split('\n')[0]).toBe('2 problems in the templates:');
    expect(new DataErrors([problem]).message.split('\n')[1]).toBe('  data/deck.yaml:3: something');
  });
});
