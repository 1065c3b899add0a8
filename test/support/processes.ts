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
