/** png/: one picture per slide of the print view, named by its number and anchor (03-scale.png). */
import { screenshotSlides } from '../print/slides.js';
import type { ExportContext, Made } from './export.js';
import { exportFile } from './registry.js';

/** A picture's name: the slide's number, padded, and its anchor: 03-scale.png. */
export function pngName(index: number, count: number, id: string): string {
  return `${String(index + 1).padStart(Math.max(2, String(count).length), '0')}-${id.replace(/[^a-z0-9-]+/gi, '-').toLowerCase()}.png`;
}

export async function make(context: ExportContext): Promise<Made> {
  const pngs = [...(await screenshotSlides(context.tab!)).values()];
  const folder = `${context.edition.prefix}${exportFile('png').replace(/\/$/, '')}`;
  const ids = context.edition.view.slides.map((slide) => slide.id);
  await Promise.all(pngs.map((png, index) => context.stage.writeBytes(`${folder}/${pngName(index, pngs.length, ids[index] ?? `slide-${index + 1}`)}`, png)));
  return { path: folder, bytes: pngs.reduce((sum, png) => sum + png.byteLength, 0) };
}
