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

/** What each export writes in an edition's folder, as the help and messages name it. */
export const exportFileNames: Readonly<Record<ExportFormat, string>> = {
  pdf: pdfFileName,
  handout: handoutPdfName,
  png: `${pngFolder}/`,
  html: singleFileName,
  pptx: pptxFileName,
};

/** The exports' files, in the order of exportFormats: "deck.pdf, handout.pdf, png/…". */
export const exportFilesList = (formats: readonly ExportFormat[] = exportFormats): string =>
  exportFormats.filter((format) => formats.includes(format)).map((format) => exportFileNames[format]).join(', ');

/** Every file and folder an edition may hold, at its root: a build of other editions leaves them as they were. */
export const editionEntries: readonly string[] = [htmlFileName, handoutHtmlName, pdfFileName, handoutPdfName, pngFolder, singleFileName, pptxFileName];

/** The deck's shared folder (scripts, styles, fonts), beside the deck's own edition. */
export const assetsFolder = 'assets';

/** Bound on every browser step (launch, load, print), in milliseconds. */
export const defaultTimeoutMs = 60_000;
