import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { DatadeckError } from '../errors.js';
import { moduleDir } from '../output/assets.js';
import { createProfile, killGroup, sweepAbandoned } from './profile.js';
import type { Browser } from 'puppeteer-core';

/**
 * The names a Chromium-family browser goes by on PATH: Linux distributions, Homebrew, Nix, snap.
 * A headless shell first (Debian's chromium-headless-shell, Chrome's chrome-headless-shell): the
 * same engine without the browser around it; the default deck's every export took 12.6 s with it
 * against 18.0 s with Debian's chromium on this project's 2-core machine.
 */
const browserCommands: readonly string[] = ['chromium-headless-shell', 'chrome-headless-shell', 'chromium', 'chromium-browser', 'google-chrome', 'google-chrome-stable', 'chrome'];

/** How Puppeteer drives an executable: a headless shell in its 'shell' mode, a full browser headless. */
export function headlessModeOf(executablePath: string): 'shell' | true {
  return /^(chrome|chromium)-headless-shell/.test(path.basename(executablePath.replaceAll('\\', '/'))) ? 'shell' : true;
}

/** Where the usual installers put Chrome or Chromium outside PATH. */
function installedApps(env: NodeJS.ProcessEnv, platform: NodeJS.Platform): string[] {
  if (platform === 'darwin') return ['/Applications/Google Chrome.app/Contents/MacOS/Google Chrome', '/Applications/Chromium.app/Contents/MacOS/Chromium'];
  if (platform === 'win32') {
    const roots = [env.PROGRAMFILES, env['PROGRAMFILES(X86)'], env.LOCALAPPDATA].filter((root): root is string => Boolean(root));
    return roots.map((root) => path.win32.join(root, 'Google', 'Chrome', 'Application', 'chrome.exe'));
  }
  return ['/opt/google/chrome/chrome'];
}

/** Each browser command in each folder of PATH. */
function onPath(env: NodeJS.ProcessEnv, platform: NodeJS.Platform): string[] {
  const dirs = (env.PATH ?? env.Path ?? '').split(path.delimiter).filter(Boolean);
  const suffix = platform === 'win32' ? '.exe' : '';
  return browserCommands.flatMap((command) => dirs.map((dir) => path.join(dir, command + suffix)));
}

/** The system browsers to try, in order: each name on PATH, then the installers' usual places. */
export function systemBrowserPaths(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): string[] {
  return [...new Set([...onPath(env, platform), ...installedApps(env, platform)])];
}

/**
 * The headless shell a command runs: Debian's chromium-headless-shell command is a script that
 * runs the browser without exec, so the process Puppeteer would hold, and kill, would be the shell.
 */
function unwrapped(executable: string): string {
  if (headlessModeOf(executable) !== 'shell') return executable;
  try {
    const script = readFileSync(executable, 'latin1').slice(0, 4096);
    if (!script.startsWith('#!')) return executable;
    const target = /^\s*(?:exec\s+)?(\/\S+\/chrom(?:e|ium)-headless-shell) +"\$@"\s*$/m.exec(script)?.[1];
    return target && existsSync(target) ? target : executable;
  } catch {
    return executable;
  }
}

export interface FoundBrowser {
  executablePath: string;
  /** How it was found, for the build log and `datadeck doctor`. */
  via: 'PUPPETEER_EXECUTABLE_PATH' | 'system' | 'puppeteer';
}

/** Where `npx puppeteer browsers install` puts browsers: Puppeteer's default cache, or PUPPETEER_CACHE_DIR. */
export function puppeteerCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  return env.PUPPETEER_CACHE_DIR || path.join(os.homedir(), '.cache', 'puppeteer');
}

/** The version of puppeteer-core datadeck drives, so the browser the user installs is the one it is tested with. */
function puppeteerVersion(): string | undefined {
  try {
    return (JSON.parse(readFileSync(path.join(moduleDir('puppeteer-core'), 'package.json'), 'utf8')) as { version?: string }).version;
  } catch {
    return undefined;
  }
}

/** The one command that gives this machine a browser datadeck finds, without root. */
export function browserInstallCommand(): string {
  const version = puppeteerVersion();
  return `npx puppeteer${version ? `@${version}` : ''} browsers install chrome-headless-shell`;
}

/** How to point datadeck at a browser already installed, in this platform's shell. */
function executablePathHint(platform: NodeJS.Platform): string {
  if (platform === 'win32') return '$env:PUPPETEER_EXECUTABLE_PATH = "C:\\path\\to\\chrome.exe" (PowerShell)';
  if (platform === 'darwin') return 'export PUPPETEER_EXECUTABLE_PATH="/Applications/Google Chrome.app/Contents/MacOS/Google Chrome"';
  return 'export PUPPETEER_EXECUTABLE_PATH=/path/to/chrome';
}

