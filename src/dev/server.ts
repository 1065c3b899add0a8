import { EventEmitter } from 'node:events';
import { stat } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import chokidar from 'chokidar';
import sirv from 'sirv';
import { DataErrors, DatadeckError } from '../errors.js';
import { packageRoot } from '../output/assets.js';
import { replaceFile } from '../output/write.js';
import { build, defaultTimeoutMs, pdfFileName, type BuildOptions, type BuildResult } from '../pipeline.js';
import { launchBrowser, type BrowserSession } from '../print/browser.js';
import { createPrinter, type Printer } from '../print/pdf.js';

export type DevOptions = Pick<BuildOptions, 'dataDir' | 'templatesDir' | 'outDir' | 'pdf' | 'allowFalseClaims' | 'timeoutMs' | 'log'> & {
  /** 0 or absent: a free port. */
  port?: number;
  /** Loopback unless told otherwise: the preview is for this machine. */
  host?: string;
};

/** What the server tells listeners (tests, the benchmark) after each build. */
export type DevEvent =
  | { kind: 'html'; build: number; result: BuildResult; changed: string[]; ms: number }
  | { kind: 'pdf'; build: number; ms: number }
  | { kind: 'error'; errors: string[]; changed: string[] }
  | { kind: 'pdf-error'; message: string };

export interface DevServer {
  url: string;
  events: EventEmitter<{ build: [DevEvent] }>;
  /** Resolves once the current and any queued build (HTML and PDF) have finished. */
  idle(): Promise<void>;
  close(): Promise<void>;
}

const clientAsset = { from: path.join(packageRoot, 'src', 'client', 'dev-client.js'), to: 'assets/dev-client.js' };

/** Modification time (ns) and size of each file, '' for one that is gone. */
async function fingerprints(files: readonly string[]): Promise<Map<string, string>> {
  const entries = await Promise.all(
    files.map(async (file) => {
      const info = await stat(file, { bigint: true }).catch(() => undefined);
      return [file, info ? `${info.mtimeNs}:${info.size}` : ''] as const;
    }),
  );
  return new Map(entries);
}

function describeChanges(changed: readonly string[]): string {
  return changed.length === 0 ? 'start' : [...new Set(changed.map((file) => path.relative(process.cwd(), file) || file))].join(', ');
}

function describeError(error: unknown): string[] {
  if (error instanceof DataErrors) return error.problems.map((problem) => `${problem.file}${problem.line !== undefined ? `:${problem.line}` : ''}${problem.column !== undefined ? `:${problem.column}` : ''}: ${problem.message}`);
  if (error instanceof DatadeckError) return [error.message];
  return [error instanceof Error ? error.message : String(error)];
}

/**
 * Builds, serves the output directory on loopback and rebuilds on every change to the data,
 * templates or theme, through the same pipeline as `datadeck build`. Saves arriving during a
 * build coalesce into one rebuild. The HTML is swapped in first; the PDF follows from a browser
 * kept warm between builds.
 */
