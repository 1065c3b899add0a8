/**
 * The browser's lifecycle, with the real Chromium and the real CLI: nothing a build starts outlives
 * it. A build killed outright (kill -9) takes its Chromium with it; what a build and its watchdog
 * killed together left is removed by the next build; a normal build and dev's Ctrl-C leave nothing
 * in the temporary folder. The sweep never touches a running build's profile or another program's
 * live Chromium. A browser that fails to start is said so, as it failed, and leaves no profile.
 */
import { spawn } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, rm, symlink, utimes, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { afterAll, describe, expect, it } from 'vitest';
import type { DatadeckError } from '../src/errors.js';
import { sweepAbandoned } from '../src/print/profile.js';
import { buildBrowser } from './support/build.js';
import { cliPath, startCli, type StartedCli } from './support/cli.js';
import { browserProfiles, processTree, processesMentioning, stillRunning } from './support/processes.js';
import { scratchProjects } from './support/project.js';

const project = scratchProjects();
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls `check` until it holds or `ms` pass; returns whether it held. */
async function within(ms: number, check: () => boolean | Promise<boolean>): Promise<boolean> {
  for (const end = Date.now() + ms; Date.now() < end; await sleep(100)) if (await check()) return true;
  return check();
}

/** Temporary folders of their own for the CLIs these tests start, and whatever still runs in them, removed at the end. */
const tmpDirs: string[] = [];
afterAll(async () => {
  for (const dir of tmpDirs) {
    for (const { pid } of processesMentioning(dir)) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // Gone already.
      }
    }
    await rm(dir, { recursive: true, force: true, maxRetries: 3 });
  }
});
async function freshTmpDir(): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'datadeck-test-tmp-'));
  tmpDirs.push(dir);
  return dir;
}

/** The browser running on a temporary folder's profile, and every helper it forked (a headless shell's do not name the profile). */
function browserProcesses(tmpDir: string): { pid: number; args: string[] }[] {
  return processTree(processesMentioning(`--user-data-dir=${tmpDir}`).map(({ pid }) => pid));
}

/** A build started with its own temporary folder, once its Chromium is printing; its profile's path and the browser's processes. */
async function buildWhilePrinting(tmpDir: string): Promise<{ cli: StartedCli; profile: string; browser: number[] }> {
  const p = await project();
  const cli = startCli(['build', '--data', p.data, '--templates', p.templates, '--out', p.out, '--formats', 'pdf,png'], { env: { TMPDIR: tmpDir } });
  const printing = await within(60_000, () => /^write /m.test(cli.output()) && browserProcesses(tmpDir).some(({ args }) => args.join(' ').includes('--type=renderer')));
  expect(printing, cli.output()).toBe(true);
  await sleep(1000);
  const profile = readdirSync(tmpDir).find((name) => name.startsWith('datadeck-chromium-'));
  expect(profile).toBeDefined();
  return { cli, profile: path.join(tmpDir, profile!), browser: browserProcesses(tmpDir).map(({ pid }) => pid) };
}

