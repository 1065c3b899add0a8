/** What a build writes, by name: shared by the pipeline, the CLI and the dev server. */
export const htmlFileName = 'index.html';
export const pdfFileName = 'deck.pdf';
export const handoutPdfName = 'handout.pdf';
export const handoutHtmlName = 'handout.html';
export const singleFileName = 'deck.html';
export const pngFolder = 'png';
export const pptxFileName = 'deck.pptx';

/** What a build can make of an edition besides its deck page. */
export const exportFormats = ['pdf', 'handout', 'png', 'html', 'pptx'] as const;
export type ExportFormat = (typeof exportFormats)[number];
/**
 * The formats made with the browser: they measure every slide before they are made (PowerPoint
 * too: its slides are laid out where the browser laid the deck out).
 */
export const printedFormats: readonly ExportFormat[] = ['pdf', 'handout', 'png', 'pptx'];

/** Bound on every browser step (launch, load, print), in milliseconds. */
export const defaultTimeoutMs = 60_000;
