/**
 * The load step: the data and templates read and checked, the editions asked for localized and
 * modelled, each with its catalogue, and the editions every page links to. Every problem of every
 * edition is reported together, the deck's own first.
 */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { DataErrors, DatadeckError, ProblemList, type DataProblem } from '../errors.js';
import { dataFiles, loadData, type LoadedData, type LoadedTranslation } from '../data/load.js';
import { localizeData } from '../data/translations.js';
import { exportEntries, exportFormats, exportRow } from '../exports/registry.js';
import { loadCatalog } from '../i18n/catalog.js';
import { createLocale, type Locale } from '../i18n/locale.js';
import { buildDeckModel, type DeckModel } from '../model/deck.js';
import { assetsFolder, deckPageName } from '../output/names.js';
import { markerFile } from '../output/write.js';
import { loadTemplates, type TemplateSet } from '../render/engine.js';
import { manifestName } from './cache.js';
import { relativeToCwd, templateFolders } from './options.js';
import type { BuildRun } from './run.js';

/** An edition of the deck by its language and folder ('' for the deck's own language, 'en/' for a translation). */
interface EditionPlace {
  lang: string;
  prefix: string;
  /** How its numbers are written, for its catalogue. */
  locale: string;
  translation: LoadedTranslation | undefined;
}

/** An edition to build: its data in its own language, its model and its language's catalogue. */
export interface LoadedEdition {
  lang: string;
  prefix: string;
  data: LoadedData;
  model: DeckModel;
  locale: Locale;
}

/** An edition a page links to (in its corner), named in its own language. */
export interface EditionLinkTarget {
  lang: string;
  prefix: string;
  name: string;
}

export interface LoadedDeck {
  editions: LoadedEdition[];
  templates: TemplateSet;
  /** The template folders, most specific first. */
  folders: string[];
  /** Files and folders of the deck's other editions, kept as they were. */
  carried: string[];
  links: EditionLinkTarget[];
  /** What the check of the theme's colours found but does not refuse. */
  themeWarnings: string[];
}

/** Every file and folder an edition may hold: its page and every export's. */
const editionEntries: readonly string[] = [deckPageName, ...exportEntries, manifestName];

/** Names the build writes at the deck's root: an edition's folder must not be one of them. */
const rootNames: readonly string[] = [assetsFolder, markerFile, ...editionEntries];

export async function loadDeck(run: BuildRun): Promise<LoadedDeck> {
  const { options } = run;
  const folders = templateFolders(options.templatesDir);
  const problems = new ProblemList();
  const [loaded, templates, { checkThemeContrast }] = await Promise.all([
    loadData(options.dataDir, problems, relativeToCwd(options.dataDir)),
    loadTemplates(folders, folders.map(relativeToCwd)),
    // Loaded here, while files are read, rather than before the browser starts.
    import('../output/contrast.js'),
  ]);
  problems.throwIfAny();
  const data = loaded!;
  const [stylesheet, handoutStylesheet] = await Promise.all([templates.themeFile, templates.handoutStyleFile].map(async (file) => ({ text: await readFile(file, 'utf8'), display: relativeToCwd(file) })));
  const themeWarnings = checkThemeContrast({ theme: data.theme, themeYaml: data.themeYaml, stylesheet: stylesheet!, handoutStylesheet }, problems);
  const { all, wanted, others } = chooseEditions(data, options.langs, problems);
  const allowFalseClaims = options.allowFalseClaims ?? false;
  // The deck in its own language first, whatever the editions asked for: its problems are the
  // deck's own, and a translation's complaints (a claim's key, say) may only follow from them.
  const own = tryModel(data, templates, allowFalseClaims);
  const localized = wanted.map((place) => ({ ...place, data: place.translation ? localizeData(data, place.translation, problems) : data }));
  const locales = await Promise.all(localized.map((edition) => localeOf(run, data, edition, problems)));
  const ownProblems = 'failure' in own && own.failure.code !== 'falseClaim' ? own.failure.problems : [];
  if (ownProblems.length > 0 || !problems.isEmpty) throw new DataErrors(uniqueProblems([...ownProblems, ...problems.problems]));
  const models = buildModels(localized, templates, allowFalseClaims, own);
  const editions = localized.map((edition, index) => ({ lang: edition.lang, prefix: edition.prefix, data: edition.data, model: models[index]!, locale: locales[index]! }));
  return { editions, templates, folders, carried: otherEditionsFiles(others), links: await editionLinks(run, editions, all, others), themeWarnings };
}

/** The catalogue of an edition's language (the deck's overrides over datadeck's own), its problems located at its lang: line. */
async function localeOf(run: BuildRun, data: LoadedData, edition: EditionPlace & { data: LoadedData }, problems: ProblemList): Promise<Locale | undefined> {
  const catalog = await loadCatalog(edition.lang, edition.data.deck.locale, {
    ...catalogFolders(run),
    problems,
    requestedAt: (edition.data.translations.find((translation) => translation.source.lang === edition.lang)?.file ?? data.deckFile).locate(['lang']),
  });
  // A missing catalogue is a problem already: the build stops before the locale is used.
  return catalog && createLocale(edition.lang, edition.data.deck.locale, catalog, edition.data.units);
}

