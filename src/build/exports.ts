/**
 * The check and the exports of every edition. An export whose files the previous build made from
 * the same page and assets is taken from it as it is (build/cache.ts); the rest is made in the
 * browser, in as many tabs at once as the machine has cores: each edition's print view in a tab
 * of its own (every slide measured first, in the tab that prints: a slide that does not fit stops
 * its exports unless --allow-overflow), each export made from a page of its own in another. Once
 * every edition fits, the exports made in Node.
 */
import os from 'node:os';
import path from 'node:path';
import { DataErrors, formatProblem, type DataProblem } from '../errors.js';
import { defaultRole } from '../data/schema.js';
import type { ExportContext, Made, RenderedEdition } from '../exports/export.js';
import { browserFormats, exportFilesList, exportRows, type ExportEntry as ExportRow } from '../exports/registry.js';
import { deckPageName } from '../output/names.js';
import type { Staging } from '../output/write.js';
import { overflowProblem } from '../print/overflow-problem.js';
import type { Printer } from '../print/printer.js';
import { measureOverflow, openPrintView, prepareForPaper } from '../print/slides.js';
import { deckTab, type DeckTab } from '../print/tab.js';
import { openExportCache, type ExportCache } from './cache.js';
import { BuildCancelled, tabPool, type TabPool } from './tabs.js';
import type { WrittenFile } from './edition.js';
import type { RenderedDeck } from './render.js';
import { kilobytes, type BuildRun } from './run.js';

/** Where the exports of one build are going: the run, the staged deck, what each edition made. */
interface Exporting {
  run: BuildRun;
  stage: Staging;
  deck: RenderedDeck;
  cache: ExportCache;
  /** Which browser the build prints with (an export made with another is made again); '' when it prints nothing. */
  browser: string;
  made: Map<string, Map<ExportRow, Made & { reused: boolean }>>;
  /** Slides laid out and measured in the browser by this build (none when every export made there is reused). */
  measured: number;
  /** The build's tabs: one job each, and idle ones lent to a job's shared work. */
  tabs: TabPool;
}

/** Every chosen export of every edition; the files each edition got. */
export async function makeExports(run: BuildRun, stage: Staging, deck: RenderedDeck): Promise<Map<string, WrittenFile[]>> {
  const shared = deck.files.filter((file) => file.path.startsWith('assets/'));
  const cache = await openExportCache({ outDir: run.outDir, stage, force: run.options.force ?? false, prefixes: deck.editions.map((edition) => edition.prefix), assets: deck.assets, files: shared });
  // Asked of the executable, so that a build reusing every export never starts the browser; none found: nothing reused, and the launch says why.
  const browser = run.printer ? await run.printer.identity().catch(() => 'no browser found') : '';
  const tabs = tabPool(os.availableParallelism(), run.options.cancelled);
  const exporting: Exporting = { run, stage, deck, cache, browser, tabs, made: new Map(deck.editions.map((edition) => [edition.lang, new Map()])), measured: 0 };
  const chosen = (rows: readonly ExportRow[]): ExportRow[] => rows.filter((row) => run.formats.includes(row.format));
  const inBrowser = chosen(exportRows.filter((row) => row.browser !== undefined));
  if (run.printer) {
    const problems = await exporting.tabs.run(deck.editions.flatMap((edition) => browserJobs(exporting, run.printer!, edition)));
    const overflows = problems.flat();
    if (overflows.length > 0) throw new DataErrors(overflows, 'overflow');
    checkLine(exporting);
    const browserUsed = inBrowser.some((row) => [...exporting.made.values()].some((made) => made.get(row)?.reused === false));
    const found = browserUsed ? ` (${(await run.printer.found()).executablePath})` : '';
    inBrowser.forEach((row, index) => exportLine(exporting, row, index === 0 ? found : ''));
  } else {
    run.log(`check       -     not measured: no export here needs the browser (${exportFilesList(browserFormats)} measure every slide)`);
  }
  for (const row of chosen(exportRows.filter((candidate) => candidate.browser === undefined))) {
    await run.timed(row.format, async () => {
      for (const edition of deck.editions) await make(exporting, row, edition, { tab: undefined, titles: [] });
    });
    exportLine(exporting, row, '');
  }
  await cache.write(run.options.carryOver);
  return new Map(deck.editions.map((edition) => [edition.lang, [...exporting.made.get(edition.lang)!].sort(([a], [b]) => exportRows.indexOf(a) - exportRows.indexOf(b)).map(([row, made]) => ({ format: row.format, path: path.join(run.outDir, made.path), bytes: made.bytes, reused: made.reused, ...(made.remade ? { remade: made.remade } : {}) }))]));
}

