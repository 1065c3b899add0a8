import { EventEmitter } from 'node:events';
import { createHash } from 'node:crypto';
import { readFile, rm } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import sirv from 'sirv';
import { DataErrors, DatadeckError } from '../errors.js';
import { watchSources, type SourceWatcher } from './watch.js';
import { packageRoot } from '../output/assets.js';
import { replaceFile, resolveOutputDir, snapshotDeck } from '../output/write.js';
import { isInsideOrEqual } from '../paths.js';
import { build, defaultTimeoutMs, htmlFileName, pdfFileName, templateFolders, type BuildOptions, type BuildResult } from '../pipeline.js';
import { launchBrowser, type BrowserSession } from '../print/browser.js';
import { createPrinter, type Printer } from '../print/pdf.js';

export type DevOptions = Pick<BuildOptions, 'dataDir' | 'templatesDir' | 'outDir' | 'pdf' | 'allowFalseClaims' | 'timeoutMs' | 'log' | 'langs'> & {
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
const waitingClientPath = '/__datadeck/dev-client.js';
/** Shown until the session's first good build: the dev client overlays the errors and reloads once fixed. */
const waitingPage = `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>datadeck: waiting for a good build</title></head>
<body style="font: 18px/1.5 system-ui, sans-serif; margin: 48px; color: #14171a; background: #fbfaf7">
<p>datadeck dev: no deck yet. The deck appears here as soon as it builds.</p>
<script src="${waitingClientPath}?build=0"></script>
</body>
</html>
`;

/** Binds the server, turning the usual failures into one sentence with the way out. */
async function listen(server: Server, port: number, host: string): Promise<void> {
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, host, () => {
        server.off('error', reject);
        resolve();
      });
    });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const where = `${host}:${port}`;
    const reason =
      code === 'EADDRINUSE' ? `port ${port} is already in use on ${host} (another datadeck dev or another server); choose another with --port, or leave --port out for a free one`
      : code === 'EADDRNOTAVAIL' ? `${host} is not an address of this machine; use --host 127.0.0.1 (the default) or one of this machine's addresses`
      : code === 'ENOTFOUND' || code === 'EAI_AGAIN' ? `the host name ${host} cannot be resolved; use --host 127.0.0.1 (the default) or an address of this machine`
      : code === 'EACCES' ? `listening on port ${port} is not permitted (ports below 1024 need extra rights); choose a port above 1023`
      : `${error instanceof Error ? error.message : String(error)}`;
    throw new DatadeckError('listen', `cannot serve the deck at ${where}: ${reason}.`, { cause: error });
  }
}

