import { existsSync, realpathSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { DataErrors, DatadeckError, formatProblem, ProblemList, type DataProblem } from './errors.js';
import { dataFiles, loadData, type LoadedData, type LoadedTranslation } from './data/load.js';
import { localizeData } from './data/translations.js';
import { defaultRole } from './data/schema.js';
import { buildDeckModel, type DeckModel } from './model/deck.js';
import { loadCatalog } from './i18n/catalog.js';
import { createLocale } from './i18n/locale.js';
import { loadTemplates, type TemplateSet } from './render/engine.js';
import { buildDeckView, type DeckView, type EditionLink } from './render/view.js';
import { renderPage } from './render/page.js';
import { clientScript, contentSecurityPolicy, packageRoot, runtimeAssets, speakerViewScriptHashes, type Asset } from './output/assets.js';
import { bundleTheme, paletteCss } from './output/theme.js';
import { markerFile, resolveOutputDir, stageDeck, type Staging } from './output/write.js';
import { createPrinter, type Printer } from './print/printer.js';
import { warmUpPdfLibrary } from './print/pdf-meta.js';
import { exportFormats, printEdition, printedFormats, type ExportFormat } from './print/exports.js';
import { overflowProblem } from './print/overflow-problem.js';
import { singleFileDeck } from './output/single-file.js';

import { assetsFolder, defaultTimeoutMs, editionEntries, exportFilesList, handoutHtmlName, handoutPdfName, htmlFileName, pdfFileName, pngFolder, pptxFileName, singleFileName } from './outputs.js';
export { defaultTimeoutMs, handoutHtmlName, handoutPdfName, htmlFileName, pdfFileName, pngFolder, pptxFileName, singleFileName };
export { overflowProblem };
/** The package's own templates: a deck's templates folder overrides them file by file. */
export const packageTemplatesDir = path.join(packageRoot, 'templates');

export type Stage = 'load' | 'render' | 'write' | 'check' | ExportFormat;

export interface BuildOptions {
  dataDir: string;
  /** The deck's own templates, laid over the package's (absent or missing: the package's alone). */
  templatesDir?: string | undefined;
  outDir: string;
  /** The exports to make besides each edition's deck page (default: all of them). */
  formats?: readonly ExportFormat[];
  /** false: no export that needs the browser (what --no-pdf says); ignored when formats is given. */
  pdf?: boolean;
  /** Report slides whose content reaches beyond them as warnings instead of failing. */
  allowOverflow?: boolean;
  /** The browser to print with; a build makes (and closes) its own when not given one. */
  printer?: Printer;
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

/** A file a build wrote, for the progress lines and the caller. */
export interface WrittenFile {
  format: ExportFormat;
  /** Absolute path (a folder for the PNGs). */
  path: string;
  bytes: number;
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
  files: WrittenFile[];
  /** What the edition was made from, for a caller that prints it again (the dev server). */
  data: LoadedData;
  view: DeckView;
  /** The deck page as written. */
  html: string;
}

/** An edition's PDF metadata: its title, author, subject and language. */
export function pdfMetaOf(edition: Pick<RenderedEdition, 'view' | 'model'>): { title: string; author: string; subject: string; language: string } {
  return { title: edition.view.title, author: edition.view.author, subject: edition.view.subtitle, language: edition.model.locale };
}

export interface BuildResult {
  /** The first edition built (the deck's own language unless --lang left it out). */
  model: DeckModel;
  formats: ExportFormat[];
  slideCount: number;
  editions: EditionResult[];
  timings: Record<Stage, number>;
  warnings: string[];
  htmlPath: string;
  pdfPath: string | undefined;
  pdfBytes: number | undefined;
  outDir: string;
}


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

/** An edition of the deck by its language and folder ('' for the deck's own language, 'en/' for a translation). */
interface EditionPlace {
  lang: string;
  prefix: string;
  /** How its numbers are written, for its catalogue. */
  locale: string;
  translation: LoadedTranslation | undefined;
}

/** Names the build writes at the deck's root: an edition's folder must not be one of them. */
const rootNames: readonly string[] = [assetsFolder, markerFile, ...editionEntries];

/**
 * The editions asked for and the others the deck has, in the deck's order: its own language at
 * the root, each translation in its own folder. A --lang that names none of them is bad usage.
 */
function chooseEditions(data: LoadedData, langs: BuildOptions['langs'], problems: ProblemList): { all: EditionPlace[]; wanted: EditionPlace[]; others: EditionPlace[] } {
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
    if (translation && rootNames.includes(translation.source.lang)) {
      const what = translation.source.lang === pngFolder ? "the slides' PNG pictures go" : translation.source.lang === assetsFolder ? "the deck's scripts, styles and fonts go" : 'the build writes a file of its own';
      problems.add({ ...translation.file.locate(['lang']), field: 'lang', message: `lang "${translation.source.lang}" would put this edition in ${translation.source.lang}/, where ${what}: the two would mix. Use another language code for this edition.` });
    }
  }
  return { all: places, wanted: places.filter((place) => asked.includes(place.lang)), others: places.filter((place) => !asked.includes(place.lang)) };
}

/** An edition's data in its own words: a translation's gaps are problems. */
function localizeEdition(data: LoadedData, place: EditionPlace, problems: ProblemList): Edition {
  return { lang: place.lang, prefix: place.prefix, data: place.translation ? localizeData(data, place.translation, problems) : data };
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
function buildModels(editions: readonly Edition[], templates: TemplateSet, allowFalseClaims: boolean, own: ModelOutcome): DeckModel[] {
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

/** Relative link from one edition's page to another's. */
function editionHref(from: string, to: string): string {
  return `${from === '' ? '' : '../'}${to}${htmlFileName}`;
}

/** The rendered pages and what they need, before anything touches the output directory. */
interface RenderedEdition {
  lang: string;
  prefix: string;
  model: DeckModel;
  data: LoadedData;
  view: DeckView;
  html: string;
  handoutHtml: string | undefined;
  /** The page deck.html is made from: no link to the other editions, which it travels without. */
  singleHtml: string | undefined;
}

interface RenderedDeck {
  editions: RenderedEdition[];
  /** Files and folders of the deck's other editions, kept as they were. */
  carried: string[];
  files: { path: string; text: string }[];
  assets: Asset[];
  warnings: string[];
}

type Timed = <T>(stage: Stage, work: () => Promise<T>) => Promise<T>;

/** `outDir`: the output directory, resolved; the editions already there are linked from the new ones. */
async function renderFromSources(options: BuildOptions, outDir: string, formats: ReadonlySet<ExportFormat>, timed: Timed): Promise<RenderedDeck> {
  const folders = templateFolders(options.templatesDir);
  const { editions, models, templates, locales, carried, links, themeWarnings } = await timed('load', async () => {
    const problems = new ProblemList();
    const [loaded, templates, { checkThemeContrast }] = await Promise.all([
      loadData(options.dataDir, problems, relativeToCwd(options.dataDir)),
      loadTemplates(folders, folders.map(relativeToCwd)),
      // Loaded here, while files are read, rather than before the browser starts.
      import('./output/contrast.js'),
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
    const editions = wanted.map((place) => localizeEdition(data, place, problems));
    const catalogOptions = {
      deckLocalesDir: path.join(options.dataDir, dataFiles.locales),
      displayDeckLocalesDir: path.join(relativeToCwd(options.dataDir), dataFiles.locales),
    };
    const locales = await Promise.all(
      editions.map(async (edition) => {
        const catalog = await loadCatalog(edition.lang, edition.data.deck.locale, {
          ...catalogOptions,
          problems,
          requestedAt: (edition.data.translations.find((translation) => translation.source.lang === edition.lang)?.file ?? data.deckFile).locate(['lang']),
        });
        return catalog && createLocale(edition.lang, edition.data.deck.locale, catalog);
      }),
    );
    const ownProblems = 'failure' in own && own.failure.code !== 'falseClaim' ? own.failure.problems : [];
    if (ownProblems.length > 0 || !problems.isEmpty) throw new DataErrors(uniqueProblems([...ownProblems, ...problems.problems]));
    const models = buildModels(editions, templates, allowFalseClaims, own);
    // Every edition a page links to: those built now, and those a build of some leaves in place.
    const names = new Map(editions.map((edition, index) => [edition.prefix, locales[index]!.catalog.source.language]));
    for (const place of others.filter((other) => existsSync(path.join(outDir, other.prefix, htmlFileName)))) {
      const catalog = await loadCatalog(place.lang, place.locale, { ...catalogOptions, problems: new ProblemList() });
      names.set(place.prefix, catalog?.source.language ?? place.lang);
    }
    const links = all.filter((place) => names.has(place.prefix)).map((place) => ({ lang: place.lang, prefix: place.prefix, name: names.get(place.prefix)! }));
    return { editions, models, templates, locales: locales.map((locale) => locale!), carried: otherEditionsFiles(others), links, themeWarnings };
  });
  return timed('render', async () => {
    const csp = contentSecurityPolicy(await speakerViewScriptHashes(), { connectToSelf: options.dev ?? false });
    const theme = await bundleTheme(templates.themeFile, relativeToCwd(templates.themeFile), { dirs: folders, display: templates.dirs });
    const rendered = editions.map((edition, index): RenderedEdition => {
      const otherEditions: EditionLink[] = links
        .filter((other) => other.prefix !== edition.prefix)
        .map((other) => ({ lang: other.lang, name: other.name, href: editionHref(edition.prefix, other.prefix) }));
      const view = buildDeckView(models[index]!, locales[index]!, { otherEditions });
      const pageOptions = { csp, assetBase: edition.prefix === '' ? '' : '../' };
      const html = renderPage(view, templates, { ...pageOptions, extraScripts: options.extraScripts ?? [] });
      const handoutHtml = formats.has('handout') ? renderPage(view, templates, pageOptions, 'handout') : undefined;
      const singleHtml = formats.has('html') ? renderPage({ ...view, otherEditions: [] }, templates, pageOptions) : undefined;
      return { lang: edition.lang, prefix: edition.prefix, model: models[index]!, data: edition.data, view, html, handoutHtml, singleHtml };
    });
    const warnings = [...new Set([...themeWarnings, ...models.flatMap((model) => model.warnings)])];
    return {
      editions: rendered,
      carried,
      files: [
        { path: 'assets/theme.css', text: theme.css },
        { path: 'assets/palette.css', text: paletteCss(editions[0]!.data.theme) },
      ],
      assets: [
        ...runtimeAssets(),
        ...theme.assets,
        ...(formats.has('handout') ? [{ from: templates.handoutStyleFile, to: 'assets/handout.css' }, { from: clientScript('handout'), to: 'assets/handout.js' }] : []),
        ...(options.extraAssets ?? []),
      ],
      warnings,
    };
  });
}

const kilobytes = (bytes: number): string => (bytes >= 1024 * 1024 ? `${(bytes / 1024 / 1024).toFixed(1)} MB` : `${(bytes / 1024).toFixed(0)} KB`);

/** PNG names: the slide's number, padded, and its anchor: 03-scale.png. */
function pngName(index: number, count: number, id: string): string {
  return `${String(index + 1).padStart(Math.max(2, String(count).length), '0')}-${id.replace(/[^a-z0-9-]+/gi, '-').toLowerCase()}.png`;
}

/** Which exports: --formats, or every one; --no-pdf leaves out those that need the browser. */
export function chosenFormats(options: Pick<BuildOptions, 'formats' | 'pdf'>): ExportFormat[] {
  if (options.formats) return exportFormats.filter((format) => options.formats!.includes(format));
  return options.pdf === false ? exportFormats.filter((format) => !printedFormats.includes(format)) : [...exportFormats];
}

/**
 * data/ -> validated model -> HTML -> PDF, handout, PNG and single-file HTML, for every edition,
 * written as one unit: the output directory is replaced only when every stage succeeded. On any
 * failure it is left as it was.
 */
export async function build(options: BuildOptions): Promise<BuildResult> {
  const timeoutMs = options.timeoutMs ?? defaultTimeoutMs;
  const log = options.log ?? (() => undefined);
  const formats = chosenFormats(options);
  const wanted = new Set(formats);
  const timings: Record<Stage, number> = { load: 0, render: 0, write: 0, check: 0, pdf: 0, handout: 0, png: 0, html: 0, pptx: 0 };
  const timed: Timed = async (stage, work) => {
    const start = performance.now();
    try {
      return await work();
    } finally {
      timings[stage] += performance.now() - start;
    }
  };
  const line = (stage: Stage, text: string): void => log(`${stage.padEnd(7)} ${timings[stage].toFixed(0).padStart(5)} ms  ${text}`);

  const outDir = await resolveOutputDir(options.outDir, { data: options.dataDir, templates: templateFolders(options.templatesDir)[0]! });
  const printing = formats.some((format) => printedFormats.includes(format));
  const ownPrinter = printing && !options.printer ? createPrinter({ timeoutMs }) : undefined;
  const printer = options.printer ?? ownPrinter;
  // Starting Chromium takes as long as rendering; do both at once (and load the PDF library
  // while the browser starts, rather than after it printed).
  if (printing) {
    printer!.warm();
    void warmUpPdfLibrary().catch(() => undefined);
  }
  let staging: Staging | undefined;
  try {
    const stage = await stageDeck(outDir);
    staging = stage;
    const rendered = await renderFromSources(options, outDir, wanted, timed);
    const first = rendered.editions[0]!;
    line('load', `${rendered.editions.map((edition) => `${edition.lang} ${edition.view.slides.length} slides`).join(', ')}; ${first.model.figures.size} figures, ${first.model.citations.length} cited facts`);
    line('render', rendered.editions.map((edition) => `${edition.prefix}${htmlFileName} ${kilobytes(edition.html.length)}`).join(', '));
    await timed('write', async () => {
      await Promise.all([
        ...rendered.editions.map((edition) => stage.writeText(`${edition.prefix}${htmlFileName}`, edition.html)),
        ...rendered.editions.flatMap((edition) => (edition.handoutHtml === undefined ? [] : [stage.writeText(`${edition.prefix}${handoutHtmlName}`, edition.handoutHtml)])),
        ...rendered.files.map((file) => stage.writeText(file.path, file.text)),
        stage.copy(rendered.assets),
      ]);
    });
    line('write', `${rendered.assets.length + rendered.files.length + rendered.editions.length} files`);

    const written = new Map<string, WrittenFile[]>(rendered.editions.map((edition) => [edition.lang, []]));
    const record = (edition: RenderedEdition, format: ExportFormat, relative: string, bytes: number): void => {
      written.get(edition.lang)!.push({ format, path: path.join(outDir, relative), bytes });
    };
    if (printing) {
      const overflows: DataProblem[] = [];
      for (const edition of rendered.editions) {
        const printed = await printEdition(printer!, {
          deckDir: stage.dir,
          deckPage: `${edition.prefix}${htmlFileName}`,
          handoutPage: `${edition.prefix}${handoutHtmlName}`,
          formats: wanted,
          meta: pdfMetaOf(edition),
          allowOverflow: options.allowOverflow ?? false,
          roles: [defaultRole, ...Object.keys(edition.data.theme.roles)],
          timeoutMs,
          timed,
        });
        for (const url of printed.blocked) rendered.warnings.push(`blocked a request outside the deck while printing: ${url}`);
        const problems = printed.overflow.map((overflow) => overflowProblem(edition, overflow));
        if (options.allowOverflow) rendered.warnings.push(...problems.map((problem) => `${formatProblem(problem)} (allowed by --allow-overflow)`));
        else overflows.push(...problems);
        if (printed.pdf) {
          await stage.writeBytes(`${edition.prefix}${pdfFileName}`, printed.pdf);
          record(edition, 'pdf', `${edition.prefix}${pdfFileName}`, printed.pdf.byteLength);
        }
        if (printed.handout) {
          await stage.writeBytes(`${edition.prefix}${handoutPdfName}`, printed.handout);
          record(edition, 'handout', `${edition.prefix}${handoutPdfName}`, printed.handout.byteLength);
        }
        if (printed.layout) {
          const { buildPptx } = await import('./pptx/deck.js');
          const pptx = await timed('pptx', () => buildPptx({ view: edition.view, layout: printed.layout!.slides, tokens: printed.layout!.tokens, meta: pdfMetaOf(edition), fonts: { deckDir: stage.dir, assets: rendered.assets } }));
          rendered.warnings.push(...pptx.warnings);
          await stage.writeBytes(`${edition.prefix}${pptxFileName}`, pptx.bytes);
          record(edition, 'pptx', `${edition.prefix}${pptxFileName}`, pptx.bytes.byteLength);
        }
        if (printed.pngs) {
          const ids = edition.view.slides.map((slide) => slide.id);
          await Promise.all(printed.pngs.map((png, index) => stage.writeBytes(`${edition.prefix}${pngFolder}/${pngName(index, printed.pngs!.length, ids[index] ?? `slide-${index + 1}`)}`, png)));
          record(edition, 'png', `${edition.prefix}${pngFolder}`, printed.pngs.reduce((sum, png) => sum + png.byteLength, 0));
        }
      }
      if (overflows.length > 0) throw new DataErrors(overflows, 'overflow');
      const checked = rendered.editions.reduce((sum, edition) => sum + edition.view.slides.length, 0);
      line('check', `${checked} slides measured, ${options.allowOverflow ? 'overflow allowed' : 'all fit'}`);
      const found = await printer!.found();
      for (const format of ['pdf', 'handout', 'png', 'pptx'] as const) {
        if (!wanted.has(format)) continue;
        const files = [...written.values()].flat().filter((file) => file.format === format);
        line(format, `${files.map((file) => `${path.relative(outDir, file.path)}${format === 'png' ? '/' : ''} ${kilobytes(file.bytes)}`).join(', ')}${format === 'pdf' ? ` (${found.executablePath})` : ''}`);
      }
    } else {
      log(`check       -     not measured: no export here needs the browser (${exportFilesList(printedFormats)} measure every slide)`);
    }
    if (wanted.has('html')) {
      const hashes = await speakerViewScriptHashes();
      await timed('html', async () => {
        for (const edition of rendered.editions) {
          const single = await singleFileDeck(edition.singleHtml ?? edition.html, path.join(stage.dir, edition.prefix, htmlFileName), stage.dir, hashes);
          await stage.writeText(`${edition.prefix}${singleFileName}`, single);
          record(edition, 'html', `${edition.prefix}${singleFileName}`, Buffer.byteLength(single));
        }
      });
      line('html', [...written.values()].flat().filter((file) => file.format === 'html').map((file) => `${path.relative(outDir, file.path)} ${kilobytes(file.bytes)}`).join(', '));
    }
    rendered.warnings.splice(0, rendered.warnings.length, ...new Set(rendered.warnings));
    const keep = [...(options.carryOver ?? []), ...rendered.carried];
    const committed = await stage.commit(keep, log);
    if (committed.waitedMs > 0) log(`waited ${committed.waitedMs.toFixed(0)} ms for another build to finish writing ${relativeToCwd(outDir)}`);
    rendered.warnings.push(...committed.warnings);
    const editions: EditionResult[] = rendered.editions.map((edition) => {
      const files = written.get(edition.lang)!;
      const pdf = files.find((file) => file.format === 'pdf');
      return {
        lang: edition.lang,
        model: edition.model,
        prefix: edition.prefix,
        slideCount: edition.view.slides.length,
        htmlPath: path.join(outDir, edition.prefix, htmlFileName),
        pdfPath: pdf?.path,
        pdfBytes: pdf?.bytes,
        files,
        data: edition.data,
        view: edition.view,
        html: edition.html,
      };
    });
    const main = editions[0]!;
    return {
      model: main.model,
      formats,
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
    throw error;
  } finally {
    await ownPrinter?.close({ quick: true });
  }
}