/**
 * The check's line: how many slides were measured, or none when every export made in the browser
 * was reused (nothing new was laid out: the check of the build that made them stands, since what
 * they are made from, the pages as laid out, is what the cache compares).
 */
function checkLine(exporting: Exporting): void {
  const { run, deck, measured } = exporting;
  const total = deck.editions.reduce((sum, edition) => sum + edition.view.slides.length, 0);
  const outcome = run.options.allowOverflow ? 'overflow allowed' : 'all fit';
  if (measured === 0) run.line('check', `${total} slides not measured again: every export that needs the browser is reused, made from the same pages by a build that measured them`);
  else run.line('check', `${measured === total ? measured : `${measured} of ${total}`} slides measured${measured === total ? '' : ' (the other edition\'s exports reused)'}, ${outcome}`);
}

/** An export's progress line: each edition's file and its size ("deck.pdf 134 KB, en/deck.pdf 127 KB"), and what was reused. */
function exportLine(exporting: Exporting, row: ExportRow, after: string): void {
  const made = [...exporting.made.values()].map((byRow) => byRow.get(row)).filter((entry) => entry !== undefined);
  const folder = row.files[0]!.endsWith('/') ? '/' : '';
  const reused = made.filter((entry) => entry.reused).length;
  const remade = made.map((entry) => entry.remade).filter((entry) => entry !== undefined);
  const pictures = remade.length > 0 ? `; ${remade.reduce((sum, entry) => sum + entry.made, 0)} of ${remade.reduce((sum, entry) => sum + entry.of, 0)} made` : '';
  const note = reused > 0 ? `; ${reused === made.length ? 'unchanged, reused' : `${reused} of ${made.length} unchanged, reused`}` : pictures;
  exporting.run.line(row.format, `${made.map((entry) => `${entry.path}${folder} ${kilobytes(entry.bytes)}`).join(', ')}${note}${after}`);
}

/** The key of an edition's export: its page, the pages it adds (the handout), the deck's assets, the browser it is made with. */
function editionKey(exporting: Exporting, row: ExportRow, edition: RenderedEdition): string {
  const own = exporting.deck.files.filter((file) => !file.path.startsWith('assets/') && path.posix.dirname(`/${file.path}`) === path.posix.dirname(`/${edition.prefix}x`));
  return exporting.cache.key(row.format, ...(row.browser ? [exporting.browser] : []), edition.html, ...own.map((file) => `${file.path}\n${file.text}`));
}

/**
 * The export's files as the caller made them for this build (the dev server's PDFs), or as the
 * previous build made them, when nothing they are made from changed.
 */
async function reuse(exporting: Exporting, row: ExportRow, edition: RenderedEdition): Promise<boolean> {
  const { cache, run, stage } = exporting;
  const file = `${edition.prefix}${row.files[0]!.replace(/\/$/, '')}`;
  const key = editionKey(exporting, row, edition);
  const given = run.options.made?.get(file);
  if (given) {
    await stage.writeBytes(file, given);
    await cache.made(file, key);
    exporting.made.get(edition.lang)!.set(row, { path: file, bytes: given.byteLength, reused: true });
    return true;
  }
  const reused = row.files[0]!.endsWith('/') ? await cache.reuseFolder(file, key) : await cache.reuse(file, key);
  if (!reused) return false;
  run.warnings.push(...reused.warnings);
  exporting.made.get(edition.lang)!.set(row, { path: file, bytes: reused.bytes, reused: true });
  return true;
}

/** Where an export is made from: the print view, with its titles and idle tabs' print views, or nothing of the browser's. */
type MadeFrom = Pick<ExportContext, 'tab' | 'titles'> & Partial<Pick<ExportContext, 'share'>>;

async function make(exporting: Exporting, row: ExportRow, edition: RenderedEdition, from: MadeFrom, newTab?: ExportContext['newTab']): Promise<void> {
  const { run, stage, deck, cache } = exporting;
  if (await reuse(exporting, row, edition)) return;
  if (run.options.cancelled?.()) throw new BuildCancelled();
  const warnings: string[] = [];
  const context: ExportContext = {
    edition,
    stage,
    templates: deck.templates,
    assets: deck.assets,
    ...from,
    newTab: newTab ?? (() => Promise.reject(new Error(`the ${row.format} export is not made in the browser`))),
    share: from.share ?? (() => () => Promise.resolve()),
    roles: [defaultRole, ...Object.keys(edition.data.theme.roles)],
    timeoutMs: run.timeoutMs,
    warn: (text) => warnings.push(text),
    // A picture taken with another browser may differ: each one's key holds the browser too.
    madeBefore: row.browser ? { ...cache, key: (...parts) => cache.key(exporting.browser, ...parts) } : cache,
  };
  const made = await run.timed(row.format, () => deck.exports.get(row.format)!.make(context));
  run.warnings.push(...warnings);
  const key = editionKey(exporting, row, edition);
  if (made.remade) cache.madeFolder(made.path, key);
  else await cache.made(made.path, key, warnings);
  exporting.made.get(edition.lang)!.set(row, { ...made, reused: false });
}