describe('a build killed with kill -9', { timeout: 180_000 }, () => {
  it('takes its Chromium with it within seconds, and leaves nothing in the temporary folder', async () => {
    const tmpDir = await freshTmpDir();
    const { cli, profile, browser } = await buildWhilePrinting(tmpDir);
    expect(browser.length).toBeGreaterThanOrEqual(3);
    cli.child.kill('SIGKILL');
    await cli.exited;
    const gone = await within(5000, () => stillRunning(browser).length === 0 && processesMentioning(profile).length === 0);
    expect(gone, processTree(stillRunning(browser)).map(({ args }) => args.slice(0, 2).join(' ')).join('\n')).toBe(true);
    expect(await within(5000, () => readdirSync(tmpDir).length === 0), readdirSync(tmpDir).join(', ')).toBe(true);
  });

  it('while its browser is still starting: the browser is stopped, before it is up or as soon as it is, and nothing is left', async () => {
    const tmpDir = await freshTmpDir();
    const p = await project();
    // A browser slow to start: the build dies before Chromium has even written its lock.
    const slow = path.join(p.root, 'slow-chromium');
    const started = path.join(p.root, 'chromium-started');
    // The browser builds use (a headless shell writes no lock in its profile: the watchdog finds it by its command line).
    await writeFile(slow, `#!/bin/sh\nsleep 2\ntouch '${started}'\nexec '${await buildBrowser()}' "$@"\n`, { mode: 0o755 });
    const child = spawn('node', [cliPath, 'build', '--data', p.data, '--templates', p.templates, '--out', p.out, '--formats', 'pdf'], { env: { ...process.env, TMPDIR: tmpDir, PUPPETEER_EXECUTABLE_PATH: slow }, stdio: 'ignore' });
    // Killed once the browser is spawned (the script sleeping), before Chromium runs.
    expect(await within(30_000, () => processesMentioning(tmpDir).some(({ args }) => args.includes(slow)))).toBe(true);
    const profile = path.join(tmpDir, readdirSync(tmpDir).find((name) => name.startsWith('datadeck-chromium-'))!);
    child.kill('SIGKILL');
    const killedAt = Date.now();
    // The browser's start (the script, then Chromium) is found on the profile and stopped; its folders are removed.
    expect(await within(15_000, () => processesMentioning(profile).length === 0 && readdirSync(tmpDir).length === 0), readdirSync(tmpDir).join(', ')).toBe(true);
    // Nothing comes up later: by now the script would have started Chromium.
    await sleep(Math.max(0, killedAt + 3000 - Date.now()));
    expect(existsSync(started) ? processesMentioning(profile) : []).toEqual([]);
    expect(readdirSync(tmpDir)).toEqual([]);
  });

  it('with its watchdog killed too: the next build stops the Chromium left running and removes its profile and socket folder', async () => {
    const tmpDir = await freshTmpDir();
    const { cli, profile, browser } = await buildWhilePrinting(tmpDir);
    const watchdog = processesMentioning(profile).filter(({ args }) => args.includes('datadeck-watchdog'));
    for (const { pid } of [{ pid: cli.child.pid! }, ...watchdog]) process.kill(pid, 'SIGKILL');
    await cli.exited;
    await sleep(1000);
    // What is left: the browser still running on the profile, and the profile (with Chromium's socket folder when the browser makes one).
    expect(readdirSync(tmpDir)).toContain(path.basename(profile));
    expect(stillRunning(browser).length).toBeGreaterThan(0);

    const p = await project();
    const next = startCli(['build', '--data', p.data, '--templates', p.templates, '--out', p.out, '--formats', 'pdf', '--lang', 'fr'], { env: { TMPDIR: tmpDir } });
    expect(await next.exited, next.output()).toBe(0);
    expect(await within(3000, () => stillRunning(browser).length === 0), processTree(stillRunning(browser)).map(({ args }) => args.slice(0, 2).join(' ')).join('\n')).toBe(true);
    expect(processesMentioning(profile).map(({ args }) => args.slice(0, 2).join(' '))).toEqual([]);
    expect(await within(3000, () => readdirSync(tmpDir).length === 0), readdirSync(tmpDir).join(', ')).toBe(true);
  });
});

describe('a build that ends', { timeout: 120_000 }, () => {
  it('leaves no new entry in the temporary folder and no process', async () => {
    const tmpDir = await freshTmpDir();
    const p = await project();
    const cli = startCli(['build', '--data', p.data, '--templates', p.templates, '--out', p.out, '--formats', 'pdf', '--lang', 'fr'], { env: { TMPDIR: tmpDir } });
    expect(await cli.exited, cli.output()).toBe(0);
    expect(readdirSync(tmpDir)).toEqual([]);
    expect(await within(3000, () => processesMentioning(tmpDir).length === 0)).toBe(true);
  });

  it('in dev, Ctrl-C leaves nothing in the temporary folder and no process', async () => {
    const tmpDir = await freshTmpDir();
    const p = await project();
    const cli = startCli(['dev', '--data', p.data, '--templates', p.templates, '--out', p.out, '--lang', 'fr'], { env: { TMPDIR: tmpDir } });
    expect(await within(60_000, () => /pdf fr \d+ ms/.test(cli.output())), cli.output()).toBe(true);
    expect(readdirSync(tmpDir).some((name) => name.startsWith('datadeck-chromium-'))).toBe(true);
    cli.child.kill('SIGINT');
    expect(await cli.exited, cli.output()).toBe(0);
    expect(readdirSync(tmpDir)).toEqual([]);
    expect(await within(3000, () => processesMentioning(tmpDir).length === 0)).toBe(true);
  });
});

