import { existsSync, realpathSync } from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { DataErrors, DatadeckError, formatProblem, ProblemList, type DataProblem } from './errors.js';
import { dataFiles, loadData, type LoadedData } from './data/load.js';
import { localizeData } from './data/translations.js';
import { defaultRole } from './data/schema.js';
import { buildDeckModel, type DeckModel } from './model/deck.js';
import { loadCatalog } from './i18n/catalog.js';
import { createLocale } from './i18n/locale.js';
import { loadTemplates, type TemplateSet } from './render/engine.js';
import { buildDeckView, type DeckView, type EditionLink } from './render/view.js';
import { renderPage } from './render/page.js';
import { contentSecurityPolicy, packageRoot, runtimeAssets, speakerViewScriptHashes, type Asset } from './output/assets.js';
import { bundleTheme, paletteCss } from './output/theme.js';
import { resolveOutputDir, stageDeck, type Staging } from './output/write.js';
import { createPrinter, type Printer } from './print/printer.js';
import { warmUpPdfLibrary } from './print/pdf-meta.js';
import { exportFormats, printEdition, printedFormats, type ExportFormat } from './print/exports.js';
import type { Overflow } from './print/slides.js';
import { singleFileDeck } from './output/single-file.js';

import { defaultTimeoutMs, handoutHtmlName, handoutPdfName, htmlFileName, pdfFileName, pngFolder, pptxFileName, singleFileName } from './outputs.js';
export { defaultTimeoutMs, handoutHtmlName, handoutPdfName, htmlFileName, pdfFileName, pngFolder, pptxFileName, singleFileName };
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
interface RenderedEdition {
  lang: string;
  prefix: string;
  model: DeckModel;
  data: LoadedData;
  view: DeckView;
  html: string;
  handoutHtml: string | undefined;
}

interface RenderedDeck {
  editions: RenderedEdition[];
  files: { path: string; text: string }[];
  assets: Asset[];
  warnings: string[];
}

type Timed = <T>(stage: Stage, work: () => Promise<T>) => Promise<T>;

async function renderFromSources(options: BuildOptions, formats: ReadonlySet<ExportFormat>, timed: Timed): Promise<RenderedDeck> {
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
          requestedAt: (edition.data.translations.find((translation) => translation.source.lang === edition.lang)?.file ?? data!.deckFile).locate(['lang']),
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
    const rendered = editions.map((edition, index): RenderedEdition => {
      const otherEditions: EditionLink[] = editions
        .filter((other) => other !== edition)
        .map((other) => ({ lang: other.lang, name: locales[editions.indexOf(other)]!.catalog.source.language, href: editionHref(edition.prefix, other.prefix) }));
      const view = buildDeckView(models[index]!, locales[index]!, { otherEditions });
      const pageOptions = { csp, assetBase: edition.prefix === '' ? '' : '../' };
      const html = renderPage(view, templates, { ...pageOptions, extraScripts: options.extraScripts ?? [] });
      const handoutHtml = formats.has('handout') ? renderPage(view, templates, pageOptions, 'handout') : undefined;
      return { lang: edition.lang, prefix: edition.prefix, model: models[index]!, data: edition.data, view, html, handoutHtml };
    });
    const warnings = [...new Set(models.flatMap((model) => model.warnings))];
    return {
      editions: rendered,
      files: [
        { path: 'assets/theme.css', text: theme.css },
        { path: 'assets/palette.css', text: paletteCss(editions[0]!.data.theme) },
      ],
      assets: [
        ...runtimeAssets(),
        ...theme.assets,
        ...(formats.has('handout') ? [{ from: templates.handoutStyleFile, to: 'assets/handout.css' }, { from: path.join(packageRoot, 'src', 'client', 'handout.js'), to: 'assets/handout.js' }] : []),
        ...(options.extraAssets ?? []),
      ],
      warnings,
    };
  });
}

/** A slide that does not fit, said as the user will fix it: where it is written, what sticks out. */
export function overflowProblem(edition: Pick<RenderedEdition, 'lang' | 'model' | 'data' | 'view'>, overflow: Overflow): DataProblem {
  const slide = edition.model.slides[overflow.index];
  const heading = edition.view.slides[overflow.index]?.heading ?? '';
  const what = overflow.side === 'clipped' ? `${overflow.element} hides ${overflow.pixels} px of its content` : `${overflow.element} reaches ${overflow.pixels} px past the ${overflow.side} margin`;
  if (!slide) {
    return { file: edition.data.factsFile, message: `slide ${overflow.index + 1} "${heading}" (${edition.lang}, made from the cited facts): ${what}; shorten the labels or source titles` };
  }
  const field = (['title', 'kicker', 'quote', 'text', 'items', 'columns', 'number'] as const).find((name) => edition.data.deck.slides[overflow.index]?.[name] !== undefined);
  return {
    ...edition.data.deckFile.locate(['slides', overflow.index, ...(field ? [field] : [])]),
    message: `slide ${overflow.index + 1}${heading ? ` "${heading}"` : ` (${slide.layout})`} (${edition.lang}) does not fit: ${what}; shorten its text or split the slide`,
  };
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
    const rendered = await renderFromSources(options, wanted, timed);
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
          const pptx = await timed('pptx', () => buildPptx({ view: edition.view, layout: printed.layout!.slides, tokens: printed.layout!.tokens, meta: pdfMetaOf(edition) }));
          await stage.writeBytes(`${edition.prefix}${pptxFileName}`, pptx);
          record(edition, 'pptx', `${edition.prefix}${pptxFileName}`, pptx.byteLength);
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
      log(`check       -     not measured: no export here needs the browser (the PDF, handout and PNG exports measure every slide)`);
    }
    if (wanted.has('html')) {
      const hashes = await speakerViewScriptHashes();
      await timed('html', async () => {
        for (const edition of rendered.editions) {
          const single = await singleFileDeck(edition.html, path.join(stage.dir, edition.prefix, htmlFileName), stage.dir, hashes);
          await stage.writeText(`${edition.prefix}${singleFileName}`, single);
          record(edition, 'html', `${edition.prefix}${singleFileName}`, Buffer.byteLength(single));
        }
      });
      line('html', [...written.values()].flat().filter((file) => file.format === 'html').map((file) => `${path.relative(outDir, file.path)} ${kilobytes(file.bytes)}`).join(', '));
    }
    rendered.warnings.splice(0, rendered.warnings.length, ...new Set(rendered.warnings));
    const keep = options.carryOver ?? [];
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
