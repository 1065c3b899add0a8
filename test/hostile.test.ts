/**
 * Hostile and malformed inputs: every failure must name the file, the line and the field, and
 * every string that comes from data/ must reach the HTML escaped, never as markup.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFile as execFileCallback, spawn } from 'node:child_process';
import { lstat, mkdir, readFile, readdir, rm, symlink, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { parse as parseCsv } from 'csv-parse/sync';
import { DataErrors, DatadeckError, ProblemList, type DataProblem } from '../src/errors.js';
import { parseFactsCsv } from '../src/data/csv.js';
import { parseYamlFile } from '../src/data/yaml.js';
import { loadData } from '../src/data/load.js';
import { buildDeckModel } from '../src/model/deck.js';
import { loadTemplates } from '../src/render/engine.js';
import { renderPage } from '../src/render/page.js';
import { buildDeckView } from '../src/render/view.js';
import { build, type BuildOptions, type BuildResult } from '../src/pipeline.js';
import { dataDir, editFile, figuresIn, localeOf, repoRoot, scratchProjects, snapshotDir, type ScratchProject } from './helpers.js';

// ---------------------------------------------------------------------------------------------
// Helpers

type Project = ScratchProject;
const project = scratchProjects();

/** The French edition alone: these tests break the shared data, and each English gap would be one more problem. */
function options(p: Project, extra: Partial<BuildOptions> = {}): BuildOptions {
  return { dataDir: p.data, templatesDir: p.templates, outDir: p.out, pdf: false, langs: ['fr'], ...extra };
}

/** The build's rejection; fails the test if the build succeeds. */
async function buildError(p: Project, extra: Partial<BuildOptions> = {}): Promise<unknown> {
  const outcome = await build(options(p, extra)).then(
    () => ({ ok: true as const }),
    (error: unknown) => ({ ok: false as const, error }),
  );
  if (outcome.ok) throw new Error('expected the build to fail, but it succeeded');
  return outcome.error;
}

/** The build's rejection, which must be a DataErrors (located problems), not a crash. */
async function buildDataErrors(p: Project, extra: Partial<BuildOptions> = {}): Promise<DataErrors> {
  const error = await buildError(p, extra);
  expect(error, `expected DataErrors, got ${String(error)}`).toBeInstanceOf(DataErrors);
  return error as DataErrors;
}

/** Paths in messages use the platform separator; compare with forward slashes. */
function endsWithFile(file: string, ending: string): boolean {
  const normal = file.split(path.sep).join('/');
  return normal === ending || normal.endsWith(`/${ending}`);
}

interface Expected {
  file: string;
  line: number;
  column?: number;
  field?: string;
  message: string | RegExp;
}

function matches(problem: DataProblem, expected: Expected): boolean {
  const messageOk = typeof expected.message === 'string' ? problem.message.includes(expected.message) : expected.message.test(problem.message);
  return endsWithFile(problem.file, expected.file)
    && problem.line === expected.line
    && (expected.column === undefined || problem.column === expected.column)
    && (expected.field === undefined || problem.field === expected.field)
    && messageOk;
}

function expectProblem(problems: readonly DataProblem[], expected: Expected): void {
  const found = problems.find((problem) => matches(problem, expected));
  expect(found, `no problem like ${JSON.stringify({ ...expected, message: String(expected.message) })} in ${JSON.stringify(problems, null, 2)}`).toBeDefined();
}

function expectOnlyProblem(problems: readonly DataProblem[], expected: Expected): void {
  expect(problems, JSON.stringify(problems, null, 2)).toHaveLength(1);
  expectProblem(problems, expected);
}

/** 1-based line of the first occurrence of `needle` in `text`. */
function lineOf(text: string, needle: string): number {
  const index = text.indexOf(needle);
  if (index < 0) throw new Error(`"${needle}" not found`);
  return text.slice(0, index).split('\n').length;
}

const read = (file: string): Promise<string> => readFile(file, 'utf8');

// facts.csv building blocks --------------------------------------------------------------------

const columns = ['id', 'value', 'unit', 'period', 'label', 'source_title', 'source_url', 'article_value', 'status', 'note'] as const;
type Column = (typeof columns)[number];
const header = columns.join(',');
const goodCells: Record<Column, string> = {
  id: 'a.fact',
  value: '1',
  unit: 'USD',
  period: '2024',
  label: 'Un chiffre',
  source_title: 'Une source',
  source_url: 'https://example.org/',
  article_value: '',
  status: 'sourced',
  note: '',
};

