/**
 * `datadeck doctor`, and the browser a machine without root gets: what to run when there is none
 * (from `build` and from `doctor`), and the browser `npx puppeteer browsers install` leaves in
 * Puppeteer's cache, found there (faked here with the system's Chromium behind a headless shell's
 * path, since nothing can be downloaded).
 */
import { execFile } from 'node:child_process';
import { chmod, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkNode } from '../src/doctor.js';
import { browserInPuppeteerCache } from '../src/print/browser.js';
import { buildBrowser } from './support/build.js';
import { repoRoot } from './support/project.js';
import { soffice } from './support/libreoffice.js';

const cli = path.join(repoRoot, 'bin', 'datadeck.js');
const work = await mkdtemp(path.join(os.tmpdir(), 'datadeck-doctor-'));
/** A PATH with no browser and no LibreOffice on it: an empty folder. */
const bareBin = path.join(work, 'bin');
const deck = path.join(work, 'deck');
afterAll(() => rm(work, { recursive: true, force: true }));

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

function runCli(args: readonly string[], cwd: string, env: NodeJS.ProcessEnv = process.env): Promise<Run> {
  return new Promise((resolve) => {
    execFile(process.execPath, [cli, ...args], { cwd, env, timeout: 120_000 }, (error, stdout, stderr) => {
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : -1) : 0, stdout, stderr });
    });
  });
}

/** A user with no browser installed: nothing on PATH, an empty home (so no Puppeteer cache). */
async function bareUser(name: string): Promise<NodeJS.ProcessEnv> {
  const home = path.join(work, name);
  await mkdir(home, { recursive: true });
  const env: NodeJS.ProcessEnv = { ...process.env, PATH: bareBin, HOME: home };
  delete env.PUPPETEER_EXECUTABLE_PATH;
  delete env.PUPPETEER_CACHE_DIR;
  return env;
}

/** What `npx puppeteer browsers install chrome-headless-shell` leaves, the browser being the system's (a headless shell when there is one). */
async function fakeHeadlessShell(cacheDir: string, platform: string, buildId: string): Promise<string> {
  const dir = path.join(cacheDir, 'chrome-headless-shell', `${platform}-${buildId}`, 'chrome-headless-shell-linux64');
  await mkdir(dir, { recursive: true });
  const executable = path.join(dir, 'chrome-headless-shell');
  await writeFile(executable, `#!/bin/sh\nPATH=/usr/bin:/bin exec '${await buildBrowser()}' "$@"\n`);
  await chmod(executable, 0o755);
  return executable;
}

beforeAll(async () => {
  await mkdir(bareBin, { recursive: true });
  const made = await runCli(['init', 'deck'], work);
  expect(made.code, made.stderr).toBe(0);
});

