import { spawn } from 'node:child_process';
import { lstatSync, readFileSync, readdirSync, readlinkSync, rmSync } from 'node:fs';
import { lstat, mkdtemp, readdir, readlink, rm } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

/**
 * The browser's profile folder in the temporary folder, named after the process that owns it
 * (`datadeck-chromium-<pid>-…`), so that a later build can tell a killed build's folder from a
 * running one's.
 */
const profilePrefix = 'datadeck-chromium-';
/** Where Chromium keeps the socket that makes a second start on a profile join the first. */
const singletonPrefix = 'org.chromium.Chromium.';

export interface BrowserProfile {
  dir: string;
  /** Tells the profile's watchdog which process the browser launched on it is. */
  ownedBy(pid: number): void;
  /** Kills what still runs on the profile and removes it, with Chromium's socket folder. */
  remove(): Promise<void>;
  /** The same, synchronously, for process exit. */
  removeSync(): void;
}

/**
 * A watchdog for a build killed outright (`kill -9`, out of memory), when no code of ours runs:
 * a shell that reads a pipe from the build and, when the pipe closes with the profile still
 * there, kills the browser's process group and removes the folders. The browser's pid comes down
 * the pipe once it is launched; a build killed before that leaves the watchdog to find it: in the
 * profile's lock (Chromium writes one as it starts; a headless shell writes none), or on Linux as
 * the process started on the profile. Cheaper at launch than a second Node process and works on
 * macOS, where there is no parent-death signal; a parent-death signal would also reach only
 * Chromium's first process, not the helpers it forks.
 */
const watchdogScript = [
  'pid=',
  "while read -r line; do case $line in '' | *[!0-9]*) ;; *) pid=$line ;; esac; done",
  'i=0',
  'while [ -z "$pid" ] && [ -d "$1" ] && [ $i -lt 20 ]; do',
  '  lock=$(readlink "$1/SingletonLock" 2>/dev/null) && { pid=${lock##*-}; break; }',
  '  for f in /proc/[0-9]*/cmdline; do',
  "    case \"$(tr '\\000' ' ' < \"$f\" 2>/dev/null)\" in *\"--user-data-dir=$1 \"*) pid=${f#/proc/}; pid=${pid%/cmdline}; break ;; esac",
  '  done',
  '  [ -n "$pid" ] || { sleep 0.5; i=$((i+1)); }',
  'done',
  '[ -d "$1" ] || exit 0',
  'if [ -r "/proc/$pid/cmdline" ] && ! grep -qF -- "$1" "/proc/$pid/cmdline"; then pid=; fi',
  'if [ -n "$pid" ]; then kill -9 -"$pid" 2>/dev/null || kill -9 "$pid" 2>/dev/null; fi',
  'socket=$(readlink "$1/SingletonSocket" 2>/dev/null)',
  'case "$socket" in */' + singletonPrefix + '*/SingletonSocket) rm -rf "${socket%/SingletonSocket}";; esac',
  'rm -rf "$1" || { sleep 1; rm -rf "$1"; }',
].join('\n');

/** The watchdog of a profile: told the browser's pid, released once the profile is removed. */
interface Watchdog {
  owner(pid: number): void;
  release(): void;
}

function startWatchdog(dir: string): Watchdog {
  if (process.platform === 'win32') return { owner: () => undefined, release: () => undefined };
  // Its own session: a Ctrl-C in the terminal reaches the build, which cleans up itself.
  const dog = spawn('/bin/sh', ['-c', watchdogScript, 'datadeck-watchdog', dir], { detached: true, stdio: ['pipe', 'ignore', 'ignore'] });
  dog.on('error', () => undefined);
  dog.stdin?.on('error', () => undefined);
  dog.unref();
  (dog.stdin as unknown as net.Socket | null)?.unref();
  return {
    owner: (pid) => void dog.stdin?.write(`${pid}\n`),
    release: () => void dog.stdin?.end(),
  };
}

/**
 * Kills a browser's whole process group (Puppeteer starts it as a group leader), else the process
 * alone (a helper of a full Chromium leads no group): a headless shell's helpers do not name the
 * profile on their command line, so only the group finds them.
 */
export function killGroup(pid: number | undefined): void {
  if (pid === undefined) return;
  try {
    process.kill(process.platform === 'win32' ? pid : -pid, 'SIGKILL');
  } catch {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // Gone already.
    }
  }
}

/** Chromium processes still running on a profile folder, killed with their groups (Linux /proc; elsewhere, none found). */
function killBrowsersUsing(dir: string): void {
  let pids: string[];
  try {
    pids = readdirSync('/proc').filter((name) => /^\d+$/.test(name));
  } catch {
    return;
  }
  const flag = `--user-data-dir=${dir}`;
  for (const pid of pids) {
    try {
      // Chromium's helpers rewrite their command line as one string, arguments joined by spaces.
      const args = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
      if ([`${flag}\0`, `${flag} `].some((arg) => args.includes(arg)) || args.endsWith(flag)) killGroup(Number(pid));
    } catch {
      // Gone already, or not ours to read.
    }
  }
}

