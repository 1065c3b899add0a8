import { LineCounter, parseDocument, isMap, isNode, isScalar, isSeq, visit, type Document, type Scalar } from 'yaml';
import { z } from 'zod';
import type { ProblemList, SourceLocation } from '../errors.js';
import { closestName } from '../suggest.js';
import { badCharacterMessage, findBadCharacter } from './characters.js';

export type YamlPath = readonly PropertyKey[];

/** A parsed YAML file that can say on which line any value of it was written. */
export interface YamlFile {
  file: string;
  value: unknown;
  locate(path: YamlPath): SourceLocation;
  /** Where a key of the mapping at `path` is written (for unknown fields), else the mapping. */
  locateKey(path: YamlPath, key: string): SourceLocation;
  /**
   * What YAML made of the value at `path` when it is not what the user wrote: an unquoted `#`
   * read as a comment, a `: ` read as a key. Said to the user instead of the schema's complaint.
   */
  explain?(path: YamlPath, expectsText: boolean): string | undefined;
}

export function parseYamlFile(source: string, file: string, problems: ProblemList, options: NamingOptions = {}): YamlFile | undefined {
  const lineCounter = new LineCounter();
  const text = source.replace(/^\uFEFF/, '');
  const doc: Document = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  if (doc.errors.length > 0) {
    for (const error of doc.errors) {
      const pos = lineCounter.linePos(error.pos[0]);
      // French typography puts a space before colons; in a plain YAML value " : " starts a mapping.
      const hint = /mapping|Implicit keys/i.test(error.message) ? ' (text containing ": " must be quoted or written as a block with >-)' : '';
      problems.add({ file, line: pos.line, column: pos.col, message: `malformed YAML: ${error.message.split('\n')[0]}${hint}` });
    }
    return undefined;
  }
  const locate = (path: YamlPath): SourceLocation => {
    // Walk up the path until a node exists: a missing key is best shown at its parent.
    for (let depth = path.length; depth >= 0; depth -= 1) {
      const node = doc.getIn(path.slice(0, depth) as unknown[], true);
      if (isNode(node) && node.range) {
        const pos = lineCounter.linePos(node.range[0]);
        return { file, line: pos.line, column: pos.col };
      }
    }
    return { file, line: 1 };
  };
  const locateKey = (path: YamlPath, key: string): SourceLocation => {
    const map = doc.getIn(path as unknown[], true);
    if (isMap(map)) {
      const pair = map.items.find((item) => isScalar(item.key) && item.key.value === key);
      if (pair && isScalar(pair.key) && pair.key.range) {
        const pos = lineCounter.linePos(pair.key.range[0]);
        return { file, line: pos.line, column: pos.col };
      }
    }
    return locate(path);
  };
  let value: unknown;
  try {
    value = doc.toJS();
  } catch (error) {
    // "Excessive alias count": anchors expanding into billions of nodes (a "billion laughs" file).
    let firstAlias: number | undefined;
    visit(doc, {
      Alias(_key, node) {
        firstAlias = node.range?.[0];
        return visit.BREAK;
      },
    });
    const pos = firstAlias === undefined ? { line: 1, col: 1 } : lineCounter.linePos(firstAlias);
    const reason = /alias/i.test(error instanceof Error ? error.message : '') ? 'its aliases (*name) expand into too many values; write the values out' : error instanceof Error ? error.message : String(error);
    problems.add({ file, line: pos.line, column: pos.col, message: `malformed YAML: ${reason}` });
    return undefined;
  }
  const describe = (path: YamlPath): string => options.describe?.(path, value) ?? describePath(path);
  if (!refuseBadKeysAndText(doc, text, { lineCounter, file, problems, describe })) return undefined;
  return { file, value, locate, locateKey, explain: (path, wantsText) => explainTrap(doc, text, path, wantsText) };
}

/** A value for YAML to read as text, single-quoted ('' is a quote inside). */
const singleQuoted = (text: string): string => `'${text.replace(/'/g, "''")}'`;

/**
 * YAML's two traps for people who write text: `total: #4a5563` is a key with an empty value and a
 * comment, and `- Un chiffre : 13 milliards` is a mapping. Both are seen in the document itself
 * (its nodes keep comments and source positions), never guessed from the error.
 */
