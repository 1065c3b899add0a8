/**
 * The check and the exports, edition by edition, in the registry's order: in the browser, each
 * edition's slides are measured first (a slide that does not fit stops its exports unless
 * --allow-overflow), then the exports made from its print view, then those made from a page of
 * their own; once every edition fits, the exports made in Node.
 */
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
import type { WrittenFile } from './edition.js';
import type { RenderedDeck } from './render.js';
import { kilobytes, type BuildRun } from './run.js';

/** Where the exports of one build are going: the run, the staged deck, what each edition wrote. */
interface Exporting {
  run: BuildRun;
  stage: Staging;
  deck: RenderedDeck;
  written: Map<string, WrittenFile[]>;
}

/** Every chosen export of every edition; the files each edition got. */
export async function makeExports(run: BuildRun, stage: Staging, deck: RenderedDeck): Promise<Map<string, WrittenFile[]>> {
  const exporting: Exporting = { run, stage, deck, written: new Map(deck.editions.map((edition) => [edition.lang, []])) };
  const chosen = (rows: readonly ExportRow[]): ExportRow[] => rows.filter((row) => run.formats.includes(row.format));
  if (run.printer) {
    const overflows: DataProblem[] = [];
    for (const edition of deck.editions) overflows.push(...(await printEdition(exporting, run.printer, edition)));
    if (overflows.length > 0) throw new DataErrors(overflows, 'overflow');
    const checked = deck.editions.reduce((sum, edition) => sum + edition.view.slides.length, 0);
    run.line('check', `${checked} slides measured, ${run.options.allowOverflow ? 'overflow allowed' : 'all fit'}`);
    const found = await run.printer.found();
    chosen(exportRows.filter((row) => row.browser !== undefined)).forEach((row, index) => exportLine(exporting, row, index === 0 ? ` (${found.executablePath})` : ''));
  } else {
    run.log(`check       -     not measured: no export here needs the browser (${exportFilesList(browserFormats)} measure every slide)`);
  }
  for (const row of chosen(exportRows.filter((candidate) => candidate.browser === undefined))) {
    await run.timed(row.format, async () => {
      for (const edition of deck.editions) record(exporting, edition, row, await make(exporting, row, edition, { tab: undefined, titles: [] }));
    });
    exportLine(exporting, row, '');
  }
  return exporting.written;
}

function record(exporting: Exporting, edition: RenderedEdition, row: ExportRow, made: Made): void {
  exporting.written.get(edition.lang)!.push({ format: row.format, path: path.join(exporting.run.outDir, made.path), bytes: made.bytes });
}

/** An export's progress line: each edition's file and its size ("deck.pdf 134 KB, en/deck.pdf 127 KB"). */
function exportLine(exporting: Exporting, row: ExportRow, after: string): void {
  const files = [...exporting.written.values()].flat().filter((file) => file.format === row.format);
  const folder = row.files[0]!.endsWith('/') ? '/' : '';
  exporting.run.line(row.format, `${files.map((file) => `${path.relative(exporting.run.outDir, file.path)}${folder} ${kilobytes(file.bytes)}`).join(', ')}${after}`);
}

function make(exporting: Exporting, row: ExportRow, edition: RenderedEdition, from: { tab: DeckTab | undefined; titles: string[] }, newTab?: ExportContext['newTab']): Promise<Made> {
  const { run, stage, deck } = exporting;
  const context: ExportContext = {
    edition,
    stage,
    templates: deck.templates,
    assets: deck.assets,
    ...from,
    newTab: newTab ?? (() => Promise.reject(new Error(`the ${row.format} export is not made in the browser`))),
    roles: [defaultRole, ...Object.keys(edition.data.theme.roles)],
    timeoutMs: run.timeoutMs,
    warn: (text) => run.warnings.push(text),
  };
  return run.timed(row.format, () => deck.exports.get(row.format)!.make(context));
}

/**
 * One edition in the browser: its print view opened in one tab, every slide measured, then (when
 * they fit, or --allow-overflow) readied for paper and each export made from it; then each export
 * made from a page of its own, in a tab of its own. Returns the slides that do not fit.
 */
async function printEdition(exporting: Exporting, printer: Printer, edition: RenderedEdition): Promise<DataProblem[]> {
  const { run, stage } = exporting;
  const rows = exportRows.filter((row) => run.formats.includes(row.format));
  const fromSlides = rows.filter((row) => row.browser === 'slides');
  const blocked: string[] = [];
  let problems: DataProblem[] = [];
  // Made anew if the browser crashed and the edition was printed again.
  let made = new Map<ExportRow, Made>();
  await printer.retrying(() =>
    printer.withPage(async (page) => {
      made = new Map();
      const tab = await deckTab(page, { timeoutMs: run.timeoutMs, deviceScaleFactor: Math.max(1, ...fromSlides.map((row) => row.pixelRatio ?? 1)) });
      const overflow = await run.timed('check', async () => {
        await openPrintView(tab, stage.dir, `${edition.prefix}${deckPageName}`);
        return measureOverflow(tab);
      });
      problems = overflow.map((found) => overflowProblem(edition, found));
      if (problems.length > 0 && !run.options.allowOverflow) return;
      const titles = await prepareForPaper(tab);
      for (const row of fromSlides) made.set(row, await make(exporting, row, edition, { tab, titles }));
      blocked.push(...tab.blocked());
    }),
  );
  if (problems.length > 0 && !run.options.allowOverflow) return problems;
  const newTab: ExportContext['newTab'] = (work) =>
    printer.retrying(() => printer.withPage(async (page) => {
      const tab = await deckTab(page, { timeoutMs: run.timeoutMs });
      const result = await work(tab);
      blocked.push(...tab.blocked());
      return result;
    }));
  for (const row of rows.filter((candidate) => candidate.browser === 'own page')) made.set(row, await make(exporting, row, edition, { tab: undefined, titles: [] }, newTab));
  for (const row of rows) if (made.has(row)) record(exporting, edition, row, made.get(row)!);
  for (const url of new Set(blocked)) run.warnings.push(`blocked a request outside the deck while printing: ${url}`);
  run.warnings.push(...problems.map((problem) => `${formatProblem(problem)} (allowed by --allow-overflow)`));
  return [];
}
