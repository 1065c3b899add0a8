/**
 * What a build gives back, edition by edition: shared by build() and its callers (the CLI, the
 * dev server, which prints each edition again after a save).
 */
import type { LoadedData } from '../data/load.js';
import type { ExportFormat } from '../exports/registry.js';
import type { DeckModel } from '../model/deck.js';
import type { LoadedDeck } from './load.js';
import type { DeckView } from '../render/view.js';

export type Stage = 'load' | 'render' | 'write' | 'check' | ExportFormat;

/** A file a build wrote, for the progress lines and the caller. */
export interface WrittenFile {
  format: ExportFormat;
  /** Absolute path (a folder for the PNGs). */
  path: string;
  bytes: number;
  /** Taken from the previous build as it was (or given by the caller: the dev server's PDFs). */
  reused: boolean;
  /** Of an export made file by file (the pictures): how many were made, of how many. */
  remade?: { made: number; of: number };
}

/** One language of the deck, written under its own folder (the deck's own language at the root). */
export interface EditionResult {
  lang: string;
  model: DeckModel;
  /** Folder of the edition inside the deck: '' or 'en/'. */
  prefix: string;
  slideCount: number;
  htmlPath: string;
  pdfPath: string | undefined;
  pdfBytes: number | undefined;
  files: WrittenFile[];
  /** What the edition was made from, for a caller that prints it again (the dev server). */
  data: LoadedData;
  view: DeckView;
  /** The deck page as written. */
  html: string;
}

export interface BuildResult {
  /** The first edition built (the deck's own language unless --lang left it out). */
  model: DeckModel;
  formats: ExportFormat[];
  slideCount: number;
  editions: EditionResult[];
  timings: Record<Stage, number>;
  warnings: string[];
  htmlPath: string;
  pdfPath: string | undefined;
  pdfBytes: number | undefined;
  outDir: string;
  /** What it was made from (data and templates, read and checked), for a caller that makes more of it (the dev server's exports). */
  source: LoadedDeck;
}

export { pdfMetaOf } from '../exports/export.js';
export { overflowProblem, type MeasuredEdition } from '../print/overflow-problem.js';
