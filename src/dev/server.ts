import { EventEmitter } from 'node:events';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { DataErrors, DatadeckError, formatProblem } from '../errors.js';
import { clientScript } from '../output/assets.js';
import { paletteCss } from '../output/theme.js';
import { resolveOutputDir } from '../output/write.js';
import { isInsideOrEqual } from '../paths.js';
import { build } from '../pipeline.js';
import type { BuildResult } from '../build/edition.js';
import { chosenFormats, defaultTimeoutMs, templateFolders, type BuildOptions } from '../build/options.js';
import { exportFile, type ExportFormat } from '../exports/registry.js';
import { createPrinter, type Printer } from '../print/printer.js';
import { devExports, type DevExports, type MadeExports } from './exports.js';
import { startPreviewServer, type PreviewState } from './http.js';
import { devPdf, type DevPdf } from './pdf.js';
import { rebuildQueue } from './queue.js';
import { watchSources, type SourceWatcher } from './watch.js';

/** The export the dev server prints again after each good build. */
const pdfFileName = exportFile('pdf');

export type DevOptions = Pick<BuildOptions, 'dataDir' | 'templatesDir' | 'outDir' | 'pdf' | 'formats' | 'allowFalseClaims' | 'allowOverflow' | 'timeoutMs' | 'log' | 'langs'> & {
  /** 0 or absent: a free port. */
  port?: number;
  /** Loopback unless told otherwise: the preview is for this machine. */
  host?: string;
};

/** What the server tells listeners (tests, the benchmark) after each build. */
export type DevEvent =
  | { kind: 'html'; build: number; result: BuildResult; changed: string[]; ms: number }
  | { kind: 'pdf'; build: number; lang: string; ms: number; how: string }
  | { kind: 'error'; errors: string[]; changed: string[] }
  | { kind: 'pdf-error'; message: string }
  /** Every other kept export of a build is on disk (made again or reused), after its PDFs. */
  | { kind: 'exports'; build: number; ms: number; remade: string[]; pictures: { made: number; of: number } | undefined }
  | { kind: 'exports-error'; build: number; message: string };

export interface DevServer {
  url: string;
  events: EventEmitter<{ build: [DevEvent] }>;
  /** Resolves once the current and any queued build (HTML and PDF) have finished; the other exports follow in the background ('exports' events). */
  idle(): Promise<void>;
  close(): Promise<void>;
}

const clientAsset = { from: clientScript('dev-client'), to: 'assets/dev-client.js' };

function describeChanges(changed: readonly string[]): string {
  return changed.length === 0 ? 'start' : [...new Set(changed.map((file) => path.relative(process.cwd(), file) || file))].join(', ');
}

function describeError(error: unknown): string[] {
  if (error instanceof DataErrors) return error.problems.map(formatProblem);
  if (error instanceof DatadeckError) return [error.message];
  return [error instanceof Error ? error.message : String(error)];
}

/**
 * What an open tab cannot take in place, however it was edited (theme.yaml, a restored data/):
 * the deck's colours, in palette.css, and its editions, linked from every page's corner.
 */
function pageShape(result: BuildResult): string {
  return JSON.stringify([paletteCss(result.editions[0]!.data.theme), result.editions.map((edition) => edition.lang)]);
}

/** What a dev session's parts share: its options, its log, its listeners, what the tabs are told. */
interface Session {
  options: DevOptions;
  /** The exports the session keeps fresh (--formats; every one by default). */
  formats: ExportFormat[];
  log: (line: string) => void;
  timeoutMs: number;
  events: EventEmitter<{ build: [DevEvent] }>;
  /** The last good build, the last one that changed more than data (open tabs older than it reload in full), the errors shown over the deck. */
  state: PreviewState;
  /** Shows errors over the deck in every open tab (none: the overlay goes). */
  showErrors(errors: string[]): void;
}

/**
 * Builds, serves the output directory on loopback and rebuilds on every change to the data,
 * templates or theme, through the same pipeline as `datadeck build`: the rebuild queue (queue.ts)
 * runs one build at a time, the preview (http.ts) serves the deck and tells open tabs, and the
 * session's printer (kept warm) re-prints the PDFs after each good build (pdf.ts).
 */
