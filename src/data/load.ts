import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { ProblemList } from '../errors.js';
import { parseFactsCsv, type LocatedFact } from './csv.js';
import { decodeDataFile } from './decode.js';
import {
  chartsSchema, deckSchema, derivedSchema, themeSchema, translationSchema, unitsSchema,
  type ChartSource, type DeckSource, type DeckUnits, type DerivedSource, type ThemeSource, type TranslationSource, type UnitWords,
} from './schema.js';
import { describePath, parseYamlFile, validateYaml, type NamingOptions, type YamlFile, type YamlPath } from './yaml.js';

export const dataFiles = {
  facts: 'facts.csv',
  derived: 'derived.yaml',
  charts: 'charts.yaml',
  deck: 'deck.yaml',
  /** Optional: the deck's colours. */
  theme: 'theme.yaml',
  /** Optional: the deck's own units and their words. */
  units: 'units.yaml',
  /** Optional: one file per other language, `translations/<lang>.yaml`. */
  translations: 'translations',
  /** Optional: overrides of datadeck's catalogue messages, `locales/<lang>.yaml`. */
  locales: 'locales',
} as const;

export interface LoadedTranslation {
  source: TranslationSource;
  file: YamlFile;
}

/** The data directory, parsed and checked against the schema, each part able to locate its lines. */
export interface LoadedData {
  facts: LocatedFact[];
  factsFile: string;
  derived: DerivedSource[];
  derivedFile: YamlFile;
  charts: Record<string, ChartSource>;
  chartsFile: YamlFile;
  deck: DeckSource;
  deckFile: YamlFile;
  theme: ThemeSource;
  /** data/theme.yaml as written (absent: the deck has none), to say on which line a colour is. */
  themeYaml: YamlFile | undefined;
  /** The deck's own units (data/units.yaml), with their words in this edition's language. */
  units: DeckUnits;
  /** data/units.yaml as written (absent: the deck has none). */
  unitsFile: YamlFile | undefined;
  /** Other editions of the deck, by language, in file-name order. */
  translations: LoadedTranslation[];
  notices: string[];
}

async function readSource(dir: string, name: string, problems: ProblemList, displayDir: string, notices: string[], optional = false): Promise<{ text: string; file: string } | undefined> {
  const file = path.join(displayDir, name);
  let bytes: Uint8Array;
  try {
    bytes = await readFile(path.join(dir, name));
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (optional && code === 'ENOENT') return undefined;
    problems.add({ file, message: code === 'ENOENT' ? 'file not found' : code === 'EISDIR' ? 'is a folder, not a file' : `cannot be read (${code ?? String(error)})` });
    return undefined;
  }
  const decoded = decodeDataFile(bytes, file, problems);
  if (!decoded) return undefined;
  if (decoded.notice) notices.push(decoded.notice);
  return { text: decoded.text, file };
}

/**
 * A path in derived.yaml or charts.yaml said with the id of what it is in, as a user knows it:
 * `figure "a.b", unit` rather than `[0].unit`, `chart "c", bars[1].role`.
 */
function namedPath(at: YamlPath, value: unknown, what: 'figure' | 'chart'): string {
  const [first, ...rest] = at;
  if (first === undefined) return '';
  const item: unknown = typeof first === 'number' && Array.isArray(value) ? value[first] : undefined;
  const id = typeof first === 'string' ? first : typeof item === 'object' && item !== null && typeof (item as { id?: unknown }).id === 'string' ? (item as { id: string }).id : undefined;
  const name = id === undefined ? `${what} ${typeof first === 'number' ? first + 1 : String(first)}` : `${what} "${id}"`;
  return rest.length === 0 ? name : `${name}, ${describePath(rest)}`;
}

const namingFigures: NamingOptions = { describe: (at, value) => namedPath(at, value, 'figure') };
const namingCharts: NamingOptions = { describe: (at, value) => namedPath(at, value, 'chart') };

/**
 * The deck's units from data/units.yaml. When the file has a mistake, the names it declares are
 * still known, so the facts that use them are not reported as well.
 */
