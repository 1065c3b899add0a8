import { rm } from 'node:fs/promises';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { formatProblem } from '../errors.js';
import { replaceFile, snapshotDeck } from '../output/write.js';
import { handoutHtmlName, htmlFileName, overflowProblem, pdfFileName, pdfMetaOf, type BuildResult } from '../pipeline.js';
import { printEdition, type PrintedEdition } from '../print/exports.js';
import type { Printer } from '../print/printer.js';

export interface DevPdfOptions {
  printer: Printer;
  outDir: string;
  timeoutMs: number;
  allowOverflow: boolean;
  log: (line: string) => void;
  /** A build's PDFs are on disk. */
  onPrinted(build: number, ms: number): void;
  /** A build's slides overflow (errors to show), or its print failed (message). */
  onOverflow(build: number, errors: string[]): void;
  onFailed(build: number, message: string): void;
  /** The build a print is for is still the latest good one. */
  isLatest(build: number): boolean;
}

export interface DevPdf {
  /** Prints every edition of a good build, after any print under way; superseded builds are skipped. */
  print(build: number, result: BuildResult): void;
  idle(): Promise<void>;
}

/**
 * Re-prints the PDFs after each good HTML build, with the session's printer (kept warm). Each
 * print reads its own snapshot of the committed deck (hard links), so a rebuild that swaps the
 * output folder mid-print cannot mix two builds in one PDF. Slides are measured first: an
 * overflow goes to the error overlay and no PDF is written.
 */
export function devPdf(options: DevPdfOptions): DevPdf {
  let chain: Promise<void> = Promise.resolve();
  return {
    print(build, result) {
      chain = chain.then(async () => {
        if (!options.isLatest(build)) return;
        const started = performance.now();
        const snapshot = await snapshotDeck(options.outDir);
        try {
          const printed: PrintedEdition[] = [];
          for (const edition of result.editions) {
            printed.push(await printEdition(options.printer, {
              deckDir: snapshot,
              deckPage: `${edition.prefix}${htmlFileName}`,
              handoutPage: `${edition.prefix}${handoutHtmlName}`,
              formats: new Set(['pdf'] as const),
              meta: pdfMetaOf(edition),
              allowOverflow: options.allowOverflow,
              timeoutMs: options.timeoutMs,
              timed: (_stage, work) => work(),
            }));
            if (!options.isLatest(build)) return;
          }
          const overflow = result.editions.flatMap((edition, index) => printed[index]!.overflow.map((item) => formatProblem(overflowProblem(edition, item))));
          if (overflow.length > 0 && !options.allowOverflow) {
            options.onOverflow(build, overflow);
            return;
          }
          for (const [index, edition] of result.editions.entries()) {
            await replaceFile(path.join(options.outDir, edition.prefix, pdfFileName), printed[index]!.pdf!);
          }
          options.onPrinted(build, performance.now() - started);
        } catch (error) {
          options.onFailed(build, error instanceof Error ? error.message : String(error));
        } finally {
          await rm(snapshot, { recursive: true, force: true });
        }
      });
    },
    idle: () => chain,
  };
}
