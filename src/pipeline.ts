/**
 * build(): data/ -> validated model -> HTML -> every export, for every edition, written as one
 * unit. Each step is a module of src/build/; this file reads as their list.
 */
import path from 'node:path';
import { deckPageName } from './output/names.js';
import { stageDeck, type Staging } from './output/write.js';
import type { BuildResult, EditionResult, WrittenFile } from './build/edition.js';
import { manifestName } from './build/cache.js';
import { makeExports } from './build/exports.js';
import { loadDeck, type LoadedDeck } from './build/load.js';
import { exportRows, type ExportFormat } from './exports/registry.js';
import { relativeToCwd, type BuildOptions } from './build/options.js';
import { renderDeck, type RenderedDeck } from './build/render.js';
import { kilobytes, startBuild, type BuildRun } from './build/run.js';

export type { BuildOptions } from './build/options.js';
export type { BuildResult, EditionResult, Stage, WrittenFile } from './build/edition.js';

/**
 * Builds the deck: resolve the options and start the browser, load, render, stage, write, check
 * and make the exports edition by edition, then swap the new deck in. The output directory is
 * replaced only when every step succeeded; on any failure it is left as it was.
 */
export async function build(options: BuildOptions): Promise<BuildResult> {
  const run = await startBuild(options);
  let staging: Staging | undefined;
  try {
    staging = await stageDeck(run.outDir);
    const deck = await run.timed('load', () => loadDeck(run));
    const rendered = await run.timed('render', () => renderDeck(run, deck));
    logLoadAndRender(run, rendered);
    await writeDeck(run, staging, rendered);
    const written = await makeExports(run, staging, rendered);
    await commitDeck(run, staging, rendered);
    return resultOf(run, deck, rendered, written);
  } catch (error) {
    await staging?.discard();
    throw error;
  } finally {
    await run.ownPrinter?.close({ quick: true });
  }
}

function logLoadAndRender(run: BuildRun, deck: RenderedDeck): void {
  const first = deck.editions[0]!;
  run.line('load', `${deck.editions.map((edition) => `${edition.lang} ${edition.view.slides.length} slides`).join(', ')}; ${first.model.figures.size} figures, ${first.model.citations.length} cited facts`);
  run.line('render', deck.editions.map((edition) => `${edition.prefix}${deckPageName} ${kilobytes(edition.html.length)}`).join(', '));
}

/** Each edition's deck page, the deck's own files and every asset, into the staged deck. */
async function writeDeck(run: BuildRun, stage: Staging, deck: RenderedDeck): Promise<void> {
  await run.timed('write', async () => {
    await Promise.all([
      ...deck.editions.map((edition) => stage.writeText(`${edition.prefix}${deckPageName}`, edition.html)),
      ...deck.files.map((file) => stage.writeText(file.path, file.text)),
      stage.copy(deck.assets),
    ]);
  });
  run.line('write', `${deck.assets.length + deck.files.length + deck.editions.length} files`);
}

/** The staged deck swapped in, with the files of the editions and exports this build leaves as they were. */
async function commitDeck(run: BuildRun, stage: Staging, deck: RenderedDeck): Promise<void> {
  run.warnings.splice(0, run.warnings.length, ...new Set(run.warnings));
  const committed = await stage.commit([...(run.options.carryOver ?? []), ...deck.carried], run.log);
  if (committed.waitedMs > 0) run.log(`waited ${committed.waitedMs.toFixed(0)} ms for another build to finish writing ${relativeToCwd(run.outDir)}`);
  run.warnings.push(...committed.warnings);
}

/**
 * The exports of a deck already in place, made from what its build loaded (`source`): the dev
 * server's, whose pages carry its live-reload client. The pages are rendered again as `build`
 * renders them, and the exports made from them beside the output (reusing what the cache allows),
 * then moved into it all at once with each edition's manifest, when `wanted` (asked under the
 * output's lock) still says so; the deck's pages stay as they are. Undefined when not wanted.
 */
export async function exportInPlace(options: BuildOptions, source: LoadedDeck, wanted: () => Promise<boolean>): Promise<{ result: BuildResult; installed: string[] } | undefined> {
  const run = await startBuild(options);
  let staging: Staging | undefined;
  try {
    staging = await stageDeck(run.outDir);
    const rendered = await run.timed('render', () => renderDeck(run, source));
    await writeDeck(run, staging, rendered);
    const written = await makeExports(run, staging, rendered);
    const installed = exportedEntries(run.formats, rendered.editions.map((edition) => edition.prefix));
    if (!(await staging.install(installed, wanted))) return undefined;
    return { result: resultOf(run, source, rendered, written), installed };
  } finally {
    await staging?.discard();
    await run.ownPrinter?.close({ quick: true });
  }
}

/**
 * Every file and folder the exports of these formats put into a deck of these editions (by their
 * folders), with each edition's manifest and the assets the exports add: what exportInPlace moves
 * in, and what a build of the pages alone keeps of the deck it replaces (the dev server's).
 */
export function exportedEntries(formats: readonly ExportFormat[], prefixes: readonly string[]): string[] {
  const rows = exportRows.filter((row) => formats.includes(row.format));
  return [
    ...prefixes.flatMap((prefix) => [...rows.flatMap((row) => row.files), manifestName].map((file) => `${prefix}${file.replace(/\/$/, '')}`)),
    ...new Set(rows.flatMap((row) => row.assets ?? [])),
  ];
}

function resultOf(run: BuildRun, source: LoadedDeck, deck: RenderedDeck, written: ReadonlyMap<string, WrittenFile[]>): BuildResult {
  const editions: EditionResult[] = deck.editions.map((edition) => {
    const files = written.get(edition.lang)!;
    const pdf = files.find((file) => file.format === 'pdf');
    return {
      lang: edition.lang,
      model: edition.model,
      prefix: edition.prefix,
      slideCount: edition.view.slides.length,
      htmlPath: path.join(run.outDir, edition.prefix, deckPageName),
      pdfPath: pdf?.path,
      pdfBytes: pdf?.bytes,
      files,
      data: edition.data,
      view: edition.view,
      html: edition.html,
    };
  });
  const main = editions[0]!;
  return { model: main.model, formats: run.formats, slideCount: main.slideCount, editions, timings: run.timings, warnings: run.warnings, htmlPath: main.htmlPath, pdfPath: main.pdfPath, pdfBytes: main.pdfBytes, outDir: run.outDir, source };
}