/** A hash of each file's bytes ('' for one that is gone): timestamps can be too coarse to tell two quick saves apart. */
async function fingerprints(files: readonly string[]): Promise<Map<string, string>> {
  const entries = await Promise.all(
    files.map(async (file) => {
      const bytes = await readFile(file).catch(() => undefined);
      return [file, bytes ? createHash('sha1').update(bytes).digest('hex') : ''] as const;
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
  // An unsafe --out is refused before anything starts, not reported on every rebuild.
  await resolveOutputDir(options.outDir, { data: options.dataDir, templates: templateFolders(options.templatesDir)[0]! });
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
  const dropBrowser = async (): Promise<void> => {
    const [oldPrinter, oldBrowser] = [printer, browser];
    printer = undefined;
    browser = undefined;
    if (oldPrinter) await oldPrinter.then((tab) => tab.close(), () => undefined);
    if (oldBrowser) await oldBrowser.then((session) => session.close(), () => undefined);
  };
  /**
   * Prints a build from its own snapshot (hard links of the deck as committed), so a rebuild that
   * swaps the output directory mid-print cannot mix two builds in one PDF.
   */
  const printLatest = (buildNumber: number, snapshot: string, pdfs: readonly string[]): void => {
    pdfRun = pdfRun.then(async () => {
      try {
        // A newer HTML build supersedes this one; it will print itself.
        if (buildNumber !== goodBuild) return;
        const started = performance.now();
        const printAll = async (): Promise<Uint8Array[]> => {
          const printer = await warmPrinter();
          const results: Uint8Array[] = [];
          for (const pdf of pdfs) results.push((await printer.print(snapshot, pdf.replace(pdfFileName, htmlFileName))).pdf);
          return results;
        };
        let printed: Uint8Array[];
        try {
          printed = await printAll();
        } catch (error) {
          // A crashed or hung browser is replaced and the print tried once more.
          await dropBrowser();
          log(`         pdf: browser failed (${describeError(error).join('; ')}), retrying with a new one`);
          printed = await printAll();
        }
        if (buildNumber !== goodBuild) return;
        for (const [index, pdf] of pdfs.entries()) await replaceFile(path.join(options.outDir, pdf), printed[index]!);
        const ms = performance.now() - started;
        log(`         pdf ${ms.toFixed(0)} ms`);
        events.emit('build', { kind: 'pdf', build: buildNumber, ms });
      } catch (error) {
        await dropBrowser();
        const message = describeError(error).join('; ');
        log(`         pdf failed: ${message} (the previous ${pdfFileName} is kept)`);
        events.emit('build', { kind: 'pdf-error', message });
      } finally {
        await rm(snapshot, { recursive: true, force: true });
      }
    });
  };

  const dataOnly = (files: readonly string[]): boolean =>
    files.length > 0 && files.every((file) => isInsideOrEqual(file, options.dataDir));
  let changedSinceGood: string[] = [];
  // Each edition's PDF is kept from one HTML build to the next, then re-printed.
  let lastEditions: string[] = [''];
  const pdfsOf = (prefixes: readonly string[]): string[] => prefixes.map((prefix) => `${prefix}${pdfFileName}`);

  const runBuild = async (changed: string[]): Promise<void> => {
    const started = performance.now();
    const buildNumber = ++generation;
    changedSinceGood.push(...changed);
    try {
      const result = await build({
        dataDir: options.dataDir,
        templatesDir: options.templatesDir,
        outDir: options.outDir,
        langs: options.langs ?? 'all',
        pdf: false,
        allowFalseClaims: options.allowFalseClaims ?? false,
        timeoutMs,
        dev: true,
        carryOver: pdfsOf(lastEditions),
        extraAssets: [clientAsset],
        extraScripts: [`assets/dev-client.js?build=${buildNumber}`],
      });
      lastEditions = result.editions.map((edition) => edition.prefix);
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
      if (options.pdf) printLatest(buildNumber, await snapshotDeck(options.outDir), pdfsOf(lastEditions));
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

  const serveDeck = sirv(options.outDir, { dev: true, dotfiles: false });
  const server = createServer((request: IncomingMessage, response: ServerResponse) => {
    const url = request.url ?? '/';
    // On loopback, only requests addressed to this machine: a web page must not reach the preview
    // through a DNS name rebound to 127.0.0.1.
    if (loopbackOnly && !allowedHosts.has((request.headers.host ?? '').toLowerCase())) {
      response.writeHead(403).end('forbidden host');
      return;
    }
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
    // Until a build of this session succeeds there is no deck to show (or only a stale one
    // without the live-reload client): a page that shows the errors and reloads once fixed.
    if (goodBuild === 0 && (decoded === '/' || decoded === '/index.html')) {
      response.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
      response.end(waitingPage);
      return;
    }
    if (decoded === waitingClientPath) {
      void readFile(clientAsset.from).then(
        (script) => response.writeHead(200, { 'content-type': 'text/javascript; charset=utf-8', 'cache-control': 'no-store' }).end(script),
        () => response.writeHead(404).end('not found'),
      );
      return;
    }
    serveDeck(request, response, () => {
      response.writeHead(404).end('not found');
    });
  });
  const listenHost = options.host ?? '127.0.0.1';
  const loopbackOnly = ['127.0.0.1', 'localhost', '::1'].includes(listenHost);
  const allowedHosts = new Set<string>();
  // Bound before anything else starts: a port in use or a bad address fails at once, with no
  // build, browser or watcher left behind.
  await listen(server, options.port ?? 0, listenHost);
  const address = server.address() as AddressInfo;
  for (const name of ['127.0.0.1', 'localhost', '[::1]']) allowedHosts.add(`${name}:${address.port}`);
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  const url = `http://${host}:${address.port}/`;

  let watcher: SourceWatcher | undefined;
  let closing: Promise<void> | undefined;
  const close = (): Promise<void> => {
    closing ??= (async () => {
      await watcher?.close();
      for (const client of clients) client.end();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await running;
      await pdfRun;
      if (browser) await browser.then((session) => session.close(), () => undefined);
    })();
    return closing;
  };
  try {
    await runBuild([]);
    watcher = await watchSources([options.dataDir, ...templateFolders(options.templatesDir)], schedule);
  } catch (error) {
    await close();
    throw error;
  }

  const idle = async (): Promise<void> => {
    while (running || queued) await running;
    await pdfRun;
  };

  return { url, events, idle, close };
}
