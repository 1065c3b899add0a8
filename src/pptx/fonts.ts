import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { inflateSync } from 'node:zlib';
import type { Asset } from '../output/assets.js';
import type { Stylesheet } from '../print/measure.js';

/** The four faces PowerPoint keeps per embedded family. */
export type FontSlot = 'regular' | 'bold' | 'italic' | 'boldItalic';

export interface EmbeddedFamily {
  /** The typeface the slides name (the theme's font). */
  typeface: string;
  /** 18 serif (roman), 34 sans (swiss): the class PowerPoint substitutes within. */
  pitchFamily: number;
  /** Each slot's font part: the TrueType data in an Embedded OpenType container, as PowerPoint writes .fntdata. */
  faces: Partial<Record<FontSlot, Uint8Array>>;
}

/** A TrueType font's tables by tag, from SFNT data. */
type Tables = Map<string, Buffer>;

const trueTypeFlavours = new Set([0x00010000, 0x74727565 /* 'true' */]);

/**
 * SFNT data from a font file: TrueType as is, WOFF 1.0 unwrapped (zlib-compressed tables around
 * the same SFNT). Anything else (WOFF2, CFF outlines) gives undefined: PowerPoint embeds TrueType.
 */
export function trueTypeOf(file: Buffer): Buffer | undefined {
  if (file.length < 12) return undefined;
  if (trueTypeFlavours.has(file.readUInt32BE(0))) return file;
  if (file.toString('ascii', 0, 4) !== 'wOFF' || !trueTypeFlavours.has(file.readUInt32BE(4))) return undefined;
  return woffToSfnt(file);
}

/** WOFF 1.0 to the SFNT it wraps: each table inflated if it was compressed, the directory rebuilt. */
export function woffToSfnt(woff: Buffer): Buffer {
  if (woff.toString('ascii', 0, 4) !== 'wOFF') throw new Error('not a WOFF 1.0 file');
  const count = woff.readUInt16BE(12);
  const tables = Array.from({ length: count }, (_, i) => {
    const at = 44 + i * 20;
    const offset = woff.readUInt32BE(at + 4);
    const compressed = woff.readUInt32BE(at + 8);
    const length = woff.readUInt32BE(at + 12);
    const raw = woff.subarray(offset, offset + compressed);
    return { tag: woff.toString('ascii', at, at + 4), checksum: woff.readUInt32BE(at + 16), length, data: compressed < length ? inflateSync(raw) : raw };
  });
  let selector = 0;
  while (1 << (selector + 1) <= count) selector++;
  const searchRange = (1 << selector) * 16;
  const padded = (n: number): number => (n + 3) & ~3;
  let offset = 12 + count * 16;
  const sfnt = Buffer.alloc(offset + tables.reduce((sum, table) => sum + padded(table.length), 0));
  sfnt.writeUInt32BE(woff.readUInt32BE(4), 0);
  sfnt.writeUInt16BE(count, 4);
  sfnt.writeUInt16BE(searchRange, 6);
  sfnt.writeUInt16BE(selector, 8);
  sfnt.writeUInt16BE(count * 16 - searchRange, 10);
  tables.forEach((table, i) => {
    const entry = 12 + i * 16;
    sfnt.write(table.tag, entry, 'ascii');
    sfnt.writeUInt32BE(table.checksum, entry + 4);
    sfnt.writeUInt32BE(offset, entry + 8);
    sfnt.writeUInt32BE(table.length, entry + 12);
    table.data.copy(sfnt, offset);
    offset += padded(table.length);
  });
  return sfnt;
}

function tablesOf(sfnt: Buffer): Tables {
  const tables: Tables = new Map();
  for (let i = 0; i < sfnt.readUInt16BE(4); i++) {
    const entry = 12 + i * 16;
    const offset = sfnt.readUInt32BE(entry + 8);
    tables.set(sfnt.toString('ascii', entry, entry + 4), sfnt.subarray(offset, offset + sfnt.readUInt32BE(entry + 12)));
  }
  return tables;
}