function deckUnits(file: YamlFile, problems: ProblemList): Map<string, UnitWords> {
  const source = validateYaml(file, unitsSchema.nullable().transform((value) => value ?? {}), problems);
  if (source) return new Map(Object.entries(source).map(([name, unit]) => [name, { kind: unit.kind, one: unit.one, other: unit.other, short: unit.short }]));
  const declared = typeof file.value === 'object' && file.value !== null ? Object.keys(file.value) : [];
  return new Map(declared.map((name) => [name, { kind: 'count', one: name, other: name, short: undefined }]));
}

async function translationNames(dir: string): Promise<string[]> {
  try {
    return (await readdir(path.join(dir, dataFiles.translations))).filter((name) => name.endsWith('.yaml')).sort();
  } catch {
    return [];
  }
}

/**
 * Reads every data file, collecting all problems before failing so a user fixes them in one pass.
 * `displayDir` is how paths are shown in messages (relative to where the user stands).
 */
export async function loadData(dir: string, problems: ProblemList, displayDir = dir): Promise<LoadedData | undefined> {
  const notices: string[] = [];
  const names = await translationNames(dir);
  const [factsText, derivedText, chartsText, deckText, themeText, unitsText, ...translationTexts] = await Promise.all([
    ...[dataFiles.facts, dataFiles.derived, dataFiles.charts, dataFiles.deck].map((name) => readSource(dir, name, problems, displayDir, notices)),
    readSource(dir, dataFiles.theme, problems, displayDir, notices, true),
    readSource(dir, dataFiles.units, problems, displayDir, notices, true),
    ...names.map((name) => readSource(dir, path.join(dataFiles.translations, name), problems, displayDir, notices)),
  ]);
  const unitsFile = unitsText ? parseYamlFile(unitsText.text, unitsText.file, problems) : undefined;
  const units = unitsFile ? deckUnits(unitsFile, problems) : new Map<string, UnitWords>();
  const parsedFacts = factsText ? parseFactsCsv(factsText.text, factsText.file, problems, units) : undefined;
  const derivedFile = derivedText && parseYamlFile(derivedText.text, derivedText.file, problems, namingFigures);
  const chartsFile = chartsText && parseYamlFile(chartsText.text, chartsText.file, problems, namingCharts);
  const deckFile = deckText ? parseYamlFile(deckText.text, deckText.file, problems) : undefined;
  const themeFile = themeText ? parseYamlFile(themeText.text, themeText.file, problems) : undefined;

  const derived = derivedFile && validateYaml(derivedFile, derivedSchema(units).nullable().transform((v) => v ?? []), problems, namingFigures);
  const charts = chartsFile && validateYaml(chartsFile, chartsSchema.nullable().transform((v) => v ?? {}), problems, namingCharts);
  const deck = deckFile && validateYaml(deckFile, deckSchema, problems);
  const theme = themeFile ? validateYaml(themeFile, themeSchema.nullable().transform((v) => v ?? { roles: {} }), problems) : { roles: {} };

  const translations: LoadedTranslation[] = [];
  translationTexts.forEach((read, index) => {
    if (!read) return;
    const file = parseYamlFile(read.text, read.file, problems);
    const source = file && validateYaml(file, translationSchema, problems);
    if (!file || !source) return;
    const expected = names[index]!.replace(/\.yaml$/, '');
    if (source.lang !== expected) {
      problems.add({ ...file.locate(['lang']), field: 'lang', message: `lang is "${source.lang}" but the file is named ${expected}.yaml: name it ${source.lang}.yaml` });
      return;
    }
    translations.push({ source, file });
  });
  if (deck && translations.some((translation) => translation.source.lang === deck.lang)) {
    problems.add({ file: path.join(displayDir, dataFiles.translations, `${deck.lang}.yaml`), message: `translates the deck into its own language (deck.yaml has lang: ${deck.lang})` });
  }

  if (!factsText || !parsedFacts || !derivedFile || !chartsFile || !deckFile || !derived || !charts || !deck || !theme || !problems.isEmpty) return undefined;
  return {
    facts: parsedFacts.facts,
    factsFile: factsText.file,
    derived,
    derivedFile,
    charts,
    chartsFile,
    deck,
    deckFile,
    theme,
    themeYaml: themeFile,
    units,
    unitsFile,
    translations,
    notices: [...notices, ...parsedFacts.notices],
  };
}
