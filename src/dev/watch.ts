import { createHash } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import chokidar, { type FSWatcher } from 'chokidar';

export interface SourceWatcher {
  close(): Promise<void>;
}

/**
 * A folder's identity: a restored backup or another branch's checkout is a new folder at the same
 * path. File systems reuse a deleted folder's inode number at once, so the birth time tells them apart.
 */
async function identity(dir: string): Promise<string> {
  const info = await stat(dir).catch(() => undefined);
  return info ? `${info.dev}:${info.ino}:${info.birthtimeMs}` : 'missing';
}

async function contentHash(file: string): Promise<string> {
  const bytes = await readFile(file).catch(() => undefined);
  return bytes ? createHash('sha1').update(bytes).digest('hex') : '';
}

/**
 * The file watcher reports a file's change, then ignores that file for 50 ms (chokidar's change
 * throttle), so a save landing in that window is never reported. Each report is checked again
 * once the window has passed, and reported anew when the file changed since.
 */
const trailingCheckMs = 80;

/**
 * Watches folders for any change, and keeps watching when a folder itself is replaced
 * (`rm -rf data && cp -r backup data`, `mv data x && mv x data`, `git checkout`): the file
 * watcher loses a folder that is deleted and made anew, so the folders' identities are checked
 * on every event and once a second, and the watch is set up again on the new folder.
 */
export async function watchSources(dirs: readonly string[], onChange: (file: string) => void, options: { checkEveryMs?: number } = {}): Promise<SourceWatcher> {
  let watcher: FSWatcher | undefined;
  let identities = await Promise.all(dirs.map(identity));
  let closed = false;

  const start = async (): Promise<void> => {
    const next = chokidar.watch([...dirs], {
      ignoreInitial: true,
      // Editors save by writing a temporary file and renaming it over the original.
      atomic: true,
    });
    const changed = (file: string): void => {
      onChange(file);
      void checkIdentities();
      void recheckLater(file);
    };
    next.on('add', changed).on('change', changed).on('unlink', changed).on('unlinkDir', changed).on('addDir', changed);
    await new Promise<void>((resolve) => next.once('ready', () => resolve()));
    watcher = next;
  };

  const rechecks = new Map<string, NodeJS.Timeout>();
  const recheckLater = async (file: string): Promise<void> => {
    const seen = await contentHash(file);
    clearTimeout(rechecks.get(file));
    const timer = setTimeout(() => {
      rechecks.delete(file);
      void contentHash(file).then((now) => {
        if (closed || now === seen) return;
        onChange(file);
        void recheckLater(file);
      });
    }, trailingCheckMs);
    timer.unref();
    rechecks.set(file, timer);
  };

  let checking: Promise<void> | undefined;
  const checkIdentities = (): Promise<void> => {
    checking ??= (async () => {
      const now = await Promise.all(dirs.map(identity));
      const replaced = dirs.filter((_, index) => now[index] !== identities[index]);
      identities = now;
      if (replaced.length === 0 || closed) return;
      const old = watcher;
      watcher = undefined;
      await old?.close();
      if (closed) return;
      await start();
      // Whatever the new folder holds differs from what was built.
      for (const dir of replaced) onChange(dir);
    })().finally(() => {
      checking = undefined;
    });
    return checking;
  };

  await start();
  const timer = setInterval(() => void checkIdentities(), options.checkEveryMs ?? 1000);
  timer.unref();
  return {
    async close() {
      closed = true;
      clearInterval(timer);
      for (const pending of rechecks.values()) clearTimeout(pending);
      await checking;
      await watcher?.close();
    },
  };
}
