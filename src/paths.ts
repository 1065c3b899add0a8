import path from 'node:path';

/** Whether `child` is `parent` or lies below it (both resolved against the working directory). */
export function isInsideOrEqual(child: string, parent: string): boolean {
  const relative = path.relative(path.resolve(parent), path.resolve(child));
  return relative === '' || (!relative.startsWith('..') && !path.isAbsolute(relative));
}
