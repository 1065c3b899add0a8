/**
 * png/: one picture per slide of the print view, named by its number and anchor (03-scale.png).
 * A slide laid out as in the previous build keeps its picture; only the others are taken.
 */
import { screenshotSlides, slideDigests } from '../print/slides.js';
import type { ExportContext, Made } from './export.js';
import { exportFile } from './registry.js';

/** A picture's name: the slide's number, padded, and its anchor: 03-scale.png. */
export function pngName(index: number, count: number, id: string): string {
  return `${String(index + 1).padStart(Math.max(2, String(count).length), '0')}-${id.replace(/[^a-z0-9-]+/gi, '-').toLowerCase()}.png`;
}

export async function make(context: ExportContext): Promise<Made> {
  const { stage, madeBefore } = context;
  const digests = await slideDigests(context.tab!);
  const folder = `${context.edition.prefix}${exportFile('png').replace(/\/$/, '')}`;
  const ids = context.edition.view.slides.map((slide) => slide.id);
  const files = digests.map((_, index) => `${folder}/${pngName(index, digests.length, ids[index] ?? `slide-${index + 1}`)}`);
  const keys = digests.map((digest) => madeBefore.key('png', digest));
  let bytes = 0;
  const missing: number[] = [];
  for (const [index, file] of files.entries()) {
    const reused = await madeBefore.reuse(file, keys[index]!);
    if (reused) bytes += reused.bytes;
    else missing.push(index);
  }
  for (const [index, png] of await screenshotSlides(context.tab!, missing)) {
    await stage.writeBytes(files[index]!, png);
    await madeBefore.made(files[index]!, keys[index]!);
    bytes += png.byteLength;
  }
  return { path: folder, bytes, remade: { made: missing.length, of: files.length } };
}
