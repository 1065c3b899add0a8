/**
 * A PDF read back with poppler, a reader we did not write: its text (pdftotext), its facts
 * (pdfinfo), its words with their boxes (pdftotext -bbox) and its pages' pixels (pdftoppm).
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);
const bigOutput = 64 * 1024 * 1024;

/** A page, or pages first to last (1-based); all of them when absent. */
export type PageRange = number | { first: number; last: number };

/**
 * The text of a PDF's pages: as laid out on the page (`layout`, columns kept apart), in the
 * order it was written (`raw`), or poppler's default reading order (`plain`).
 */
export async function pdfText(file: string, pages?: PageRange, mode: 'layout' | 'raw' | 'plain' = 'layout'): Promise<string> {
  const range = pages === undefined ? [] : typeof pages === 'number' ? ['-f', String(pages), '-l', String(pages)] : ['-f', String(pages.first), '-l', String(pages.last)];
  const flag = mode === 'plain' ? [] : [`-${mode}`];
  return (await run('pdftotext', [...flag, ...range, file, '-'], { maxBuffer: bigOutput })).stdout;
}

/** pdfinfo's fields ("Pages", "Page size", "Title", "Tagged"...). */
export async function pdfInfo(file: string): Promise<Record<string, string>> {
  const { stdout } = await run('pdfinfo', [file]);
  return Object.fromEntries(stdout.split('\n').filter((line) => line.includes(':')).map((line) => [line.slice(0, line.indexOf(':')).trim(), line.slice(line.indexOf(':') + 1).trim()]));
}

export async function pdfPageCount(file: string): Promise<number> {
  return Number((await pdfInfo(file))['Pages']);
}

/** A word on a page and its box, in PDF points from the page's top left. */
export interface WordBox { text: string; x0: number; y0: number; x1: number; y1: number }

/** Each page's words with their boxes, as poppler reads them. */
export async function pdfWordBoxes(file: string): Promise<WordBox[][]> {
  const { stdout } = await run('pdftotext', ['-bbox', file, '-'], { maxBuffer: bigOutput });
  return stdout.split('<page ').slice(1).map((page) =>
    [...page.matchAll(/<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)<\/word>/g)].map((match) => {
      const [x0, y0, x1, y1] = match.slice(1, 5).map(Number) as [number, number, number, number];
      return { text: match[5]!, x0, y0, x1, y1 };
    }));
}

export interface PageImage { width: number; height: number; rgb: Buffer }

/** The page of a PDF as RGB pixels (poppler's PPM output). */
export async function pdfPagePixels(pdf: string, page: number, dpi: number): Promise<PageImage> {
  const ppm = await new Promise<Buffer>((resolve, reject) => {
    execFile('pdftoppm', ['-f', String(page), '-l', String(page), '-r', String(dpi), pdf], { encoding: 'buffer', maxBuffer: bigOutput }, (error, stdout) => (error ? reject(error) : resolve(stdout)));
  });
  const header = /^P6\s+(\d+)\s+(\d+)\s+255\s/.exec(ppm.subarray(0, 64).toString('latin1'))!;
  return { width: Number(header[1]), height: Number(header[2]), rgb: ppm.subarray(header[0].length) };
}

function rgbOf(hex: string): [number, number, number] {
  return [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16)) as [number, number, number];
}

/** Whether the pixel at byte offset `at` is within `tolerance` (summed over R, G, B) of a colour. */
function near(image: PageImage, at: number, [r, g, b]: [number, number, number], tolerance: number): boolean {
  return Math.abs(image.rgb[at]! - r) + Math.abs(image.rgb[at + 1]! - g) + Math.abs(image.rgb[at + 2]! - b) < tolerance;
}

/** How many pixels of an image are within `tolerance` of a colour ("#rrggbb"). */
export function pixelsNear(image: PageImage, hex: string, tolerance: number): number {
  const colour = rgbOf(hex);
  let count = 0;
  for (let at = 0; at < image.rgb.length; at += 3) if (near(image, at, colour, tolerance)) count += 1;
  return count;
}

/** The longest unbroken run of a colour in any pixel column: a vertical bar's height in pixels. */
export function barHeight(image: PageImage, hex: string): number {
  const colour = rgbOf(hex);
  let best = 0;
  for (let x = 0; x < image.width; x += 1) {
    let run = 0;
    for (let y = 0; y < image.height; y += 1) {
      run = near(image, (y * image.width + x) * 3, colour, 24) ? run + 1 : 0;
      best = Math.max(best, run);
    }
  }
  return best;
}

/** pdffonts' table, one row a font (its two header lines left out). */
export async function pdfFonts(file: string): Promise<string[]> {
  return (await run('pdffonts', [file])).stdout.split('\n').slice(2).filter(Boolean);
}

/** pdfimages -list's table, one row a raster image (its two header lines left out). */
export async function pdfImages(file: string): Promise<string[]> {
  return (await run('pdfimages', ['-list', file])).stdout.split('\n').slice(2).filter(Boolean);
}
