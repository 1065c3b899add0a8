import { rmSync } from 'node:fs';
import { chmod, copyFile, link, mkdir, mkdtemp, readdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { DatadeckError } from '../errors.js';
import { isInsideOrEqual } from '../paths.js';
import type { Asset } from './assets.js';

/** Files in the output directory that belong to the user, not the build, and survive a swap. */
const keptFiles = ['.gitkeep'];

/** Written into every deck: a directory holding it is one datadeck may replace. */
export const markerFile = '.datadeck';
const markerText = 'Built by datadeck. This whole directory is replaced on every build.\n';

/**
 * A build replaces its output directory whole, so it must never be pointed at anything else:
 * not a folder holding the sources or the project, not a folder of someone's files.
 */
export async function assertReplaceable(outDir: string, sources: readonly string[]): Promise<void> {
  const out = path.resolve(outDir);
  for (const source of [process.cwd(), ...sources].map((dir) => path.resolve(dir))) {
    if (isInsideOrEqual(source, out)) {
      throw new DatadeckError('usage', `refusing to write the deck to ${outDir}: it holds ${source}, and the output directory is replaced whole on every build. Choose an output directory of its own (default: slides).`);
    }
  }
  let entries: string[];
  try {
    entries = await readdir(out);
  } catch {
    return;
  }
  const foreign = entries.filter((name) => !keptFiles.includes(name));
  if (foreign.length === 0) return;
  const has = (relative: string): Promise<boolean> => exists(path.join(out, relative));
  // Decks built before the marker existed are recognised by their own script.
  const marked = (await has(markerFile)) || ((await has('index.html')) && (await has('assets/deck.js')));
  if (!marked) {
    throw new DatadeckError('usage', `refusing to replace ${outDir}: it was not made by datadeck (no ${markerFile} file) and holds ${foreign.slice(0, 3).join(', ')}${foreign.length > 3 ? '…' : ''}. Empty it or choose another output directory.`);
  }
}

async function exists(file: string): Promise<boolean> {
  try {
    await stat(file);
    return true;
  } catch {
    return false;
  }
}

/**
 * A deck being written beside the output directory. Nothing in the output directory changes until
 * commit(), which swaps the whole directory in with two renames; discard() leaves no trace.
 */
export interface Staging {
  dir: string;
  writeText(relative: string, text: string): Promise<void>;
  writeBytes(relative: string, bytes: Uint8Array): Promise<void>;
  copy(assets: readonly Asset[]): Promise<void>;
  /** Swaps the staged deck in; `carryOver` names files of the previous deck to keep in the new one. */
  commit(carryOver?: readonly string[]): Promise<void>;
  discard(): Promise<void>;
}

export async function stageDeck(outDir: string): Promise<Staging> {
  const parent = path.dirname(path.resolve(outDir));
  await mkdir(parent, { recursive: true });
  // Same parent as outDir, so the final rename never crosses a filesystem.
  const dir = await mkdtemp(path.join(parent, `.${path.basename(outDir)}-build-`));
  // mkdtemp makes the folder private (0700); once swapped in it is the deck, readable as usual.
  await chmod(dir, 0o777 & ~process.umask());
  await writeFile(path.join(dir, markerFile), markerText);
  // Interrupted (Ctrl-C exits from inside Puppeteer), the half-written deck must not linger.
  const removeOnExit = (): void => rmSync(dir, { recursive: true, force: true });
  process.once('exit', removeOnExit);
  const settled = (): void => void process.off('exit', removeOnExit);
  const target = (relative: string): string => path.join(dir, relative);
  const ensureParent = (file: string): Promise<string | undefined> => mkdir(path.dirname(file), { recursive: true });

  return {
    dir,
    async writeText(relative, text) {
      await ensureParent(target(relative));
      await writeFile(target(relative), text, 'utf8');
    },
    async writeBytes(relative, bytes) {
      await ensureParent(target(relative));
      await writeFile(target(relative), bytes);
    },
    async copy(assets) {
      await Promise.all([...new Set(assets.map((asset) => path.dirname(target(asset.to))))].map((folder) => mkdir(folder, { recursive: true })));
      await Promise.all(assets.map((asset) => copyFile(asset.from, target(asset.to))));
    },
    async commit(carryOver = []) {
      for (const name of [...keptFiles, ...carryOver]) {
        const kept = path.join(outDir, name);
        if (await exists(kept)) await copyFile(kept, target(name));
      }
      const previous = `${dir}-previous`;
      const hadPrevious = await exists(outDir);
      if (hadPrevious) await rename(outDir, previous);
      try {
        await rename(dir, outDir);
      } catch (error) {
        if (hadPrevious) await rename(previous, outDir);
        throw error;
      }
      settled();
      if (hadPrevious) await rm(previous, { recursive: true, force: true });
    },
    async discard() {
      settled();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/**
 * Replaces one file atomically: readers see the old bytes or the new, never half of either. The
 * temporary file sits beside the file's folder, not in it, since that folder may be swapped out.
 */
export async function replaceFile(file: string, bytes: Uint8Array): Promise<void> {
  const folder = path.dirname(path.resolve(file));
  const temporary = path.join(path.dirname(folder), `.${path.basename(folder)}-${path.basename(file)}.${process.pid}.tmp`);
  await writeFile(temporary, bytes);
  try {
    await rename(temporary, file);
  } catch (error) {
    await rm(temporary, { force: true });
    throw error;
  }
}

/** A private view of a committed deck (hard links, so no bytes are copied) that later swaps cannot change. */
export async function snapshotDeck(deckDir: string): Promise<string> {
  const source = path.resolve(deckDir);
  const snapshot = await mkdtemp(path.join(path.dirname(source), `.${path.basename(source)}-print-`));
  const walk = async (relative: string): Promise<void> => {
    for (const entry of await readdir(path.join(source, relative), { withFileTypes: true })) {
      const from = path.join(source, relative, entry.name);
      const to = path.join(snapshot, relative, entry.name);
      if (entry.isDirectory()) {
        await mkdir(to);
        await walk(path.join(relative, entry.name));
      } else {
        await link(from, to).catch(() => copyFile(from, to));
      }
    }
  };
  await walk('');
  return snapshot;
}
