import { cp, mkdtemp, readFile, readdir, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createHash } from 'node:crypto';
import { afterAll } from 'vitest';

export const repoRoot = fileURLToPath(new URL('../', import.meta.url));
export const dataDir = path.join(repoRoot, 'data');
export const templatesDir = path.join(repoRoot, 'templates');

/** A scratch copy of the shipped data and templates, so a test can edit them freely. */
export async function scratchProject(): Promise<{ root: string; data: string; templates: string; out: string; cleanup: () => Promise<void> }> {
  const root = await mkdtemp(path.join(os.tmpdir(), 'datadeck-test-'));
  await cp(dataDir, path.join(root, 'data'), { recursive: true });
  await cp(templatesDir, path.join(root, 'templates'), { recursive: true });
  return {
    root,
    data: path.join(root, 'data'),
    templates: path.join(root, 'templates'),
    out: path.join(root, 'slides'),
    cleanup: () => rm(root, { recursive: true, force: true }),
  };
}

export type ScratchProject = Awaited<ReturnType<typeof scratchProject>>;

/** Scratch projects for the tests of one file (or describe block), removed once they are done. */
export function scratchProjects(): () => Promise<ScratchProject> {
  const made: ScratchProject[] = [];
  afterAll(async () => {
    await Promise.all(made.map((project) => project.cleanup()));
  });
  return async () => {
    const project = await scratchProject();
    made.push(project);
    return project;
  };
}

export async function editFile(file: string, edit: (text: string) => string): Promise<void> {
  const before = await readFile(file, 'utf8');
  const after = edit(before);
  if (after === before) throw new Error(`edit of ${file} changed nothing`);
  await writeFile(file, after);
}

/** Replaces the value of one fact in facts.csv (comma-separated, value in column 2). */
export function setFactValue(csv: string, id: string, value: string): string {
  const lines = csv.split('\n');
  const index = lines.findIndex((line) => line.startsWith(`${id},`));
  if (index < 0) throw new Error(`no fact ${id}`);
  const cells = lines[index]!.split(',');
  cells[1] = value;
  lines[index] = cells.join(',');
  return lines.join('\n');
}

/** Every file under dir with a hash of its bytes: equal snapshots mean nothing changed. */
export async function snapshotDir(dir: string): Promise<Record<string, string>> {
  const result: Record<string, string> = {};
  const walk = async (current: string): Promise<void> => {
    for (const entry of await readdir(current, { withFileTypes: true })) {
      const full = path.join(current, entry.name);
      if (entry.isDirectory()) await walk(full);
      else result[path.relative(dir, full)] = createHash('sha256').update(await readFile(full)).digest('hex') + `:${(await stat(full)).size}`;
    }
  };
  await walk(dir);
  return result;
}

/** A language as a deck edition in it uses it: the package's catalogue, Intl for numbers. */
export async function localeOf(lang: string, locale: string): Promise<import('../src/i18n/locale.js').Locale> {
  const { loadCatalog } = await import('../src/i18n/catalog.js');
  const { createLocale } = await import('../src/i18n/locale.js');
  const { ProblemList } = await import('../src/errors.js');
  const problems = new ProblemList();
  const catalog = await loadCatalog(lang, locale, { problems });
  if (!catalog) throw new Error(problems.problems.map((problem) => problem.message).join('\n'));
  return createLocale(lang, locale, catalog);
}

/** The figure formatter of a language, as a deck edition in it uses. */
export async function figuresIn(lang: string, locale: string): Promise<import('../src/i18n/numbers.js').FigureFormatter> {
  return (await localeOf(lang, locale)).figures;
}

/** The page of a PDF as RGB pixels (poppler's PPM output). */
export async function pdfPagePixels(pdf: string, page: number, dpi: number): Promise<{ width: number; height: number; rgb: Buffer }> {
  const { execFile } = await import('node:child_process');
  const ppm = await new Promise<Buffer>((resolve, reject) => {
    execFile('pdftoppm', ['-f', String(page), '-l', String(page), '-r', String(dpi), pdf], { encoding: 'buffer', maxBuffer: 64 * 1024 * 1024 }, (error, stdout) => (error ? reject(error) : resolve(stdout)));
  });
  const header = /^P6\s+(\d+)\s+(\d+)\s+255\s/.exec(ppm.subarray(0, 64).toString('latin1'))!;
  return { width: Number(header[1]), height: Number(header[2]), rgb: ppm.subarray(header[0].length) };
}

/** The longest unbroken run of a colour in any pixel column: a vertical bar's height in pixels. */
export function barHeight(image: { width: number; height: number; rgb: Buffer }, hex: string): number {
  const [r, g, b] = [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16)) as [number, number, number];
  let best = 0;
  for (let x = 0; x < image.width; x += 1) {
    let run = 0;
    for (let y = 0; y < image.height; y += 1) {
      const at = (y * image.width + x) * 3;
      run = Math.abs(image.rgb[at]! - r) + Math.abs(image.rgb[at + 1]! - g) + Math.abs(image.rgb[at + 2]! - b) < 24 ? run + 1 : 0;
      best = Math.max(best, run);
    }
  }
  return best;
}

