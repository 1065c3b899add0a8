/**
 * What a layout declares about itself, in the YAML of its leading comment, and what its template
 * shows: the fields a slide must give it, the most entries its lists hold, the order it shows a
 * slide's fields in, and its parts (data-part, data-field) checked against the part contract.
 *
 *   {{!--
 *   requires: [title, items]
 *   limits: { items: 8 }
 *   --}}
 *
 * The one-line form `{{!-- requires: title chart --}}` is the same YAML.
 */
import Handlebars from 'handlebars';
import { parse as parseYaml } from 'yaml';
import type { ProblemList } from '../errors.js';
import { fieldByView, listFields, slideFields, type SlideFieldName } from '../data/fields.js';
import type { LayoutContract } from '../model/deck.js';
import { didYouMean } from '../suggest.js';
import { isPartKind, partFields, partKinds } from './parts.js';

/** Sources listed per sources slide by a sources layout that does not say (one written before layouts declared limits). */
export const defaultSourcesPerSlide = 9;

/** What `limits:` may bound: a slide's list fields, and on the sources layout the sources per slide. */
const limitKeys: readonly string[] = [...listFields, 'sources'];

const lineOf = (source: string, index: number): number => source.slice(0, Math.max(0, index)).split('\n').length;

/** The layout's contract, from its header and its template; each problem located in the file. (Its parts: checkParts.) */
export function layoutContract(source: string, file: string, problems: ProblemList): LayoutContract {
  const header = /^\s*\{\{!--([\s\S]*?)--\}\}/.exec(source);
  const declared = header ? readHeader(header[1]!, source, file, problems) : {};
  return { requires: declared.requires ?? [], reads: readingOrder(source), limits: declared.limits ?? {}, file };
}

function readHeader(text: string, source: string, file: string, problems: ProblemList): { requires?: SlideFieldName[]; limits?: Record<string, number> } {
  // A comment that is not a contract (a description of the layout) is the author's own.
  if (!/^\s*(requires|limits)\s*:/m.test(text)) return {};
  const at = (needle: string): number => lineOf(source, source.indexOf(needle));
  let header: unknown;
  try {
    header = parseYaml(text);
  } catch (error) {
    problems.add({ file, line: 1, message: `its header is not YAML (${error instanceof Error ? error.message.split('\n')[0] : String(error)}); write it as requires: [title, items]` });
    return {};
  }
  if (typeof header !== 'object' || header === null || Array.isArray(header)) return {};
  const entries = header as Record<string, unknown>;
  for (const key of Object.keys(entries).filter((key) => key !== 'requires' && key !== 'limits')) {
    problems.add({ file, line: at(key), message: `its header has "${key}", which a layout does not declare (requires, limits)` });
  }
  return { requires: readRequires(entries.requires, at, file, problems), limits: readLimits(entries.limits, at, file, problems) };
}

function readRequires(value: unknown, at: (needle: string) => number, file: string, problems: ProblemList): SlideFieldName[] {
  if (value === undefined || value === null) return [];
  const fields = typeof value === 'string' ? value.split(/[\s,]+/).filter(Boolean) : Array.isArray(value) ? value.map(String) : undefined;
  if (!fields) {
    problems.add({ file, line: at('requires'), message: 'requires: expected the fields a slide must give, as [title, items]' });
    return [];
  }
  const known = (field: string): field is SlideFieldName => (slideFields as readonly string[]).includes(field);
  for (const field of fields.filter((field) => !known(field))) {
    problems.add({ file, line: at(field), message: `requires "${field}", which is not a slide field (${slideFields.join(', ')})${didYouMean(field, slideFields)}` });
  }
  return fields.filter(known);
}

function readLimits(value: unknown, at: (needle: string) => number, file: string, problems: ProblemList): Record<string, number> {
  if (value === undefined || value === null) return {};
  if (typeof value !== 'object' || Array.isArray(value)) {
    problems.add({ file, line: at('limits'), message: 'limits: expected the most entries a list holds, as { items: 8 }' });
    return {};
  }
  const limits: Record<string, number> = {};
  for (const [key, limit] of Object.entries(value as Record<string, unknown>)) {
    if (!limitKeys.includes(key)) problems.add({ file, line: at(key), message: `limits "${key}", which is not a list a layout holds (${limitKeys.join(', ')})${didYouMean(key, limitKeys)}` });
    else if (typeof limit !== 'number' || !Number.isSafeInteger(limit) || limit < 1) problems.add({ file, line: at(key), message: `limits ${key}: ${JSON.stringify(limit)} is not a whole number from 1 up` });
    else limits[key] = limit;
  }
  return limits;
}

/**
 * Each data-part a template writes must be a kind of part, and each data-field must start with a
 * field of the slide; what a template computes ({{…}}) is left to the readers, which say what
 * they cannot draw.
 */
export function checkParts(source: string, file: string, problems: ProblemList): void {
  for (const match of source.matchAll(/\bdata-part="([^"]*)"/g)) {
    const kind = match[1]!;
    if (kind.includes('{{') || isPartKind(kind)) continue;
    problems.add({ file, line: lineOf(source, match.index), message: `data-part "${kind}" is not a kind of part (${Object.keys(partKinds).join(', ')})${didYouMean(kind, Object.keys(partKinds))}` });
  }
  for (const match of source.matchAll(/\bdata-field="([^"]*)"/g)) {
    const first = match[1]!.split('.')[0]!;
    if (first.includes('{{') || partFields.includes(first)) continue;
    problems.add({ file, line: lineOf(source, match.index), message: `data-field "${match[1]}" names no field of the slide (it starts with one of ${partFields.join(', ')})${didYouMean(first, partFields)}` });
  }
}

/**
 * The slide fields a layout shows, in the order its template names them: the order a reader
 * meets them, which numbers the slide's sources. Only names in the slide's own context count:
 * inside {{#each columns}}, `figure` is a column's, not the big number.
 */
function readingOrder(source: string): SlideFieldName[] {
  let program: hbs.AST.Program;
  try {
    program = Handlebars.parse(source);
  } catch {
    return []; // reported where the template is compiled
  }
  const order: SlideFieldName[] = [];
  const name = (node: hbs.AST.Node | undefined): void => {
    if (node?.type === 'SubExpression') {
      const call = node as hbs.AST.SubExpression;
      [call.path, ...call.params].forEach(name);
    }
    if (node?.type !== 'PathExpression' || (node as hbs.AST.PathExpression).data) return;
    const field = fieldByView.get((node as hbs.AST.PathExpression).parts[0] ?? '')?.name;
    if (field && !order.includes(field)) order.push(field);
  };
  const walk = (block: hbs.AST.Program | undefined): void => {
    for (const statement of block?.body ?? []) {
      if (statement.type !== 'MustacheStatement' && statement.type !== 'BlockStatement') continue;
      const { path, params } = statement as hbs.AST.MustacheStatement | hbs.AST.BlockStatement;
      [path, ...params].forEach(name);
      if (statement.type !== 'BlockStatement') continue;
      const { program: inner, inverse } = statement as hbs.AST.BlockStatement;
      const helper = path.type === 'PathExpression' ? (path as hbs.AST.PathExpression).original : '';
      // each and with move into the part they name: what is inside is not the slide's.
      if (helper !== 'each' && helper !== 'with') walk(inner);
      walk(inverse);
    }
  };
  walk(program);
  return order;
}
