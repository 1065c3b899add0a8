import { parse, CsvError, type Info } from 'csv-parse/sync';
import { factColumns, factRowSchema, requiredFactColumns, type FactColumn, type FactRow } from './schema.js';
import type { ProblemList } from '../errors.js';
import { didYouMean } from '../suggest.js';

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

export function parseFactsCsv(source: string, file: string, problems: ProblemList): ParsedFacts {
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

  // csv-parse's line count drifts on line breaks inside quoted cells; count from the raw text.
  // A record's raw text starts with the blank lines skipped before it; find the record itself.
  let searchFrom = 0;
  let previousStart = 0;
  let lineAt = 1;
  const startLines = records.map((record) => {
    const own = record.raw.replace(/^\n+/, '');
    const start = text.indexOf(own, searchFrom);
    lineAt += countNewlines(text.slice(previousStart, start));
    previousStart = start;
    searchFrom = start + own.length;
    return lineAt;
  });
  const [headerRecord, ...rows] = records;
  if (!headerRecord) return { facts: [], notices };
  const header = headerRecord.record.map((name) => name.trim());
  const headerLineNo = startLines[0]!;
  const known = new Set<string>(factColumns);
  for (const [index, name] of header.entries()) {
    if (!known.has(name)) {
      problems.add({ file, line: headerLineNo, column: index + 1, field: name, message: `unknown column "${name}" (expected ${factColumns.join(', ')})${didYouMean(name, factColumns)}` });
    }
  }
  const missing = requiredFactColumns.filter((name) => !header.includes(name));
  for (const name of missing) problems.add({ file, line: headerLineNo, field: name, message: `missing column "${name}" in the header row` });
  if (missing.length > 0) return { facts: [], notices };

  const schema = factRowSchema({ decimalComma: delimiter === ';' });
  const facts: LocatedFact[] = [];
  const firstLineOfId = new Map<string, number>();
  for (const [index, { record }] of rows.entries()) {
    const line = startLines[index + 1]!;
    if (record.length !== header.length) {
      problems.add({ file, line, message: `row has ${record.length} fields but the header has ${header.length} (a stray "${delimiter}" or a missing one?)` });
      continue;
    }
    const raw = Object.fromEntries(factColumns.map((name) => [name, record[header.indexOf(name)] ?? ''])) as { [K in FactColumn]: string };
    const id = raw.id.trim();
    const parsed = schema.safeParse(raw);
    if (!parsed.success) {
      for (const issue of parsed.error.issues) {
        const field = String(issue.path[0] ?? 'id') as FactColumn;
        const columnIndex = header.indexOf(field);
        problems.add({
          file,
          line,
          ...(columnIndex >= 0 ? { column: columnIndex + 1 } : {}),
          field,
          message: `${field} "${raw[field] ?? ''}" ${issue.message} (column ${field}${id ? `, id ${id}` : ''})`,
        });
      }
      continue;
    }
    const firstLine = firstLineOfId.get(parsed.data.id);
    if (firstLine !== undefined) {
      problems.add({ file, line, field: 'id', message: `duplicate id "${parsed.data.id}" (first defined on line ${firstLine})` });
      continue;
    }
    firstLineOfId.set(parsed.data.id, line);
    facts.push({ fact: parsed.data, line });
  }
  return { facts, notices };
}
