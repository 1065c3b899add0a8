/**
 * handout.pdf: a page of its own (handout.html: A4 portrait, each slide with its notes, checked
 * claims and sources), laid out into sheets in the browser (src/client/handout.ts), then printed.
 */
import { clientScript } from '../output/assets.js';
import { finishPdf } from '../print/pdf-meta.js';
import { renderPage } from '../render/page.js';
import { pdfMetaOf, type ExportContext, type Made, type PrepareContext, type Prepared } from './export.js';
import { exportRow } from './registry.js';

// The page's globals (window.datadeckHandoutReady, datadeckHandoutOutline...) are declared there.
import type {} from '../client/contract.js';

const [pdfName, pageName] = exportRow('handout').files as [string, string];
const [styleName, scriptName] = exportRow('handout').assets as [string, string];

/** Each edition's handout page, its stylesheet and its script. */
export function prepare({ editions, templates }: PrepareContext): Prepared {
  return {
    pages: editions.map((edition) => ({ path: `${edition.prefix}${pageName}`, text: renderPage(edition.view, templates, edition.pageOptions, 'handout') })),
    assets: [
      { from: templates.handoutStyleFile, to: styleName },
      { from: clientScript('handout'), to: scriptName },
    ],
  };
}

export async function make(context: ExportContext): Promise<Made> {
  const { edition, stage, timeoutMs } = context;
  const bytes = await context.newTab(async (tab) => {
    await tab.open(stage.dir, `${edition.prefix}${pageName}`, '', 'window.datadeckHandoutReady === true');
    const outline = await tab.page.evaluate(() => window.datadeckHandoutOutline ?? []);
    const pdf = await tab.step('printing the handout', tab.page.pdf({ printBackground: true, preferCSSPageSize: true, tagged: true, outline: false, timeout: timeoutMs }));
    return finishPdf(pdf, { ...pdfMetaOf(edition), outline });
  });
  const file = `${edition.prefix}${pdfName}`;
  await stage.writeBytes(file, bytes);
  return { path: file, bytes: bytes.byteLength };
}
