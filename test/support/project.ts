/** Scratch copies of a deck that a test may edit, and small tools to edit and compare them. */
import { createHash } from 'node:crypto';
import { access, cp, mkdtemp, readFile, readdir, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll } from 'vitest';

export const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
/** The default deck's data: a fixture the tests read, never edit (edit a scratchProject()). */
export const dataDir = path.join(repoRoot, 'data');
export const templatesDir = path.join(repoRoot, 'templates');

export interface ScratchProject {
  root: string;
  data: string;
  templates: string;
  /** Where a build writes: root/slides, absent until then. */
  out: string;
  cleanup: () => Promise<void>;
}

export const read = (file: string): Promise<string> => readFile(file, 'utf8');
export const exists = (file: string): Promise<boolean> => access(file).then(() => true, () => false);

/** A scratch copy of the shipped data and templates, so a test can edit them freely. */
export async function scratchProject(): Promise<ScratchProject> {
  const root = await mkdtemp(path.join(os.tmpdir(), 'datadeck-test-'));
  await cp(dataDir, path.join(root, 'data'), { recursive: true });
  await cp(templatesDir, path.join(root, 'templates'), { recursive: true });
  return projectAt(root);
}

/** The folders of a project whose root is made: root/data, root/templates, root/slides. */
export function projectAt(root: string, templates = path.join(root, 'templates')): ScratchProject {
  return {
    root,
    data: path.join(root, 'data'),
    templates,
    out: path.join(root, 'slides'),
    cleanup: () => rm(root, { recursive: true, force: true }),
  };
}

/** Projects for the tests of one file (or describe block), removed once they are done. */
export function cleanedUp<T extends { cleanup: () => Promise<void> }, A extends unknown[]>(make: (...args: A) => Promise<T>): (...args: A) => Promise<T> {
  const made: T[] = [];
  afterAll(async () => {
    await Promise.all(made.map((project) => project.cleanup()));
  });
  return async (...args: A) => {
    const project = await make(...args);
    made.push(project);
    return project;
  };
}

/** Scratch projects for the tests of one file (or describe block), removed once they are done. */
export function scratchProjects(): () => Promise<ScratchProject> {
  return cleanedUp(scratchProject);
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