/** What to run when no browser is found: the download first, the variable for a browser the user has. */
export function noBrowserHelp(platform: NodeJS.Platform = process.platform): string {
  return (
    `No Chrome or Chromium was found to print the PDF and the other exports. Run \`${browserInstallCommand()}\` ` +
    "(it downloads Chrome's headless shell into Puppeteer's cache, no root needed, and datadeck finds it there), " +
    `or point datadeck at a Chrome or Chromium you have: \`${executablePathHint(platform)}\`. ` +
    '`--formats html` builds the deck page alone, without a browser.'
  );
}

/**
 * Browser lookup, first hit wins: PUPPETEER_EXECUTABLE_PATH, then the system's browsers, then
 * one Puppeteer downloaded. A set but wrong env var is an error, not a silent fallback.
 */
export async function findBrowser(env: NodeJS.ProcessEnv = process.env, candidates: readonly string[] = systemBrowserPaths(env), cached: () => Promise<string | undefined> = () => browserInPuppeteerCache(puppeteerCacheDir(env))): Promise<FoundBrowser> {
  const fromEnv = env.PUPPETEER_EXECUTABLE_PATH;
  if (fromEnv) {
    if (existsSync(fromEnv)) return { executablePath: fromEnv, via: 'PUPPETEER_EXECUTABLE_PATH' };
    throw new DatadeckError('browserNotFound', `PUPPETEER_EXECUTABLE_PATH is set to ${fromEnv}, which does not exist. Unset it to use a system browser, or point it at Chrome or Chromium.`);
  }
  const system = candidates.find((candidate) => existsSync(candidate));
  if (system) return { executablePath: unwrapped(system), via: 'system' };
  const downloaded = await cached();
  if (downloaded && existsSync(downloaded)) return { executablePath: downloaded, via: 'puppeteer' };
  throw new DatadeckError('browserNotFound', `${noBrowserHelp()} Looked for ${lookedFor(env, candidates)} and in Puppeteer's cache (${puppeteerCacheDir(env)}).`);
}

/** Where the lookup looked, said briefly: the commands looked for on PATH, then the other places. */
function lookedFor(env: NodeJS.ProcessEnv, candidates: readonly string[]): string {
  const pathOnes = new Set(onPath(env, process.platform));
  const others = candidates.filter((candidate) => !pathOnes.has(candidate));
  const commands = browserCommands.filter((command) => candidates.some((candidate) => pathOnes.has(candidate) && path.basename(candidate, '.exe') === command));
  return [...(commands.length > 0 ? [`${commands.join(', ')} on PATH`] : []), ...others].join(', ');
}

/** Build ids (131.0.6778.85 for Chrome, a revision number for Chromium) by their numbers, newest first. Puppeteer's own comparator wants three-part versions. */
const newestFirst = (a: string, b: string): number => b.localeCompare(a, 'en', { numeric: true });

/** Puppeteer's browser kinds that print as Chrome does, the lightest first. */
const cachedKinds: readonly string[] = ['chrome-headless-shell', 'chrome', 'chromium'];

/**
 * The newest browser `npx puppeteer browsers install` left in Puppeteer's cache for this
 * platform (its layout: <cache>/<kind>/<platform>-<build>/…), the headless shell first.
 */
export async function browserInPuppeteerCache(cacheDir: string): Promise<string | undefined> {
  if (!existsSync(cacheDir)) return undefined;
  const { Cache, detectBrowserPlatform } = await import('@puppeteer/browsers');
  const platform = detectBrowserPlatform();
  const installed = new Cache(cacheDir).getInstalledBrowsers().filter((browser) => browser.platform === platform && cachedKinds.includes(browser.browser) && existsSync(browser.executablePath));
  installed.sort((a, b) => cachedKinds.indexOf(a.browser) - cachedKinds.indexOf(b.browser) || newestFirst(a.buildId, b.buildId));
  return installed[0]?.executablePath;
}

/**
 * What a browser is, asked without starting it (`chromium --version`: no window, no profile):
 * exports made with another version may differ, so the export cache keeps it. Where that would
 * start the browser (Chrome on Windows prints nothing there and may open a window), or it says nothing,
 * the browser is told by its file's size and date, which an update changes.
 */
export async function browserIdentity(executablePath: string, timeoutMs = 10_000, platform: NodeJS.Platform = process.platform): Promise<string> {
  const said = platform === 'win32' ? '' : await new Promise<string>((resolve) => {
    execFile(executablePath, ['--version'], { timeout: timeoutMs }, (error, stdout) => resolve(error ? '' : String(stdout).trim()));
  });
  if (said) return said;
  const info = await stat(executablePath).catch(() => undefined);
  return `${executablePath} ${info?.size ?? ''} ${info?.mtimeMs ?? ''}`;
}