/** The folder of the socket Chromium links from the profile, when it is one of Chromium's own. */
function singletonDirOf(link: string | undefined): string | undefined {
  if (!link || path.basename(link) !== 'SingletonSocket') return undefined;
  const dir = path.dirname(link);
  return path.basename(dir).startsWith(singletonPrefix) ? dir : undefined;
}

const readlinkOrUndefined = (file: string): string | undefined => {
  try {
    return readlinkSync(file);
  } catch {
    return undefined;
  }
};

function removeSync(dir: string): void {
  killBrowsersUsing(dir);
  const singleton = singletonDirOf(readlinkOrUndefined(path.join(dir, 'SingletonSocket')));
  if (singleton) rmSync(singleton, { recursive: true, force: true });
  rmSync(dir, { recursive: true, force: true, maxRetries: 3 });
}

/** A fresh profile folder for one launch, watched until it is removed. */
export async function createProfile(tmpDir = os.tmpdir()): Promise<BrowserProfile> {
  const dir = await mkdtemp(path.join(tmpDir, `${profilePrefix}${process.pid}-`));
  const watchdog = startWatchdog(dir);
  return {
    dir,
    ownedBy: (pid) => watchdog.owner(pid),
    removeSync() {
      removeSync(dir);
      watchdog.release();
    },
    async remove() {
      killBrowsersUsing(dir);
      const singleton = singletonDirOf(await readlink(path.join(dir, 'SingletonSocket')).catch(() => undefined));
      if (singleton) await rm(singleton, { recursive: true, force: true });
      await rm(dir, { recursive: true, force: true, maxRetries: 3 });
      watchdog.release();
    },
  };
}

const isAlive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
};

/**
 * Whether a profile's owner is gone: the process named in the folder's name, or for folders of
 * older versions (no pid in the name) the Chromium named in its lock. A folder whose lock names
 * another machine (a temporary folder shared with a container) is not ours to judge.
 */
function isAbandoned(dir: string): boolean {
  const lock = /^(.*)-(\d+)$/.exec(readlinkOrUndefined(path.join(dir, 'SingletonLock')) ?? '');
  if (lock && lock[1] !== os.hostname()) return false;
  const owner = new RegExp(`^${profilePrefix}(\\d+)-`).exec(path.basename(dir))?.[1];
  if (owner) return !isAlive(Number(owner));
  return lock !== null && !isAlive(Number(lock[2]));
}

/** Whether a Chromium still listens on a socket: refused means its browser is gone. */
function listening(socket: string): Promise<boolean> {
  return new Promise((resolve) => {
    const connection = net.connect({ path: socket });
    const done = (alive: boolean): void => {
      connection.destroy();
      resolve(alive);
    };
    connection.once('connect', () => done(true));
    connection.once('error', (error: NodeJS.ErrnoException) => done(error.code !== 'ECONNREFUSED'));
    connection.setTimeout(1000, () => done(true));
  });
}

/**
 * Chromium's socket folder with no Chromium behind it: ours (same user), holding only the
 * singleton's files, older than a few seconds (a starting Chromium binds its socket a moment
 * before it listens), and refusing connections.
 */
async function isDeadSingleton(dir: string): Promise<boolean> {
  const info = await lstat(dir).catch(() => undefined);
  if (!info?.isDirectory() || (process.getuid && info.uid !== process.getuid()) || Date.now() - info.mtimeMs < 10_000) return false;
  const entries = await readdir(dir);
  if (!entries.includes('SingletonSocket') || entries.some((name) => !name.startsWith('Singleton'))) return false;
  return !(await listening(path.join(dir, 'SingletonSocket')));
}

/**
 * Removes what killed builds left in the temporary folder: profiles whose owner is gone (with any
 * Chromium still running on them, and the socket folder they link to), and Chromium socket
 * folders no Chromium listens on. Never a running build's profile or a live Chromium's socket.
 * Returns the names removed.
 */
export async function sweepAbandoned(tmpDir = os.tmpdir()): Promise<string[]> {
  const removed: string[] = [];
  const names = await readdir(tmpDir).catch(() => [] as string[]);
  for (const name of names.filter((entry) => entry.startsWith(profilePrefix))) {
    const dir = path.join(tmpDir, name);
    try {
      if (!lstatSync(dir).isDirectory() || !isAbandoned(dir)) continue;
      const singleton = singletonDirOf(readlinkOrUndefined(path.join(dir, 'SingletonSocket')));
      removeSync(dir);
      removed.push(name, ...(singleton && path.dirname(singleton) === tmpDir ? [path.basename(singleton)] : []));
    } catch {
      // Removed meanwhile by its owner or another build's sweep, or not ours to remove.
    }
  }
  for (const name of names.filter((entry) => entry.startsWith(singletonPrefix) && !removed.includes(entry))) {
    const dir = path.join(tmpDir, name);
    try {
      if (!(await isDeadSingleton(dir))) continue;
      await rm(dir, { recursive: true, force: true });
      removed.push(name);
    } catch {
      // As above.
    }
  }
  return removed;
}
