import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { ProblemList } from './errors.js';
import { loadData } from './data/load.js';
import { buildDeckModel, type DeckModel } from './model/deck.js';
import { loadTemplates } from './render/engine.js';
import { renderDeck } from './render/deck.js';
import { contentSecurityPolicy, deckAssets, fontsCss, speakerViewScriptHashes, type Asset } from './output/assets.js';
import { resolveOutputDir, stageDeck, type Staging } from './output/write.js';
import { launchBrowser } from './print/browser.js';
import { printDeck } from './print/pdf.js';

export const pdfFileName = 'deck.pdf';
export const htmlFileName = 'index.html';

export type Stage = 'load' | 'render' | 'write' | 'pdf';

export interface BuildOptions {
  dataDir: string;
  templatesDir: string;
  outDir: string;
  pdf: boolean;
  allowFalseClaims?: boolean;
  /** Bound on every browser step (launch, load, print), in milliseconds. */
  timeoutMs?: number;
  /** One line per finished stage. */
  log?: (line: string) => void;
  /** Scripts added to the page after the deck's own (the dev server's reload client). */
  extraScripts?: readonly string[];
  /** Extra files to place in the deck (the dev server's reload client). */
  extraAssets?: readonly Asset[];
  /** Served by the dev server: the page may also talk back to its own origin (live reload). */
  dev?: boolean;
  /** Files of the previous output kept when this build does not make them (the dev server's PDF). */
  carryOver?: readonly string[];
}

export interface BuildResult {
  model: DeckModel;
  slideCount: number;
  timings: Record<Stage, number>;
  warnings: string[];
  htmlPath: string;
  pdfPath: string | undefined;
  pdfBytes: number | undefined;
}

export const defaultTimeoutMs = 60_000;

function relativeToCwd(dir: string): string {
  const relative = path.relative(process.cwd(), dir);
  return relative === '' ? '.' : relative.startsWith('..') ? dir : relative;
}

/** The rendered page and what it needs, before anything touches the output directory. */
export interface RenderedDeck {
  model: DeckModel;
  html: string;
  assets: Asset[];
}

async function renderFromSources(options: Pick<BuildOptions, 'dataDir' | 'templatesDir' | 'allowFalseClaims' | 'extraScripts' | 'extraAssets' | 'dev'>, timed: <T>(stage: Stage, work: () => Promise<T>) => Promise<T>): Promise<RenderedDeck> {
  const { model, templates } = await timed('load', async () => {
    const problems = new ProblemList();
    const [data, templates] = await Promise.all([
      loadData(options.dataDir, problems, relativeToCwd(options.dataDir)),
      loadTemplates(options.templatesDir, relativeToCwd(options.templatesDir)),
    ]);
    problems.throwIfAny();
    return { model: buildDeckModel(data!, { layouts: templates.layouts, allowFalseClaims: options.allowFalseClaims ?? false }), templates };
  });
  const html = await timed('render', async () => {
    const csp = contentSecurityPolicy(await speakerViewScriptHashes(), { connectToSelf: options.dev ?? false });
    return renderDeck(model, templates, { csp, extraScripts: options.extraScripts ?? [] });
  });
  return { model, html, assets: [...deckAssets(options.templatesDir), ...(options.extraAssets ?? [])] };
}

/**
 * data/ -> validated model -> HTML -> PDF, written as one unit: the output directory is replaced
 * only when every stage, the PDF included, succeeded. On any failure it is left as it was.
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

  const outDir = await resolveOutputDir(options.outDir, { data: options.dataDir, templates: options.templatesDir });
  // Starting Chromium takes as long as rendering; do both at once.
  const browser = options.pdf ? launchBrowser({ timeoutMs }) : undefined;
  browser?.catch(() => undefined);
  let staging: Staging | undefined;
  try {
    const stage = await stageDeck(outDir);
    staging = stage;
    const rendered = await renderFromSources(options, timed);
    log(`load    ${timings.load.toFixed(0).padStart(5)} ms  ${rendered.model.slides.length} slides, ${rendered.model.figures.size} figures, ${rendered.model.citations.length} cited facts`);
    log(`render  ${timings.render.toFixed(0).padStart(5)} ms  ${htmlFileName} ${(rendered.html.length / 1024).toFixed(0)} KB`);
    await timed('write', async () => {
      await Promise.all([
        stage.writeText(htmlFileName, rendered.html),
        stage.writeText('assets/fonts/fonts.css', fontsCss()),
        stage.copy(rendered.assets),
      ]);
    });
    log(`write   ${timings.write.toFixed(0).padStart(5)} ms  ${rendered.assets.length + 2} files`);

    let pdfBytes: number | undefined;
    if (browser) {
      const session = await browser;
      const printed = await timed('pdf', async () => {
        try {
          return await printDeck(session.browser, stage.dir, { timeoutMs });
        } finally {
          await session.close();
        }
      });
      for (const url of printed.blocked) rendered.model.warnings.push(`blocked a request outside the deck while printing: ${url}`);
      await stage.writeBytes(pdfFileName, printed.pdf);
      pdfBytes = printed.pdf.byteLength;
      log(`pdf     ${timings.pdf.toFixed(0).padStart(5)} ms  ${pdfFileName} ${(pdfBytes / 1024).toFixed(0)} KB (${session.found.executablePath})`);
    }
    const committed = await stage.commit(options.pdf ? [] : (options.carryOver ?? []), log);
    if (committed.waitedMs > 0) log(`waited ${committed.waitedMs.toFixed(0)} ms for another build to finish writing ${relativeToCwd(outDir)}`);
    rendered.model.warnings.push(...committed.warnings);
    return {
      model: rendered.model,
      slideCount: rendered.model.slides.length,
      timings,
      warnings: rendered.model.warnings,
      htmlPath: path.join(outDir, htmlFileName),
      pdfPath: options.pdf ? path.join(outDir, pdfFileName) : undefined,
      pdfBytes,
    };
  } catch (error) {
    await staging?.discard();
    if (browser) await browser.then((session) => session.close(), () => undefined);
    throw error;
  }
}