export async function startDevServer(options: DevOptions): Promise<DevServer> {
  const log = options.log ?? (() => undefined);
  const timeoutMs = options.timeoutMs ?? defaultTimeoutMs;
  const events = new EventEmitter<{ build: [DevEvent] }>();
  const clients = new Set<ServerResponse>();
  let goodBuild = 0;
  // The last build that changed more than data: open tabs older than it reload in full.
  let fullSince = 0;
  let generation = 0;
  let errors: string[] = [];
  let browser: Promise<BrowserSession> | undefined;
  let printer: Promise<Printer> | undefined;
  // One browser and one tab for the whole session: a launch per save would cost seconds.
  const warmPrinter = (): Promise<Printer> => {
    browser ??= launchBrowser({ timeoutMs, exitOnSignals: false });
    printer ??= browser.then((session) => createPrinter(session.browser, { timeoutMs }));
    return printer;
  };

  const broadcast = (): void => {
    const payload = `event: state\ndata: ${JSON.stringify({ build: goodBuild, fullSince, errors })}\n\n`;
    for (const client of clients) client.write(payload);
  };

  let pdfRun: Promise<void> = Promise.resolve();
  const printLatest = (buildNumber: number): void => {
    pdfRun = pdfRun.then(async () => {
      // A newer HTML build supersedes this one; it will print itself.
      if (buildNumber !== goodBuild) return;
      const started = performance.now();
      try {
        const printed = await (await warmPrinter()).print(options.outDir);
        if (buildNumber !== goodBuild) return;
        await replaceFile(path.join(options.outDir, pdfFileName), printed.pdf);
        const ms = performance.now() - started;
        log(`         pdf ${ms.toFixed(0)} ms`);
        events.emit('build', { kind: 'pdf', build: buildNumber, ms });
      } catch (error) {
        // A crashed tab or browser is replaced on the next save rather than reused.
        if (printer) await printer.then((p) => p.close(), () => undefined);
        printer = undefined;
        if (browser && !(await browser.then((session) => session.browser.connected, () => false))) browser = undefined;
        const message = describeError(error).join('; ');
        log(`         pdf failed: ${message} (the previous ${pdfFileName} is kept)`);
        events.emit('build', { kind: 'pdf-error', message });
      }
    });
  };

  const dataOnly = (files: readonly string[]): boolean =>
    files.length > 0 && files.every((file) => !path.relative(options.dataDir, path.resolve(file)).startsWith('..'));
  let changedSinceGood: string[] = [];

  const runBuild = async (changed: string[]): Promise<void> => {
    const started = performance.now();
    const buildNumber = ++generation;
    changedSinceGood.push(...changed);
    try {
      const result = await build({
        dataDir: options.dataDir,
        templatesDir: options.templatesDir,
        outDir: options.outDir,
        pdf: false,
        allowFalseClaims: options.allowFalseClaims ?? false,
        timeoutMs,
        dev: true,
        carryOver: [pdfFileName],
        extraAssets: [clientAsset],
        extraScripts: [`assets/dev-client.js?build=${buildNumber}`],
      });
      if (!dataOnly(changedSinceGood)) fullSince = buildNumber;
      changedSinceGood = [];
      goodBuild = buildNumber;
      errors = [];
      const ms = performance.now() - started;
      const { load, render, write } = result.timings;
      log(`${new Date().toLocaleTimeString('en-GB')} ${describeChanges(changed)}: load ${load.toFixed(0)} ms, render ${render.toFixed(0)} ms, write ${write.toFixed(0)} ms, ${clients.size} tab${clients.size === 1 ? '' : 's'} ${fullSince === buildNumber ? 'reloaded' : 'updated'}`);
      for (const warning of result.warnings) log(`         warning: ${warning}`);
      broadcast();
      events.emit('build', { kind: 'html', build: buildNumber, result, changed, ms });
      if (options.pdf) printLatest(buildNumber);
    } catch (error) {
      errors = describeError(error);
      log(`${new Date().toLocaleTimeString('en-GB')} ${describeChanges(changed)}: build failed, the last good deck stays:\n${errors.map((line) => `         ${line}`).join('\n')}`);
      broadcast();
      events.emit('build', { kind: 'error', errors, changed });
    }
  };

  // One build at a time; changes during a build are gathered and built once it ends.
  let running: Promise<void> | undefined;
  let queued: Set<string> | undefined;
  const schedule = (changed: string): void => {
    if (running) {
      (queued ??= new Set()).add(changed);
      return;
    }
    running = (async () => {
      let batch = [changed];
      while (batch.length > 0) {
        const before = await fingerprints(batch);
        await runBuild(batch);
        // A watcher may fold a quick second write into the first one's event; a file that
        // changed while it was being built is built again, so the last save always lands.
        const after = await fingerprints(batch);
        for (const file of batch) if (before.get(file) !== after.get(file)) (queued ??= new Set()).add(file);
        batch = queued ? [...queued] : [];
        queued = undefined;
      }
      running = undefined;
    })();
  };

  await runBuild([]);

  const watcher = chokidar.watch([options.dataDir, options.templatesDir], {
    ignoreInitial: true,
    // Editors save by writing a temporary file and renaming it; wait for the write to settle.
    // No write-settling delay: a save caught half-written fails to build, and its final write
    // triggers another build at once, so the user sees the right deck a moment later anyway.
    atomic: true,
  });
  const onChange = (file: string): void => schedule(file);
  watcher.on('add', onChange).on('change', onChange).on('unlink', onChange);
  await new Promise<void>((resolve) => watcher.once('ready', () => resolve()));

  const serveDeck = sirv(options.outDir, { dev: true, dotfiles: false });
  const server = createServer((request: IncomingMessage, response: ServerResponse) => {
    const url = request.url ?? '/';
    if (url === '/__datadeck/events') {
      response.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-store', connection: 'keep-alive' });
      response.write(`event: state\ndata: ${JSON.stringify({ build: goodBuild, fullSince, errors })}\n\n`);
      clients.add(response);
      request.on('close', () => clients.delete(response));
      return;
    }
    // Requests that climb out of the deck ("..", encoded or not) are refused outright.
    let decoded: string;
    try {
      decoded = decodeURIComponent(url.split('?')[0]!);
    } catch {
      decoded = '..';
    }
    if (decoded.split(/[\\/]/).includes('..')) {
      response.writeHead(403).end('forbidden');
      return;
    }
    serveDeck(request, response, () => {
      response.writeHead(404).end('not found');
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => resolve());
  });
  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  const url = `http://${host}:${address.port}/`;
  const idle = async (): Promise<void> => {
    while (running || queued) await running;
    await pdfRun;
  };

  let closing: Promise<void> | undefined;
  return {
    url,
    events,
    idle,
    close() {
      closing ??= (async () => {
        await watcher.close();
        for (const client of clients) client.end();
        server.closeAllConnections();
        await new Promise<void>((resolve) => server.close(() => resolve()));
        await running;
        await pdfRun;
        if (browser) await browser.then((session) => session.close(), () => undefined);
      })();
      return closing;
    },
  };
}
