/**
 * facts.csv as the loader reads it (src/data/decode.ts, csv.ts): rows, quotes and line breaks,
 * values and units, separators and encodings. Every problem names the line, the column and the
 * field; the other rows still load.
 */
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { parse as parseCsv } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { ProblemList } from '../src/errors.js';
import { parseFactsCsv } from '../src/data/csv.js';
import { loadData } from '../src/data/load.js';
import { build } from '../src/pipeline.js';
import { buildDataErrors, frenchOptions } from './support/build.js';
import { cell, columns, goodCells, header, row, type Column } from './support/facts-csv.js';
import { endsWithFile, expectOnlyProblem, expectProblem, lineOf } from './support/problems.js';
import { editFile, read, scratchProjects } from './support/project.js';

const project = scratchProjects();
const factsFile = 'data/facts.csv';

function parseFacts(text: string) {
  const problems = new ProblemList();
  const result = parseFactsCsv(text, factsFile, problems);
  return { problems: problems.problems, facts: result.facts, notices: result.notices };
}

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
    const error = await buildDataErrors(frenchOptions(p));
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

describe('facts.csv line numbers', () => {
  it('stay right across blank lines, whatever the line breaks (LF, CRLF, CR)', async () => {
    const { parseFactsCsv } = await import('../src/data/csv.js');
    const header = 'id,value,unit,period,label,source_title,source_url,article_value,status,note';
    const good = (id: string): string => `${id},1,USD,2024,L,T,,,sourced,`;
    const bad = (id: string): string => `${id},abc,USD,2024,L,T,,,sourced,`;
    for (const lineBreak of ['\n', '\r\n', '\r']) {
      const text = [header, good('a.a'), '', bad('b.b'), '', '', bad('c.c'), good('d.d')].join(lineBreak) + lineBreak;
      const problems = new ProblemList();
      const { facts } = parseFactsCsv(text, 'facts.csv', problems);
      expect(facts.map((fact) => [fact.fact.id, fact.line]), JSON.stringify(lineBreak)).toEqual([['a.a', 2], ['d.d', 8]]);
      expect(problems.problems.map((problem) => problem.line)).toEqual([4, 7]);
    }
  });
});

describe('semicolon facts.csv through the whole build', () => {
  it('the real facts as French Excel saves them (BOM, ";", CRLF, 13,7e9) give the same deck', async () => {
    const clean = await project();
    const baseline = await read((await build(frenchOptions(clean))).htmlPath);

    const p = await project();
    const csvFile = path.join(p.data, 'facts.csv');
    const records = parseCsv(await read(csvFile)) as string[][];
    const converted = records.map((cells) => {
      const out = [...cells];
      if (out[0] === 'tether.net_profit.2024') {
        out[1] = '13,7e9';
        out[7] = '13,0e9';
      } else out[1] = out[1]!.replace('.', ','); // 4.51 as French Excel writes it: 4,51
      return out.map((c) => cell(c, ';')).join(';');
    });
    await writeFile(csvFile, `\uFEFF${converted.join('\r\n')}\r\n`);
    const result = await build(frenchOptions(p));
    expect(result.model.figures.get('tether.net_profit.2024')!.value).toBe(13_700_000_000);
    expect(result.model.figures.get('tether.net_profit.2024')!.articleValue).toBe(13_000_000_000);
    expect(result.warnings.join('\n')).toMatch(/semicolon-separated/);
    expect(await read(result.htmlPath)).toBe(baseline);
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
    const result = await build(frenchOptions(p));
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
    expectOnlyProblem((await buildDataErrors(frenchOptions(p))).problems, { file: 'data/facts.csv', line: 5, column: 1, message: 'is not valid UTF-8 from here' });
    // Plain ASCII with a byte Windows-1252 does not define either (0x81) on line 3.
    await writeFile(file, Buffer.concat([Buffer.from(`${header}\n${row({ id: 'a.one' })}\n`), Buffer.from([0x61, 0x81, 0x0a])]));
    expectOnlyProblem((await buildDataErrors(frenchOptions(p))).problems, { file: 'data/facts.csv', line: 3, column: 2, message: 'is neither UTF-8 nor Windows-1252 text' });
  });

  it('refuses a NUL byte in a cell, located, so it never reaches the HTML', async () => {
    const p = await project();
    const file = path.join(p.data, 'facts.csv');
    await editFile(file, (text) => text.replace('Bénéfice net de Tether', 'Bénéfice\u0000net de Tether'));
    const error = await buildDataErrors(frenchOptions(p));
    expectOnlyProblem(error.problems, { file: 'data/facts.csv', line: 2, column: 53, message: 'holds the control character U+0000 (NUL)' });
  });
});
