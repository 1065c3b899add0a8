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

/**
 * The pictures of these slides, taken in the edition's print view and, when the build has tabs
 * left idle, in theirs too: every tab claims the next slide not yet taken. A helper's print view
 * must lay the slides out as this one does (the same digests), or it takes none.
 */
async function takePictures(context: ExportContext, digests: readonly string[], slides: readonly number[]): Promise<Map<number, Uint8Array>> {
  const pending = [...slides];
  const taken = new Map<number, Uint8Array>();
  // Slides claimed and not yet taken (or given up): the pictures this one waits for once its own are done.
  let claimed = 0;
  let allSettled = (): void => undefined;
  function* claim(): Generator<number> {
    for (let index = pending.shift(); index !== undefined; index = pending.shift()) {
      claimed += 1;
      try {
        yield index;
      } finally {
        claimed -= 1;
        if (claimed === 0) allSettled();
      }
    }
  }
  // A helper first opens the print view, as long as a few pictures take: not worth it for fewer.
  const worthHelping = (): boolean => pending.length > minimumShared;
  const withdraw = worthHelping()
    ? context.share(async (tab) => {
        if ((await slideDigests(tab)).join() === digests.join()) await screenshotSlides(tab, claim(), taken);
      }, worthHelping)
    : () => Promise.resolve();
  try {
    await screenshotSlides(context.tab!, claim(), taken);
  } finally {
    // Withdrawn at once; a helper still opening its print view has claimed nothing and is not
    // waited for here (the build's tabs wait for it): only the pictures helpers are taking.
    void withdraw();
    if (claimed > 0) await new Promise<void>((resolve) => (allSettled = resolve));
  }
  // A slide a helper claimed but failed to take (its tab closed under it).
  const left = slides.filter((index) => !taken.has(index));
  if (left.length > 0) await screenshotSlides(context.tab!, left, taken);
  return taken;
}

/** Pictures left when a helper would start: opening its print view takes about as long as this many. */
const minimumShared = 6;

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
  for (const [index, png] of await takePictures(context, digests, missing)) {
    await stage.writeBytes(files[index]!, png);
    await madeBefore.made(files[index]!, keys[index]!);
    bytes += png.byteLength;
  }
  return { path: folder, bytes, remade: { made: missing.length, of: files.length } };
}