export async function startDevServer(options: DevOptions): Promise<DevServer> {
  // An unsafe --out is refused before anything starts, not reported on every rebuild.
  await resolveOutputDir(options.outDir, { data: options.dataDir, templates: templateFolders(options.templatesDir)[0]! });
  const state: PreviewState = { build: 0, fullSince: 0, errors: [] };
  const preview = await startPreviewServer({ outDir: options.outDir, port: options.port ?? 0, host: options.host ?? '127.0.0.1', clientScript: clientAsset.from, state: () => state });
  const session: Session = {
    options,
    formats: chosenFormats(options),
    log: options.log ?? (() => undefined),
    timeoutMs: options.timeoutMs ?? defaultTimeoutMs,
    events: new EventEmitter<{ build: [DevEvent] }>(),
    state,
    showErrors(errors) {
      state.errors = errors;
      preview.broadcast(state);
    },
  };
  const { printer, pdf, exports } = startPrinting(session);
  const runBuild = rebuilder(session, exports, (result, buildNumber) => {
    preview.broadcast(state);
    if (session.formats.includes('pdf')) pdf.print(buildNumber, result, state.fullSince < buildNumber);
    else exports.make(buildNumber, result, new Map());
  });
  const queue = rebuildQueue(runBuild);
  let watcher: SourceWatcher | undefined;
  let closing: Promise<void> | undefined;
  const close = (): Promise<void> => {
    closing ??= (async () => {
      await watcher?.close();
      await preview.close();
      await queue.idle();
      await pdf.close();
      await exports.close();
      await printer.close();
    })();
    return closing;
  };
  try {
    await runBuild([]);
    watcher = await watchSources([options.dataDir, ...templateFolders(options.templatesDir)], (file) => queue.schedule(file));
  } catch (error) {
    await close();
    throw error;
  }
  return { url: preview.url, events: session.events, idle: async () => { await queue.idle(); await pdf.idle(); }, close };
}

/** The session's printer, kept warm, the PDFs it prints again after each good build, then the other exports. */
function startPrinting(session: Session): { printer: Printer; pdf: DevPdf; exports: DevExports } {
  const { log, events, state } = session;
  const printer = createPrinter({ timeoutMs: session.timeoutMs, exitOnSignals: false, onRestart: (reason) => log(`         pdf: the browser failed (${reason}); starting a new one`) });
  const exports = startExports(session, printer);
  const pdf = devPdf({
    printer,
    outDir: session.options.outDir,
    timeoutMs: session.timeoutMs,
    allowOverflow: session.options.allowOverflow ?? false,
    isLatest: (buildNumber) => buildNumber === state.build,
    onPrinted(buildNumber, lang, ms, how) {
      log(`         pdf ${lang} ${ms.toFixed(0)} ms (${how})`);
      events.emit('build', { kind: 'pdf', build: buildNumber, lang, ms, how });
    },
    onOverflow(_buildNumber, errors) {
      log(`         a slide does not fit (the previous ${pdfFileName} is kept):\n${errors.map((line) => `         ${line}`).join('\n')}`);
      session.showErrors(errors);
      events.emit('build', { kind: 'error', errors, changed: [] });
    },
    onFailed(_buildNumber, message) {
      log(`         pdf failed: ${message} (the previous ${pdfFileName} is kept)`);
      events.emit('build', { kind: 'pdf-error', message });
    },
    onAllPrinted: (buildNumber, result, pdfs) => exports.make(buildNumber, result, pdfs),
  });
  return { printer, pdf, exports };
}

