import { rmSync } from 'node:fs';
import { chmod, copyFile, link, lstat, mkdir, mkdtemp, readdir, realpath, rename, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import lockfile from 'proper-lockfile';
import { DatadeckError } from '../errors.js';
import { isInsideOrEqual } from '../paths.js';
import type { Asset } from './assets.js';

/** Files in the output directory that belong to the user, not the build, and survive a swap. */
const keptFiles = ['.gitkeep'];

/** Written into every deck: a directory holding it is one datadeck may replace. */
export const markerFile = '.datadeck';
const markerText = 'Built by datadeck. This whole directory is replaced on every build.\n';

const errorCodeText: Record<string, string> = {
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  EROFS: 'read-only file system',
  ENOSPC: 'no space left on the device',
  EDQUOT: 'disk quota exceeded',
  ENOTDIR: 'a path component is a file, not a folder',
  EISDIR: 'is a folder',
  EEXIST: 'already exists',
  EMFILE: 'too many open files',
};

/** A file-system failure while writing the deck, as one sentence naming the path and the reason. */
export function outputError(action: string, error: unknown, outputState?: string): DatadeckError {
  const errno = error as NodeJS.ErrnoException;
  const reason = errno.code ? `${errorCodeText[errno.code] ?? errno.code} (${errno.code})` : error instanceof Error ? error.message : String(error);
  const where = errno.path ? `: ${errno.path}` : '';
  return new DatadeckError('output', `${action}${where}: ${reason}`, { cause: error, ...(outputState ? { outputState } : {}) });
}

async function guarded<T>(action: string, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof DatadeckError) throw error;
    if ((error as NodeJS.ErrnoException).code) throw outputError(action, error);
    throw error;
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

const refuse = (message: string): DatadeckError => new DatadeckError('usage', message);

/**
 * Where the deck will really be written. A build replaces its output directory whole, so it must
 * never be pointed at anything else: not a file, not a folder holding (or inside) the sources or
 * the project, not a folder of someone's files. A symlink is followed, so its target is updated
 * and the link keeps pointing at the new deck.
 */
export async function resolveOutputDir(outDir: string, sources: { data: string; templates: string }): Promise<string> {
  let out = path.resolve(outDir);
  const info = await lstat(out).catch(() => undefined);
  if (info?.isSymbolicLink()) {
    const target = await realpath(out).catch(() => undefined);
    if (!target) throw refuse(`refusing to write the deck to ${outDir}: it is a symbolic link to a folder that does not exist. Create the target or point --out elsewhere.`);
    out = target;
  }
  const target = info?.isSymbolicLink() ? await stat(out) : info;
  if (target && !target.isDirectory()) {
    throw refuse(`refusing to write the deck to ${outDir}: it is a file, and a deck is a folder (index.html, assets/, deck.pdf) that replaces it whole. Choose a folder of its own (default: slides).`);
  }
  if (!target) {
    // The folder will be created: every ancestor that exists must be a folder.
    for (let ancestor = path.dirname(out); ; ancestor = path.dirname(ancestor)) {
      const found = await stat(ancestor).catch(() => undefined);
      if (found) {
        if (!found.isDirectory()) throw refuse(`refusing to write the deck to ${outDir}: ${ancestor} is a file, not a folder.`);
        break;
      }
      if (path.dirname(ancestor) === ancestor) break;
    }
  }
  for (const [name, dir] of [['the data', sources.data], ['the templates', sources.templates]] as const) {
    if (isInsideOrEqual(out, dir)) {
      throw refuse(`refusing to write the deck to ${outDir}: it lies inside ${name} (${dir}), which every build reads and \`datadeck dev\` watches. Choose an output directory outside it (default: slides).`);
    }
  }
  for (const source of [process.cwd(), sources.data, sources.templates].map((dir) => path.resolve(dir))) {
    if (isInsideOrEqual(source, out)) {
      throw refuse(`refusing to write the deck to ${outDir}: it holds ${source}, and the output directory is replaced whole on every build. Choose an output directory of its own (default: slides).`);
    }
  }
  let entries: string[];
  try {
    entries = await readdir(out);
  } catch {
    return out;
  }
  const foreign = entries.filter((name) => !keptFiles.includes(name));
  if (foreign.length === 0) return out;
  const has = (relative: string): Promise<boolean> => exists(path.join(out, relative));
  // Decks built before the marker existed are recognised by their own script.
  const marked = (await has(markerFile)) || ((await has('index.html')) && (await has('assets/deck.js')));
  if (!marked) {
    throw refuse(`refusing to replace ${outDir}: it was not made by datadeck (no ${markerFile} file) and holds ${foreign.slice(0, 3).join(', ')}${foreign.length > 3 ? '…' : ''}. Empty it or choose another output directory.`);
  }
  return out;
}

/** How long a build waits for another one to finish writing the same output directory. */
export const lockWaitMs = 30_000;

/**
 * Runs `work` while holding the output directory's lock (a `.NAME.lock` folder beside it), so two
 * builds (two terminals, an editor's build-on-save beside `datadeck dev`) never swap at once.
 * A holder that died is detected by its lock going stale and is taken over.
 */
export async function withOutputLock<T>(outDir: string, work: () => Promise<T>, onWait?: (message: string) => void): Promise<{ result: T; /** 0 when the lock was free. */ waitedMs: number }> {
  const out = path.resolve(outDir);
  const options = { realpath: false, stale: 10_000, update: 2_000, lockfilePath: path.join(path.dirname(out), `.${path.basename(out)}.lock`), onCompromised: () => undefined };
  const started = performance.now();
  let contended = false;
  let release: () => Promise<void>;
  try {
    release = await lockfile.lock(out, options);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ELOCKED') throw outputError(`cannot lock ${outDir} for writing`, error);
    contended = true;
    onWait?.(`waiting for another build to finish writing ${outDir}…`);
    try {
      release = await lockfile.lock(out, { ...options, retries: { retries: Math.ceil(lockWaitMs / 100), factor: 1, minTimeout: 100, maxTimeout: 100 } });
    } catch (again) {
      if ((again as NodeJS.ErrnoException).code !== 'ELOCKED') throw outputError(`cannot lock ${outDir} for writing`, again);
      throw new DatadeckError('output', `another build kept writing ${outDir} for ${lockWaitMs / 1000} s (lock ${options.lockfilePath}); gave up. If no other datadeck is running, the lock is stale and the next build takes it over.`);
    }
  }
  // Taking a free lock costs a millisecond or two; only a real wait is worth reporting.
  const waitedMs = contended ? performance.now() - started : 0;
  try {
    return { result: await work(), waitedMs };
  } finally {
    await release().catch(() => undefined);
  }
}

/** A folder left by a build: its process id is in its name, so a dead build's leftovers can be told from a live one's. */
const stagingPrefix = (out: string): string => `.${path.basename(out)}-build-`;

function processIsAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Removes what killed or failed builds left beside the output directory. Called with the lock held. */
async function sweepLeftovers(out: string): Promise<string[]> {
  const parent = path.dirname(out);
  const prefix = stagingPrefix(out);
  const names = (await readdir(parent).catch(() => [] as string[])).filter((name) => name.startsWith(prefix));
  const warnings: string[] = [];
  for (const name of names) {
    // A "-previous" folder exists only inside a swap, which holds the lock: any seen now is left over.
    const pid = Number(/^(\d+)-/.exec(name.slice(prefix.length))?.[1]);
    const stale = name.endsWith('-previous') || (Number.isInteger(pid) && pid > 0 && !processIsAlive(pid));
    if (!stale) continue;
    await rm(path.join(parent, name), { recursive: true, force: true }).catch((error: unknown) => {
      warnings.push(`could not remove ${path.join(parent, name)}, left by an earlier build: ${(error as Error).message}`);
    });
  }
  return warnings;
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
  /**
   * Swaps the staged deck in; `carryOver` names files and folders of the previous deck to keep in
   * the new one, where the new one has nothing of that name (a folder's files one by one).
   * Resolves with warnings about what could not be cleaned up (the new deck is in place regardless).
   */
  commit(carryOver?: readonly string[], onWait?: (message: string) => void): Promise<{ warnings: string[]; waitedMs: number }>;
  /**
   * Moves these files and folders of the staged deck into the deck in place, over theirs, all at
   * once under the lock (a few renames: a build waiting to swap waits no longer), when `wanted()`,
   * asked under the lock, still says so; the deck's other files stay. False when not wanted.
   */
  install(entries: readonly string[], wanted: () => Promise<boolean>): Promise<boolean>;
  discard(): Promise<void>;
}

/**
 * Puts what `from` holds at `to` where `to` has nothing yet: a file, or a folder's files one by one.
 * Hard links when the file system allows (no bytes copied; the previous deck is deleted anyway).
 */
async function carry(from: string, to: string): Promise<void> {
  const info = await lstat(from).catch(() => undefined);
  if (info?.isDirectory()) {
    const there = await lstat(to).catch(() => undefined);
    if (there && !there.isDirectory()) return;
    await mkdir(to, { recursive: true });
    for (const name of await readdir(from)) await carry(path.join(from, name), path.join(to, name));
  } else if (info?.isFile() && !(await lstat(to).catch(() => undefined))) {
    // A file whose folder the new deck does not have belongs to what it no longer has (an edition dropped).
    if (!(await exists(path.dirname(to)))) return;
    await link(from, to).catch(() => copyFile(from, to));
  }
}

/** Staging.install: the staged deck's entries renamed over those of the deck in place, under its lock. */
async function install(outDir: string, staged: string, entries: readonly string[], wanted: () => Promise<boolean>): Promise<boolean> {
  const out = path.resolve(outDir);
  const { result } = await withOutputLock(outDir, async () => {
    if (!(await wanted())) return false;
    await guarded(`cannot put the new exports into ${outDir}`, async () => {
      for (const [index, entry] of entries.entries()) {
        const from = path.join(staged, entry);
        const to = path.join(out, entry);
        // Not made, or of an edition the deck in place no longer has.
        if (!(await exists(from)) || !(await exists(path.dirname(to)))) continue;
        // A folder cannot be renamed over another: the old one goes into the staged deck, removed with it.
        if ((await lstat(to).catch(() => undefined))?.isDirectory()) await rename(to, path.join(staged, `.replaced-${index}`));
        await rename(from, to);
      }
    });
    return true;
  });
  return result;
}

export async function stageDeck(outDir: string): Promise<Staging> {
  const out = path.resolve(outDir);
  const parent = path.dirname(out);
  const dir = await guarded(`cannot write the deck beside ${outDir}`, async () => {
    await mkdir(parent, { recursive: true });
    // Same parent as outDir, so the final rename never crosses a filesystem.
    const made = await mkdtemp(path.join(parent, `${stagingPrefix(out)}${process.pid}-`));
    // mkdtemp makes the folder private (0700); once swapped in it is the deck, readable as usual.
    await chmod(made, 0o777 & ~process.umask());
    await writeFile(path.join(made, markerFile), markerText);
    return made;
  });
  // Interrupted (Ctrl-C exits from inside Puppeteer), the half-written deck must not linger.
  const removeOnExit = (): void => rmSync(dir, { recursive: true, force: true });
  process.once('exit', removeOnExit);
  const settled = (): void => void process.off('exit', removeOnExit);
  const target = (relative: string): string => path.join(dir, relative);
  const writing = `cannot write the deck beside ${outDir}`;

  return {
    dir,
    writeText: (relative, text) => guarded(writing, async () => {
      await mkdir(path.dirname(target(relative)), { recursive: true });
      await writeFile(target(relative), text, 'utf8');
    }),
    writeBytes: (relative, bytes) => guarded(writing, async () => {
      await mkdir(path.dirname(target(relative)), { recursive: true });
      await writeFile(target(relative), bytes);
    }),
    copy: (assets) => guarded(writing, async () => {
      await Promise.all([...new Set(assets.map((asset) => path.dirname(target(asset.to))))].map((folder) => mkdir(folder, { recursive: true })));
      await Promise.all(assets.map((asset) => copyFile(asset.from, target(asset.to))));
    }),
    async commit(carryOver = [], onWait) {
      const previous = `${dir}-previous`;
      const { result: warnings, waitedMs } = await withOutputLock(outDir, async () => {
        const swept = await sweepLeftovers(out);
        // Read now, under the lock: what another build swapped in a moment ago is carried too.
        await guarded(writing, async () => {
          for (const name of [...keptFiles, ...carryOver]) await carry(path.join(out, name), target(name));
        });
        const hadPrevious = await exists(out);
        if (hadPrevious) {
          try {
            await rename(out, previous);
          } catch (error) {
            throw outputError(`cannot move the previous deck out of the way`, error);
          }
        }
        try {
          await rename(dir, out);
        } catch (error) {
          if (!hadPrevious) throw outputError(`cannot put the new deck in place`, error);
          try {
            await rename(previous, out);
          } catch {
            throw outputError(`cannot put the new deck in place`, error, `${outDir}/ is missing: the previous deck is in ${previous}, the new one in ${dir}. Move one back by hand.`);
          }
          throw outputError(`cannot put the new deck in place`, error);
        }
        settled();
        return swept;
      }, onWait);
      // Outside the lock: the new deck is in place, and deleting the old one may take a while.
      await rm(previous, { recursive: true, force: true }).catch((error: unknown) => {
        warnings.push(`the new deck is in place, but the previous one could not be removed: ${previous} (${(error as Error).message}). It is safe to delete; the next build tries again.`);
      });
      return { warnings, waitedMs };
    },
    install: (entries, wanted) => install(outDir, dir, entries, wanted),
    async discard() {
      settled();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/**
 * Replaces one file of a committed deck atomically: readers see the old bytes or the new, never
 * half of either. The temporary file sits beside the deck's folder, not in it, since that folder
 * may be swapped out; the swap lock keeps a build from swapping while the file lands.
 */
export async function replaceFile(file: string, bytes: Uint8Array): Promise<void> {
  const folder = path.dirname(path.resolve(file));
  const temporary = path.join(path.dirname(folder), `.${path.basename(folder)}-${path.basename(file)}.${process.pid}.tmp`);
  await guarded(`cannot write ${file}`, () => writeFile(temporary, bytes));
  try {
    await withOutputLock(folder, () => rename(temporary, file));
  } catch (error) {
    await rm(temporary, { force: true });
    if (error instanceof DatadeckError) throw error;
    throw outputError(`cannot write ${file}`, error);
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
  await withOutputLock(source, () => walk(''));
  return snapshot;
}