describe('datadeck doctor', () => {
  it('says what a build will use, one line each, and exits 0 when a build can run', async () => {
    const result = await runCli(['doctor'], deck);
    expect(result.code, result.stdout + result.stderr).toBe(0);
    const lines = result.stdout.trim().split('\n');
    expect(lines.map((line) => line.split(':')[0])).toEqual(['node', 'browser', 'libreoffice', 'fonts', 'deck', 'a build can run here']);
    expect(result.stdout).toMatch(new RegExp(`^node: +v${process.versions.node.replace(/\./g, '\\.')} \\(supported: Node 20\\.19\\+, 22 and 24; tested on 20 and 24\\)$`, 'm'));
    // The browser's own words for its version, and where it is.
    expect(result.stdout).toMatch(/^browser: +(Chromium|Google Chrome)[^\n]* \d+\.\d+\.\d+\.\d+[^\n]*, at \/\S+ \(installed on this system\)$/m);
    if (soffice) expect(result.stdout).toMatch(/^libreoffice: +LibreOffice \d+\.\d+[^\n]*, at \/\S+ \(optional: only to open deck\.pptx/m);
    const serif = JSON.parse(await readFile(path.join(repoRoot, 'node_modules', '@fontsource', 'source-serif-4', 'package.json'), 'utf8')) as { version: string };
    expect(result.stdout).toMatch(new RegExp(`^fonts: +Source Serif 4, Source Sans 3: installed with datadeck \\(npm packages @fontsource/source-serif-4 ${serif.version.replace(/\./g, '\\.')}, @fontsource/source-sans-3 [\\d.]+\\)`, 'm'));
    expect(result.stdout).toContain(`deck:        ${path.join(deck, 'data')}\n`);
  });

  it('says LibreOffice is optional when it is missing, and where the deck is when run from below it', async () => {
    const below = path.join(deck, 'notes');
    await mkdir(below, { recursive: true });
    // A PATH with a browser on it and no LibreOffice.
    const onlyChromium = path.join(work, 'only-chromium');
    await mkdir(onlyChromium, { recursive: true });
    await writeFile(path.join(onlyChromium, 'chromium'), '#!/bin/sh\nPATH=/usr/bin:/bin exec /usr/bin/chromium "$@"\n', { mode: 0o755 });
    const env = { ...process.env, PATH: onlyChromium };
    const result = await runCli(['doctor'], below, env);
    expect(result.stdout).toMatch(/^libreoffice: +not found \(optional: only to open deck\.pptx[^\n]*builds do not need it/m);
    expect(result.stdout).toContain(`deck:        no data/ here; the deck in ${deck} builds from that folder (cd ${deck})`);
    expect(result.stdout).toMatch(/^a build cannot run here: see deck above$/m);
    expect(result.code).toBe(64);
    const nowhere = await runCli(['doctor', '--data', 'nowhere'], work, env);
    expect(nowhere.stdout).toContain(`deck:        no deck here (${path.join(work, 'nowhere', 'deck.yaml')} not found): \`datadeck init my-deck\` starts one\n`);
    expect(nowhere.code).toBe(64);
  });

  it('tells a Node too old from the supported and the untested ones', () => {
    expect(checkNode('18.20.4')).toMatchObject({ text: expect.stringContaining('too old: datadeck needs Node 20.19+, 22 and 24'), failure: 64 });
    expect(checkNode('20.18.1').failure).toBe(64);
    for (const version of ['20.19.0', '22.1.0', '24.22.3']) expect(checkNode(version).failure).toBeUndefined();
    expect(checkNode('26.0.0')).toMatchObject({ text: expect.stringContaining('not one datadeck is tested on') });
    expect(checkNode('26.0.0').failure).toBeUndefined();
  });
});

describe('a machine without a browser', () => {
  it('build and doctor name the one command that gets one, without root, and exit 5', async () => {
    const env = await bareUser('no-browser');
    const fix = /`npx puppeteer@\d+\.\d+\.\d+ browsers install chrome-headless-shell`/;
    const doctor = await runCli(['doctor'], deck, env);
    expect(doctor.code).toBe(5);
    expect(doctor.stdout).toMatch(new RegExp(`^browser: +missing\\. No Chrome or Chromium was found[^\\n]*${fix.source}[^\\n]*PUPPETEER_EXECUTABLE_PATH=`, 'm'));
    expect(doctor.stdout).toContain(`Puppeteer's cache (${path.join(env.HOME!, '.cache', 'puppeteer')})`);
    expect(doctor.stdout).toMatch(/^a build cannot run here: see browser above$/m);

    const build = await runCli(['build'], deck, env);
    expect(build.code).toBe(5);
    expect(build.stderr).toMatch(fix);
    expect(build.stderr).toContain('export PUPPETEER_EXECUTABLE_PATH=/path/to/chrome');
    // The deck page alone needs no browser.
    expect((await runCli(['build', '--formats', 'html'], deck, env)).code).toBe(0);
  });

  it("finds the browser Puppeteer installed in ~/.cache/puppeteer, and prints with it", async () => {
    const env = await bareUser('downloaded');
    const shell = await fakeHeadlessShell(path.join(env.HOME!, '.cache', 'puppeteer'), 'linux', '131.0.6778.85');
    const doctor = await runCli(['doctor'], deck, env);
    expect(doctor.code, doctor.stdout).toBe(0);
    expect(doctor.stdout).toContain(`, at ${shell} (downloaded by Puppeteer, in ${path.join(env.HOME!, '.cache', 'puppeteer')})`);
    const build = await runCli(['build', '--formats', 'pdf'], deck, env);
    expect(build.code, build.stderr).toBe(0);
    expect(build.stdout).toMatch(new RegExp(`^pdf .*\\(${shell.replace(/[.]/g, '\\.')}\\)$`, 'm'));
    expect((await readFile(path.join(deck, 'slides', 'deck.pdf'))).subarray(0, 5).toString()).toBe('%PDF-');
  });

  it("takes the newest headless shell of this platform from Puppeteer's cache, or PUPPETEER_CACHE_DIR's", async () => {
    const cache = path.join(work, 'cache-dir');
    await fakeHeadlessShell(cache, 'linux', '130.0.6723.58');
    const newest = await fakeHeadlessShell(cache, 'linux', '131.0.6778.85');
    await fakeHeadlessShell(cache, 'mac_arm', '133.0.6943.53');
    expect(await browserInPuppeteerCache(cache)).toBe(newest);
    expect(await browserInPuppeteerCache(path.join(work, 'no-such-cache'))).toBeUndefined();
    const env = { ...(await bareUser('cache-dir-user')), PUPPETEER_CACHE_DIR: cache };
    const doctor = await runCli(['doctor'], deck, env);
    expect(doctor.stdout).toContain(`, at ${newest} (downloaded by Puppeteer, in ${cache})`);
  });
});
