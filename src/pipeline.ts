import { existsSync, realpathSync } from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { DataErrors, DatadeckError, ProblemList, type DataProblem } from './errors.js';
import { dataFiles, loadData, type LoadedData } from './data/load.js';
import { localizeData } from './data/translations.js';
import { buildDeckModel, type DeckModel } from './model/deck.js';
import { loadCatalog } from './i18n/catalog.js';
import { createLocale } from './i18n/locale.js';
import { loadTemplates, type TemplateSet } from './render/engine.js';
import { buildDeckView, type EditionLink } from './render/view.js';
import { renderPage } from './render/page.js';
import { contentSecurityPolicy, packageRoot, runtimeAssets, speakerViewScriptHashes, type Asset } from './output/assets.js';
import { bundleTheme, paletteCss } from './output/theme.js';
import { resolveOutputDir, stageDeck, type Staging } from './output/write.js';
import { launchBrowser } from './print/browser.js';
import { printDeck } from './print/pdf.js';

export const pdfFileName = 'deck.pdf';
export const htmlFileName = 'index.html';
/** The package's own templates: a deck's templates folder overrides them file by file. */
export const packageTemplatesDir = path.join(packageRoot, 'templates');

export type Stage = 'load' | 'render' | 'write' | 'pdf';

export interface BuildOptions {
  dataDir: string;
  /** The deck's own templates, laid over the package's (absent or missing: the package's alone). */
  templatesDir?: string | undefined;
  outDir: string;
  pdf: boolean;
  /** Editions to build, by language ('all', the default, builds the deck's language and every translation). */
  langs?: 'all' | readonly string[];
  allowFalseClaims?: boolean;
  /** Bound on every browser step (launch, load, print), in milliseconds. */
  timeoutMs?: number;
  /** One line per finished stage. */
  log?: (line: string) => void;
  /** Scripts added to each page after the deck's own (the dev server's reload client), relative to the deck's root. */
  extraScripts?: readonly string[];
  /** Extra files to place in the deck (the dev server's reload client). */
  extraAssets?: readonly Asset[];
  /** Served by the dev server: the page may also talk back to its own origin (live reload). */
  dev?: boolean;
  /** Files of the previous output kept when this build does not make them (the dev server's PDFs). */
  carryOver?: readonly string[];
}

/** One language of the deck, written under its own folder (the deck's own language at the root). */
export interface EditionResult {
  lang: string;
  model: DeckModel;
  /** Folder of the edition inside the deck: '' or 'en/'. */
  prefix: string;
  slideCount: number;
  htmlPath: string;
  pdfPath: string | undefined;
  pdfBytes: number | undefined;
}

export interface BuildResult {
  /** The first edition built (the deck's own language unless --lang left it out). */
  model: DeckModel;
  slideCount: number;
  editions: EditionResult[];
  timings: Record<Stage, number>;
  warnings: string[];
  htmlPath: string;
  pdfPath: string | undefined;
  pdfBytes: number | undefined;
  outDir: string;
}

export const defaultTimeoutMs = 60_000;

function relativeToCwd(dir: string): string {
  const relative = path.relative(process.cwd(), dir);
  return relative === '' ? '.' : relative.startsWith('..') ? dir : relative;
}

/** The template folders to read, most specific first: the deck's (when it has one), then the package's. */
export function templateFolders(templatesDir: string | undefined): string[] {
  const real = (dir: string): string => {
    try {
      return realpathSync(dir);
    } catch {
      return path.resolve(dir);
    }
  };
  const folders = templatesDir && existsSync(templatesDir) ? [path.resolve(templatesDir), packageTemplatesDir] : [packageTemplatesDir];
  return folders.filter((dir, index) => folders.findIndex((other) => real(other) === real(dir)) === index);
}

interface Edition {
  lang: string;
  data: LoadedData;
  prefix: string;
}

/** The editions asked for: the deck's own language at the root, each translation in its own folder. */
function chooseEditions(data: LoadedData, langs: BuildOptions['langs'], problems: ProblemList): Edition[] {
  const all = [data.deck.lang, ...data.translations.map((translation) => translation.source.lang)];
  const wanted = langs === undefined || langs === 'all' ? all : [...langs];
  for (const lang of wanted) {
    if (!all.includes(lang)) throw new DatadeckError('usage', `--lang ${lang}: the deck has no ${lang} edition (it has ${all.join(', ')}; add data/${dataFiles.translations}/${lang}.yaml for another)`);
  }
  const editions: Edition[] = [];
  if (wanted.includes(data.deck.lang)) editions.push({ lang: data.deck.lang, data, prefix: '' });
  for (const translation of data.translations) {
    if (wanted.includes(translation.source.lang)) editions.push({ lang: translation.source.lang, data: localizeData(data, translation, problems), prefix: `${translation.source.lang}/` });
  }
  return editions;
}

