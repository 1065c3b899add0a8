/**
 * Every export a build can make of an edition, one row each: --formats, --help, the README's
 * table, the build's loop and the files a build of some editions leaves in place all come from
 * here. Adding an export is one module of this folder and one row.
 */
import type { ExportModule } from './export.js';

export interface ExportRow {
  format: string;
  /** What it is, in a few words: --help says it, the README's table begins with it. */
  summary: string;
  /** What it writes in an edition's folder: files, and a folder as `png/`. */
  files: readonly string[];
  /**
   * Where in the browser it is made: from the slides' print view (each slide measured first,
   * so a slide that does not fit stops it), from a page of its own, or nowhere (made in Node).
   */
  browser: 'slides' | 'own page' | undefined;
  /** Device pixels per slide pixel it needs of the print view (pictures: 1.5, 1280x720 slides at 1920x1080). */
  pixelRatio?: number;
  /**
   * Its work can be shared with tabs the build leaves idle (ExportContext.share). Made first of
   * the exports of the print view: the pictures wait mostly on the browser's compositor, which
   * the other tabs' work (the handout laid out, the PowerPoint built) leaves free; a tab whose own
   * jobs are done joins in. Measured on 302 slides: 50.5 s for every export, 55.2 s made last.
   */
  shared?: boolean;
  /** Files it adds to the deck's shared assets for the pages it makes (the handout's stylesheet and script). */
  assets?: readonly string[];
  load(): Promise<ExportModule>;
}

const rows = [
  { format: 'pdf', summary: 'the slides, one page per slide', files: ['deck.pdf'], browser: 'slides', load: () => import('./pdf.js') },
  { format: 'handout', summary: 'for reading: A4 portrait, each slide with its notes and sources', files: ['handout.pdf', 'handout.html'], browser: 'own page', assets: ['assets/handout.css', 'assets/handout.js'], load: () => import('./handout.js') },
  { format: 'png', summary: 'one 1920x1080 picture per slide', files: ['png/'], browser: 'slides', pixelRatio: 1.5, shared: true, load: () => import('./png.js') },
  { format: 'html', summary: 'the whole deck in one file, to send', files: ['deck.html'], browser: undefined, load: () => import('./html.js') },
  { format: 'pptx', summary: 'the deck in PowerPoint, editable', files: ['deck.pptx'], browser: 'slides', load: () => import('./pptx.js') },
] as const satisfies readonly ExportRow[];

export type ExportFormat = (typeof rows)[number]['format'];
export type ExportEntry = ExportRow & { format: ExportFormat };
export const exportRows: readonly ExportEntry[] = rows;

/** The formats, in the registry's order. */
export const exportFormats: readonly ExportFormat[] = exportRows.map((row) => row.format);

export function exportRow(format: ExportFormat): ExportEntry {
  return exportRows.find((row) => row.format === format)!;
}

/** The formats made in the browser: each slide is measured before they are made. */
export const browserFormats: readonly ExportFormat[] = exportRows.filter((row) => row.browser !== undefined).map((row) => row.format);

/** The first file each of these exports writes, in the registry's order: "deck.pdf, handout.pdf, png/…". */
export function exportFilesList(formats: readonly ExportFormat[] = exportFormats): string {
  return exportRows.filter((row) => formats.includes(row.format)).map((row) => row.files[0]).join(', ');
}

/** The file (or folder) an export's progress line and the CLI name. */
export const exportFile = (format: ExportFormat): string => exportRow(format).files[0]!;

/** Every file and folder of an edition an export may write (a folder without its slash). */
export const exportEntries: readonly string[] = exportRows.flatMap((row) => row.files.map((file) => file.replace(/\/$/, '')));
