import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { IntlMessageFormat } from 'intl-messageformat';
import { z } from 'zod';
import { ProblemList, type SourceLocation } from '../errors.js';
import { parseYamlFile, validateYaml } from '../data/yaml.js';
import { builtinUnits, unitKinds, type BuiltinUnit, type UnitKind } from '../data/schema.js';
import { argumentMistakes, signatureOf, messageSignatures, type Signature } from './arguments.js';

/** The generator's own catalogues, one YAML file per language (Quarto's language files, with ICU plurals). */
export const packageLocalesDir = fileURLToPath(new URL('../../locales/', import.meta.url));

const message = z.string();
const figureMessages = z.object({ long: message, short: message, number: message }).strict();
/** A fraction is written as the percentage it is: it has no words of its own. */
type CatalogUnit = Exclude<BuiltinUnit, 'fraction'>;
const catalogUnits = builtinUnits.filter((unit): unit is CatalogUnit => unit !== 'fraction');
const unitMessages = <T extends z.ZodType>(messages: T) => z.object(Object.fromEntries(catalogUnits.map((unit) => [unit, messages])) as Record<CatalogUnit, T>);
/** A deck's own unit (data/units.yaml), by its kind: its figure in each style and its axis title. */
const deckUnitMessages = z.object({ long: message, short: message, number: message, axis: message }).strict();

/** Every key every catalogue must have: a missing one is an error naming the file. */
export const catalogSchema = z
  .object({
    language: z.string().min(1),
    typography: z.object({ space_before: z.string(), space_after: z.string(), apostrophe: z.string() }).strict(),
    numbers: z.object({ largest_scale: z.enum(['million', 'billion', 'trillion']) }).strict(),
    // A ratio may also be written as a multiplier ("×1,9", "1.9×").
    figures: unitMessages(figureMessages).extend({ ratio: figureMessages.extend({ multiplier: message }).strict() }).strict(),
    axis: unitMessages(message).strict(),
    deck_units: z.object(Object.fromEntries(unitKinds.map((kind) => [kind, deckUnitMessages])) as Record<UnitKind, typeof deckUnitMessages>).strict(),
    words: z
      .object({
        sources_title: message,
        sources_page: message,
        label_value_separator: message,
        source_article_only: message,
        source_corrected: message,
        footnote_sources: message,
        caveat_article_only: message,
        caveat_differs: message,
        notes_article_only: message,
        notes_differs: message,
        notes_derived: message,
        notes_false_claim: message,
        notes_sources: message,
        chart_description: message,
        chart_bar: message,
        chart_bar_separator: message,
        chart_series: message,
        chart_table_series: message,
        chart_table_value: message,
        other_edition: message,
        other_editions_label: message,
        handout_kicker: message,
        handout_contents: message,
        handout_slide: message,
        handout_page: message,
        handout_continued: message,
        handout_page_ref: message,
        handout_claims: message,
        claim_checked: message,
        claim_argument_separator: message,
      })
      .strict(),
  })
  .strict();
export type CatalogSource = z.output<typeof catalogSchema>;
export type { CatalogUnit };
/** A catalogue message of datadeck's own (its YAML section is `words:`, the name a deck's overrides use). */
export type MessageKey = keyof CatalogSource['words'];
// Every message the catalogue has is given known arguments (a key added to one is added to both).
const everyMessageHasArguments: Record<MessageKey, Signature> = messageSignatures;
void everyMessageHasArguments;

type Arguments = Record<string, string | number>;

/** A language's catalogue, compiled: every message parsed once. */
export interface Catalog {
  lang: string;
  source: CatalogSource;
  /** The files it was read from, most specific first (a deck's overrides, then the package's). */
  files: string[];
  /** A catalogue message, its arguments filled in. */
  message(key: MessageKey, args?: Arguments): string;
  figure(unit: CatalogUnit, style: 'long' | 'short' | 'number' | 'multiplier', args: Arguments): string;
  axis(unit: CatalogUnit, args: Arguments): string;
  /** A figure of a deck's own unit, or its axis title, by the unit's kind; its words are among the arguments. */
  deckUnit(kind: UnitKind, style: 'long' | 'short' | 'number' | 'axis', args: Arguments): string;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A deck's overrides merged over the package's catalogue, key by key. */
function merge(base: unknown, override: unknown): unknown {
  if (!isPlainObject(base) || !isPlainObject(override)) return override === undefined ? base : override;
  const result: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(override)) result[key] = merge(Object.hasOwn(base, key) ? base[key] : undefined, value);
  return result;
}

/** Candidate catalogue names for a language tag: "fr-CA" falls back to "fr". */
function candidates(lang: string): string[] {
  const base = lang.split('-')[0]!;
  return [...new Set([lang, base])].filter((name) => /^[a-zA-Z]{2,3}(-[a-zA-Z0-9]{2,8})*$/.test(name));
}

