import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { BuildCancelled } from '../build/tabs.js';
import type { BuildOptions } from '../build/options.js';
import { exportRows, type ExportFormat } from '../exports/registry.js';
import { deckPageName } from '../output/names.js';
import { exportedEntries, exportInPlace, type BuildResult } from '../pipeline.js';

export interface DevExportsOptions {
  /** How the session builds (its data, output, editions, printer), less what each build says. */
  build: Omit<BuildOptions, 'formats' | 'pdf' | 'made' | 'measured' | 'cancelled' | 'log' | 'carryOver' | 'extraAssets' | 'extraScripts' | 'dev'>;
  /** The exports the session keeps (--formats; every one by default). */
  formats: readonly ExportFormat[];
  /** The build is still the latest good one. */
  isLatest(build: number): boolean;
  onMade(build: number, made: MadeExports): void;
  onFailed(build: number, error: unknown): void;
}

/** What the exports of a build made again and what they reused, for the terminal and the listeners. */
export interface MadeExports {
  langs: string[];
  ms: number;
  /** The exports made again (not the PDFs, printed before), by their file: `handout.pdf`, or `en/handout.pdf` when one edition alone. */
  remade: string[];
  /** Those reused as they were. */
  unchanged: string[];
  /** Of the pictures, how many were taken again, of how many. */
  pictures: { made: number; of: number } | undefined;
  warnings: string[];
}

export interface DevExports {
  /** Makes the exports of a good build whose PDFs (`pdfs`, by their path in the deck) are on disk; the work of an older one stops. */
  make(build: number, result: BuildResult, pdfs: ReadonlyMap<string, Uint8Array>): void;
  /** A save arrived: the work under way stops before its next export. */
  cancel(): void;
  /** The build after it failed: the last good build's exports, unless in place already, are made after all. */
  resume(): void;
  /**
   * What a build carries over from the deck it replaces, until these exports are made again:
   * every kept export of these editions (the last good build's; before it, those on disk) and their manifests.
   */
  carried(prefixes: readonly string[] | undefined): Promise<string[]>;
  close(): Promise<void>;
}

interface Job {
  build: number;
  result: BuildResult;
  pdfs: ReadonlyMap<string, Uint8Array>;
}

/**
 * Every kept export of each good build but its PDFs (printed first, in tabs kept warm: pdf.ts),
 * made in the background with the session's browser, from the pages `build` renders (so they are
 * what `datadeck build` makes, and it reuses them): each export made beside the output, reusing
 * what the export cache allows, then all moved in at once, with each edition's manifest. A save
 * stops the work under way before its next export, and the exports of a build never land once a
 * newer one is in place; one job at a time.
 */
export function devExports(options: DevExportsOptions): DevExports {
  const { outDir } = options.build;
  let wanted: Job | undefined;
  let last: Job | undefined;
  let inPlace = 0;
  let closed = false;
  let chain: Promise<void> = Promise.resolve();

  const run = async (job: Job): Promise<void> => {
    const cancelled = (): boolean => closed || wanted !== job;
    if (cancelled()) return;
    const started = performance.now();
    try {
      const made = await exportInPlace(
        // The PDFs' print view measured the build's slides already: a slide that does not fit stopped it there.
        { ...options.build, formats: options.formats, made: job.pdfs, measured: job.pdfs.size > 0, cancelled },
        job.result.source,
        async () => !cancelled() && options.isLatest(job.build) && (await pagesInPlace(outDir, job.result)),
      );
      if (!made) return;
      inPlace = job.build;
      options.onMade(job.build, summary(made.result, job.result, performance.now() - started));
    } catch (error) {
      if (!(error instanceof BuildCancelled)) options.onFailed(job.build, error);
    }
  };
  const schedule = (job: Job): void => {
    wanted = job;
    chain = chain.then(() => run(job));
  };

  return {
    make(build, result, pdfs) {
      last = { build, result, pdfs };
      schedule(last);
    },
    cancel() {
      wanted = undefined;
    },
    resume() {
      if (last && wanted === undefined && inPlace !== last.build && options.isLatest(last.build)) schedule(last);
    },
    async carried(prefixes) {
      return exportedEntries(options.formats, prefixes ?? (await editionFolders(outDir)));
    },
    async close() {
      closed = true;
      await chain;
    },
  };
}

/** The deck in place is still the build's: each edition's page as it wrote it. */
async function pagesInPlace(outDir: string, result: BuildResult): Promise<boolean> {
  for (const edition of result.editions) {
    const page = await readFile(path.join(outDir, edition.prefix, deckPageName), 'utf8').catch(() => undefined);
    if (page !== edition.html) return false;
  }
  return true;
}

/** The editions of a deck on disk: its root, and each folder holding a deck page. */
async function editionFolders(outDir: string): Promise<string[]> {
  const entries = await readdir(outDir, { withFileTypes: true }).catch(() => []);
  const folders = await Promise.all(entries.filter((entry) => entry.isDirectory()).map(async (entry) => ((await readFile(path.join(outDir, entry.name, deckPageName)).then(() => true, () => false)) ? [`${entry.name}/`] : [])));
  return ['', ...folders.flat()];
}

/** What the exports of a build remade and reused, export by export (the PDFs apart: their own lines say them). */
function summary(made: BuildResult, built: BuildResult, ms: number): MadeExports {
  const remade: string[] = [];
  const unchanged: string[] = [];
  let pictures: MadeExports['pictures'];
  for (const row of exportRows.filter((candidate) => candidate.format !== 'pdf')) {
    const files = made.editions.flatMap((edition) => edition.files.filter((file) => file.format === row.format).map((file) => ({ edition, file })));
    if (files.length === 0) continue;
    const fresh = files.filter(({ file }) => !file.reused);
    if (fresh.length === 0) unchanged.push(row.files[0]!);
    else remade.push(...(fresh.length === files.length ? [row.files[0]!] : fresh.map(({ edition }) => `${edition.prefix}${row.files[0]!}`)));
    if (row.format === 'png') pictures = { made: fresh.reduce((sum, { file }) => sum + (file.remade?.made ?? 0), 0), of: files.reduce((sum, { edition }) => sum + edition.slideCount, 0) };
  }
  return { langs: made.editions.map((edition) => edition.lang), ms, remade, unchanged, pictures, warnings: made.warnings.filter((warning) => !built.warnings.includes(warning)) };
}
