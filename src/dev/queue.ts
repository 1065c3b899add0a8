import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';

/** A hash of each file's bytes ('' for one that is gone): timestamps can be too coarse to tell two quick saves apart. */
async function fingerprints(files: readonly string[]): Promise<Map<string, string>> {
  const entries = await Promise.all(
    files.map(async (file) => {
      const bytes = await readFile(file).catch(() => undefined);
      return [file, bytes ? createHash('sha1').update(bytes).digest('hex') : ''] as const;
    }),
  );
  return new Map(entries);
}

export interface RebuildQueue {
  /** A file changed: build now, or once the running build ends (with every change since). */
  schedule(file: string): void;
  /** Resolves when no build runs and none is waiting. */
  idle(): Promise<void>;
}

/**
 * One build at a time. Changes that arrive during a build are gathered and built once it ends,
 * together; a file that changed while it was being built is built again, since the watcher may
 * fold a quick second write into the first one's event.
 */
export function rebuildQueue(run: (changed: string[]) => Promise<void>): RebuildQueue {
  let running: Promise<void> | undefined;
  let queued: Set<string> | undefined;
  return {
    schedule(changed) {
      if (running) {
        (queued ??= new Set()).add(changed);
        return;
      }
      running = (async () => {
        let batch = [changed];
        while (batch.length > 0) {
          const before = await fingerprints(batch);
          await run(batch);
          const after = await fingerprints(batch);
          for (const file of batch) if (before.get(file) !== after.get(file)) (queued ??= new Set()).add(file);
          batch = queued ? [...queued] : [];
          queued = undefined;
        }
        running = undefined;
      })();
    },
    async idle() {
      while (running || queued) await running;
    },
  };
}
