/** What a build leaves running or lying in the temporary folder: its browser's processes and profiles. */
import { readFileSync, readdirSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import os from 'node:os';

/** Live processes (but this one) whose command line mentions `text`, a browser's profile folder say (Linux /proc). */
export function processesMentioning(text: string): { pid: number; args: string[] }[] {
  const found: { pid: number; args: string[] }[] = [];
  for (const name of readdirSync('/proc').filter((entry) => /^\d+$/.test(entry))) {
    try {
      const args = readFileSync(`/proc/${name}/cmdline`, 'utf8').split('\0');
      if (Number(name) !== process.pid && args.some((arg) => arg.includes(text))) found.push({ pid: Number(name), args });
    } catch {
      // Gone meanwhile.
    }
  }
  return found;
}

/**
 * The browser profile folders in a temporary folder (the system's unless told): those of the
 * process `pid` when given (datadeck-chromium-<pid>-…), so that test files running at the same
 * time, each with its own builds, do not see each other's.
 */
export async function browserProfiles(dir = os.tmpdir(), pid?: number): Promise<string[]> {
  const prefix = pid === undefined ? 'datadeck-chromium-' : `datadeck-chromium-${pid}-`;
  return (await readdir(dir)).filter((name) => name.startsWith(prefix));
}

/** Live processes among `pids` and all that descend from them (Linux /proc): a browser and the helpers it forked, which may not name its profile. */
export function processTree(pids: readonly number[]): { pid: number; args: string[] }[] {
  const parents = new Map<number, number>();
  for (const name of readdirSync('/proc').filter((entry) => /^\d+$/.test(entry))) {
    try {
      // The parent's pid is the 4th field of /proc/<pid>/stat, after the command name in parentheses.
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      parents.set(Number(name), Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]));
    } catch {
      // Gone meanwhile.
    }
  }
  const tree = new Set(pids.filter((pid) => parents.has(pid)));
  for (let grew = true; grew; ) {
    grew = false;
    for (const [pid, parent] of parents) if (!tree.has(pid) && tree.has(parent)) grew = tree.add(pid) !== undefined;
  }
  return [...tree].flatMap((pid) => {
    try {
      return [{ pid, args: readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0') }];
    } catch {
      return [];
    }
  });
}

/** Which of `pids` still run (a zombie, killed but not yet reaped, does not). */
export function stillRunning(pids: readonly number[]): number[] {
  return pids.filter((pid) => {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
    } catch {
      return false;
    }
  });
}