/** The other exports, made in the background after each build's PDFs, and what the terminal and the listeners are told. */
function startExports(session: Session, printer: Printer): DevExports {
  const { options, log, events, state } = session;
  return devExports({
    build: { dataDir: options.dataDir, templatesDir: options.templatesDir, outDir: options.outDir, langs: options.langs ?? 'all', allowFalseClaims: options.allowFalseClaims ?? false, allowOverflow: options.allowOverflow ?? false, timeoutMs: session.timeoutMs, printer },
    formats: session.formats,
    isLatest: (buildNumber) => buildNumber === state.build,
    onMade(buildNumber, made) {
      log(`         exports ${made.langs.join('+')} ${(made.ms / 1000).toFixed(1)} s: ${describeExports(made)}`);
      for (const warning of made.warnings) log(`         warning: ${warning}`);
      events.emit('build', { kind: 'exports', build: buildNumber, ms: made.ms, remade: made.remade, pictures: made.pictures });
    },
    onFailed(buildNumber, error) {
      const errors = describeError(error);
      if (error instanceof DataErrors) session.showErrors(errors);
      log(`         exports failed (the previous ones are kept):\n${errors.map((line) => `         ${line}`).join('\n')}`);
      events.emit('build', { kind: 'exports-error', build: buildNumber, message: errors.join('\n') });
    },
  });
}

/** "handout.pdf, deck.html remade; png/ 2 of 52 remade; deck.pptx unchanged". */
function describeExports(made: MadeExports): string {
  const documents = made.remade.filter((file) => !file.endsWith('/'));
  const parts = [
    ...(documents.length > 0 ? [`${documents.join(', ')} remade`] : []),
    ...(made.pictures && made.remade.some((file) => file.endsWith('/')) ? [`${exportFile('png')} ${made.pictures.made} of ${made.pictures.of} remade`] : []),
    ...(made.unchanged.length > 0 ? [`${made.unchanged.join(', ')} unchanged`] : []),
  ];
  // --formats pdf: the PDFs alone, recorded in the manifest for `datadeck build`.
  return parts.join('; ') || 'no export kept but the PDFs';
}

/**
 * One rebuild after the files that changed: the HTML through build(), the tabs told whether to
 * swap the slides in place or reload, the errors shown over the last good deck when it fails.
 */
function rebuilder(session: Session, exports: DevExports, built: (result: BuildResult, buildNumber: number) => void): (changed: string[]) => Promise<void> {
  const { options, log, events, state } = session;
  const dataOnly = (files: readonly string[]): boolean => files.length > 0 && files.every((file) => isInsideOrEqual(file, options.dataDir));
  let generation = 0;
  let lastShape: string | undefined;
  let changedSinceGood: string[] = [];
  let editions: string[] | undefined;
  return async (changed) => {
    const started = performance.now();
    const buildNumber = ++generation;
    changedSinceGood.push(...changed);
    // The exports of the build before are not worth the machine's time once a save made them stale.
    exports.cancel();
    try {
      const result = await build({
        dataDir: options.dataDir,
        templatesDir: options.templatesDir,
        outDir: options.outDir,
        langs: options.langs ?? 'all',
        formats: [],
        allowFalseClaims: options.allowFalseClaims ?? false,
        timeoutMs: session.timeoutMs,
        dev: true,
        // Each edition's exports are kept from one HTML build to the next, then made again.
        carryOver: await exports.carried(editions),
        extraAssets: [clientAsset],
        extraScripts: [`assets/dev-client.js?build=${buildNumber}`],
      });
      editions = result.editions.map((edition) => edition.prefix);
      const shape = pageShape(result);
      if (!dataOnly(changedSinceGood) || shape !== lastShape) state.fullSince = buildNumber;
      lastShape = shape;
      changedSinceGood = [];
      state.build = buildNumber;
      state.errors = [];
      const { load, render, write } = result.timings;
      log(`${new Date().toLocaleTimeString('en-GB')} ${describeChanges(changed)}: load ${load.toFixed(0)} ms, render ${render.toFixed(0)} ms, write ${write.toFixed(0)} ms, tabs ${state.fullSince === buildNumber ? 'reloaded' : 'updated'}`);
      for (const warning of result.warnings) log(`         warning: ${warning}`);
      built(result, buildNumber);
      events.emit('build', { kind: 'html', build: buildNumber, result, changed, ms: performance.now() - started });
    } catch (error) {
      const errors = describeError(error);
      log(`${new Date().toLocaleTimeString('en-GB')} ${describeChanges(changed)}: build failed, the last good deck stays:\n${errors.map((line) => `         ${line}`).join('\n')}`);
      session.showErrors(errors);
      events.emit('build', { kind: 'error', errors, changed });
      exports.resume();
    }
  };
}
