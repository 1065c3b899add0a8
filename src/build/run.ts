/** One build under way: its options resolved, its browser, its clock, its progress lines and warnings. */
import { performance } from 'node:perf_hooks';
import { browserFormats, type ExportFormat } from '../exports/registry.js';
import { resolveOutputDir } from '../output/write.js';
import { warmUpPdfLibrary } from '../print/pdf-meta.js';
import { createPrinter, type Printer } from '../print/printer.js';
import { mayReuseExports } from './cache.js';
import type { Stage } from './edition.js';
import { chosenFormats, defaultTimeoutMs, templateFolders, type BuildOptions } from './options.js';

export type Timed = <T>(stage: Stage, work: () => Promise<T>) => Promise<T>;

export interface BuildRun {
  options: BuildOptions;
  /** The output directory, resolved and checked. */
  outDir: string;
  formats: ExportFormat[];
  timeoutMs: number;
  /** The browser, when an export needs it: the caller's, or the build's own. */
  printer: Printer | undefined;
  /** The browser this build started, closed when it ends. */
  ownPrinter: Printer | undefined;
  timings: Record<Stage, number>;
  /** Runs work, adding its time to a stage. */
  timed: Timed;
  log(line: string): void;
  /** A stage's progress line: its name, its time so far, what it made. */
  line(stage: Stage, text: string): void;
  /** What the user should know; said once each. */
  warnings: string[];
}

/**
 * The build's options resolved (an unsafe --out refused before anything starts) and its browser
 * started: Chromium takes as long to start as rendering, so both happen at once (and the PDF
 * library loads while the browser starts, rather than after it printed). Not when the previous
 * deck's exports may all be reused: then the browser starts only once an export needs it.
 */
export async function startBuild(options: BuildOptions): Promise<BuildRun> {
  const timeoutMs = options.timeoutMs ?? defaultTimeoutMs;
  const formats = chosenFormats(options);
  const timings: Record<Stage, number> = { load: 0, render: 0, write: 0, check: 0, pdf: 0, handout: 0, png: 0, html: 0, pptx: 0 };
  const log = options.log ?? (() => undefined);
  const outDir = await resolveOutputDir(options.outDir, { data: options.dataDir, templates: templateFolders(options.templatesDir)[0]! });
  const printing = formats.some((format) => browserFormats.includes(format));
  const ownPrinter = printing && !options.printer ? createPrinter({ timeoutMs }) : undefined;
  const printer = printing ? (options.printer ?? ownPrinter) : undefined;
  if (printer) {
    if (!mayReuseExports(outDir, options.force ?? false)) printer.warm();
    void printer.identity().catch(() => undefined);
    void warmUpPdfLibrary().catch(() => undefined);
  }
  return {
    options,
    outDir,
    formats,
    timeoutMs,
    printer,
    ownPrinter,
    timings,
    async timed(stage, work) {
      const start = performance.now();
      try {
        return await work();
      } finally {
        timings[stage] += performance.now() - start;
      }
    },
    log,
    line: (stage, text) => log(`${stage.padEnd(7)} ${timings[stage].toFixed(0).padStart(5)} ms  ${text}`),
    warnings: [],
  };
}

export const kilobytes = (bytes: number): string => (bytes >= 1024 * 1024 ? `${(bytes / 1024 / 1024).toFixed(1)} MB` : `${(bytes / 1024).toFixed(0)} KB`);