/**
 * One edition's jobs in the browser: its print view (when an export made from it is not reused),
 * and each export made from a page of its own. Each returns the slides that do not fit.
 */
function browserJobs(exporting: Exporting, printer: Printer, edition: RenderedEdition): (() => Promise<DataProblem[]>)[] {
  const { run } = exporting;
  const rows = exportRows.filter((row) => run.formats.includes(row.format));
  const blocked: string[] = [];
  const warnBlocked = (): void => {
    for (const url of new Set(blocked)) run.warnings.push(`blocked a request outside the deck while printing: ${url}`);
  };
  const slides = async (): Promise<DataProblem[]> => {
    const toMake: ExportRow[] = [];
    for (const row of rows.filter((candidate) => candidate.browser === 'slides')) if (!(await reuse(exporting, row, edition))) toMake.push(row);
    if (toMake.length === 0) return [];
    const problems = await printSlidesView(exporting, printer, edition, toMake, blocked);
    warnBlocked();
    if (problems.length > 0) exporting.cache.forget(edition.prefix);
    if (problems.length > 0 && !run.options.allowOverflow) return problems;
    run.warnings.push(...problems.map((problem) => `${formatProblem(problem)} (allowed by --allow-overflow)`));
    return [];
  };
  const newTab: ExportContext['newTab'] = (work) =>
    printer.retrying(() => printer.withPage(async (page) => {
      const tab = await deckTab(page, { timeoutMs: run.timeoutMs });
      const result = await work(tab);
      blocked.push(...tab.blocked());
      return result;
    }));
  const ownPages = rows.filter((row) => row.browser === 'own page').map((row) => async (): Promise<DataProblem[]> => {
    await make(exporting, row, edition, { tab: undefined, titles: [] }, newTab);
    warnBlocked();
    return [];
  });
  return [slides, ...ownPages];
}

/**
 * The edition's print view opened in one tab, every slide measured, then (when they fit, or
 * --allow-overflow) readied for paper and each export made from it. Returns the slides that do not fit.
 */
async function printSlidesView(exporting: Exporting, printer: Printer, edition: RenderedEdition, rows: readonly ExportRow[], blocked: string[]): Promise<DataProblem[]> {
  const { run, stage } = exporting;
  let problems: DataProblem[] = [];
  await printer.retrying(() =>
    printer.withPage(async (page) => {
      const tab = await deckTab(page, { timeoutMs: run.timeoutMs, deviceScaleFactor: Math.max(1, ...rows.map((row) => row.pixelRatio ?? 1)) });
      const overflow = await run.timed('check', async () => {
        await openPrintView(tab, stage.dir, `${edition.prefix}${deckPageName}`);
        return run.options.measured ? [] : measureOverflow(tab);
      });
      if (!run.options.measured) exporting.measured += edition.view.slides.length;
      problems = overflow.map((found) => overflowProblem(edition, found));
      if (problems.length > 0 && !run.options.allowOverflow) return;
      const titles = await prepareForPaper(tab);
      const share = sharePrintView(exporting, printer, edition, tab, blocked);
      const sharedFirst = [...rows.filter((row) => row.shared), ...rows.filter((row) => !row.shared)];
      for (const row of sharedFirst) await make(exporting, row, edition, { tab, titles, share });
      blocked.push(...tab.blocked());
    }),
  );
  return problems;
}

/**
 * Offers the tabs left idle a print view of the edition of their own, opened and readied for
 * paper as `tab` was, to do a share of an export's work in (build/tabs.ts).
 */
function sharePrintView(exporting: Exporting, printer: Printer, edition: RenderedEdition, tab: DeckTab, blocked: string[]): ExportContext['share'] {
  const { run, stage, tabs } = exporting;
  return (work, wanted = () => true) => {
    const started: Promise<unknown>[] = [];
    const withdraw = tabs.offer(() => {
      if (!wanted()) return Promise.resolve();
      const helping = printer.withPage(async (page) => {
        const helper = await deckTab(page, { timeoutMs: run.timeoutMs, deviceScaleFactor: tab.deviceScaleFactor });
        await openPrintView(helper, stage.dir, `${edition.prefix}${deckPageName}`);
        await prepareForPaper(helper);
        await work(helper);
        blocked.push(...helper.blocked());
      });
      started.push(helping.catch(() => undefined));
      return helping;
    });
    return async () => {
      withdraw();
      await Promise.all(started);
    };
  };
}
