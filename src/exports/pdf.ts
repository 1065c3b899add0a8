/** deck.pdf: the slides' print view printed, one page per slide, with its metadata and outline. */
import { finishPdf, type PdfMeta } from '../print/pdf-meta.js';
import { printSlides } from '../print/slides.js';
import type { DeckTab } from '../print/tab.js';
import { pdfMetaOf, type ExportContext, type Made } from './export.js';
import { exportFile } from './registry.js';

/** The PDF of an open print view readied for paper: one bookmark per slide, by its title. */
export async function printDeckPdf(tab: DeckTab, meta: Omit<PdfMeta, 'outline'>, titles: readonly string[]): Promise<Uint8Array> {
  return finishPdf(await printSlides(tab), { ...meta, outline: titles.map((title, page) => ({ title, page })) });
}

export async function make(context: ExportContext): Promise<Made> {
  const bytes = await printDeckPdf(context.tab!, pdfMetaOf(context.edition), context.titles);
  const file = `${context.edition.prefix}${exportFile('pdf')}`;
  await context.stage.writeBytes(file, bytes);
  return { path: file, bytes: bytes.byteLength };
}