describe('the sweep of what killed builds left', () => {
  /** A socket file that no process listens on any more, as a killed Chromium leaves it. */
  async function deadSocket(file: string): Promise<void> {
    const child = spawn('node', ['-e', `require('net').createServer().listen(${JSON.stringify(file)}, () => console.log('up'))`], { stdio: ['ignore', 'pipe', 'inherit'] });
    await new Promise((resolve) => child.stdout!.once('data', resolve));
    child.kill('SIGKILL');
    await new Promise((resolve) => child.on('exit', resolve));
  }
  async function deadPid(): Promise<number> {
    const child = spawn('true');
    await new Promise((resolve) => child.on('exit', resolve));
    return child.pid!;
  }
  const aMinuteAgo = (): Date => new Date(Date.now() - 60_000);

  it('removes dead builds\' profiles and dead Chromium socket folders, never a running build\'s or a live Chromium\'s', async () => {
    const tmpDir = await freshTmpDir();
    const dead = await deadPid();
    const host = os.hostname();
    // A build that was killed: its profile links to Chromium's socket folder, where nothing listens.
    const killedProfile = path.join(tmpDir, `datadeck-chromium-${dead}-AbCdEf`);
    const killedSocketDir = path.join(tmpDir, 'org.chromium.Chromium.KiLLeD');
    await mkdir(killedProfile);
    await mkdir(killedSocketDir);
    await deadSocket(path.join(killedSocketDir, 'SingletonSocket'));
    await symlink(path.join(killedSocketDir, 'SingletonSocket'), path.join(killedProfile, 'SingletonSocket'));
    await symlink(`${host}-${dead}`, path.join(killedProfile, 'SingletonLock'));
    // Left by an older datadeck, which named no owner: its Chromium's lock names a dead process.
    const oldProfile = path.join(tmpDir, 'datadeck-chromium-Old123');
    await mkdir(oldProfile);
    await symlink(`${host}-${dead}`, path.join(oldProfile, 'SingletonLock'));
    // A socket folder left by a Chromium killed long ago, with no profile pointing at it.
    const orphanSocketDir = path.join(tmpDir, 'org.chromium.Chromium.0rPhAn');
    await mkdir(orphanSocketDir);
    await deadSocket(path.join(orphanSocketDir, 'SingletonSocket'));
    await utimes(orphanSocketDir, aMinuteAgo(), aMinuteAgo());
    // A running build (this process) and a profile of another machine sharing the folder.
    const runningProfile = path.join(tmpDir, `datadeck-chromium-${process.pid}-RuNnIn`);
    await mkdir(runningProfile);
    await writeFile(path.join(runningProfile, 'Local State'), '{}');
    const otherHostProfile = path.join(tmpDir, `datadeck-chromium-${dead}-0tHeRh`);
    await mkdir(otherHostProfile);
    await symlink(`not-${host}-${dead}`, path.join(otherHostProfile, 'SingletonLock'));
    // Another program's live Chromium, its socket folder in the same temporary folder.
    const otherProfile = await mkdtemp(path.join(os.tmpdir(), 'another-program-'));
    tmpDirs.push(otherProfile);
    const other = spawn('/usr/bin/chromium', ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', `--user-data-dir=${otherProfile}`, 'about:blank'], { env: { ...process.env, TMPDIR: tmpDir }, stdio: 'ignore', detached: true });
    const liveSocketDir = async (): Promise<string | undefined> => (await readdir(tmpDir)).find((name) => name.startsWith('org.chromium.Chromium.') && ![killedSocketDir, orphanSocketDir].includes(path.join(tmpDir, name)) && readdirSync(path.join(tmpDir, name)).includes('SingletonSocket'));
    try {
      expect(await within(30_000, async () => (await liveSocketDir()) !== undefined)).toBe(true);
      const live = (await liveSocketDir())!;
      // Old enough that only its listening socket tells it is alive.
      await utimes(path.join(tmpDir, live), aMinuteAgo(), aMinuteAgo());

      const removed = await sweepAbandoned(tmpDir);
      expect(removed.sort()).toEqual([path.basename(killedProfile), path.basename(killedSocketDir), path.basename(oldProfile), path.basename(orphanSocketDir)].sort());
      expect((await readdir(tmpDir)).sort()).toEqual([path.basename(otherHostProfile), path.basename(runningProfile), live].sort());
      expect(readdirSync(runningProfile)).toEqual(['Local State']);
      expect(other.exitCode).toBeNull();
      expect(processesMentioning(otherProfile).length).toBeGreaterThan(0);
    } finally {
      process.kill(-other.pid!, 'SIGKILL');
    }
  });
});

describe('a browser that fails to start', () => {
  const saved = process.env.PUPPETEER_EXECUTABLE_PATH;
  afterAll(() => {
    if (saved === undefined) delete process.env.PUPPETEER_EXECUTABLE_PATH;
    else process.env.PUPPETEER_EXECUTABLE_PATH = saved;
  });

  async function launchWith(script: string): Promise<{ error: DatadeckError; ms: number; leftover: string[] }> {
    const p = await project();
    const fake = path.join(p.root, 'fake-browser');
    await writeFile(fake, `#!/bin/sh\n${script}\n`, { mode: 0o755 });
    const { launchBrowser } = await import('../src/print/browser.js');
    const before = await browserProfiles(undefined, process.pid);
    const started = performance.now();
    const error = await launchBrowser({ timeoutMs: 20_000, env: { PUPPETEER_EXECUTABLE_PATH: fake } }).then(
      async (session) => { await session.close(); throw new Error('expected the launch to fail'); },
      (thrown: unknown) => thrown as DatadeckError,
    );
    return { error, ms: performance.now() - started, leftover: (await browserProfiles(undefined, process.pid)).filter((name) => !before.includes(name)) };
  }

  it('one that exits at once is reported as exiting, with its code, not as a timeout; no profile left', async () => {
    const { error, ms, leftover } = await launchWith('echo "cannot open display" >&2\nexit 1');
    expect(error.code).toBe('browserFailed');
    // What it said is quoted when Puppeteer read it before the exit: on a loaded machine (Node 24
    // in CI) the exit can come first, and the message then has the code alone (a known race).
    expect(error.message).toMatch(/exited while starting \(exit code 1\)(; it said: cannot open display|$)/);
    expect(error.message).not.toMatch(/did not start within/);
    expect(ms).toBeLessThan(10_000);
    expect(leftover).toEqual([]);
  });

  it('one killed while starting is reported as killed (no "[object Object]"); no profile left', async () => {
    const { error, leftover } = await launchWith('kill -9 $$');
    expect(error.message).toMatch(/was killed while starting/);
    expect(error.message).not.toContain('[object Object]');
    expect(leftover).toEqual([]);
  });

  it('one that starts and then hangs up is reported without "[object Object]"; no Chromium or profile left', async () => {
    // Real Chromium, killed right after it announced itself: Puppeteer rejects with a bare event object.
    const { error, leftover } = await launchWith([
      'for arg in "$@"; do case "$arg" in --user-data-dir=*) profile="${arg#--user-data-dir=}";; esac; done',
      '/usr/bin/chromium "$@" 2>&1 | while IFS= read -r line; do',
      '  echo "$line" >&2',
      '  case "$line" in *"DevTools listening"*) pkill -9 -f -- "chromium.*--user-data-dir=$profile" ;; esac',
      'done',
    ].join('\n'));
    expect(error.code).toBe('browserFailed');
    expect(error.message).not.toContain('[object Object]');
    expect(leftover).toEqual([]);
  });

  it('Ctrl-C while the browser starts leaves no profile folder', async () => {
    const p = await project();
    const fake = path.join(p.root, 'slow-browser');
    await writeFile(fake, '#!/bin/sh\nexec sleep 30\n', { mode: 0o755 });
    const cli = startCli(['build', '--data', p.data, '--templates', p.templates, '--out', p.out], { env: { PUPPETEER_EXECUTABLE_PATH: fake } });
    // Once the deck is staged (or after 5 s): the browser is starting.
    await cli.waitFor(/^write /m, 5000).catch(() => undefined);
    await sleep(200);
    cli.child.kill('SIGINT');
    await cli.exited;
    expect(await browserProfiles(undefined, cli.child.pid)).toEqual([]);
  });
});
