import { copyFile, mkdir, mkdtemp, rename, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Asset } from './assets.js';

/** Files in the output directory that belong to the user, not the build, and survive a swap. */
const keptFiles = ['.gitkeep'];

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
      if (hadPrevious) await rm(previous, { recursive: true, force: true });
    },
    async discard() {
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** Replaces one file atomically: readers see the old bytes or the new, never half of either. */
export async function replaceFile(file: string, bytes: Uint8Array): Promise<void> {
  const temporary = `${file}.${process.pid}.tmp`;
  await writeFile(temporary, bytes);
  await rename(temporary, file);
}
