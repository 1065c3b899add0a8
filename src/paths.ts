import { existsSync } from 'node:fs';
import path from 'node:path';

/** Whether `child` is `parent` or lies below it (both resolved against the working directory). */
export function isInsideOrEqual(child: string, parent: string): boolean {
  const relative = path.relative(path.resolve(parent), path.resolve(child));
  return relative === '' || (!relative.startsWith('..') && !path.isAbsolute(relative));
}

/** The nearest folder above `from` that holds a deck (data/deck.yaml), if any. */
export function deckFolderAbove(from: string): string | undefined {
  for (let dir = path.dirname(from); ; dir = path.dirname(dir)) {
    if (existsSync(path.join(dir, 'data', 'deck.yaml'))) return dir;
    if (path.dirname(dir) === dir) return undefined;
  }
}
