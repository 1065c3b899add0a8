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

/** The browser profile folders (datadeck-chromium-*) in a temporary folder, the system's unless told. */
export async function browserProfiles(dir = os.tmpdir()): Promise<string[]> {
  return (await readdir(dir)).filter((name) => name.startsWith('datadeck-chromium-'));
}
