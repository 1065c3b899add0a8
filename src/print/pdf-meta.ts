import type { PDFRef } from 'pdf-lib';

export interface PdfMeta {
  title: string;
  author: string;
  subject: string;
  /** BCP 47, e.g. fr-FR: screen readers pick their voice by it. */
  language: string;
  /** One bookmark per entry, pointing at a 0-based page. */
  outline: { title: string; page: number }[];
}

/**
 * What Chromium does not write into a PDF: author, subject, language, and an outline with one
 * entry per slide (Chromium's own outline comes from headings, misses slides without one and
 * glues words where a heading wraps). pdf-lib keeps the tags, links and fonts Chromium wrote.
 */
export async function finishPdf(bytes: Uint8Array, meta: PdfMeta): Promise<Uint8Array> {
  // Loaded when a PDF is made, not when the CLI starts.
  const { PDFDocument, PDFHexString, PDFName, PDFNumber } = await import('pdf-lib');
  const doc = await PDFDocument.load(bytes, { updateMetadata: false });
  doc.setTitle(meta.title, { showInWindowTitleBar: true });
  if (meta.author) doc.setAuthor(meta.author);
  if (meta.subject) doc.setSubject(meta.subject);
  doc.setLanguage(meta.language);
  doc.setCreator('datadeck');
  doc.setProducer('datadeck (Chromium, pdf-lib)');
  const pages = doc.getPages();
  const entries = meta.outline.filter((entry) => entry.title && entry.page >= 0 && entry.page < pages.length);
  if (entries.length > 0) {
    const context = doc.context;
    const outlines = context.nextRef();
    const refs: PDFRef[] = entries.map(() => context.nextRef());
    entries.forEach((entry, index) => {
      const item = context.obj({ Title: PDFHexString.fromText(entry.title), Parent: outlines, Dest: [pages[entry.page]!.ref, 'Fit'] });
      if (index > 0) item.set(PDFName.of('Prev'), refs[index - 1]!);
      if (index < entries.length - 1) item.set(PDFName.of('Next'), refs[index + 1]!);
      context.assign(refs[index]!, item);
    });
    context.assign(outlines, context.obj({ Type: 'Outlines', First: refs[0]!, Last: refs.at(-1)!, Count: PDFNumber.of(entries.length) }));
    doc.catalog.set(PDFName.of('Outlines'), outlines);
    doc.catalog.set(PDFName.of('PageMode'), PDFName.of('UseOutlines'));
  }
  return doc.save();
}

/**
 * Loads pdf-lib and runs it once on a tiny document, while the main thread has nothing else to
 * do (the browser is starting): a first load and save in a cold process take 0.1 s more.
 */
export async function warmUpPdfLibrary(): Promise<void> {
  const { PDFDocument } = await import('pdf-lib');
  const blank = await PDFDocument.create();
  blank.addPage();
  await finishPdf(await blank.save(), { title: 't', author: 'a', subject: 's', language: 'en', outline: [{ title: 't', page: 0 }] });
}