async function readOptional(file: string): Promise<string | undefined> {
  try {
    return await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

/**
 * Compiles every message, reporting at its line each that does not parse or uses arguments it is
 * not given (or a plural over text), so a deck's override fails at load, not half way through a build.
 */
function compileMessages(source: CatalogSource, locale: string, locate: (keyPath: string[]) => SourceLocation, problems: ProblemList): Map<string, IntlMessageFormat> {
  const compiled = new Map<string, IntlMessageFormat>();
  const walk = (value: unknown, keyPath: string[]): void => {
    if (isPlainObject(value)) {
      for (const [key, inner] of Object.entries(value)) walk(inner, [...keyPath, key]);
      return;
    }
    if (typeof value !== 'string' || ['language', 'typography', 'numbers'].includes(keyPath[0]!)) return;
    const field = keyPath.join('.');
    let message: IntlMessageFormat;
    try {
      message = new IntlMessageFormat(value, locale, undefined, { ignoreTag: true });
    } catch (error) {
      problems.add({ ...locate(keyPath), field, message: `${field}: not a valid ICU message (${error instanceof Error ? error.message : String(error)})` });
      return;
    }
    const signature = signatureOf(keyPath);
    const mistakes = signature ? argumentMistakes(message, signature) : [];
    for (const mistake of mistakes) problems.add({ ...locate(keyPath), field, message: `${field}: ${mistake}` });
    if (mistakes.length === 0) compiled.set(field, message);
  };
  walk(source, []);
  return compiled;
}

const cache = new Map<string, Promise<Catalog>>();

/**
 * The catalogue for a language: the package's `locales/<lang>.yaml`, with a deck's own
 * `<dataDir>/locales/<lang>.yaml` merged over it when present. Problems (a missing catalogue, a
 * missing key, a message that does not parse) are added to `problems` with their file and line.
 */
export async function loadCatalog(lang: string, locale: string, options: { deckLocalesDir?: string; displayDeckLocalesDir?: string; problems: ProblemList; requestedAt?: SourceLocation }): Promise<Catalog | undefined> {
  const names = candidates(lang);
  const layers: { file: string; display: string; text: string }[] = [];
  for (const name of names) {
    if (options.deckLocalesDir) {
      const file = path.join(options.deckLocalesDir, `${name}.yaml`);
      const text = await readOptional(file);
      if (text !== undefined) layers.push({ file, display: path.join(options.displayDeckLocalesDir ?? options.deckLocalesDir, `${name}.yaml`), text });
    }
  }
  let packageLayer: { file: string; display: string; text: string } | undefined;
  for (const name of names) {
    const file = path.join(packageLocalesDir, `${name}.yaml`);
    const text = await readOptional(file);
    if (text !== undefined) {
      packageLayer = { file, display: path.join('locales', `${name}.yaml`), text };
      break;
    }
  }
  if (!packageLayer && layers.length === 0) {
    // Said where the language was asked for (deck.yaml's or a translation's lang: line).
    options.problems.add({ ...(options.requestedAt ?? { file: path.join('locales', `${names.at(-1) ?? lang}.yaml`) }), field: 'lang', message: `no catalogue for language "${lang}": datadeck speaks ${(await availableLanguages()).join(', ')}. Add one by copying locales/en.yaml to locales/${names.at(-1) ?? lang}.yaml and translating it.` });
    return undefined;
  }
  const key = JSON.stringify([locale, packageLayer, layers]);
  const cached = cache.get(key);
  if (cached) return cached;

  const problems = new ProblemList();
  const parsed = [...(packageLayer ? [packageLayer] : []), ...layers.reverse()].map((layer) => ({ layer, yaml: parseYamlFile(layer.text, layer.display, problems) }));
  if (!problems.isEmpty) {
    for (const problem of problems.problems) options.problems.add(problem);
    return undefined;
  }
  const merged = parsed.reduce<unknown>((value, { yaml }) => merge(value, yaml!.value), {});
  // Validated as the most specific file, which is the one a user would edit.
  const top = parsed.at(-1)!;
  const validated = validateYaml({ ...top.yaml!, value: merged }, catalogSchema, problems);
  // A message is located in the most specific file that writes it: the one to fix.
  const locate = (keyPath: string[]): SourceLocation => {
    const layer = [...parsed].reverse().find(({ yaml }) => keyPath.reduce<unknown>((value, key) => (isPlainObject(value) && Object.hasOwn(value, key) ? value[key] : undefined), yaml!.value) !== undefined) ?? top;
    return layer.yaml!.locate(keyPath);
  };
  const compiled = validated ? compileMessages(validated, locale, locate, problems) : undefined;
  if (!validated || !compiled || !problems.isEmpty) {
    for (const problem of problems.problems) options.problems.add(problem);
    return undefined;
  }
  const format = (keyPath: string, args: Arguments): string => {
    const result = compiled.get(keyPath)!.format(args);
    return Array.isArray(result) ? result.join('') : String(result);
  };
  const catalog: Catalog = {
    lang,
    source: validated,
    files: parsed.map(({ layer }) => layer.display).reverse(),
    message: (key, args = {}) => format(`words.${key}`, args),
    figure: (unit, style, args) => format(`figures.${unit}.${style}`, args),
    axis: (unit, args) => format(`axis.${unit}`, args),
    deckUnit: (kind, style, args) => format(`deck_units.${kind}.${style}`, args),
  };
  const promise = Promise.resolve(catalog);
  cache.set(key, promise);
  return promise;
}

/** Languages the package has a catalogue for. */
export async function availableLanguages(): Promise<string[]> {
  const { readdir } = await import('node:fs/promises');
  return (await readdir(packageLocalesDir)).filter((name) => name.endsWith('.yaml')).map((name) => name.replace(/\.yaml$/, '')).sort();
}