/** Each edition's model; problems of all editions reported together, each once. */
function buildModels(editions: readonly Edition[], templates: TemplateSet, allowFalseClaims: boolean): DeckModel[] {
  const failures: DataErrors[] = [];
  const models: DeckModel[] = [];
  for (const edition of editions) {
    try {
      models.push(buildDeckModel(edition.data, { layouts: templates.layouts, allowFalseClaims }));
    } catch (error) {
      if (!(error instanceof DataErrors)) throw error;
      failures.push(error);
    }
  }
  if (failures.length === 0) return models;
  const invalid = failures.filter((failure) => failure.code !== 'falseClaim');
  // A false claim is false in every language: the first edition's wording says it.
  if (invalid.length === 0) throw failures[0]!;
  const seen = new Set<string>();
  const problems: DataProblem[] = invalid.flatMap((failure) => failure.problems).filter((problem) => {
    const key = `${problem.file}:${problem.line}:${problem.column}:${problem.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
  throw new DataErrors(problems);
}

/** Relative link from one edition's page to another's. */
function editionHref(from: string, to: string): string {
  return `${from === '' ? '' : '../'}${to}${htmlFileName}`;
}

/** The rendered pages and what they need, before anything touches the output directory. */
interface RenderedDeck {
  editions: { lang: string; prefix: string; model: DeckModel; html: string; slideCount: number }[];
  files: { path: string; text: string }[];
  assets: Asset[];
  warnings: string[];
}

async function renderFromSources(options: BuildOptions, timed: <T>(stage: Stage, work: () => Promise<T>) => Promise<T>): Promise<RenderedDeck> {
  const { editions, models, templates, locales } = await timed('load', async () => {
    const problems = new ProblemList();
    const folders = templateFolders(options.templatesDir);
    const [data, templates] = await Promise.all([
      loadData(options.dataDir, problems, relativeToCwd(options.dataDir)),
      loadTemplates(folders, folders.map(relativeToCwd)),
    ]);
    problems.throwIfAny();
    const editions = chooseEditions(data!, options.langs, problems);
    const locales = await Promise.all(
      editions.map(async (edition) => {
        const catalog = await loadCatalog(edition.lang, edition.data.deck.locale, {
          deckLocalesDir: path.join(options.dataDir, dataFiles.locales),
          displayDeckLocalesDir: path.join(relativeToCwd(options.dataDir), dataFiles.locales),
          problems,
        });
        return catalog && createLocale(edition.lang, edition.data.deck.locale, catalog);
      }),
    );
    problems.throwIfAny();
    const models = buildModels(editions, templates, options.allowFalseClaims ?? false);
    return { editions, models, templates, locales: locales.map((locale) => locale!) };
  });
  return timed('render', async () => {
    const csp = contentSecurityPolicy(await speakerViewScriptHashes(), { connectToSelf: options.dev ?? false });
    const theme = await bundleTheme(templates.themeFile, relativeToCwd(templates.themeFile));
    const rendered = editions.map((edition, index) => {
      const otherEditions: EditionLink[] = editions
        .filter((other) => other !== edition)
        .map((other) => ({ lang: other.lang, name: locales[editions.indexOf(other)]!.catalog.source.language, href: editionHref(edition.prefix, other.prefix) }));
      const view = buildDeckView(models[index]!, locales[index]!, { otherEditions });
      const html = renderPage(view, templates, { csp, assetBase: edition.prefix === '' ? '' : '../', extraScripts: options.extraScripts ?? [] });
      return { lang: edition.lang, prefix: edition.prefix, model: models[index]!, html, slideCount: view.slides.length };
    });
    const warnings = [...new Set(models.flatMap((model) => model.warnings))];
    return {
      editions: rendered,
      files: [
        { path: 'assets/theme.css', text: theme.css },
        { path: 'assets/palette.css', text: paletteCss(editions[0]!.data.theme) },
      ],
      assets: [...runtimeAssets(), ...theme.assets, ...(options.extraAssets ?? [])],
      warnings,
    };
  });
}

/**
 * data/ -> validated model -> HTML -> PDF, for every edition, written as one unit: the output
 * directory is replaced only when every stage, the PDFs included, succeeded. On any failure it is
 * left as it was.
 */
export async function build(options: BuildOptions): Promise<BuildResult> {
  const timeoutMs = options.timeoutMs ?? defaultTimeoutMs;
  const log = options.log ?? (() => undefined);
  const timings: Record<Stage, number> = { load: 0, render: 0, write: 0, pdf: 0 };
  const timed = async <T>(stage: Stage, work: () => Promise<T>): Promise<T> => {
    const start = performance.now();
    const result = await work();
    timings[stage] = performance.now() - start;
    return result;
  };

  const outDir = await resolveOutputDir(options.outDir, { data: options.dataDir, templates: templateFolders(options.templatesDir)[0]! });
  // Starting Chromium takes as long as rendering; do both at once.
  const browser = options.pdf ? launchBrowser({ timeoutMs }) : undefined;
  browser?.catch(() => undefined);
  let staging: Staging | undefined;
  try {
    const stage = await stageDeck(outDir);
    staging = stage;
    const rendered = await renderFromSources(options, timed);
    const first = rendered.editions[0]!;
    log(`load    ${timings.load.toFixed(0).padStart(5)} ms  ${rendered.editions.map((edition) => `${edition.lang} ${edition.model.slides.length} slides`).join(', ')}; ${first.model.figures.size} figures, ${first.model.citations.length} cited facts`);
    log(`render  ${timings.render.toFixed(0).padStart(5)} ms  ${rendered.editions.map((edition) => `${edition.prefix}${htmlFileName} ${(edition.html.length / 1024).toFixed(0)} KB`).join(', ')}`);
    await timed('write', async () => {
      await Promise.all([
        ...rendered.editions.map((edition) => stage.writeText(`${edition.prefix}${htmlFileName}`, edition.html)),
        ...rendered.files.map((file) => stage.writeText(file.path, file.text)),
        stage.copy(rendered.assets),
      ]);
    });
    log(`write   ${timings.write.toFixed(0).padStart(5)} ms  ${rendered.assets.length + rendered.files.length + rendered.editions.length} files`);

    const pdfBytes = new Map<string, number>();
    if (browser) {
      const session = await browser;
      const printed = await timed('pdf', async () => {
        try {
          return await printDeck(session.browser, stage.dir, rendered.editions.map((edition) => `${edition.prefix}${htmlFileName}`), { timeoutMs });
        } finally {
          await session.close();
        }
      });
      for (const [index, edition] of rendered.editions.entries()) {
        const result = printed[index]!;
        for (const url of result.blocked) rendered.warnings.push(`blocked a request outside the deck while printing: ${url}`);
        await stage.writeBytes(`${edition.prefix}${pdfFileName}`, result.pdf);
        pdfBytes.set(edition.lang, result.pdf.byteLength);
      }
      rendered.warnings.splice(0, rendered.warnings.length, ...new Set(rendered.warnings));
      log(`pdf     ${timings.pdf.toFixed(0).padStart(5)} ms  ${rendered.editions.map((edition) => `${edition.prefix}${pdfFileName} ${(pdfBytes.get(edition.lang)! / 1024).toFixed(0)} KB`).join(', ')} (${session.found.executablePath})`);
    }
    const committed = await stage.commit(options.pdf ? [] : (options.carryOver ?? []), log);
    if (committed.waitedMs > 0) log(`waited ${committed.waitedMs.toFixed(0)} ms for another build to finish writing ${relativeToCwd(outDir)}`);
    rendered.warnings.push(...committed.warnings);
    const editions: EditionResult[] = rendered.editions.map((edition) => ({
      lang: edition.lang,
      model: edition.model,
      prefix: edition.prefix,
      slideCount: edition.slideCount,
      htmlPath: path.join(outDir, edition.prefix, htmlFileName),
      pdfPath: options.pdf ? path.join(outDir, edition.prefix, pdfFileName) : undefined,
      pdfBytes: pdfBytes.get(edition.lang),
    }));
    const main = editions[0]!;
    return {
      model: main.model,
      slideCount: main.slideCount,
      editions,
      timings,
      warnings: rendered.warnings,
      htmlPath: main.htmlPath,
      pdfPath: main.pdfPath,
      pdfBytes: main.pdfBytes,
      outDir,
    };
  } catch (error) {
    await staging?.discard();
    if (browser) await browser.then((session) => session.close(), () => undefined);
    throw error;
  }
}
