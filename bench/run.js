// npm run bench: measures what a user waits for, on the shipped deck, and prints the figures.
//   1. a full `datadeck build` (HTML + PDF) from a cold process, stage by stage;
//   2. with `datadeck dev` running: from a write to data/facts.csv to (a) the new HTML on disk,
//      (b) an open page showing the new value, (c) the new PDF on disk. Median of EDITS edits.
import { execFile } from 'node:child_process';
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const root = fileURLToPath(new URL('../', import.meta.url));
const edits = Number(process.env.EDITS ?? 12);
const { startDevServer } = await import(new URL('../dist/dev/server.js', import.meta.url).href);
const { launchBrowser } = await import(new URL('../dist/print/browser.js', import.meta.url).href);
const { loadCatalog } = await import(new URL('../dist/i18n/catalog.js', import.meta.url).href);
const { figureFormatter } = await import(new URL('../dist/i18n/numbers.js', import.meta.url).href);
const { ProblemList } = await import(new URL('../dist/errors.js', import.meta.url).href);
const french = figureFormatter('fr-FR', await loadCatalog('fr', 'fr-FR', { problems: new ProblemList() }));

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
};
const fmt = (values) => `median ${median(values).toFixed(0)} ms (min ${Math.min(...values).toFixed(0)}, max ${Math.max(...values).toFixed(0)})`;

const scratch = await mkdtemp(path.join(os.tmpdir(), 'datadeck-bench-'));
await cp(path.join(root, 'data'), path.join(scratch, 'data'), { recursive: true });
await cp(path.join(root, 'templates'), path.join(scratch, 'templates'), { recursive: true });
const factsFile = path.join(scratch, 'data', 'facts.csv');
const outDir = path.join(scratch, 'slides');

// 1. Cold CLI build.
const cold = [];
for (let i = 0; i < 3; i += 1) {
  const started = performance.now();
  const { stdout } = await promisify(execFile)('node', [path.join(root, 'bin', 'datadeck.js'), 'build', '--data', path.join(scratch, 'data'), '--templates', path.join(scratch, 'templates'), '--out', outDir]);
  cold.push(performance.now() - started);
  if (i === 2) console.log(`cold build (process start to exit), last run:\n${stdout.trim().split('\n').map((line) => `  ${line}`).join('\n')}`);
}
console.log(`cold build, 3 runs: ${fmt(cold)}`);

// 2. Edit-to-result latencies with the dev server.
const server = await startDevServer({ log: process.env.BENCH_LOG ? console.log : undefined, dataDir: path.join(scratch, 'data'), templatesDir: path.join(scratch, 'templates'), outDir, pdf: true });
await server.idle();
const browser = await launchBrowser({ timeoutMs: 30_000 });
const page = await browser.browser.newPage();
await page.goto(`${server.url}#/hook`, { waitUntil: 'load' });
await page.waitForFunction(() => window.datadeckDev !== undefined);

const html = [];
const shown = [];
const pdf = [];
const original = await readFile(factsFile, 'utf8');
for (let i = 0; i < edits; i += 1) {
  const profit = 13_700_000_000 + (i + 1) * 110_000_000;
  const expected = french.format(profit, 'USD', 'short');
  const events = { html: undefined, pdf: undefined };
  const listener = (event) => {
    if (event.kind === 'html' || event.kind === 'pdf') events[event.kind] ??= performance.now();
  };
  server.events.on('build', listener);
  const started = performance.now();
  await writeFile(factsFile, original.replace('tether.net_profit.2024,13700000000,', `tether.net_profit.2024,${profit},`));
  await page.waitForFunction((text) => document.querySelector('#hook .big-number')?.textContent?.includes(text), { polling: 'raf', timeout: 30_000 }, expected);
  shown.push(performance.now() - started);
  await server.idle();
  server.events.off('build', listener);
  if (!(await readFile(path.join(outDir, 'index.html'), 'utf8')).includes(expected)) throw new Error('HTML on disk lacks the new value');
  html.push(events.html - started);
  pdf.push(events.pdf - started);
}
console.log(`edit -> (a) new HTML on disk:      ${fmt(html)}   [${edits} edits]`);
console.log(`edit -> (b) open page shows value: ${fmt(shown)}`);
console.log(`edit -> (c) new PDF on disk:       ${fmt(pdf)}`);

await page.close();
await browser.close();
await server.close();
await rm(scratch, { recursive: true, force: true });
