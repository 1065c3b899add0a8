import type { Printer } from './printer.js';
import { finishPdf, type PdfMeta } from './pdf-meta.js';
import { measureOverflow, openPrintView, prepareForPaper, printSlides, screenshotSlides, type Overflow } from './slides.js';
import { deckTab, type DeckTab } from './tab.js';
import { measureLayout, type SlideLayout, type ThemeTokens } from './layout.js';

export { exportFormats, printedFormats, type ExportFormat } from '../outputs.js';
import type { ExportFormat } from '../outputs.js';

// The page's globals (window.datadeckHandoutReady, datadeckHandoutOutline...) are declared there.
import type {} from '../client/contract.js';

export interface PrintJob {
  /** The staged deck's folder: every page is loaded from there. */
  deckDir: string;
  /** The edition's deck page and handout page, relative to deckDir. */
  deckPage: string;
  handoutPage: string;
  formats: ReadonlySet<ExportFormat>;
  meta: Omit<PdfMeta, 'outline'>;
  /** Measured overflows stop the exports unless allowed. */
  allowOverflow: boolean;
  /** The deck's roles, whose colours the PowerPoint export reads from the theme. */
  roles: readonly string[];
  timeoutMs: number;
  /** Adds the time spent to a stage of the build. */
  timed<T>(stage: 'check' | ExportFormat, work: () => Promise<T>): Promise<T>;
}

export interface PrintedEdition {
  overflow: Overflow[];
  pdf?: Uint8Array;
  handout?: Uint8Array;
  /** One PNG per slide, in order. */
  pngs?: Uint8Array[];
  /** Where the browser laid each slide's parts out, and the theme's tokens (for PowerPoint). */
  layout?: { slides: SlideLayout[]; tokens: ThemeTokens };
  /** Requests the pages tried to make outside the deck (blocked). */
  blocked: string[];
}

/**
 * Everything the browser makes of one edition, in one tab for the slides and one for the
 * handout: the slides measured first (an overflow stops the rest unless allowed), then the slides
 * PDF and the PNGs from the same print view, then the handout. The PDFs get their metadata and
 * outline afterwards.
 */
export async function printEdition(printer: Printer, job: PrintJob): Promise<PrintedEdition> {
  const result: PrintedEdition = { overflow: [], blocked: [] };
  const wantsPng = job.formats.has('png');
  await printer.retrying(() =>
    printer.withPage(async (page) => {
      // 1.5 device pixels per slide pixel: 1280x720 slides become 1920x1080 pictures.
      const tab = await deckTab(page, { timeoutMs: job.timeoutMs, deviceScaleFactor: wantsPng ? 1.5 : 1 });
      await job.timed('check', async () => {
        await openPrintView(tab, job.deckDir, job.deckPage);
        result.overflow = await measureOverflow(tab);
      });
      if (result.overflow.length > 0 && !job.allowOverflow) return;
      if (job.formats.has('pptx')) result.layout = await job.timed('pptx', () => measureLayout(tab, job.roles));
      const titles = await prepareForPaper(tab);
      if (job.formats.has('pdf')) {
        result.pdf = await job.timed('pdf', async () => finishPdf(await printSlides(tab), { ...job.meta, outline: titles.map((title, index) => ({ title, page: index })) }));
      }
      if (wantsPng) result.pngs = await job.timed('png', () => screenshotSlides(tab));
      result.blocked.push(...tab.blocked());
    }),
  );
  if (job.formats.has('handout') && (result.overflow.length === 0 || job.allowOverflow)) {
    result.handout = await job.timed('handout', () => printer.retrying(() => printer.withPage(async (page) => {
      const tab = await deckTab(page, { timeoutMs: job.timeoutMs });
      const bytes = await printHandout(tab, job);
      result.blocked.push(...tab.blocked());
      return bytes;
    })));
  }
  result.blocked = [...new Set(result.blocked)];
  return result;
}

async function printHandout(tab: DeckTab, job: PrintJob): Promise<Uint8Array> {
  await tab.open(job.deckDir, job.handoutPage, '', 'window.datadeckHandoutReady === true');
  const outline = await tab.page.evaluate(() => window.datadeckHandoutOutline ?? []);
  const pdf = await tab.step('printing the handout', tab.page.pdf({ printBackground: true, preferCSSPageSize: true, tagged: true, outline: false, timeout: job.timeoutMs }));
  return finishPdf(pdf, { ...job.meta, outline });
}
