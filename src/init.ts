import { copyFile, lstat, mkdir, readdir, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { DatadeckError } from './errors.js';
import { outputError } from './output/write.js';
import { packageRoot } from './output/assets.js';

/** The starter decks `datadeck init` writes, one folder per language: `starter/<lang>/data/`. */
export const starterRoot = path.join(packageRoot, 'starter');
/** The language of the starter when `init` is not told one. */
export const defaultStarterLang = 'en';

const gitignore = '# Built by datadeck: rebuild with `datadeck build`.\nslides/\n.slides-*\n.slides.lock\n';

/** The languages a starter deck is written in (each with the other's translation file). */
export async function starterLanguages(): Promise<string[]> {
  return (await readdir(starterRoot, { withFileTypes: true })).filter((entry) => entry.isDirectory()).map((entry) => entry.name).sort();
}

/** Every file under `dir`, relative to it, sorted. */
async function filesUnder(dir: string, relative = ''): Promise<string[]> {
  const entries = (await readdir(path.join(dir, relative), { withFileTypes: true })).sort((a, b) => a.name.localeCompare(b.name));
  const files: string[] = [];
  for (const entry of entries) {
    const name = path.join(relative, entry.name);
    if (entry.isDirectory()) files.push(...(await filesUnder(dir, name)));
    else files.push(name);
  }
  return files;
}

export interface InitResult {
  /** Files written where there was none, relative to the deck's folder. */
  created: string[];
  /** Files written over one of the same name (only with `force`). */
  replaced: string[];
}

/**
 * Writes a new deck's data/ into `dir`, in `lang` with a translation into the other language:
 * facts, derived figures, a chart, the argument, the colours. Refuses a folder that holds anything
 * unless `force` (then only the starter's own files are written over).
 */
export async function initDeck(dir: string, options: { force?: boolean; lang?: string } = {}): Promise<InitResult> {
  const lang = options.lang ?? defaultStarterLang;
  const languages = await starterLanguages();
  if (!languages.includes(lang)) throw new DatadeckError('usage', `--lang ${lang}: the starter deck is written in ${languages.join(' and ')} (each with the other's translation); start in one of them and add data/translations/${lang}.yaml for ${lang}`);
  const target = path.resolve(dir);
  const existing = await readdir(target).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return [] as string[];
    if (error.code === 'ENOTDIR') throw new DatadeckError('usage', `cannot make a deck in ${dir}: it is a file`);
    throw outputError(`cannot read ${dir}`, error);
  });
  if (existing.length > 0 && !options.force) {
    throw new DatadeckError('usage', `${dir} is not empty (it holds ${existing.slice(0, 3).join(', ')}${existing.length > 3 ? '…' : ''}): choose a new or empty folder, or add --force to write the starter files into it (files of the same name are replaced).`);
  }
  const starter = path.join(starterRoot, lang, 'data');
  const result: InitResult = { created: [], replaced: [] };
  try {
    for (const file of await filesUnder(starter)) {
      const to = path.join(target, 'data', file);
      const there = await lstat(to).then(() => true, () => false);
      await mkdir(path.dirname(to), { recursive: true });
      await copyFile(path.join(starter, file), to);
      (there ? result.replaced : result.created).push(path.join('data', file));
    }
    const ignore = path.join(target, '.gitignore');
    if (!(await stat(ignore).then(() => true, () => false))) {
      await writeFile(ignore, gitignore);
      result.created.push('.gitignore');
    }
  } catch (error) {
    throw outputError(`cannot write the deck into ${dir}`, error);
  }
  return result;
}
