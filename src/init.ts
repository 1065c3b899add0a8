import { copyFile, mkdir, readdir, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { DatadeckError } from './errors.js';
import { outputError } from './output/write.js';
import { packageRoot } from './output/assets.js';

/** The starter deck `datadeck init` writes: a small sourced deck on a neutral topic. */
export const starterDataDir = path.join(packageRoot, 'starter', 'data');

const gitignore = '# Built by datadeck: rebuild with `datadeck build`.\nslides/\n.slides-*\n.slides.lock\n';

/**
 * Writes a new deck's data/ into `dir`: facts, derived figures, a chart, the argument, the
 * colours. Refuses a folder that holds anything unless `force` (then only the starter's own
 * files are written over). Returns the files it created, relative to `dir`.
 */
export async function initDeck(dir: string, options: { force?: boolean } = {}): Promise<string[]> {
  const target = path.resolve(dir);
  const existing = await readdir(target).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return [] as string[];
    if (error.code === 'ENOTDIR') throw new DatadeckError('usage', `cannot make a deck in ${dir}: it is a file`);
    throw outputError(`cannot read ${dir}`, error);
  });
  if (existing.length > 0 && !options.force) {
    throw new DatadeckError('usage', `${dir} is not empty (it holds ${existing.slice(0, 3).join(', ')}${existing.length > 3 ? '…' : ''}): choose a new or empty folder, or add --force to write the starter files into it (files of the same name are replaced).`);
  }
  const files = (await readdir(starterDataDir)).sort();
  const created: string[] = [];
  try {
    await mkdir(path.join(target, 'data'), { recursive: true });
    for (const file of files) {
      await copyFile(path.join(starterDataDir, file), path.join(target, 'data', file));
      created.push(path.join('data', file));
    }
    const ignore = path.join(target, '.gitignore');
    if (!(await stat(ignore).then(() => true, () => false))) {
      await writeFile(ignore, gitignore);
      created.push('.gitignore');
    }
  } catch (error) {
    throw outputError(`cannot write the deck into ${dir}`, error);
  }
  return created;
}