function cell(text: string, delimiter = ','): string {
  return text.includes(delimiter) || /["\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** One comma-separated row: the good defaults with some cells replaced. */
function row(cells: Partial<Record<Column, string>> = {}): string {
  const all = { ...goodCells, ...cells };
  return columns.map((name) => cell(all[name])).join(',');
}

const factsFile = 'data/facts.csv';

function parseFacts(text: string) {
  const problems = new ProblemList();
  const result = parseFactsCsv(text, factsFile, problems);
  return { problems: problems.problems, facts: result.facts, notices: result.notices };
}

// ---------------------------------------------------------------------------------------------
// facts.csv

describe('facts.csv: malformed CSV', () => {
  it('an unterminated quote on the last row is reported on that row', () => {
    const { problems, facts } = parseFacts(`${header}\n${row()}\nb.fact,"1,USD\n`);
    expectOnlyProblem(problems, { file: factsFile, line: 3, message: 'malformed CSV: a quoted field is never closed' });
    expect(facts).toEqual([]);
  });

  it('an unterminated quote is reported on the line where the quote opens, not at the end of the file', () => {
    // The quote opens on line 3; everything after it is swallowed into one field up to EOF (line 6).
    const text = `${header}\n${row()}\nb.fact,"1,USD,2024\nmore text\nmore text\nlast line\n`;
    const { problems } = parseFacts(text);
    expectOnlyProblem(problems, { file: factsFile, line: 3, message: 'never closed' });
  });

  it('a ragged row (too few fields) is located and the other rows still load', () => {
    const text = `${header}\n${row({ id: 'a.one' })}\nb.two,1,USD\n${row({ id: 'c.three' })}\n`;
    const { problems, facts } = parseFacts(text);
    expectOnlyProblem(problems, { file: factsFile, line: 3, message: 'row has 3 fields but the header has 10' });
    expect(facts.map((f) => [f.fact.id, f.line])).toEqual([['a.one', 2], ['c.three', 4]]);
  });

  it('a row with too many fields names the stray separator', () => {
    const { problems } = parseFacts(`${header}\n${row()},extra\n`);
    expectOnlyProblem(problems, { file: factsFile, line: 2, message: 'row has 11 fields but the header has 10 (a stray ","' });
  });

  it('an empty file is one problem on line 1 naming the expected header (through loadData, shown relative)', async () => {
    const p = await project();
    await writeFile(path.join(p.data, 'facts.csv'), '');
    const problems = new ProblemList();
    expect(await loadData(p.data, problems, 'data')).toBeUndefined();
    expectOnlyProblem(problems.problems, { file: 'data/facts.csv', line: 1, message: `is empty (expected a header row: ${header})` });
    // Whitespace only is just as empty.
    expectOnlyProblem(parseFacts(' \r\n\n\t\n').problems, { file: factsFile, line: 1, message: 'is empty' });
  });

  it('a header-only file has no facts: facts.csv is fine, and every use is an unknown fact in deck.yaml', async () => {
    const parsed = parseFacts(`${header}\n`);
    expect(parsed.problems).toEqual([]);
    expect(parsed.facts).toEqual([]);

    const p = await project();
    await writeFile(path.join(p.data, 'facts.csv'), `${header}\r\n`);
    const deck = await read(path.join(p.data, 'deck.yaml'));
    const error = await buildDataErrors(p);
    expect(error.code).toBe('invalidData');
    expect(error.problems.some((problem) => endsWithFile(problem.file, 'data/facts.csv'))).toBe(false);
    expectProblem(error.problems, { file: 'data/deck.yaml', line: lineOf(deck, 'number: tether.net_profit.2024'), field: 'slides[1].number', message: 'unknown fact "tether.net_profit.2024"' });
  });

  it('a missing required column is reported on the header line, naming the column', () => {
    const text = `${columns.filter((c) => c !== 'status').join(',')}\na.fact,1,USD,2024,L,T,,,\n`;
    const { problems, facts } = parseFacts(text);
    expectOnlyProblem(problems, { file: factsFile, line: 1, field: 'status', message: 'missing column "status" in the header row' });
    expect(facts).toEqual([]);
  });

  it('an unknown column is reported on the header line at the character column where it starts', () => {
    const { problems } = parseFacts(`${header},colour\n${row()},red\n`);
    expectOnlyProblem(problems, { file: factsFile, line: 1, column: header.length + 2, field: 'colour', message: 'unknown column "colour"' });
  });

  it('a duplicate id is reported on its line and names the line of the first definition', () => {
    const text = `${header}\n${row({ id: 'x.dup', note: 'first,\nspans two lines' })}\n${row({ id: 'y.other' })}\n${row({ id: 'x.dup' })}\n`;
    const { problems, facts } = parseFacts(text);
    expectOnlyProblem(problems, { file: factsFile, line: 5, field: 'id', message: 'duplicate id "x.dup" (first defined on line 2)' });
    expect(facts.map((f) => f.fact.id)).toEqual(['x.dup', 'y.other']);
  });

  it('a CR-only file (Excel "CSV (Macintosh)") is located line by line, not all on line 1', () => {
    const text = [header, row({ id: 'a.good' }), row({ id: 'b.bad', value: 'abc' }), ''].join('\r');
    const { problems, facts } = parseFacts(text);
    expect(facts.map((f) => [f.fact.id, f.line])).toEqual([['a.good', 2]]);
    expectOnlyProblem(problems, { file: factsFile, line: 3, field: 'value', message: 'value "abc" is not a number' });
    // An unterminated quote in such a file, too.
    expectOnlyProblem(parseFacts([header, row(), 'b.fact,"1,USD', 'more', ''].join('\r')).problems, { file: factsFile, line: 3, message: 'never closed' });
  });

  it('line numbers stay right after a multi-line cell in a CRLF file (CRLF inside the quotes too)', () => {
    // Line 1 header, lines 2-3 one fact whose note holds a CRLF, line 4 a bad value.
    const text = [header, row({ id: 'a.multi', note: 'first line\r\nsecond line' }), row({ id: 'b.bad', value: 'abc' }), ''].join('\r\n');
    const { problems, facts } = parseFacts(text);
    expect(facts.map((f) => [f.fact.id, f.line])).toEqual([['a.multi', 2]]);
    expectOnlyProblem(problems, { file: factsFile, line: 4, field: 'value', message: 'value "abc" is not a number' });
  });
});

describe('facts.csv: wrong values', () => {
  it('a word in the value column is located at line, column and field', () => {
    const { problems } = parseFacts(`${header}\n${row()}\n${row({ id: 'b.fact', value: 'treize' })}\n`);
    expectOnlyProblem(problems, { file: factsFile, line: 3, column: 'b.fact,'.length + 1, field: 'value', message: 'value "treize" is not a number (expected a plain number in base units' });
    expect(problems[0]!.message).toContain('id b.fact');
  });

  it('an unknown unit lists the known ones', () => {
    const { problems } = parseFacts(`${header}\n${row({ unit: 'dollars' })}\n`);
    expectOnlyProblem(problems, { file: factsFile, line: 2, column: 'a.fact,1,'.length + 1, field: 'unit', message: 'unit "dollars" is not a known unit (expected one of USD, EUR, people' });
  });

  it('an unknown status lists the known ones', () => {
    const { problems } = parseFacts(`${header}\n${row({ status: 'verified' })}\n`);
    expectOnlyProblem(problems, { file: factsFile, line: 2, column: row().lastIndexOf('sourced') + 1, field: 'status', message: 'status "verified" is not a known status (expected one of sourced, article-only, corrected)' });
  });

  it('1e400 (overflows to Infinity) is not a finite number', () => {
    const { problems } = parseFacts(`${header}\n${row({ value: '1e400' })}\n`);
    expectOnlyProblem(problems, { file: factsFile, line: 2, field: 'value', message: 'value "1e400" is not a finite number' });
  });

  it('NaN, Infinity, hex, underscores and bare decimals are not numbers', () => {
    const odd = ['NaN', 'Infinity', '-Infinity', '0x10', '1_000', '.5', '5.', '+5', '١٢'];
    const text = [header, ...odd.map((value, i) => row({ id: `odd.n${i}`, value })), ''].join('\n');
    const { problems, facts } = parseFacts(text);
    expect(facts).toEqual([]);
    expect(problems).toHaveLength(odd.length);
    odd.forEach((value, i) => expectProblem(problems, { file: factsFile, line: i + 2, field: 'value', message: `value "${value}" is not a number` }));
  });

  it('an empty value (bare or quoted) is reported as empty', () => {
    const text = `${header}\n${row({ id: 'a.bare', value: '' })}\na.quoted,"",USD,2024,L,T,,,sourced,\n`;
    const { problems } = parseFacts(text);
    expect(problems).toHaveLength(2);
    expectProblem(problems, { file: factsFile, line: 2, field: 'value', message: 'value "" is empty (expected a number in base units' });
    expectProblem(problems, { file: factsFile, line: 3, field: 'value', message: 'value "" is empty' });
  });

  it('a decimal comma in a comma-separated file is rejected with a hint', () => {
    const { problems, facts } = parseFacts(`${header}\n${row({ value: '13,7' })}\n`);
    expect(facts).toEqual([]);
    expectOnlyProblem(problems, { file: factsFile, line: 2, column: 'a.fact,'.length + 1, field: 'value', message: 'value "13,7" is not a number (a decimal comma in a comma-separated file: write 13.7, not 13,7)' });
  });

  it('a semicolon file with a BOM, CRLF and decimal commas reads 13,7 as 13.7 (never 137 or 13)', () => {
    const semicolonRow = (cells: Partial<Record<Column, string>>): string => columns.map((name) => cell({ ...goodCells, ...cells }[name], ';')).join(';');
    const text = '\uFEFF' + [
      columns.join(';'),
      semicolonRow({ id: 'a.decimal', value: '13,7', article_value: '13,0', note: 'une note, avec virgule' }),
      semicolonRow({ id: 'b.loss', value: '-0,5' }),
      semicolonRow({ id: 'c.exponent', value: '1,37e10' }),
      semicolonRow({ id: 'd.integer', value: '13700000000' }),
      '',
    ].join('\r\n');
    const { problems, facts, notices } = parseFacts(text);
    expect(problems).toEqual([]);
    expect(facts.map((f) => [f.fact.id, f.fact.value, f.line])).toEqual([
      ['a.decimal', 13.7, 2],
      ['b.loss', -0.5, 3],
      ['c.exponent', 13700000000, 4],
      ['d.integer', 13700000000, 5],
    ]);
    expect(facts[0]!.fact.article_value).toBe(13);
    expect(facts[0]!.fact.note).toBe('une note, avec virgule');
    expect(facts[0]!.fact.id).toBe('a.decimal'); // the BOM is not part of the first header name
    expect(notices.join('\n')).toMatch(/byte-order mark skipped/);
    expect(notices.join('\n')).toMatch(/semicolon-separated/);
  });

  it('huge numbers are fine: 1e20 and 123456789012345678901 keep their value', () => {
    const { problems, facts } = parseFacts(`${header}\n${row({ id: 'a.huge', value: '1e20' })}\n${row({ id: 'b.huger', value: '123456789012345678901' })}\n`);
    expect(problems).toEqual([]);
    expect(facts.map((f) => f.fact.value)).toEqual([1e20, 123456789012345678901]);
  });

  it('a negative count of people is rejected, a negative amount of USD is accepted', () => {
    const text = `${header}\n${row({ id: 'a.people', value: '-5', unit: 'people' })}\n${row({ id: 'b.loss', value: '-5000000000', unit: 'USD' })}\n`;
    const { problems, facts } = parseFacts(text);
    expectOnlyProblem(problems, { file: factsFile, line: 2, column: 'a.people,'.length + 1, field: 'value', message: 'value "-5" is negative, which a quantity in people cannot be' });
    expect(facts.map((f) => [f.fact.id, f.fact.value])).toEqual([['b.loss', -5e9]]);
  });

  it('javascript: and ftp: source links are rejected', () => {
    const text = `${header}\n${row({ id: 'a.js', source_url: 'javascript:alert(document.cookie)' })}\n${row({ id: 'b.ftp', source_url: 'ftp://example.org/file.csv' })}\n${row({ id: 'c.js', source_url: ' JavaScript://example.org/%0aalert(1)' })}\n`;
    const { problems, facts } = parseFacts(text);
    expect(facts).toEqual([]);
    expect(problems).toHaveLength(3);
    expectProblem(problems, { file: factsFile, line: 2, column: 'a.js,1,USD,2024,Un chiffre,Une source,'.length + 1, field: 'source_url', message: 'source_url "javascript:alert(document.cookie)" is not an http(s) link' });
    expectProblem(problems, { file: factsFile, line: 3, column: 'b.ftp,1,USD,2024,Un chiffre,Une source,'.length + 1, field: 'source_url', message: 'source_url "ftp://example.org/file.csv" is not an http(s) link' });
    expectProblem(problems, { file: factsFile, line: 4, field: 'source_url', message: 'is not an http(s) link' });
  });

  it('a sourced fact with an empty source_title is rejected; an article-only one is not', () => {
    const text = `${header}\n${row({ id: 'a.sourced', source_title: '  ' })}\n${row({ id: 'b.article', source_title: '', source_url: '', status: 'article-only' })}\n`;
    const { problems, facts } = parseFacts(text);
    expectOnlyProblem(problems, { file: factsFile, line: 2, column: 'a.sourced,1,USD,2024,Un chiffre,'.length + 1, field: 'source_title', message: 'is empty: a sourced fact needs its source' });
    expect(facts.map((f) => f.fact.id)).toEqual(['b.article']);
  });
});

// ---------------------------------------------------------------------------------------------
// YAML files and the deck model

describe('YAML sources', () => {
  it('a duplicate key is malformed YAML at its line and column', async () => {
    const p = await project();
    const file = path.join(p.data, 'deck.yaml');
    await editFile(file, (text) => text.replace('    kicker: Tether, en 2024\n', '    kicker: Tether, en 2024\n    kicker: again\n'));
    const error = await buildDataErrors(p);
    expectOnlyProblem(error.problems, { file: 'data/deck.yaml', line: lineOf(await read(file), 'kicker: again'), column: 5, message: 'malformed YAML: Map keys must be unique' });
  });

  it('French " : " in a plain value is malformed YAML at its line, with a quoting hint', async () => {
    const p = await project();
    const file = path.join(p.data, 'deck.yaml');
    await editFile(file, (text) => text.replace('text: Et pas pour quelques projets de façade.', 'text: Et pas : pour quelques projets de façade.'));
    const error = await buildDataErrors(p);
    const line = lineOf(await read(file), 'text: Et pas : pour');
    expect(error.problems.length).toBeGreaterThan(0);
    for (const problem of error.problems) expect(problem.line).toBe(line);
    expectProblem(error.problems, { file: 'data/deck.yaml', line, message: '(text containing ": " must be quoted or written as a block with >-)' });
  });

  it('a tab used as indentation is malformed YAML at its line', () => {
    const problems = new ProblemList();
    expect(parseYamlFile('title: a\nslides:\n  - layout: title\n\ttitle: x\n', 'data/deck.yaml', problems)).toBeUndefined();
    expectProblem(problems.problems, { file: 'data/deck.yaml', line: 4, column: 1, message: 'malformed YAML: Tabs are not allowed as indentation' });
  });

  it('an unknown field in a slide is reported at the line of that field, naming it', async () => {
    const p = await project();
    const file = path.join(p.data, 'deck.yaml');
    await editFile(file, (text) => text.replace('  - layout: title\n', '  - layout: title\n    bogus: 1\n'));
    const error = await buildDataErrors(p);
    expectOnlyProblem(error.problems, { file: 'data/deck.yaml', line: lineOf(await read(file), 'bogus: 1'), field: 'slides[0].bogus', message: 'slides[0]: unknown field "bogus"' });
  });

  it('an unknown layout is located at the layout value and lists the templates', async () => {
    const p = await project();
    const file = path.join(p.data, 'deck.yaml');
    await editFile(file, (text) => text.replace('layout: section\n    id: ai', 'layout: sectoin\n    id: ai'));
    const error = await buildDataErrors(p);
    expectOnlyProblem(error.problems, { file: 'data/deck.yaml', line: lineOf(await read(file), 'layout: sectoin'), column: 13, field: 'slides[7].layout', message: 'unknown layout "sectoin" (templates exist for: big-number, bullets, chart, comparison, quote, section, sources, title)' });
  });

  it('an unknown chart is located at the chart value and lists the charts', async () => {
    const p = await project();
    const file = path.join(p.data, 'deck.yaml');
    await editFile(file, (text) => text.replace('chart: per_person\n', 'chart: per_persons\n'));
    const error = await buildDataErrors(p);
    expectOnlyProblem(error.problems, { file: 'data/deck.yaml', line: lineOf(await read(file), 'chart: per_persons'), field: 'slides[4].chart', message: 'unknown chart "per_persons" (charts.yaml defines: profit_vs_losses, per_person, ai_bets, ai_money)' });
  });

  it('a chart bar naming an unknown fact is located in charts.yaml', async () => {
    const p = await project();
    const file = path.join(p.data, 'charts.yaml');
    await editFile(file, (text) => text.replace('{ fact: openai.net_loss.2024, label', '{ fact: openai.net_loss.2042, label'));
    const error = await buildDataErrors(p);
    expectOnlyProblem(error.problems, { file: 'data/charts.yaml', line: lineOf(await read(file), 'openai.net_loss.2042'), field: 'profit_vs_losses.bars[1].fact', message: 'unknown fact "openai.net_loss.2042"' });
  });
});

describe('derived.yaml expressions', () => {
  const derived = (id: string, expr: string): string => `\n- id: ${id}\n  label: Figure ${id}\n  unit: USD\n  expr: ${expr}\n`;

  async function derivedErrors(...entries: string[]): Promise<{ problems: readonly DataProblem[]; text: string }> {
    const p = await project();
    const file = path.join(p.data, 'derived.yaml');
    await editFile(file, (text) => text + entries.join(''));
    const error = await buildDataErrors(p);
    return { problems: error.problems, text: await read(file) };
  }

  it('an unknown id is located at the expression', async () => {
    const { problems, text } = await derivedErrors(derived('bad.unknown', 'tether.staff + nobody.knows'));
    expectOnlyProblem(problems, { file: 'data/derived.yaml', line: lineOf(text, 'expr: tether.staff + nobody.knows'), field: 'bad.unknown.expr', message: 'expression "tether.staff + nobody.knows" uses unknown fact "nobody.knows"' });
  });

  it('a cycle is reported once, at the expression that closes it, with the path', async () => {
    const { problems, text } = await derivedErrors(derived('cycle.a', 'cycle.b + 1'), derived('cycle.b', 'cycle.a * 2'));
    expectOnlyProblem(problems, { file: 'data/derived.yaml', line: lineOf(text, 'expr: cycle.b + 1'), field: 'cycle.a.expr', message: '"cycle.a" depends on itself (cycle.a -> cycle.b -> cycle.a)' });
  });

  it('a syntax error names the character', async () => {
    const { problems, text } = await derivedErrors(derived('bad.syntax', 'tether.staff + * 2'));
    expectOnlyProblem(problems, { file: 'data/derived.yaml', line: lineOf(text, 'expr: tether.staff + * 2'), field: 'bad.syntax.expr', message: 'expression "tether.staff + * 2": unexpected "*" at character 16' });
  });

  it('division by zero is an error, not Infinity', async () => {
    const { problems, text } = await derivedErrors(derived('bad.zero', 'tether.staff / (tether.staff - tether.staff)'));
    expectOnlyProblem(problems, { file: 'data/derived.yaml', line: lineOf(text, 'expr: tether.staff / (tether.staff'), field: 'bad.zero.expr', message: 'division by zero' });
  });

  it('a figure that fails to compute is reported once, not again as an "unknown fact" wherever it is used', async () => {
    // labs.combined_loss.2024 is on a chart, in a claim and in notes; it exists, it just cannot be computed.
    const p = await project();
    const file = path.join(p.data, 'derived.yaml');
    await editFile(file, (text) => text.replace('expr: openai.net_loss.2024 + anthropic.net_loss.2024', 'expr: openai.net_loss.2024 / 0'));
    const error = await buildDataErrors(p);
    expectProblem(error.problems, { file: 'data/derived.yaml', line: lineOf(await read(file), 'expr: openai.net_loss.2024 / 0'), field: 'labs.combined_loss.2024.expr', message: 'division by zero' });
    const misleading = error.problems.filter((problem) => problem.message.includes('unknown fact "labs.combined_loss.2024"'));
    expect(misleading, JSON.stringify(misleading, null, 2)).toEqual([]);
  });

  it('an expression that overflows (1e400) is not a finite number', async () => {
    // Quoted: unquoted, YAML itself reads 1e400 as a number (Infinity) and the schema wants text.
    const { problems, text } = await derivedErrors(derived('bad.huge', '"1e400"'));
    expectOnlyProblem(problems, { file: 'data/derived.yaml', line: lineOf(text, 'expr: "1e400"'), field: 'bad.huge.expr', message: 'gives Infinity, not a finite number' });
  });
});

describe('claims and beat text', () => {
  const trueClaim = '- tether.profit_per_employee.2024 > openai.revenue_per_employee.2024';
  const falseClaim = '- tether.profit_per_employee.2024 < openai.revenue_per_employee.2024';

  it('a false claim fails with code falseClaim, naming the slide and the values', async () => {
    const p = await project();
    const file = path.join(p.data, 'deck.yaml');
    await editFile(file, (text) => text.replace(trueClaim, falseClaim));
    const error = await buildDataErrors(p);
    expect(error.code).toBe('falseClaim');
    expect(error.exitCode).toBe(3);
    expectOnlyProblem(error.problems, {
      file: 'data/deck.yaml',
      line: lineOf(await read(file), falseClaim),
      message: 'slide 5 "Par tête, l’écart est vertigineux": 9.1e7 < 1.2e6 is false (claim: tether.profit_per_employee.2024 < openai.revenue_per_employee.2024)',
    });
  });

  it('with allowFalseClaims the false claim is a warning and shows (escaped) in the speaker notes', async () => {
    const p = await project();
    const file = path.join(p.data, 'deck.yaml');
    await editFile(file, (text) => text.replace(trueClaim, falseClaim));
    const result = await build(options(p, { allowFalseClaims: true }));
    const line = lineOf(await read(file), falseClaim);
    const warning = result.warnings.find((w) => w.includes('9.1e7 < 1.2e6 is false'));
    expect(warning).toBeDefined();
    expect(endsWithFile(warning!.split(':')[0]!, 'data/deck.yaml')).toBe(true);
    expect(warning).toContain(`deck.yaml:${line}: slide 5 "Par tête, l’écart est vertigineux"`);
    expect(warning).toContain('(allowed by --allow-false-claims)');
    const html = await read(result.htmlPath);
    expect(html).toContain('tether.profit_per_employee.2024 &lt; openai.revenue_per_employee.2024 (9.1e7 &lt; 1.2e6)');
  });

  it('{{constructor}} in beat text is an error at that field', async () => {
    const p = await project();
    const file = path.join(p.data, 'deck.yaml');
    await editFile(file, (text) => text.replace('text: Et pas pour quelques projets de façade.', 'text: Et {{constructor}} pas {{__proto__}}'));
    const error = await buildDataErrors(p);
    expectOnlyProblem(error.problems, { file: 'data/deck.yaml', line: lineOf(await read(file), 'text: Et {{constructor}}'), field: 'slides[7].text', message: '"{{constructor}}" is not a figure reference (write {{fact \'some.id\'}}' });
  });

  it('{{#each}} and other Handlebars syntax in beat text are errors, in every text field', async () => {
    const p = await project();
    const file = path.join(p.data, 'deck.yaml');
    await editFile(file, (text) => text
      .replace('text: Commencez par maîtriser la planche à billets.', 'text: "{{#each slides}}{{this}}{{/each}}"')
      .replace('attribution: TechFlow', 'attribution: "{{{fact \\"tether.staff\\"}}}"')
      .replace('    kicker: Tether, en 2024', '    kicker: "{{> footnote}}"'));
    const error = await buildDataErrors(p);
    const text = await read(file);
    expect(error.problems).toHaveLength(3);
    expectProblem(error.problems, { file: 'data/deck.yaml', line: lineOf(text, 'text: "{{#each slides}}'), field: 'slides[18].text', message: '"{{#each slides}}" is not a figure reference' });
    expectProblem(error.problems, { file: 'data/deck.yaml', line: lineOf(text, 'attribution: "{{{fact'), field: 'slides[16].attribution', message: 'is not a figure reference' });
    expectProblem(error.problems, { file: 'data/deck.yaml', line: lineOf(text, 'kicker: "{{> footnote}}"'), field: 'slides[1].kicker', message: '"{{> footnote}}" is not a figure reference' });
  });

  it('a claim calling constructor() is a located expression error, not a crash', async () => {
    // Regression: `name in functions` was true for Object.prototype members, and parsing crashed with a TypeError.
    const p = await project();
    const file = path.join(p.data, 'deck.yaml');
    await editFile(file, (text) => text.replace(trueClaim, '- constructor(1) > 0'));
    const error = await buildDataErrors(p);
    expectOnlyProblem(error.problems, { file: 'data/deck.yaml', line: lineOf(await read(file), '- constructor(1) > 0'), field: 'slides[4].claims[0]', message: 'unknown function "constructor"' });
  });

  it('an invalid locale in deck.yaml is a located problem, not a RangeError from Intl', async () => {
    const p = await project();
    const file = path.join(p.data, 'deck.yaml');
    await editFile(file, (text) => text.replace('locale: fr-FR', 'locale: not a locale'));
    const error = await buildDataErrors(p);
    expectProblem(error.problems, { file: 'data/deck.yaml', line: lineOf(await read(file), 'locale: not a locale'), message: 'locale' });
  });
});

// ---------------------------------------------------------------------------------------------
// Rendering: every string from data/ is text, never markup

describe('rendering hostile text', () => {
  /** A payload per field; the mark tells which field leaked if one does. */
  const payload = (mark: string): string => `<script>alert(${mark})</script><img src=x onerror=alert(${mark})>`;
  const escaped = (mark: string): string => `&lt;script&gt;alert(${mark})&lt;/script&gt;`;
  const inJson = (mark: string): string => `\\u003cscript>alert(${mark})\\u003c/script>`;
  const yamlText = (text: string): string => JSON.stringify(text);

  const rtl = 'صافي الربح ‏— רווח נקי ‏(2024) 🚀 e\u0301 \u202Eevil\u202C';
  const rtlTitle = 'تيثر والذكاء الاصطناعي — טת\'ר';
  const bracesLabel = 'Perte {{fact "openai.staff"}} {{constructor}} {{#each slides}}x{{/each}}';

  let html = '';
  let baseline = '';
  let result: BuildResult;

  const fields = {
    factLabel: 'F01', factNote: 'F02', factSourceTitle: 'F03', factPeriod: 'F04',
    deckTitle: 'D01', sourcesTitle: 'D03',
    kicker: 'S01', slideTitle: 'S02', subtitle: 'S03', byline: 'S04', notes: 'S05', text: 'S06', numberCaption: 'S07',
    item: 'S08', quote: 'S09', attribution: 'S10', columnLabel: 'S11', columnCaption: 'S12',
    chartTitle: 'C01', barLabel: 'C02', axis: 'C03',
  } as const;
  const m = fields;

  beforeAll(async () => {
    const clean = await project();
    baseline = await read((await build(options(clean))).htmlPath);

    const p = await project();
    const csvFile = path.join(p.data, 'facts.csv');
    await editFile(csvFile, (text) => {
      const lines = text.split('\n');
      expect(lines[1]).toMatch(/^tether\.net_profit\.2024,/);
      lines[1] = [
        'tether.net_profit.2024', '13700000000', 'USD', payload(m.factPeriod), payload(m.factLabel), payload(m.factSourceTitle),
        'https://thecoinacademy.co/?p="><img src=x onerror=alert(URL)>', '13000000000', 'sourced', payload(m.factNote),
      ].map((text) => cell(text)).join(',');
      return lines.join('\n')
        .replace('openai.revenue.2024,3700000000,USD,2024,Chiffre d’affaires d’OpenAI,', `openai.revenue.2024,3700000000,USD,2024,${rtl},`)
        .replace('Perte nette d’OpenAI,', `${cell(bracesLabel)},`);
    });
    await editFile(path.join(p.data, 'deck.yaml'), (text) => text
      .replace(/^title: .*$/m, `title: ${yamlText(`${payload(m.deckTitle)} ${rtlTitle}`)}`)
      .replace(/^sources_title: Sources$/m, `sources_title: ${yamlText(payload(m.sourcesTitle))}`)
      .replace('    kicker: Stablecoins et intelligence artificielle', `    kicker: ${yamlText(payload(m.kicker))}`)
      .replace("\n    title: Dans l’IA, un Tether qui ne manque pas d’argent\n", `\n    title: ${yamlText(payload(m.slideTitle))}\n`)
      .replace("    subtitle: Ce que rapportent les bons du Trésor, et où va l’argent", `    subtitle: ${yamlText(payload(m.subtitle))}`)
      .replace('    byline: D’après un article de TechFlow · chiffres vérifiés, corrigés et sourcés', `    byline: ${yamlText(payload(m.byline))}`)
      .replace("      Le fil : Tether gagne plus avec des intérêts que les laboratoires d’IA ne perdent, et", `      ${payload(m.notes)} et`)
      .replace(/^ {4}text: L’émetteur du stablecoin USDT.*$/m, `    text: ${yamlText(`${payload(m.text)} {{fact "tether.net_profit.2024"}}`)}`)
      .replace('    number_caption: de bénéfice net en une seule année.', `    number_caption: ${yamlText(payload(m.numberCaption))}`)
      .replace('      - Vous achetez des USDT au pair avec le dollar ; Tether place vos dollars en bons du Trésor américain.', `      - ${yamlText(payload(m.item))}`)
      .replace('    quote: Des puces dans le cortex pour taper, piloter un fauteuil ou un bras robotisé par la pensée.', `    quote: ${yamlText(payload(m.quote))}`)
      .replace('    attribution: TechFlow', `    attribution: ${yamlText(payload(m.attribution))}`)
      .replace('label: employés chez Tether,', `label: ${yamlText(payload(m.columnLabel))},`)
      .replace("caption: bénéfice par employé de Tether rapporté au chiffre d’affaires par employé d’OpenAI,", `caption: ${yamlText(payload(m.columnCaption))},`));
    await editFile(path.join(p.data, 'charts.yaml'), (text) => text
      .replace('  title: Par employé, 2024', `  title: ${yamlText(payload(m.chartTitle))}\n  axis: ${yamlText(payload(m.axis))}`)
      .replace('label: Tether (bénéfice),', `label: ${yamlText(payload(m.barLabel))},`));
    result = await build(options(p));
    html = await read(result.htmlPath);
  });

  it.each(Object.entries(fields))('%s (%s) renders as escaped text, never as a <script> element', (_field, mark) => {
    expect(html).not.toContain(`<script>alert(${mark})`);
    expect(html).not.toContain(`<img src=x onerror=alert(${mark})`);
    if (mark === m.axis) {
      expect(html).toContain(inJson(mark)); // the axis title lives only in the chart's JSON
    } else {
      expect(html).toContain(escaped(mark));
    }
  });

  it('chart titles and labels are escaped in the chart JSON too, so data cannot close the <script> element', () => {
    expect(html).toContain(inJson(m.chartTitle));
    expect(html).toContain(inJson(m.barLabel));
    const jsonBlocks = [...html.matchAll(/<script type="application\/json"[^>]*>([\s\S]*?)<\/script>/g)].map((match) => match[1]!);
    expect(jsonBlocks.length).toBeGreaterThan(0);
    for (const block of jsonBlocks) {
      expect(block).not.toContain('<');
      expect(() => JSON.parse(block)).not.toThrow();
    }
  });

  it('no markup element is created by data: no <img>, same number of <script> tags as the clean deck', () => {
    expect(html).not.toMatch(/<img/i);
    const scripts = (text: string): number => text.match(/<script\b/gi)?.length ?? 0;
    expect(scripts(html)).toBe(scripts(baseline));
    expect(html).not.toContain('"><img');
    expect(html).toContain('href="https://thecoinacademy.co/?p&#x3D;&quot;&gt;&lt;img src&#x3D;x onerror&#x3D;alert(URL)&gt;"');
  });

  it('unicode and right-to-left text (Arabic, Hebrew, bidi controls, emoji, combining marks) render intact', () => {
    expect(html).toContain(`<strong>${rtl}</strong>`);
    expect(html).toContain(`<title>${escaped(m.deckTitle)}&lt;img src&#x3D;x onerror&#x3D;alert(${m.deckTitle})&gt; تيثر والذكاء الاصطناعي — טת&#x27;ר</title>`);
  });

  it('{{...}} in a fact label renders literally, not as a template or a figure', () => {
    expect(html).toContain('<strong>Perte {{fact &quot;openai.staff&quot;}} {{constructor}} {{#each slides}}x{{/each}}</strong>');
    expect(result.model.figures.get('openai.net_loss.2024')!.label).toBe(bracesLabel);
  });
});

describe('semicolon facts.csv through the whole build', () => {
  it('the real facts as French Excel saves them (BOM, ";", CRLF, 13,7e9) give the same deck', async () => {
    const clean = await project();
    const baseline = await read((await build(options(clean))).htmlPath);

    const p = await project();
    const csvFile = path.join(p.data, 'facts.csv');
    const records = parseCsv(await read(csvFile)) as string[][];
    const converted = records.map((cells) => {
      const out = [...cells];
      if (out[0] === 'tether.net_profit.2024') {
        out[1] = '13,7e9';
        out[7] = '13,0e9';
      }
      return out.map((c) => cell(c, ';')).join(';');
    });
    await writeFile(csvFile, `\uFEFF${converted.join('\r\n')}\r\n`);
    const result = await build(options(p));
    expect(result.model.figures.get('tether.net_profit.2024')!.value).toBe(13_700_000_000);
    expect(result.model.figures.get('tether.net_profit.2024')!.articleValue).toBe(13_000_000_000);
    expect(result.warnings.join('\n')).toMatch(/semicolon-separated/);
    expect(await read(result.htmlPath)).toBe(baseline);
  });
});

// ---------------------------------------------------------------------------------------------
// Templates

describe('templates', () => {
  async function templateErrors(templatesDir: string): Promise<DataErrors> {
    const error = await loadTemplates([templatesDir], ['templates']).then(() => undefined, (e: unknown) => e);
    expect(error).toBeInstanceOf(DataErrors);
    expect((error as DataErrors).code).toBe('template');
    return error as DataErrors;
  }

  it('a missing deck.hbs is a template error naming the file', async () => {
    const p = await project();
    await rm(path.join(p.templates, 'deck.hbs'));
    const error = await templateErrors(p.templates);
    expect(error.exitCode).toBe(4);
    expect(error.problems).toEqual([{ file: path.join('templates', 'deck.hbs'), message: 'template not found' }]);
  });

  it('a syntax error is reported with file and line', async () => {
    const p = await project();
    await writeFile(path.join(p.templates, 'layouts', 'quote.hbs'), 'line one\nline two\n{{rich quote bar=}}\n');
    const error = await templateErrors(p.templates);
    expectOnlyProblem(error.problems, { file: 'templates/layouts/quote.hbs', line: 3, message: 'template does not compile' });
  });

  it('a mismatched block close is reported with its line', async () => {
    const p = await project();
    await writeFile(path.join(p.templates, 'layouts', 'quote.hbs'), 'line one\nline two\n{{#if quote}}\n{{/each}}\n');
    const error = await templateErrors(p.templates);
    expect(error.problems).toHaveLength(1);
    const problem = error.problems[0]!;
    expect(endsWithFile(problem.file, 'templates/layouts/quote.hbs')).toBe(true);
    expect(problem.message).toContain("if doesn't match each");
    expect([3, 4]).toContain(problem.line);
  });

  it('a partial that exists nowhere is a template error naming the template that asks for it, not a crash while rendering', async () => {
    const p = await project();
    await editFile(path.join(p.templates, 'layouts', 'quote.hbs'), (text) => `${text}{{> nowhere}}\n`);
    const error = await buildError(p);
    expect(error, `expected DataErrors, got ${String(error)}`).toBeInstanceOf(DataErrors);
    expect((error as DataErrors).code).toBe('template');
    expect((error as DataErrors).problems).toHaveLength(1);
    expect(endsWithFile((error as DataErrors).problems[0]!.file, 'templates/layouts/quote.hbs')).toBe(true);
    expect((error as DataErrors).problems[0]!.message).toContain('The partial nowhere could not be found');
  });

  it('templates without a sources layout: a located problem, not a crash while rendering', async () => {
    const p = await project();
    await rm(path.join(p.templates, 'layouts', 'sources.hbs'));
    // This folder alone, without the package's templates beneath it.
    const templates = await loadTemplates([p.templates], ['templates']);
    const problems = new ProblemList();
    const data = await loadData(p.data, problems, 'data');
    const model = buildDeckModel(data!, { layouts: templates.layouts });
    const view = buildDeckView(model, await localeOf('fr', 'fr-FR'));
    let thrown: unknown;
    try {
      renderPage(view, templates, { csp: '', assetBase: '' });
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(DataErrors);
    expect((thrown as DataErrors).problems[0]!.message).toContain('no layouts/sources.hbs');
  });

  it('a deck\'s templates folder overrides the package\'s file by file', async () => {
    const p = await project();
    const { mkdir } = await import('node:fs/promises');
    const mine = path.join(p.root, 'my-templates');
    await mkdir(path.join(mine, 'layouts'), { recursive: true });
    await writeFile(path.join(mine, 'layouts', 'quote.hbs'), '{{!-- requires: quote --}}\n<blockquote class="my-quote">{{quote}}</blockquote>\n');
    const result = await build(options(p, { templatesDir: mine }));
    const html = await read(result.htmlPath);
    expect(html).toContain('<blockquote class="my-quote">');
    // Everything else is the package's: the other layouts, the page, the theme.
    expect(html).toContain('class="big-number"');
    expect(await read(path.join(p.out, 'assets', 'theme.css'))).toContain('--chart-tick-size');
  });
});

// ---------------------------------------------------------------------------------------------
// A failed build leaves the previous deck exactly as it was

describe('a failed build leaves outDir byte-for-byte unchanged', () => {
  async function failAfterGoodBuild(breakIt: (p: Project) => Promise<void>): Promise<unknown> {
    const p = await project();
    await build(options(p));
    const before = await snapshotDir(p.out);
    expect(Object.keys(before)).toContain('index.html');
    await breakIt(p);
    const error = await buildError(p);
    expect(await snapshotDir(p.out)).toEqual(before);
    // No staging directory left beside it either.
    expect((await readdir(p.root)).sort()).toEqual(['data', 'slides', 'templates']);
    return error;
  }

  it('after a CSV error', async () => {
    const error = await failAfterGoodBuild((p) => editFile(path.join(p.data, 'facts.csv'), (text) => text.replace('tether.net_profit.2024,13700000000,', 'tether.net_profit.2024,"13700000000,')));
    expect(error).toBeInstanceOf(DataErrors);
    expect((error as DataErrors).problems.some((problem) => endsWithFile(problem.file, 'data/facts.csv') && problem.message.includes('malformed CSV'))).toBe(true);
  });

  it('after a YAML error', async () => {
    const error = await failAfterGoodBuild((p) => editFile(path.join(p.data, 'charts.yaml'), (text) => text.replace('  title: Par employé, 2024', '  title: [Par employé, 2024')));
    expect(error).toBeInstanceOf(DataErrors);
    expect((error as DataErrors).problems[0]!.message).toContain('malformed YAML');
    expect(endsWithFile((error as DataErrors).problems[0]!.file, 'data/charts.yaml')).toBe(true);
  });

  it('after a false claim', async () => {
    const error = await failAfterGoodBuild((p) => editFile(path.join(p.data, 'deck.yaml'), (text) => text.replace('check: productivity.ratio.2024 > 20', 'check: productivity.ratio.2024 > 2000')));
    expect(error).toBeInstanceOf(DataErrors);
    expect((error as DataErrors).code).toBe('falseClaim');
  });

  it('after a template error', async () => {
    const error = await failAfterGoodBuild((p) => writeFile(path.join(p.templates, 'layouts', 'bullets.hbs'), '<ul>\n{{#each items}}\n<li>{{rich this}}</li>\n'));
    expect(error).toBeInstanceOf(DataErrors);
    expect((error as DataErrors).code).toBe('template');
    expect(endsWithFile((error as DataErrors).problems[0]!.file, 'templates/layouts/bullets.hbs')).toBe(true);
  });

  it('after an invalid locale (which would crash Intl while rendering)', async () => {
    const error = await failAfterGoodBuild((p) => editFile(path.join(p.data, 'deck.yaml'), (text) => text.replace('locale: fr-FR', 'locale: not a locale')));
    expect(error).toBeInstanceOf(DataErrors);
    expect((error as DataErrors).code).toBe('invalidData');
    expectOnlyProblem((error as DataErrors).problems, { file: 'data/deck.yaml', line: lineOf(await read(path.join(dataDir, 'deck.yaml')), 'locale: fr-FR'), field: 'locale', message: 'is not a locale this system can format numbers in' });
  });
});

// Keep the model entry point honest for direct callers too (the CLI's dev server uses it).
describe('buildDeckModel called directly', () => {
  it('throws DataErrors with located problems for an unknown fact in slide text', async () => {
    const p = await project();
    const file = path.join(p.data, 'deck.yaml');
    await editFile(file, (text) => text.replace('text: Et pas pour quelques projets de façade.', 'text: Et {{fact "nope.missing"}} pas.'));
    const problems = new ProblemList();
    const data = await loadData(p.data, problems, 'data');
    expect(problems.problems).toEqual([]);
    const templates = await loadTemplates([p.templates], ['templates']);
    let thrown: unknown;
    try {
      buildDeckModel(data!, { layouts: templates.layouts });
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(DataErrors);
    expectOnlyProblem((thrown as DataErrors).problems, { file: 'data/deck.yaml', line: lineOf(await read(file), 'text: Et {{fact "nope.missing"}}'), field: 'slides[7].text', message: 'unknown fact "nope.missing"' });
  });
});

// ---------------------------------------------------------------------------------------------
// Found by trying to break it as a user would: nothing lost, nothing hangs, a message not a stack

const cliPath = path.join(process.cwd(), 'bin', 'datadeck.js');

interface CliRun { code: number; stdout: string; stderr: string }

/** Runs the CLI to its end (or kills it after `timeoutMs`, which fails the caller's expectations). */
function runCli(args: readonly string[], options: { cwd?: string; env?: NodeJS.ProcessEnv; timeoutMs?: number; user?: string } = {}): Promise<CliRun> {
  return new Promise((resolve) => {
    const command = options.user ? 'runuser' : 'node';
    const argv = options.user ? ['-u', options.user, '--', 'node', cliPath, ...args] : [cliPath, ...args];
    execFileCallback(command, argv, { cwd: options.cwd, env: { ...process.env, DEBUG: '', ...options.env }, timeout: options.timeoutMs ?? 60_000, killSignal: 'SIGKILL' }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : -1) : 0;
      resolve({ code, stdout: String(stdout), stderr: String(stderr) });
    });
  });
}

/** A user's mistake gets a sentence, never a stack trace. */
function expectNoStackTrace(run: CliRun): void {
  expect(`${run.stdout}\n${run.stderr}`).not.toMatch(/^\s+at .+\(.*:\d+:\d+\)$/m);
  expect(run.stderr).not.toContain('unexpected error');
}

describe('--out never destroys what is not a deck', () => {
  it('refuses an --out that is a file (exit 64) and leaves the file as it was', async () => {
    const p = await project();
    const notes = path.join(p.root, 'notes.md');
    await writeFile(notes, 'my notes\n');
    const run = await runCli(['build', '--no-pdf', '--data', p.data, '--templates', p.templates, '--out', notes]);
    expect(run.code).toBe(64);
    expect(run.stderr).toMatch(/it is a file/);
    expectNoStackTrace(run);
    expect(await read(notes)).toBe('my notes\n');
  });

  it('refuses an --out whose parent is a file (exit 64), with a sentence and no stack trace', async () => {
    const p = await project();
    const notes = path.join(p.root, 'notes.md');
    await writeFile(notes, 'my notes\n');
    const run = await runCli(['build', '--no-pdf', '--data', p.data, '--templates', p.templates, '--out', path.join(notes, 'x')]);
    expect(run.code).toBe(64);
    expect(run.stderr).toMatch(/notes\.md is a file, not a folder/);
    expectNoStackTrace(run);
    expect(await read(notes)).toBe('my notes\n');
  });

  it('refuses an --out inside data/ or templates/, for build and for dev (which would rebuild itself forever)', async () => {
    const p = await project();
    for (const inside of [path.join(p.data, 'slides'), path.join(p.templates, 'out')]) {
      const error = await buildError(p, { outDir: inside });
      expect((error as DatadeckError).code, String(error)).toBe('usage');
      expect((error as Error).message).toMatch(/lies inside the (data|templates)/);
    }
    const { startDevServer } = await import('../src/dev/server.js');
    const dev = await startDevServer({ dataDir: p.data, templatesDir: p.templates, outDir: path.join(p.data, 'slides'), pdf: false }).then(
      async (server) => { await server.close(); return undefined; },
      (error: unknown) => error,
    );
    expect((dev as DatadeckError).code).toBe('usage');
    expect(await readdir(p.data)).not.toContain('slides');
  });

  it('follows an --out that is a symlink to a deck: the link stays, its target gets the new deck', async () => {
    const p = await project();
    const target = path.join(p.root, 'decks', 'v1');
    await build(options(p, { outDir: target }));
    const link = path.join(p.root, 'current');
    await symlink(target, link);
    await editFile(path.join(p.data, 'facts.csv'), (text) => text.replace('tether.net_profit.2024,13700000000,', 'tether.net_profit.2024,21400000000,'));
    await build(options(p, { outDir: link }));
    expect((await lstat(link)).isSymbolicLink()).toBe(true);
    expect(await read(path.join(target, 'index.html'))).toContain('21,4');
    expect(await readdir(path.join(p.root, 'decks'))).toEqual(['v1']);
  });
});

describe('builds racing into one folder', () => {
  it('8 builds at once in one process, three rounds: all succeed, one complete deck, nothing beside it', async () => {
    const p = await project();
    for (let round = 0; round < 3; round += 1) {
      const outcomes = await Promise.allSettled(Array.from({ length: 8 }, () => build(options(p))));
      expect(outcomes.filter((outcome) => outcome.status === 'rejected').map((outcome) => String((outcome as PromiseRejectedResult).reason))).toEqual([]);
      expect((await readdir(p.root)).sort()).toEqual(['data', 'slides', 'templates']);
    }
    expect(Object.keys(await snapshotDir(p.out))).toContain('index.html');
  });

  it('8 builds at once leave one complete deck, every build exits 0, and nothing beside it', async () => {
    const p = await project();
    const runs = await Promise.all(Array.from({ length: 8 }, () => runCli(['build', '--no-pdf', '--data', p.data, '--templates', p.templates, '--out', p.out])));
    for (const run of runs) {
      expect(run.code, run.stderr).toBe(0);
      expectNoStackTrace(run);
    }
    expect((await readdir(p.root)).sort()).toEqual(['data', 'slides', 'templates']);
    const deck = await snapshotDir(p.out);
    for (const file of ['index.html', 'assets/deck.js', 'assets/theme.css', 'assets/reveal/reveal.js', '.datadeck']) expect(Object.keys(deck)).toContain(file);
  });

  it('a build that has to wait for another says so', async () => {
    const p = await project();
    await build(options(p));
    const { withOutputLock } = await import('../src/output/write.js');
    const lines: string[] = [];
    // Hold the folder as a slow build would, and build meanwhile.
    const holding = withOutputLock(p.out, () => new Promise((resolve) => setTimeout(resolve, 700)));
    await new Promise((resolve) => setTimeout(resolve, 50));
    await build(options(p, { log: (line) => lines.push(line) }));
    await holding;
    expect(lines.join('\n')).toMatch(/waiting for another build to finish writing/);
    expect(lines.join('\n')).toMatch(/waited \d+ ms for another build/);
  });

  it('sweeps what a killed build left beside the deck (a -previous folder, a dead build\'s staging folder)', async () => {
    const p = await project();
    await build(options(p));
    const { mkdir } = await import('node:fs/promises');
    await mkdir(path.join(p.root, '.slides-build-999999999-abc123-previous'));
    await mkdir(path.join(p.root, '.slides-build-999999999-def456'));
    await build(options(p));
    expect((await readdir(p.root)).sort()).toEqual(['data', 'slides', 'templates']);
  });
});

describe('data files that are not UTF-8', () => {
  /** Windows-1252 bytes for text, as French Excel writes "CSV (séparateur: point-virgule)". */
  function windows1252(text: string): Buffer {
    const special: Record<string, number> = { '€': 0x80, '’': 0x92, '‘': 0x91, '“': 0x93, '”': 0x94, '…': 0x85, '–': 0x96, '—': 0x97 };
    return Buffer.from([...text].map((char) => {
      if (special[char] !== undefined) return special[char]!;
      const code = char.codePointAt(0)!;
      if (code > 0xff) throw new Error(`no Windows-1252 byte for ${char}`);
      return code;
    }));
  }

  it('reads a Windows-1252 facts.csv as such, with a notice, and never garbles an accent', async () => {
    const p = await project();
    const file = path.join(p.data, 'facts.csv');
    await writeFile(file, windows1252(await read(file)));
    const result = await build(options(p));
    expect(result.warnings.join('\n')).toMatch(/facts\.csv: not UTF-8 \(from line 2\); read as Windows-1252/);
    const html = await read(result.htmlPath);
    expect(html).not.toContain('\uFFFD');
    expect(html).toContain('Bénéfice net de Tether');
    expect(html).toContain('Chiffre d’affaires d’OpenAI');
  });

  it('refuses damaged UTF-8, and bytes that are neither UTF-8 nor Windows-1252, naming the first bad line', async () => {
    const p = await project();
    const file = path.join(p.data, 'facts.csv');
    const lines = (await read(file)).split('\n');
    // A UTF-8 file (accents everywhere) with two stray bytes on line 5.
    await writeFile(file, Buffer.concat([Buffer.from(lines.slice(0, 4).join('\n') + '\n'), Buffer.from([0x81, 0x8d, 0x0a]), Buffer.from(lines.slice(4).join('\n'))]));
    expectOnlyProblem((await buildDataErrors(p)).problems, { file: 'data/facts.csv', line: 5, column: 1, message: 'is not valid UTF-8 from here' });
    // Plain ASCII with a byte Windows-1252 does not define either (0x81) on line 3.
    await writeFile(file, Buffer.concat([Buffer.from(`${header}\n${row({ id: 'a.one' })}\n`), Buffer.from([0x61, 0x81, 0x0a])]));
    expectOnlyProblem((await buildDataErrors(p)).problems, { file: 'data/facts.csv', line: 3, column: 2, message: 'is neither UTF-8 nor Windows-1252 text' });
  });

  it('refuses a NUL byte in a cell, located, so it never reaches the HTML', async () => {
    const p = await project();
    const file = path.join(p.data, 'facts.csv');
    await editFile(file, (text) => text.replace('Bénéfice net de Tether', 'Bénéfice\u0000net de Tether'));
    const error = await buildDataErrors(p);
    expectOnlyProblem(error.problems, { file: 'data/facts.csv', line: 2, column: 53, message: 'holds the control character U+0000 (NUL)' });
  });
});

describe('a chart shown on two slides', () => {
  it('is drawn on both, and the PDF is printed (no wait for a canvas that never draws)', async () => {
    const p = await project();
    await editFile(path.join(p.data, 'deck.yaml'), (text) => `${text}
  - layout: chart
    id: recap
    title: Rappel
    chart: per_person
`);
    const result = await build(options(p, { formats: ['pdf'], timeoutMs: 15_000 }));
    expect(result.pdfBytes).toBeGreaterThan(0);
    const html = await read(result.htmlPath);
    expect(html.match(/data-chart="per_person"/g)).toHaveLength(2);
    const { launchBrowser } = await import('../src/print/browser.js');
    const session = await launchBrowser({ timeoutMs: 15_000 });
    try {
      const page = await session.browser.newPage();
      await page.goto(`${pathToFileURL(result.htmlPath).href}?print-pdf`, { waitUntil: 'load' });
      await page.waitForFunction(() => (window as { datadeckChartsDrawn?: boolean }).datadeckChartsDrawn === true, { timeout: 10_000 });
      // On paper each chart is an SVG drawing that took its canvas's place.
      expect(await page.$$eval('svg[data-chart="per_person"]', (drawings) => drawings.map((drawing) => drawing.getAttribute('data-chart-drawn')))).toEqual(['true', 'true']);
    } finally {
      await session.close();
    }
  });
});

describe('the YAML, derived figures and expressions a user can write', () => {
  it('a YAML alias bomb is one located problem, not a crash', async () => {
    const p = await project();
    const bomb = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'];
    for (const [prev, name] of [['a', 'b'], ['b', 'c'], ['c', 'd'], ['d', 'e'], ['e', 'f'], ['f', 'g'], ['g', 'h']] as const) bomb.push(`${name}: &${name} [${Array(9).fill(`*${prev}`).join(',')}]`);
    await writeFile(path.join(p.data, 'charts.yaml'), `${bomb.join('\n')}\n`);
    const error = await buildDataErrors(p);
    expectOnlyProblem(error.problems, { file: 'data/charts.yaml', line: 2, message: 'malformed YAML: its aliases (*name) expand into too many values' });
  });

  it('a chain of 4,000 derived figures listed in reverse order is computed (no recursion limit)', async () => {
    const p = await project();
    const entries = Array.from({ length: 4000 }, (_, i) => 3999 - i).map((i) => `- id: chain.n${i}\n  label: Maillon ${i}\n  unit: USD\n  expr: ${i === 0 ? 'tether.net_profit.2024' : `chain.n${i - 1}`} + 1\n`);
    await editFile(path.join(p.data, 'derived.yaml'), (text) => `${text}\n${entries.join('')}`);
    const result = await build(options(p));
    expect(result.model.figures.get('chain.n3999')!.value).toBe(13_700_000_000 + 4000);
  });

  it('an expression of 8,000 terms is a located "too long" problem, not a stack overflow', async () => {
    const p = await project();
    const file = path.join(p.data, 'derived.yaml');
    await editFile(file, (text) => `${text}\n- id: long.sum\n  label: Somme\n  unit: people\n  expr: ${Array(8000).fill('tether.staff').join(' + ')}\n`);
    const error = await buildDataErrors(p);
    expectOnlyProblem(error.problems, { file: 'data/derived.yaml', line: lineOf(await read(file), 'expr: tether.staff + tether.staff'), field: 'long.sum.expr', message: 'is too long (15999 symbols, at most 1000)' });
  });
});

describe('templates and output: a located message where a crash was', () => {
  it('a templates folder with no theme.css anywhere is a template error naming the file', async () => {
    const p = await project();
    await rm(path.join(p.templates, 'theme.css'));
    const error = await loadTemplates([p.templates], ['templates']).then(() => undefined, (thrown: unknown) => thrown);
    expect(error).toBeInstanceOf(DataErrors);
    expect((error as DataErrors).problems).toEqual([{ file: path.join('templates', 'theme.css'), message: "template not found (the deck's stylesheet)" }]);
  });

  it('a theme that loads a file from the network, or one that is not there, is exit 4 naming the line', async () => {
    const p = await project();
    await editFile(path.join(p.templates, 'theme.css'), (text) => `${text}\n@import url('https://fonts.example.com/serif.css');\n.x { background: url('missing.png'); }\n`);
    const run = await runCli(['build', '--no-pdf', '--data', p.data, '--templates', p.templates, '--out', p.out]);
    expect(run.code).toBe(4);
    const lines = (await read(path.join(p.templates, 'theme.css'))).split('\n');
    expect(run.stderr).toContain(`theme.css:${lines.findIndex((line) => line.includes('fonts.example.com')) + 1}: url(https://fonts.example.com/serif.css) loads a file from the network`);
    expect(run.stderr).toContain(`theme.css:${lines.findIndex((line) => line.includes('missing.png')) + 1}: url(missing.png): no such file`);
    expectNoStackTrace(run);
  });

  it('an error raised while a layout runs names the layout file', async () => {
    const p = await project();
    await writeFile(path.join(p.templates, 'layouts', 'quote.hbs'), '<p>{{quote}}</p>\n{{#each}}{{/each}}\n');
    const error = await buildDataErrors(p);
    expect(error.code).toBe('template');
    // A helper's error carries no line in Handlebars; the file is what the user needs first.
    expect(error.problems).toHaveLength(1);
    expect(endsWithFile(error.problems[0]!.file, 'templates/layouts/quote.hbs')).toBe(true);
    expect(error.problems[0]!.message).toContain('Must pass iterator to #each');
  });

  it('a misspelled variable in a layout is an error naming file and line (Handlebars strict mode), not an empty string', async () => {
    const p = await project();
    await editFile(path.join(p.templates, 'layouts', 'section.hbs'), (text) => text.replace('{{title}}', '{{title}}{{titel}}'));
    const error = await buildDataErrors(p);
    expect(error.code).toBe('template');
    expectOnlyProblem(error.problems, { file: 'templates/layouts/section.hbs', line: 3, message: '"titel" not defined' });
  });

  it('an output folder the user may not write to is exit 7 with the path and the reason', async () => {
    const p = await project();
    const { chmod, mkdir } = await import('node:fs/promises');
    await chmod(p.root, 0o755);
    const locked = path.join(p.root, 'locked');
    await mkdir(locked, { mode: 0o755 });
    const run = await runCli(['build', '--no-pdf', '--data', p.data, '--templates', p.templates, '--out', path.join(locked, 'slides')], { user: 'nobody', cwd: p.root });
    expect(run.code, run.stderr).toBe(7);
    expect(run.stderr).toMatch(/cannot write the deck beside .*: .*locked.*: permission denied \(EACCES\)/);
    expectNoStackTrace(run);
  });

  it('--timeout beyond what a timer can hold is refused at once (exit 64)', async () => {
    const run = await runCli(['build', '--no-pdf', '--timeout', '3000000000']);
    expect(run.code).toBe(64);
    expect(run.stderr).toMatch(/at most 2147483647 ms/);
  });
});

describe('a browser that fails to start', () => {
  const saved = process.env.PUPPETEER_EXECUTABLE_PATH;
  afterAll(() => {
    if (saved === undefined) delete process.env.PUPPETEER_EXECUTABLE_PATH;
    else process.env.PUPPETEER_EXECUTABLE_PATH = saved;
  });
  const profiles = async (): Promise<string[]> => (await readdir(os.tmpdir())).filter((name) => name.startsWith('datadeck-chromium-'));

  async function launchWith(script: string): Promise<{ error: DatadeckError; ms: number; leftover: string[] }> {
    const p = await project();
    const fake = path.join(p.root, 'fake-browser');
    await writeFile(fake, `#!/bin/sh\n${script}\n`, { mode: 0o755 });
    const { launchBrowser } = await import('../src/print/browser.js');
    const before = await profiles();
    const started = performance.now();
    const error = await launchBrowser({ timeoutMs: 20_000, env: { PUPPETEER_EXECUTABLE_PATH: fake } }).then(
      async (session) => { await session.close(); throw new Error('expected the launch to fail'); },
      (thrown: unknown) => thrown as DatadeckError,
    );
    return { error, ms: performance.now() - started, leftover: (await profiles()).filter((name) => !before.includes(name)) };
  }

  it('one that exits at once is reported as exiting, with its code, not as a timeout; no profile left', async () => {
    const { error, ms, leftover } = await launchWith('echo "cannot open display" >&2\nexit 1');
    expect(error.code).toBe('browserFailed');
    expect(error.message).toMatch(/exited while starting \(exit code 1\); it said: cannot open display/);
    expect(error.message).not.toMatch(/did not start within/);
    expect(ms).toBeLessThan(10_000);
    expect(leftover).toEqual([]);
  });

  it('one killed while starting is reported as killed (no "[object Object]"); no profile left', async () => {
    const { error, leftover } = await launchWith('kill -9 $$');
    expect(error.message).toMatch(/was killed while starting/);
    expect(error.message).not.toContain('[object Object]');
    expect(leftover).toEqual([]);
  });

  it('one that starts and then hangs up is reported without "[object Object]"; no Chromium or profile left', async () => {
    // Real Chromium, killed right after it announced itself: Puppeteer rejects with a bare event object.
    const { error, leftover } = await launchWith([
      'for arg in "$@"; do case "$arg" in --user-data-dir=*) profile="${arg#--user-data-dir=}";; esac; done',
      '/usr/bin/chromium "$@" 2>&1 | while IFS= read -r line; do',
      '  echo "$line" >&2',
      '  case "$line" in *"DevTools listening"*) pkill -9 -f -- "chromium.*--user-data-dir=$profile" ;; esac',
      'done',
    ].join('\n'));
    expect(error.code).toBe('browserFailed');
    expect(error.message).not.toContain('[object Object]');
    expect(leftover).toEqual([]);
  });

  it('Ctrl-C while the browser starts leaves no profile folder', async () => {
    const p = await project();
    const fake = path.join(p.root, 'slow-browser');
    await writeFile(fake, '#!/bin/sh\nexec sleep 30\n', { mode: 0o755 });
    const before = await profiles();
    const child = spawn('node', [cliPath, 'build', '--data', p.data, '--templates', p.templates, '--out', p.out], { env: { ...process.env, PUPPETEER_EXECUTABLE_PATH: fake }, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => { output += chunk.toString(); });
    for (let i = 0; i < 200 && !/^write /m.test(output); i += 1) await new Promise((resolve) => setTimeout(resolve, 25));
    await new Promise((resolve) => setTimeout(resolve, 200));
    const exited = new Promise((resolve) => child.on('exit', resolve));
    child.kill('SIGINT');
    await exited;
    expect((await profiles()).filter((name) => !before.includes(name))).toEqual([]);
  });
});

describe('slips on the page', () => {
  it('zero prints "0", never "-0"; a loss too small for cents keeps its digits and its sign', async () => {
    const fr = await figuresIn('fr', 'fr-FR');
    const en = await figuresIn('en', 'en-US');
    expect(fr.format(-0, 'USD')).toBe('0 dollar');
    expect(fr.format(-0.001, 'USD')).toBe('-0,001 dollar');
    expect(fr.format(-0, 'percent')).toBe('0\u00a0%');
    expect(en.format(-0.001, 'USD')).toBe('-$0.001');
  });

  it('an article_value of 0 in a divisor is not a "division by zero" in the deck\'s own figure: the comparison is dropped, with a warning', async () => {
    const p = await project();
    await editFile(path.join(p.data, 'facts.csv'), (text) => text.replace(/^(tether\.staff,150,people,2024-2025,[^\n]*),150,sourced,/m, '$1,0,sourced,'));
    const result = await build(options(p));
    expect(result.model.figures.get('tether.profit_per_employee.2024')!.value).toBeCloseTo(13.7e9 / 150);
    expect(result.model.figures.get('tether.profit_per_employee.2024')!.articleValue).toBeUndefined();
    expect(result.warnings.join('\n')).toMatch(/tether\.profit_per_employee\.2024" with the article's own figures: division by zero/);
  });

  it('an article value that overflows is dropped with a warning, never printed as "∞"', async () => {
    const p = await project();
    await editFile(path.join(p.data, 'facts.csv'), (text) => text
      .replace(/^(openai\.net_loss\.2024,[^\n]*),5000000000,sourced,/m, '$1,1.7e308,sourced,')
      .replace(/^(anthropic\.net_loss\.2024,[^\n]*),5000000000,article-only,/m, '$1,1.7e308,article-only,'));
    await editFile(path.join(p.data, 'deck.yaml'), (text) => text.replace('Pertes cumulées : {{fact "labs.combined_loss.2024"}}', 'Pertes cumulées : {{fact "labs.combined_loss.2024"}} (article : {{article "labs.combined_loss.2024"}})'));
    const result = await build(options(p));
    expect(result.model.figures.get('labs.combined_loss.2024')!.articleValue).toBeUndefined();
    expect(result.warnings.join('\n')).toMatch(/labs\.combined_loss\.2024" with the article's own figures gives Infinity/);
    expect(await read(result.htmlPath)).not.toContain('∞');
  });
});

describe('datadeck dev, whatever happens around it', () => {
  const { startDevServerLazy } = { startDevServerLazy: () => import('../src/dev/server.js').then((module) => module.startDevServer) };

  async function nextBuild(server: Awaited<ReturnType<Awaited<ReturnType<typeof startDevServerLazy>>>>, kind: 'html' | 'error'): Promise<void> {
    await new Promise<void>((resolve) => {
      const listener = (event: { kind: string }): void => {
        if (event.kind !== kind) return;
        server.events.off('build', listener);
        resolve();
      };
      server.events.on('build', listener);
    });
  }

  it('keeps seeing data edits after data/ is replaced (restored from a backup, moved away and back)', async () => {
    const p = await project();
    const { cp, rename } = await import('node:fs/promises');
    const startDevServer = await startDevServerLazy();
    const server = await startDevServer({ dataDir: p.data, templatesDir: p.templates, outDir: p.out, pdf: false });
    try {
      const backup = path.join(p.root, 'backup');
      await cp(p.data, backup, { recursive: true });
      const replacements: [string, () => Promise<void>][] = [
        ['rm -rf data && cp -r backup data', async () => { await rm(p.data, { recursive: true }); await cp(backup, p.data, { recursive: true }); }],
        ['mv data x && mv x data', async () => { await rename(p.data, path.join(p.root, 'x')); await rename(path.join(p.root, 'x'), p.data); }],
      ];
      let value = 14_000_000_000;
      for (const [what, replace] of replacements) {
        await replace();
        await new Promise((resolve) => setTimeout(resolve, 1500));
        await server.idle();
        for (let edit = 0; edit < 2; edit += 1) {
          value += 100_000_000;
          const built = nextBuild(server, 'html');
          await editFile(path.join(p.data, 'facts.csv'), (text) => text.replace(/^tether\.net_profit\.2024,\d+,/m, `tether.net_profit.2024,${value},`));
          await Promise.race([built, new Promise((_, reject) => setTimeout(() => reject(new Error(`no rebuild after "${what}", edit ${edit + 1}`)), 8000))]);
          await server.idle();
          expect(await read(path.join(p.out, 'index.html')), what).toContain(`${String(value / 1e9).replace('.', ',')}\u00a0milliards`);
        }
      }
    } finally {
      await server.close();
    }
  });

  it('a port in use: exit 8 with a sentence, at once, and no Chromium left running', async () => {
    const p = await project();
    const { createServer } = await import('node:net');
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const port = (blocker.address() as import('node:net').AddressInfo).port;
    try {
      // Its own temporary folder: a Chromium it started would have its profile there (others' would not).
      const tmp = path.join(p.root, 'tmp');
      await mkdir(tmp);
      const run = await runCli(['dev', '--data', p.data, '--templates', p.templates, '--out', p.out, '--port', String(port)], { timeoutMs: 20_000, env: { ...process.env, TMPDIR: tmp } });
      expect(run.code, run.stderr).toBe(8);
      expect(run.stderr).toContain(`port ${port} is already in use on 127.0.0.1`);
      expectNoStackTrace(run);
      expect(await processesMentioning(tmp)).toEqual([]);
      expect(await readdir(tmp)).toEqual([]);
    } finally {
      blocker.close();
    }
  });

  it('a port out of range is exit 64; an address that is not this machine\'s is exit 8, each with a sentence', async () => {
    const p = await project();
    const base = ['dev', '--data', p.data, '--templates', p.templates, '--out', p.out, '--no-pdf'];
    const outOfRange = await runCli([...base, '--port', '70000'], { timeoutMs: 20_000 });
    expect(outOfRange.code).toBe(64);
    expect(outOfRange.stderr).toMatch(/expected a port number from 1 to 65535/);
    const foreign = await runCli([...base, '--host', '203.0.113.7'], { timeoutMs: 20_000 });
    expect(foreign.code, foreign.stderr).toBe(8);
    expect(foreign.stderr).toMatch(/203\.0\.113\.7 is not an address of this machine/);
    expectNoStackTrace(foreign);
    const unknown = await runCli([...base, '--host', 'no-such-host.invalid'], { timeoutMs: 20_000 });
    expect(unknown.code, unknown.stderr).toBe(8);
    expect(unknown.stderr).toMatch(/cannot be resolved/);
    expectNoStackTrace(unknown);
  });

  it('when the first build fails, the tab shows the errors, then the deck once the data is fixed', async () => {
    const p = await project();
    const facts = path.join(p.data, 'facts.csv');
    await editFile(facts, (text) => text.replace(/^tether\.net_profit\.2024,\d+,/m, 'tether.net_profit.2024,beaucoup,'));
    const startDevServer = await startDevServerLazy();
    const server = await startDevServer({ dataDir: p.data, templatesDir: p.templates, outDir: p.out, pdf: false });
    const { launchBrowser } = await import('../src/print/browser.js');
    const session = await launchBrowser({ timeoutMs: 20_000 });
    try {
      const page = await session.browser.newPage();
      const response = await page.goto(server.url, { waitUntil: 'load' });
      expect(response?.status()).toBe(200);
      await page.waitForSelector('#datadeck-error-overlay', { timeout: 10_000 });
      expect(await page.$eval('#datadeck-error-overlay', (element) => element.textContent)).toMatch(/facts\.csv:2:24: value "beaucoup" is not a number/);
      await editFile(facts, (text) => text.replace('tether.net_profit.2024,beaucoup,', 'tether.net_profit.2024,13700000000,'));
      await page.waitForFunction(() => document.querySelector('section.present') !== null && !document.querySelector('#datadeck-error-overlay'), { timeout: 15_000 });
      expect(await page.$eval('.reveal .slides', (element) => element.textContent ?? '')).toContain('13,7');
    } finally {
      await session.close();
      await server.close();
    }
  });
});

/** Processes whose command line names a path (a browser's profile folder under it, say). */
async function processesMentioning(text: string): Promise<string[]> {
  const pids = (await readdir('/proc')).filter((name) => /^\d+$/.test(name));
  const found: string[] = [];
  for (const pid of pids) {
    const cmdline = await readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => '');
    if (cmdline.includes(text)) found.push(pid);
  }
  return found;
}

describe('the deck works with tools that drive reveal.js from outside', () => {
  it('initialises the global Reveal, and DeckTape (with the system Chromium) exports one page per slide', async () => {
    const p = await project();
    const result = await build(options(p));
    const { launchBrowser } = await import('../src/print/browser.js');
    const session = await launchBrowser({ timeoutMs: 20_000 });
    try {
      const page = await session.browser.newPage();
      await page.goto(pathToFileURL(result.htmlPath).href, { waitUntil: 'load' });
      await page.waitForFunction(() => (window as unknown as { Reveal?: { isReady?: () => boolean } }).Reveal?.isReady?.() === true, { timeout: 10_000 });
      expect(await page.evaluate(() => (window as unknown as { Reveal: { getTotalSlides: () => number } }).Reveal.getTotalSlides())).toBe(result.slideCount);
    } finally {
      await session.close();
    }
    const pdf = path.join(p.root, 'decktape.pdf');
    const chromeArgs = ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'].map((arg) => `--chrome-arg=${arg}`);
    const decktape = path.join(process.cwd(), 'node_modules', '.bin', 'decktape');
    const { stdout } = await promisify(execFileCallback)(decktape, ['reveal', '--chrome-path', '/usr/bin/chromium', ...chromeArgs, '--pause', '50', pathToFileURL(result.htmlPath).href, pdf], { timeout: 90_000 });
    expect(stdout).toContain(`Printed ${result.slideCount} slides`);
    const { stdout: info } = await promisify(execFileCallback)('pdfinfo', [pdf]);
    expect(Number(/Pages:\s+(\d+)/.exec(info)![1])).toBe(result.slideCount);
    const { stdout: hook } = await promisify(execFileCallback)('pdftotext', ['-f', '2', '-l', '2', pdf, '-']);
    expect(hook).toContain('13,7');
  }, 120_000);
});

describe('the README', () => {
  it('lists every exit code the CLI can return, and no other', async () => {
    const { ExitCode } = await import('../src/errors.js');
    const readme = await readFile(path.join(repoRoot, 'README.md'), 'utf8');
    const table = readme.slice(readme.indexOf('Exit codes:'), readme.indexOf('A failed build leaves'));
    const documented = [...table.matchAll(/^\| (\d+) \| \S/gm)].map((match) => Number(match[1]));
    expect(documented.sort((a, b) => a - b)).toEqual([...new Set(Object.values(ExitCode))].sort((a, b) => a - b));
  });
});
