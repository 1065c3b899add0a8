import { LineCounter, parseDocument, isMap, isNode, isScalar, visit, type Document } from 'yaml';
import type { z } from 'zod';
import type { ProblemList, SourceLocation } from '../errors.js';

export type YamlPath = readonly PropertyKey[];

/** A parsed YAML file that can say on which line any value of it was written. */
export interface YamlFile {
  file: string;
  value: unknown;
  locate(path: YamlPath): SourceLocation;
  /** Where a key of the mapping at `path` is written (for unknown fields), else the mapping. */
  locateKey(path: YamlPath, key: string): SourceLocation;
}

export function parseYamlFile(source: string, file: string, problems: ProblemList): YamlFile | undefined {
  const lineCounter = new LineCounter();
  const doc: Document = parseDocument(source.replace(/^\uFEFF/, ''), { lineCounter, prettyErrors: false, uniqueKeys: true });
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
  return { file, value, locate, locateKey };
}

function describePath(path: YamlPath): string {
  return path.reduce<string>((text, key) => (typeof key === 'number' ? `${text}[${key}]` : text ? `${text}.${String(key)}` : String(key)), '');
}

/** Validates a YAML file against a schema, adding one located problem per issue. */
export function validateYaml<T extends z.ZodType>(yamlFile: YamlFile, schema: T, problems: ProblemList): z.output<T> | undefined {
  const result = schema.safeParse(yamlFile.value);
  if (result.success) return result.data;
  for (const issue of result.error.issues) {
    const path = issue.path as YamlPath;
    const field = describePath(path);
    let message = issue.message;
    if (issue.code === 'invalid_type' && message.includes('received undefined')) message = 'is missing';
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) {
        problems.add({ ...yamlFile.locateKey(path, key), field: field ? `${field}.${key}` : key, message: `${field ? `${field}: ` : ''}unknown field "${key}"` });
      }
      continue;
    }
    problems.add({ ...yamlFile.locate(path), field, message: field ? `${field}: ${message}` : message });
  }
  return undefined;
}

export { describePath };
