/** The command line as a user runs it: bin/datadeck.js in a process of its own (it runs dist/: `npm run compile` first). */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { expect } from 'vitest';
import { repoRoot } from './project.js';

export const cliPath = path.join(repoRoot, 'bin', 'datadeck.js');

export interface CliRun { code: number; stdout: string; stderr: string }

export interface CliOptions {
  cwd?: string;
  /** Added to this process's environment. */
  env?: NodeJS.ProcessEnv;
  /** Killed after this long (which fails the caller's expectations); 120 s unless told. */
  timeoutMs?: number;
  /** Run as this user (runuser), e.g. `nobody` for a folder root may write to and they may not. */
  user?: string;
}

/** Runs the CLI to its end: its exit code (-1 when killed) and what it printed. */
export function runCli(args: readonly string[], options: CliOptions = {}): Promise<CliRun> {
  return new Promise((resolve) => {
    const command = options.user ? 'runuser' : 'node';
    const argv = options.user ? ['-u', options.user, '--', 'node', cliPath, ...args] : [cliPath, ...args];
    execFile(command, argv, { cwd: options.cwd, env: { ...process.env, DEBUG: '', ...options.env }, timeout: options.timeoutMs ?? 120_000, killSignal: 'SIGKILL' }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : -1) : 0;
      resolve({ code, stdout: String(stdout), stderr: String(stderr) });
    });
  });
}

/** A user's mistake gets a sentence, never a stack trace. */
export function expectNoStackTrace(run: CliRun): void {
  expect(`${run.stdout}\n${run.stderr}`).not.toMatch(/^\s+at .+\(.*:\d+:\d+\)$/m);
  expect(run.stderr).not.toContain('unexpected error');
}

export interface StartedCli {
  child: ChildProcess;
  /** stdout and stderr so far, as they came. */
  output: () => string;
  /** Its exit code (null when a signal ended it). */
  exited: Promise<number | null>;
  /** Waits until the output matches (polling every 25 ms, up to `ms`); the match, or an error naming what was printed. */
  waitFor: (pattern: RegExp, ms?: number) => Promise<RegExpMatchArray>;
}

/** Starts the CLI and leaves it running, to watch it or interrupt it. */
export function startCli(args: readonly string[], options: Omit<CliOptions, 'timeoutMs' | 'user'> = {}): StartedCli {
  const child = spawn('node', [cliPath, ...args], { cwd: options.cwd, env: { ...process.env, ...options.env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => { output += chunk.toString(); });
  child.stderr!.on('data', (chunk: Buffer) => { output += chunk.toString(); });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const waitFor = async (pattern: RegExp, ms = 30_000): Promise<RegExpMatchArray> => {
    for (const end = Date.now() + ms; ; await new Promise((resolve) => setTimeout(resolve, 25))) {
      const match = pattern.exec(output);
      if (match) return match;
      if (Date.now() > end) throw new Error(`no ${pattern} in:\n${output}`);
    }
  };
  return { child, output: () => output, exited, waitFor };
}
