/**
 * deck.pptx: every slide's marked parts measured in the print view (print/measure.ts), then drawn
 * as PowerPoint slides from the same view as the HTML (pptx/deck.ts).
 */
import { measureSlides } from '../print/measure.js';
import { pdfMetaOf, type ExportContext, type Made } from './export.js';
import { exportFile } from './registry.js';

export async function make(context: ExportContext): Promise<Made> {
  const { edition, stage, templates } = context;
  const { slides, tokens } = await measureSlides(context.tab!, context.roles);
  // pptxgenjs is loaded only for a build that makes a PowerPoint.
  const { buildPptx } = await import('../pptx/deck.js');
  const pptx = await buildPptx({
    view: edition.view,
    slides,
    tokens,
    meta: pdfMetaOf(edition),
    fonts: { deckDir: stage.dir, assets: context.assets },
    layoutFile: (layout) => templates.layouts.get(layout)?.file ?? layout,
  });
  for (const warning of pptx.warnings) context.warn(warning);
  const file = `${edition.prefix}${exportFile('pptx')}`;
  await stage.writeBytes(file, pptx.bytes);
  return { path: file, bytes: pptx.bytes.byteLength };
}