/** A name from the font's name table (Windows, Unicode), or ''. */
function nameOf(tables: Tables, id: number): string {
  const table = tables.get('name');
  if (!table) return '';
  const strings = table.readUInt16BE(4);
  for (let i = 0; i < table.readUInt16BE(2); i++) {
    const record = 6 + i * 12;
    if (table.readUInt16BE(record) !== 3 || table.readUInt16BE(record + 6) !== id) continue;
    const start = strings + table.readUInt16BE(record + 10);
    return Buffer.from(table.subarray(start, start + table.readUInt16BE(record + 8))).swap16().toString('utf16le');
  }
  return '';
}

export interface FontFacts {
  /** The family and style the font calls itself, as Windows and PowerPoint group faces (four to a family). */
  family: string;
  style: string;
  weight: number;
  italic: boolean;
  /** Whether its licence lets a document carry it (OS/2 fsType: not restricted, not bitmap only). */
  embeddable: boolean;
}

export function factsOf(sfnt: Buffer): FontFacts {
  const tables = tablesOf(sfnt);
  const os2 = tables.get('OS/2');
  const fsType = os2?.readUInt16BE(8) ?? 0;
  return {
    family: nameOf(tables, 1),
    style: nameOf(tables, 2),
    weight: os2?.readUInt16BE(4) ?? 400,
    italic: ((os2?.readUInt16BE(62) ?? 0) & 1) === 1,
    embeddable: (fsType & 0x0002) === 0 && (fsType & 0x0200) === 0,
  };
}

/**
 * TrueType data in an Embedded OpenType container (version 0x00020001, no compression, no
 * obfuscation), the format of PowerPoint's .fntdata parts: a little-endian header that repeats
 * what OS/2, head and name say (so a reader can judge the font without parsing it), then the font.
 */
export function eotOf(sfnt: Buffer): Buffer {
  const tables = tablesOf(sfnt);
  const os2 = tables.get('OS/2');
  const head = tables.get('head');
  if (!os2 || !head) throw new Error('a TrueType font without OS/2 or head table');
  const names = [nameOf(tables, 1), nameOf(tables, 2), nameOf(tables, 5), nameOf(tables, 4)].map((name) => Buffer.from(name, 'utf16le'));
  // Fixed fields and a padding word (82 bytes); each name with its size and a padding word; an empty root string's size.
  const header = 82 + names.reduce((sum, name) => sum + 4 + name.length, 0) + 2;
  const eot = Buffer.alloc(header + sfnt.length);
  eot.writeUInt32LE(eot.length, 0);
  eot.writeUInt32LE(sfnt.length, 4);
  eot.writeUInt32LE(0x00020001, 8);
  os2.copy(eot, 16, 32, 42); // PANOSE
  eot.writeUInt8(1, 26); // DEFAULT_CHARSET
  eot.writeUInt8(os2.readUInt16BE(62) & 1, 27);
  eot.writeUInt32LE(os2.readUInt16BE(4), 28);
  eot.writeUInt16LE(os2.readUInt16BE(8), 32);
  eot.writeUInt16LE(0x504c, 34);
  for (let i = 0; i < 4; i++) eot.writeUInt32LE(os2.readUInt32BE(42 + i * 4), 36 + i * 4);
  if (os2.length >= 86) for (let i = 0; i < 2; i++) eot.writeUInt32LE(os2.readUInt32BE(78 + i * 4), 52 + i * 4);
  eot.writeUInt32LE(head.readUInt32BE(8), 60);
  let at = 82;
  for (const name of names) {
    eot.writeUInt16LE(name.length, at);
    name.copy(eot, at + 2);
    at += 2 + name.length + 2;
  }
  sfnt.copy(eot, header);
  return eot;
}

/** A face the deck's stylesheets declare (@font-face): its family and the files it names, as absolute URLs. */
interface DeclaredFace {
  family: string;
  urls: string[];
}

