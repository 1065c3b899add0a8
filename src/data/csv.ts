import { parse, CsvError, type Info } from 'csv-parse/sync';
import { factColumns, factRowSchema, noDeckUnits, requiredFactColumns, type DeckUnits, type FactColumn, type FactRow } from './schema.js';
import type { ProblemList } from '../errors.js';
import { didYouMean } from '../suggest.js';
import { badCharacterMessage, findBadCharacter, type BadCharacter } from './characters.js';

export interface LocatedFact {
  fact: FactRow;
  line: number;
}

export interface ParsedFacts {
  facts: LocatedFact[];
  /** How the file was read, when that differs from plain comma-separated CSV. */
  notices: string[];
}

/** French Excel saves ";"-separated files; a header with semicolons and no commas is one of those. */
function detectDelimiter(headerLine: string): ';' | ',' {
  const semicolons = headerLine.split(';').length - 1;
  const commas = headerLine.split(',').length - 1;
  return semicolons > commas ? ';' : ',';
}

type Record = { record: string[]; info: Info; raw: string };

/** Counts line breaks in text already normalised to LF (see parseFactsCsv). */
function countNewlines(text: string): number {
  return text.match(/\n/g)?.length ?? 0;
}

/** The line where a quoted field opens and never closes (the parser only knows where it gave up). */
function unclosedQuoteLine(text: string): number | undefined {
  let openedAt: number | undefined;
  text.split('\n').forEach((line, index) => {
    for (const char of line) if (char === '"') openedAt = openedAt === undefined ? index + 1 : undefined;
  });
  return openedAt;
}

/** `units`: the deck's own units (data/units.yaml), which its facts may use besides datadeck's. */
export function parseFactsCsv(source: string, file: string, problems: ProblemList, units: DeckUnits = noDeckUnits): ParsedFacts {
  const notices: string[] = [];
  let text = source;
  if (text.charCodeAt(0) === 0xfeff) {
    text = text.slice(1);
    notices.push(`${file}: byte-order mark skipped`);
  }
  if (text.trim() === '') {
    problems.add({ file, line: 1, message: `is empty (expected a header row: ${factColumns.join(',')})` });
    return { facts: [], notices };
  }
  // One line-break convention from here on (Windows CRLF and old Mac CR become LF), so line
  // numbers are counted one way whatever saved the file.
  text = text.replace(/\r\n?/g, '\n');
  const headerLine = text.slice(0, text.search(/\n|$/));
  const delimiter = detectDelimiter(headerLine);
  if (delimiter === ';') notices.push(`${file}: read as semicolon-separated with decimal commas (as French Excel saves it)`);

  let records: Record[];
  try {
    records = parse(text, {
      delimiter,
      info: true,
      raw: true,
      relax_column_count: true,
      skip_empty_lines: true,
    }) as unknown as Record[];
  } catch (error) {
    if (error instanceof CsvError) {
      const line = error.code === 'CSV_QUOTE_NOT_CLOSED' ? (unclosedQuoteLine(text) ?? (error as CsvError & { lines?: number }).lines) : (error as CsvError & { lines?: number }).lines;
      const reason = error.code === 'CSV_QUOTE_NOT_CLOSED'
        ? 'a quoted field is never closed (unterminated ")'
        : error.message.replace(/^Invalid [^:]*: /, '');
      problems.add({ file, line, message: `malformed CSV: ${reason}` });
      return { facts: [], notices };
    }
    throw error;
  }

  const located = locateRecords(text, records, delimiter);
  const [header, ...rows] = located;
  if (!header) return { facts: [], notices };
  const names = header.record.map((name) => name.trim());
  const known = new Set<string>(factColumns);
  for (const [index, name] of names.entries()) {
    if (!known.has(name)) {
      problems.add({ file, ...header.fieldAt(index), field: name, message: `unknown column "${name}" (expected ${factColumns.join(', ')})${didYouMean(name, factColumns)}` });
    }
  }
  const missing = requiredFactColumns.filter((name) => !names.includes(name));
  for (const name of missing) problems.add({ file, line: header.line, field: name, message: `missing column "${name}" in the header row` });
  if (missing.length > 0) return { facts: [], notices };
  return { facts: readRows(rows, names, { file, delimiter, problems, units }), notices };
}