const catalogFolders = (run: BuildRun): { deckLocalesDir: string; displayDeckLocalesDir: string } => ({
  deckLocalesDir: path.join(run.options.dataDir, dataFiles.locales),
  displayDeckLocalesDir: path.join(relativeToCwd(run.options.dataDir), dataFiles.locales),
});

/** Every edition a page links to: those built now, and those a build of some leaves in place. */
async function editionLinks(run: BuildRun, editions: readonly LoadedEdition[], all: readonly EditionPlace[], others: readonly EditionPlace[]): Promise<EditionLinkTarget[]> {
  const names = new Map(editions.map((edition) => [edition.prefix, edition.locale.catalog.source.language]));
  for (const place of others.filter((other) => existsSync(path.join(run.outDir, other.prefix, deckPageName)))) {
    const catalog = await loadCatalog(place.lang, place.locale, { ...catalogFolders(run), problems: new ProblemList() });
    names.set(place.prefix, catalog?.source.language ?? place.lang);
  }
  return all.filter((place) => names.has(place.prefix)).map((place) => ({ lang: place.lang, prefix: place.prefix, name: names.get(place.prefix)! }));
}

/**
 * The editions asked for and the others the deck has, in the deck's order: its own language at
 * the root, each translation in its own folder. A --lang that names none of them is bad usage.
 */
function chooseEditions(data: LoadedData, langs: 'all' | readonly string[] | undefined, problems: ProblemList): { all: EditionPlace[]; wanted: EditionPlace[]; others: EditionPlace[] } {
  const places: EditionPlace[] = [
    { lang: data.deck.lang, prefix: '', locale: data.deck.locale, translation: undefined },
    ...data.translations.map((translation) => ({ lang: translation.source.lang, prefix: `${translation.source.lang}/`, locale: translation.source.locale, translation })),
  ];
  const all = places.map((place) => place.lang);
  const asked = langs === undefined || langs === 'all' ? all : [...langs];
  if (asked.length === 0) throw new DatadeckError('usage', `--lang names no edition: the deck has ${all.join(', ')} (say --lang ${all[0]}, or leave --lang out to build every one)`);
  for (const lang of asked) {
    if (!all.includes(lang)) throw new DatadeckError('usage', `--lang ${lang}: the deck has no ${lang} edition (it has ${all.join(', ')}; add data/${dataFiles.translations}/${lang}.yaml for another)`);
  }
  for (const { translation } of places) {
    const lang = translation?.source.lang;
    if (translation && lang && rootNames.includes(lang)) {
      const what = lang === assetsFolder ? "the deck's scripts, styles and fonts go" : exportEntries.includes(lang) ? `the build writes ${exportOf(lang)}` : 'the build writes a file of its own';
      problems.add({ ...translation.file.locate(['lang']), field: 'lang', message: `lang "${lang}" would put this edition in ${lang}/, where ${what}: the two would mix. Use another language code for this edition.` });
    }
  }
  return { all: places, wanted: places.filter((place) => asked.includes(place.lang)), others: places.filter((place) => !asked.includes(place.lang)) };
}

/** What the export that writes an edition's file or folder of this name makes ("one 1920x1080 picture per slide"). */
function exportOf(entry: string): string {
  const format = exportFormats.find((candidate) => exportRow(candidate).files.some((file) => file.replace(/\/$/, '') === entry));
  return format ? `the ${format} export (${exportRow(format).summary})` : 'a file of its own';
}

/**
 * What a build of some editions carries over from the deck it replaces: every other edition of the
 * deck (its folder, or the root edition's files) and the shared assets those pages may use.
 */
function otherEditionsFiles(others: readonly EditionPlace[]): string[] {
  if (others.length === 0) return [];
  return [assetsFolder, ...others.flatMap((place) => (place.prefix === '' ? editionEntries : [place.prefix.slice(0, -1)]))];
}

type ModelOutcome = { model: DeckModel } | { failure: DataErrors };

function tryModel(data: LoadedData, templates: TemplateSet, allowFalseClaims: boolean): ModelOutcome {
  try {
    return { model: buildDeckModel(data, { layouts: templates.layouts, allowFalseClaims }) };
  } catch (error) {
    if (!(error instanceof DataErrors)) throw error;
    return { failure: error };
  }
}

/**
 * Each edition's model; problems of all editions reported together, each once. `own` is the
 * model of the deck in its own language, built already.
 */
function buildModels(editions: readonly { prefix: string; data: LoadedData }[], templates: TemplateSet, allowFalseClaims: boolean, own: ModelOutcome): DeckModel[] {
  const failures: DataErrors[] = [];
  const models: DeckModel[] = [];
  for (const edition of editions) {
    const outcome = edition.prefix === '' ? own : tryModel(edition.data, templates, allowFalseClaims);
    if ('model' in outcome) models.push(outcome.model);
    else failures.push(outcome.failure);
  }
  if (failures.length === 0) return models;
  const invalid = failures.filter((failure) => failure.code !== 'falseClaim');
  // A false claim is false in every language: the first edition's wording says it.
  if (invalid.length === 0) throw failures[0]!;
  throw new DataErrors(uniqueProblems(invalid.flatMap((failure) => failure.problems)));
}

function uniqueProblems(problems: readonly DataProblem[]): DataProblem[] {
  const seen = new Set<string>();
  return problems.filter((problem) => {
    const key = `${problem.file}:${problem.line}:${problem.column}:${problem.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