/** Every @font-face of the page's stylesheets (files read from disk, a page's own <style> as it is). */
async function declaredFaces(stylesheets: readonly Stylesheet[]): Promise<DeclaredFace[]> {
  const faces: DeclaredFace[] = [];
  for (const sheet of stylesheets) {
    const css = sheet.css ?? (sheet.url.startsWith('file:') ? await readFile(fileURLToPath(sheet.url), 'utf8').catch(() => '') : '');
    for (const rule of css.replace(/\/\*[\s\S]*?\*\//g, '').matchAll(/@font-face\s*\{([^}]*)\}/g)) {
      const family = /font-family\s*:\s*(['"]?)([^;'"]+)\1/.exec(rule[1]!)?.[2]?.trim();
      const src = /(?:^|;|\s)src\s*:([^;]+)/.exec(rule[1]!)?.[1] ?? '';
      if (family) faces.push({ family, urls: [...src.matchAll(/url\(\s*(['"]?)([^'")]+)\1\s*\)/g)].map((url) => new URL(url[2]!, sheet.url).href) });
    }
  }
  return faces;
}

/** Where the bytes of a face the deck declares come from, and why one was left out. */
export interface FontSources {
  /** The staged deck's folder, which the browser loaded the faces from. */
  deckDir: string;
  /** What was copied into it, and from where. */
  assets: readonly Asset[];
}

/**
 * The file a declared face's url names, as TrueType data: the deck's own file, or for a WOFF2
 * file (whose compression needs a decoder we do not carry) the same font beside its original as
 * .woff, .ttf or .otf, as npm font packages ship them.
 */
async function trueTypeFile(url: string, sources: FontSources): Promise<Buffer | undefined> {
  if (!url.startsWith('file:')) return undefined;
  const file = fileURLToPath(url);
  const inDeck = path.relative(sources.deckDir, file).split(path.sep).join('/');
  if (inDeck.startsWith('..')) return undefined;
  const original = sources.assets.find((asset) => asset.to === inDeck)?.from ?? file;
  const stem = original.replace(/\.[^./]+$/, '');
  for (const candidate of [original, `${stem}.woff`, `${stem}.ttf`, `${stem}.otf`]) {
    const bytes = await readFile(candidate).catch(() => undefined);
    const sfnt = bytes && trueTypeOf(bytes);
    if (sfnt) return sfnt;
  }
  return undefined;
}

/**
 * The faces to embed for each of the theme's families: every face the deck's stylesheets declare
 * for it (@font-face) whose data is TrueType, whose licence allows embedding and which calls itself by
 * that family (a "SemiBold" family of its own would not be found under the theme's name), in the
 * slot its weight and style give it; the face nearest to 400 or 700 when two compete. Returns
 * the families and, for each theme family declared but not embedded, why.
 */
export async function embeddedFamilies(families: readonly { typeface: string; pitchFamily: number }[], stylesheets: readonly Stylesheet[], sources: FontSources): Promise<{ families: EmbeddedFamily[]; missing: string[] }> {
  const declared = await declaredFaces(stylesheets);
  const result: EmbeddedFamily[] = [];
  const missing: string[] = [];
  for (const { typeface, pitchFamily } of families) {
    const faces = declared.filter((face) => face.family.toLowerCase() === typeface.toLowerCase());
    if (faces.length === 0) continue;
    const chosen = new Map<FontSlot, { distance: number; sfnt: Buffer }>();
    const reasons = new Set<string>();
    for (const face of faces) {
      const sfnt = (await Promise.all(face.urls.map((url) => trueTypeFile(url, sources)))).find(Boolean);
      if (!sfnt) {
        reasons.add('its files are not TrueType data (a WOFF2 file needs a .woff or .ttf of the same name beside it)');
        continue;
      }
      const facts = factsOf(sfnt);
      if (!facts.embeddable) {
        reasons.add('its licence does not allow embedding');
        continue;
      }
      if (facts.family.toLowerCase() !== typeface.toLowerCase()) continue;
      const bold = facts.weight >= 600;
      const slot: FontSlot = facts.italic ? (bold ? 'boldItalic' : 'italic') : bold ? 'bold' : 'regular';
      const distance = Math.abs(facts.weight - (bold ? 700 : 400));
      if ((chosen.get(slot)?.distance ?? Infinity) > distance) chosen.set(slot, { distance, sfnt });
    }
    if (chosen.size === 0) {
      missing.push(`${typeface}: ${[...reasons].join('; ') || 'no face calls itself by that name'}`);
      continue;
    }
    result.push({ typeface, pitchFamily, faces: Object.fromEntries([...chosen].map(([slot, { sfnt }]) => [slot, new Uint8Array(eotOf(sfnt))])) });
  }
  return { families: result, missing };
}
