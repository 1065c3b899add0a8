import { rm } from 'node:fs/promises';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import type { Page } from 'puppeteer-core';
import { formatProblem } from '../errors.js';
import { replaceFile, snapshotDeck } from '../output/write.js';
import { overflowProblem, pdfMetaOf, type BuildResult, type EditionResult } from '../build/edition.js';
import { printDeckPdf } from '../exports/pdf.js';
import { exportFile } from '../exports/registry.js';
import { deckPageName } from '../output/names.js';
import type { Printer } from '../print/printer.js';
import { measureOverflow, openPrintView, prepareForPaper } from '../print/slides.js';
import { deckTab, type DeckTab } from '../print/tab.js';

export interface DevPdfOptions {
  printer: Printer;
  outDir: string;
  timeoutMs: number;
  allowOverflow: boolean;
  /** One edition's PDF of a build is on disk (the deck's own language first): how long it took, and how. */
  onPrinted(build: number, lang: string, ms: number, how: string): void;
  /** A build's slides overflow: the errors to show. */
  onOverflow(build: number, errors: string[]): void;
  onFailed(build: number, message: string): void;
  /** Every edition's PDF of a build is on disk: their bytes, by their path in the deck. */
  onAllPrinted(build: number, result: BuildResult, pdfs: ReadonlyMap<string, Uint8Array>): void;
  /** The build a print is for is still the latest good one. */
  isLatest(build: number): boolean;
}

export interface DevPdf {
  /**
   * Prints every edition of a good build, after any print under way; superseded builds are
   * skipped. `sameAssets`: only the slides changed (a data edit), so kept tabs swap them in place.
   */
  print(build: number, result: BuildResult, sameAssets: boolean): void;
  idle(): Promise<void>;
  close(): Promise<void>;
}

/** The print view of one edition, kept loaded between saves, with the snapshot it was loaded from. */
interface KeptView {
  page: Page;
  tab: DeckTab;
  snapshot: string;
}

// The page's globals (window.datadeck.replaceSlides...) are declared there.
import type {} from '../client/contract.js';

/**
 * Re-prints the PDFs after each good HTML build, with the session's printer. Each edition's print
 * view stays loaded in its own tab: after a data edit the new slides take the old ones' places in
 * it (as the browser tabs do), the charts are drawn again, and it prints, without loading the
 * page; after a template or theme edit, or a different number of slides, the page is loaded
 * again from a snapshot of the committed deck (hard links), so a rebuild swapping the output
 * folder cannot mix two builds in one PDF. Slides are measured first: an overflow goes to the
 * error overlay and no PDF is written.
 */
export function devPdf(options: DevPdfOptions): DevPdf {
  const views = keptViews(options);
  let chain: Promise<void> = Promise.resolve();

  /**
   * Each edition in turn, the deck's own language first, its PDF written as soon as it is
   * printed: the one people check after a save arrives without waiting for the others.
   */
  const printBuild = async (build: number, result: BuildResult, sameAssets: boolean): Promise<void> => {
    const started = performance.now();
    // An edition the deck no longer has: its print view goes with it.
    for (const prefix of views.prefixes()) if (!result.editions.some((edition) => edition.prefix === prefix)) await views.drop(prefix);
    const printed = new Map<string, Uint8Array>();
    for (const edition of result.editions) {
      const shown = await options.printer.retrying(async () => {
        try {
          return await views.show(edition, sameAssets);
        } catch (error) {
          // A dead tab or browser: the next attempt loads the page again.
          await views.drop(edition.prefix);
          throw error;
        }
      });
      if (!options.isLatest(build)) return;
      const overflow = await measureOverflow(shown.view.tab);
      if (overflow.length > 0 && !options.allowOverflow) {
        options.onOverflow(build, overflow.map((item) => formatProblem(overflowProblem(edition, item))));
        return;
      }
      const titles = await prepareForPaper(shown.view.tab);
      const pdf = await printDeckPdf(shown.view.tab, pdfMetaOf(edition), titles);
      if (!options.isLatest(build)) return;
      await replaceFile(path.join(options.outDir, edition.prefix, exportFile('pdf')), pdf);
      printed.set(`${edition.prefix}${exportFile('pdf')}`, pdf);
      options.onPrinted(build, edition.lang, performance.now() - started, shown.swapped ? 'slides swapped in place' : 'page loaded');
    }
    options.onAllPrinted(build, result, printed);
  };

  return {
    print(build, result, sameAssets) {
      chain = chain.then(async () => {
        if (!options.isLatest(build)) return;
        try {
          await printBuild(build, result, sameAssets);
        } catch (error) {
          options.onFailed(build, error instanceof Error ? error.message : String(error));
        }
      });
    },
    idle: () => chain,
    async close() {
      await chain;
      await Promise.all(views.prefixes().map(views.drop));
    },
  };
}

/** Each edition's print view, kept loaded between builds, by the edition's folder. */
function keptViews(options: DevPdfOptions): { show(edition: EditionResult, sameAssets: boolean): Promise<{ view: KeptView; swapped: boolean }>; drop(prefix: string): Promise<void>; prefixes(): string[] } {
  const kept = new Map<string, KeptView>();
  const drop = async (prefix: string): Promise<void> => {
    const view = kept.get(prefix);
    kept.delete(prefix);
    if (!view) return;
    await view.page.close().catch(() => undefined);
    await rm(view.snapshot, { recursive: true, force: true });
  };
  const load = async (edition: EditionResult): Promise<KeptView> => {
    await drop(edition.prefix);
    const snapshot = await snapshotDeck(options.outDir);
    const page = await options.printer.openPage();
    const tab = await deckTab(page, { timeoutMs: options.timeoutMs });
    const view = { page, tab, snapshot };
    kept.set(edition.prefix, view);
    await openPrintView(tab, snapshot, `${edition.prefix}${deckPageName}`);
    return view;
  };
  /** The edition's print view showing this build: swapped in place when it can be, else loaded. */
  const show = async (edition: EditionResult, sameAssets: boolean): Promise<{ view: KeptView; swapped: boolean }> => {
    const view = kept.get(edition.prefix);
    if (view && sameAssets && !view.page.isClosed()) {
      const swapped = await view.tab.step('swapping the new slides in', view.page.evaluate((html: string) => {
        const slides = new DOMParser().parseFromString(html, 'text/html').querySelector('.reveal .slides');
        return slides !== null && (window.datadeck?.replaceSlides(slides.innerHTML) ?? false);
      }, edition.html));
      if (swapped) {
        await view.tab.step('waiting for the charts', view.page.waitForFunction('window.datadeckChartsDrawn === true', { timeout: options.timeoutMs }));
        await view.tab.step('waiting for fonts', view.page.evaluate(() => document.fonts.ready.then(() => undefined)));
        return { view, swapped: true };
      }
    }
    return { view: await load(edition), swapped: false };
  };
  return { show, drop, prefixes: () => [...kept.keys()] };
}