/** A record with where it is written: its first line, and the line and column each field starts at. */
interface LocatedRecord {
  record: string[];
  line: number;
  fieldAt(index: number): { line: number; column: number };
  /** The first character no text may hold, where it is, and in which field. */
  bad: { line: number; column: number; field: number; character: BadCharacter } | undefined;
}

/**
 * Where each record and each of its fields is written. csv-parse's line count drifts on line
 * breaks inside quoted cells and it knows no columns, so both are counted from the raw text: the
 * column is the character where the field starts on its line, as editors count (line:column).
 */
function locateRecords(text: string, records: readonly Record[], delimiter: string): LocatedRecord[] {
  let searchFrom = 0;
  let previousStart = 0;
  let lineAt = 1;
  return records.map(({ record, raw }) => {
    // A record's raw text starts with the blank lines skipped before it; find the record itself.
    const own = raw.replace(/^\n+/, '');
    const start = text.indexOf(own, searchFrom);
    lineAt += countNewlines(text.slice(previousStart, start));
    previousStart = start;
    searchFrom = start + own.length;
    const positions: { offset: number; line: number; column: number }[] = [];
    let line = lineAt;
    let column = 1;
    let quoted = false;
    let fieldStart = true;
    for (let offset = 0; offset < own.length; offset += 1) {
      const char = own[offset];
      if (fieldStart) positions.push({ offset, line, column });
      fieldStart = false;
      if (char === '"') quoted = !quoted;
      else if (char === delimiter && !quoted) fieldStart = true;
      if (char === '\n') {
        line += 1;
        column = 1;
      } else column += 1;
    }
    const character = findBadCharacter(own);
    let bad: LocatedRecord['bad'];
    if (character) {
      const before = own.slice(0, character.index);
      const lines = before.split('\n');
      const field = positions.filter((position) => position.offset <= character.index).length - 1;
      bad = { line: lineAt + lines.length - 1, column: lines.at(-1)!.length + 1, field: Math.max(0, field), character };
    }
    return { record, line: lineAt, fieldAt: (index: number) => positions[index] ?? { line: lineAt, column: 1 }, bad };
  });
}

/** The facts of the rows, each checked against the schema; every problem located at its field. */
function readRows(rows: readonly LocatedRecord[], header: readonly string[], context: { file: string; delimiter: ';' | ','; problems: ProblemList; units: DeckUnits }): LocatedFact[] {
  const { file, delimiter, problems } = context;
  const schema = factRowSchema({ decimalComma: delimiter === ';', units: context.units });
  const facts: LocatedFact[] = [];
  const firstLineOfId = new Map<string, number>();
  for (const row of rows) {
    const { record, line } = row;
    if (record.length !== header.length) {
      problems.add({ file, line, message: `row has ${record.length} fields but the header has ${header.length} (a stray "${delimiter}" or a missing one?)` });
      continue;
    }
    const raw = Object.fromEntries(factColumns.map((name) => [name, record[header.indexOf(name)] ?? ''])) as { [K in FactColumn]: string };
    const id = raw.id.trim();
    if (row.bad) {
      const field = header[row.bad.field] ?? '';
      problems.add({ file, line: row.bad.line, column: row.bad.column, field, message: `${field}: ${badCharacterMessage(row.bad.character)} (column ${field}${id ? `, id ${id}` : ''})` });
      continue;
    }
    const parsed = schema.safeParse(raw);
    if (!parsed.success) {
      for (const issue of parsed.error.issues) {
        const field = String(issue.path[0] ?? 'id') as FactColumn;
        const columnIndex = header.indexOf(field);
        problems.add({
          file,
          ...(columnIndex >= 0 ? row.fieldAt(columnIndex) : { line }),
          field,
          message: `${field} "${raw[field] ?? ''}" ${issue.message} (column ${field}${id ? `, id ${id}` : ''})`,
        });
      }
      continue;
    }
    const firstLine = firstLineOfId.get(parsed.data.id);
    if (firstLine !== undefined) {
      problems.add({ file, ...row.fieldAt(header.indexOf('id')), field: 'id', message: `duplicate id "${parsed.data.id}" (first defined on line ${firstLine})` });
      continue;
    }
    firstLineOfId.set(parsed.data.id, line);
    facts.push({ fact: parsed.data, line });
  }
  return facts;
}
