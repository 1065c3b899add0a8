import { existsSync } from 'node:fs';
import { DatadeckError } from '../errors.js';
import { createProfile, sweepAbandoned } from './profile.js';
import type { Browser } from 'puppeteer';

/** Where Debian, Ubuntu and the usual installers put a Chromium-family browser. */
export const knownBrowserPaths: readonly string[] = [
  '/usr/bin/chromium',
  '/usr/bin/chromium-browser',
  '/usr/bin/google-chrome',
  '/usr/bin/google-chrome-stable',
  '/Applications/Google Chrome.app/Contents/MacOS/Google Chrome',
  '/Applications/Chromium.app/Contents/MacOS/Chromium',
];

export interface FoundBrowser {
  executablePath: string;
  /** How it was found, for the build log. */
  via: 'PUPPETEER_EXECUTABLE_PATH' | 'system' | 'puppeteer';
}

const installHelp =
  'No Chromium or Chrome browser was found to print the PDF. On Debian or Ubuntu run ' +
  '`apt-get update && apt-get install -y chromium` (as root; scripts/setup.sh does this), or point ' +
  'PUPPETEER_EXECUTABLE_PATH at an installed Chrome or Chromium, or, with internet access, run ' +
  '`npx puppeteer browsers install chrome`. Looked in: ';

/**
 * Browser lookup, first hit wins: PUPPETEER_EXECUTABLE_PATH, then the system paths, then
 * Puppeteer's own downloaded browser. A set but wrong env var is an error, not a silent fallback.
 */
export async function findBrowser(env: NodeJS.ProcessEnv = process.env, candidates: readonly string[] = knownBrowserPaths, bundledPath: () => Promise<string | undefined> = puppeteersOwnBrowser): Promise<FoundBrowser> {
  const fromEnv = env.PUPPETEER_EXECUTABLE_PATH;
  if (fromEnv) {
    if (existsSync(fromEnv)) return { executablePath: fromEnv, via: 'PUPPETEER_EXECUTABLE_PATH' };
    throw new DatadeckError('browserNotFound', `PUPPETEER_EXECUTABLE_PATH is set to ${fromEnv}, which does not exist. Unset it to use a system browser, or point it at Chrome or Chromium.`);
  }
  const system = candidates.find((candidate) => existsSync(candidate));
  if (system) return { executablePath: system, via: 'system' };
  const bundled = await bundledPath();
  if (bundled && existsSync(bundled)) return { executablePath: bundled, via: 'puppeteer' };
  throw new DatadeckError('browserNotFound', installHelp + [...candidates, bundled ?? "Puppeteer's cache"].join(', ') + '.');
}

/** Where Puppeteer keeps the browser `npx puppeteer browsers install chrome` downloads. */
async function puppeteersOwnBrowser(): Promise<string | undefined> {
  try {
    return (await import('puppeteer')).default.executablePath();
  } catch {
    return undefined;
  }
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

/** Kills the browser's whole process group (Puppeteer starts it as a group leader), else the browser alone. */
function killGroup(pid: number | undefined): void {
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

/**
 * Headless Chromium with the flags this machine needs: no sandbox as root (Chromium refuses to
 * start otherwise), and no background networking (it would keep calling hosts that are
 * unreachable offline). A fresh profile per launch, removed on close, on exit, by a watchdog if
 * this process is killed, or else by the next launch (profile.ts).
 */
export async function launchBrowser(options: LaunchOptions): Promise<BrowserSession> {
  const found = await findBrowser(options.env);
  const puppeteer = (await import('puppeteer')).default;
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
      headless: true,
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