/** One sentence saying how a launch failed: it timed out, exited, was killed, or hung up. */
function launchFailure(error: unknown, timeoutMs: number): string {
  if (!(error instanceof Error)) return 'closed its connection while starting (was it killed?)';
  if (error.name === 'TimeoutError') return `did not start within ${timeoutMs} ms`;
  const exit = /Failed to launch the browser process:\s*Code: (\w+)/.exec(error.message);
  const stderr = /stderr:\n([\s\S]*?)\n\nTROUBLESHOOTING/.exec(error.message)?.[1]?.trim().split('\n').filter((line) => !/^\[:|unexpected operator/.test(line)).slice(-2).join(' / ');
  const said = stderr ? `; it said: ${stderr}` : '';
  if (exit?.[1] === 'null') return `was killed while starting${said}`;
  if (exit) return `exited while starting (exit code ${exit[1]})${said}`;
  return `failed to start: ${error.message.split('\n')[0]}`;
}

export interface LaunchOptions {
  timeoutMs: number;
  env?: NodeJS.ProcessEnv;
  /**
   * Let Puppeteer close the browser and exit the process on Ctrl-C (true by default). A caller
   * with its own orderly shutdown (the dev server) turns it off and calls close() itself.
   */
  exitOnSignals?: boolean;
}

export interface BrowserSession {
  browser: Browser;
  found: FoundBrowser;
  /**
   * Graceful by default. `quick`: the work is done and saved, so Chromium is stopped at once
   * instead of shutting down politely (which takes it a tenth of a second).
   */
  close(options?: { quick?: boolean }): Promise<void>;
}

/**
 * Headless Chromium with the flags this machine needs: no sandbox as root (Chromium refuses to
 * start otherwise), and no background networking (it would keep calling hosts that are
 * unreachable offline). A fresh profile per launch, removed on close, on exit, by a watchdog if
 * this process is killed, or else by the next launch (profile.ts).
 */
export async function launchBrowser(options: LaunchOptions): Promise<BrowserSession> {
  const found = await findBrowser(options.env);
  const puppeteer = (await import('puppeteer-core')).default;
  // What killed builds left, swept while this browser starts.
  void sweepAbandoned().catch(() => undefined);
  const profile = await createProfile();
  // Registered before the launch: a Ctrl-C while Chromium starts must not leave its profile behind.
  let browserPid: number | undefined;
  const removeProfile = (): void => {
    killGroup(browserPid);
    profile.removeSync();
  };
  process.once('exit', removeProfile);
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  let browser: Browser;
  try {
    browser = await puppeteer.launch({
      executablePath: found.executablePath,
      headless: headlessModeOf(found.executablePath),
      userDataDir: profile.dir,
      timeout: options.timeoutMs,
      protocolTimeout: options.timeoutMs,
      handleSIGINT: options.exitOnSignals ?? true,
      handleSIGTERM: options.exitOnSignals ?? true,
      handleSIGHUP: options.exitOnSignals ?? true,
      args: [
        ...(isRoot ? ['--no-sandbox'] : []),
        '--disable-gpu',
        '--disable-dev-shm-usage',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
        '--disable-quic',
        '--font-render-hinting=none',
      ],
    });
  } catch (error) {
    // Helpers Chromium started (crash handler, zygote) can outlive it and write into the profile.
    removeProfile();
    process.off('exit', removeProfile);
    throw new DatadeckError('browserFailed', `The browser at ${found.executablePath} ${launchFailure(error, options.timeoutMs)}`, { cause: error });
  }
  browserPid = browser.process()?.pid;
  if (browserPid !== undefined) profile.ownedBy(browserPid);
  let closed: Promise<void> | undefined;
  return {
    browser,
    found,
    close(options = {}) {
      closed ??= (async () => {
        const processHandle = browser.process();
        if (options.quick) {
          await browser.disconnect().catch(() => undefined);
        } else {
          let timer: NodeJS.Timeout | undefined;
          await Promise.race([browser.close(), new Promise((resolve) => { timer = setTimeout(resolve, 5000); })]);
          clearTimeout(timer);
        }
        // A hung browser, or its helpers, must not outlive us.
        if (processHandle && processHandle.exitCode === null && processHandle.signalCode === null) {
          const exited = new Promise((resolve) => {
            processHandle.once('exit', resolve);
            setTimeout(resolve, 2000).unref();
          });
          killGroup(processHandle.pid);
          await exited;
        }
        await profile.remove();
        process.off('exit', removeProfile);
      })();
      return closed;
    },
  };
}