function explainTrap(doc: Document, source: string, path: YamlPath, expectsText: boolean): string | undefined {
  const node = doc.getIn(path as unknown[], true);
  const parent = doc.getIn(path.slice(0, -1) as unknown[], true);
  const pair = isMap(parent) ? parent.items.find((item) => isScalar(item.key) && item.key.value === path.at(-1)) : undefined;
  const empty = node === null || node === undefined || (isScalar(node) && node.value === null && !node.source);
  if (empty) {
    const start = isScalar(node) && node.range ? node.range[0] : isScalar(pair?.key) && pair.key.range ? pair.key.range[1] : undefined;
    if (start === undefined) return undefined;
    const rest = source.slice(start, source.indexOf('\n', start) === -1 ? undefined : source.indexOf('\n', start));
    const comment = /^[ \t]*:?[ \t]*(#.*?)\s*$/.exec(rest)?.[1];
    if (comment === undefined) return undefined;
    const what = /^#([0-9a-f]{3}|[0-9a-f]{6}|[0-9a-f]{8})$/i.test(comment) ? 'the colour' : 'the value';
    return `is empty: in YAML a # starts a comment, so ${comment} was read as one; quote ${what}: ${singleQuoted(comment)}`;
  }
  // 2024, 13.70 or true is a number or a boolean to YAML; text that looks like one is quoted.
  if (expectsText && isScalar(node) && (typeof node.value === 'number' || typeof node.value === 'boolean') && node.source) {
    return `is read as ${typeof node.value === 'number' ? 'a number' : 'true or false'} (${node.source}), not text: quote it: ${singleQuoted(node.source)}`;
  }
  if (expectsText && isMap(node) && !node.flow) {
    return 'is a mapping, not text: in YAML ": " inside a plain value starts a key; quote the text or write it as a block with >-';
  }
  return undefined;
}

/**
 * Keys and text YAML reads without complaint but the deck cannot hold: a `__proto__` key (in
 * JavaScript it names an object's prototype, so the entry would vanish or change what every other
 * key finds) and characters no text may hold (characters.ts). Each is refused where it is written.
 */
function refuseBadKeysAndText(doc: Document, text: string, context: { lineCounter: LineCounter; file: string; problems: ProblemList; describe: (path: YamlPath) => string }): boolean {
  const { lineCounter, file, problems, describe } = context;
  let clean = true;
  const report = (offset: number, path: YamlPath, message: string): void => {
    const pos = lineCounter.linePos(offset);
    const named = describe(path);
    problems.add({ file, line: pos.line, column: pos.col, ...(path.length > 0 ? { field: describePath(path) } : {}), message: named ? `${named}: ${message}` : message });
    clean = false;
  };
  const checkText = (node: Scalar, path: YamlPath): void => {
    if (typeof node.value !== 'string') return;
    const bad = findBadCharacter(node.value);
    if (!bad) return;
    // Where the character is written, unless an escape (\uFFFF) wrote it: then where the value starts.
    const [start, end] = node.range ?? [0, 0];
    const at = text.slice(start, end).indexOf(node.value[bad.index]!);
    report(at >= 0 ? start + at : start, path, badCharacterMessage(bad));
  };
  const walk = (node: unknown, path: YamlPath): void => {
    if (isMap(node)) {
      for (const pair of node.items) {
        if (!isScalar(pair.key)) continue;
        const key = pair.key.value;
        if (key === '__proto__') report(pair.key.range?.[0] ?? 0, path, '"__proto__" cannot be a key (JavaScript reserves the name, and the entry would be lost); rename it');
        checkText(pair.key, path);
        walk(pair.value, [...path, typeof key === 'number' ? key : String(key)]);
      }
    } else if (isSeq(node)) {
      node.items.forEach((item, index) => walk(item, [...path, index]));
    } else if (isScalar(node)) {
      checkText(node, path);
    }
  };
  walk(doc.contents, []);
  return clean;
}

function describePath(path: YamlPath): string {
  return path.reduce<string>((text, key) => (typeof key === 'number' ? `${text}[${key}]` : text ? `${text}.${String(key)}` : String(key)), '');
}

/** The schemas a value may have to match, with optional, default, nullable, pipes and unions opened up. */
function concreteSchemas(schema: z.ZodType): z.ZodType[] {
  if (schema instanceof z.ZodOptional || schema instanceof z.ZodNullable || schema instanceof z.ZodDefault) return concreteSchemas(schema.unwrap() as z.ZodType);
  if (schema instanceof z.ZodPipe) return concreteSchemas(schema.in as z.ZodType);
  if (schema instanceof z.ZodUnion) return (schema.options as z.ZodType[]).flatMap(concreteSchemas);
  return [schema];
}

/** The fields a mapping at `path` may have, from the schema itself (for "did you mean"). */
function fieldsAt(schema: z.ZodType, path: YamlPath): string[] {
  let schemas = concreteSchemas(schema);
  for (const key of path) {
    schemas = schemas.flatMap((current): z.ZodType[] => {
      if (current instanceof z.ZodObject && typeof key === 'string' && Object.hasOwn(current.shape, key)) return concreteSchemas(current.shape[key] as z.ZodType);
      if (current instanceof z.ZodArray && typeof key === 'number') return concreteSchemas(current.element as z.ZodType);
      if (current instanceof z.ZodRecord) return concreteSchemas(current.valueType as z.ZodType);
      return [];
    });
  }
  return [...new Set(schemas.flatMap((current) => (current instanceof z.ZodObject ? Object.keys(current.shape) : [])))];
}

function valueAt(value: unknown, path: YamlPath): unknown {
  return path.reduce<unknown>((current, key) => (typeof current === 'object' && current !== null && Object.hasOwn(current, key) ? (current as Record<PropertyKey, unknown>)[key] : undefined), value);
}

/** Whether the schema wanted text where the issue is (a plain string, or a union that allows one). */
function expectsText(issue: z.core.$ZodIssue): boolean {
  if (issue.code === 'invalid_type') return issue.expected === 'string';
  if (issue.code === 'invalid_union') return issue.errors.some((errors) => errors.some((inner) => inner.path.length === 0 && expectsText(inner)));
  return false;
}

/** The value as the user wrote it, short enough to quote in a message. */
function quoted(value: unknown): string | undefined {
  if (typeof value !== 'string' && typeof value !== 'number' && typeof value !== 'boolean') return undefined;
  const text = String(value);
  return JSON.stringify(text.length > 60 ? `${text.slice(0, 57)}...` : text);
}

/** The schema's complaint about one value, said with the value given and what is allowed. */
function explainIssue(issue: z.core.$ZodIssue, value: unknown): string {
  const given = quoted(value);
  if (issue.code === 'invalid_type' && value === undefined) return 'is missing';
  if (issue.code === 'invalid_type' && value === null) return `is empty (expected ${issue.expected === 'string' ? 'text' : issue.expected})`;
  if (issue.code === 'invalid_type' && (isMapValue(value) || Array.isArray(value))) return `is ${Array.isArray(value) ? 'a list' : 'a mapping'}, expected ${issue.expected === 'string' ? 'text' : issue.expected}`;
  if (issue.code === 'invalid_key') {
    const key = issue.path.at(-1);
    const reasons = issue.issues.map((inner) => inner.message).join('; ');
    return typeof key === 'string' && reasons.startsWith('is ') ? `the key ${JSON.stringify(key)} ${reasons}` : `${issue.message}: ${reasons}`;
  }
  // The deck's own messages ("is not a known unit...") say what is allowed; say what was given.
  if (given !== undefined && issue.message.startsWith('is ')) return `${given} ${issue.message}`;
  if (issue.code === 'invalid_value' && given !== undefined) {
    const allowed = issue.values.map(String);
    const close = typeof value === 'string' ? closestName(value, allowed) : undefined;
    return `${given} is not one of ${allowed.join(', ')}${close === undefined ? '' : `; did you mean "${close}"?`}`;
  }
  if (issue.code === 'too_small' && issue.origin === 'string' && value === '') return 'is empty';
  return given !== undefined ? `${issue.message} (given ${given})` : issue.message;
}

const isMapValue = (value: unknown): boolean => typeof value === 'object' && value !== null && !Array.isArray(value);

export interface NamingOptions {
  /** How messages name what a path points into (given the file's value): derived.yaml's [0] is figure "a.b". */
  describe?: (path: YamlPath, value: unknown) => string;
}

/** Validates a YAML file against a schema, adding one located problem per issue. */
export function validateYaml<T extends z.ZodType>(yamlFile: YamlFile, schema: T, problems: ProblemList, options: NamingOptions = {}): z.output<T> | undefined {
  const result = schema.safeParse(yamlFile.value);
  if (result.success) return result.data;
  const describe = (path: YamlPath): string => options.describe?.(path, yamlFile.value) ?? describePath(path);
  for (const issue of result.error.issues) {
    const path = issue.path as YamlPath;
    const field = describePath(path);
    const named = describe(path);
    if (issue.code === 'unrecognized_keys') {
      const known = fieldsAt(schema, path);
      for (const key of issue.keys) {
        const close = closestName(key, known);
        const hint = close !== undefined ? `; did you mean "${close}"?` : known.length > 0 ? ` (expected one of ${known.join(', ')})` : '';
        problems.add({ ...yamlFile.locateKey(path, key), field: field ? `${field}.${key}` : key, message: `${named ? `${named}: ` : ''}unknown field "${key}"${hint}` });
      }
      continue;
    }
    const message = yamlFile.explain?.(path, expectsText(issue)) ?? explainIssue(issue, valueAt(yamlFile.value, path));
    const key = path.at(-1);
    const where = issue.code === 'invalid_key' && typeof key === 'string' ? yamlFile.locateKey(path.slice(0, -1), key) : yamlFile.locate(path);
    problems.add({ ...where, field, message: named ? `${named}: ${message}` : message });
  }
  return undefined;
}

export { describePath };
