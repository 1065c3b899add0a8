import { existsSync, rmSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { DatadeckError } from '../errors.js';
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
export async function findBrowser(env: NodeJS.ProcessEnv = process.env, candidates: readonly string[] = knownBrowserPaths): Promise<FoundBrowser> {
  const fromEnv = env.PUPPETEER_EXECUTABLE_PATH;
  if (fromEnv) {
    if (existsSync(fromEnv)) return { executablePath: fromEnv, via: 'PUPPETEER_EXECUTABLE_PATH' };
    throw new DatadeckError('browserNotFound', `PUPPETEER_EXECUTABLE_PATH is set to ${fromEnv}, which does not exist. Unset it to use a system browser, or point it at Chrome or Chromium.`);
  }
  const system = candidates.find((candidate) => existsSync(candidate));
  if (system) return { executablePath: system, via: 'system' };
  let bundled: string | undefined;
  try {
    const puppeteer = (await import('puppeteer')).default;
    bundled = puppeteer.executablePath();
  } catch {
    bundled = undefined;
  }
  if (bundled && existsSync(bundled)) return { executablePath: bundled, via: 'puppeteer' };
  throw new DatadeckError('browserNotFound', installHelp + [...candidates, bundled ?? "Puppeteer's cache"].join(', ') + '.');
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
  close(): Promise<void>;
}

/**
 * Headless Chromium with the flags this machine needs: no sandbox as root (Chromium refuses to
 * start otherwise), and no background networking (it would keep calling hosts that are
 * unreachable offline). A fresh profile per launch, removed on close.
 */
export async function launchBrowser(options: LaunchOptions): Promise<BrowserSession> {
  const found = await findBrowser(options.env);
  const puppeteer = (await import('puppeteer')).default;
  const userDataDir = await mkdtemp(path.join(os.tmpdir(), 'datadeck-chromium-'));
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  let browser: Browser;
  try {
    browser = await puppeteer.launch({
      executablePath: found.executablePath,
      headless: true,
      userDataDir,
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
    await rm(userDataDir, { recursive: true, force: true });
    throw new DatadeckError('browserFailed', `The browser at ${found.executablePath} did not start within ${options.timeoutMs} ms: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`, { cause: error });
  }
  // If the process exits without close() (Ctrl-C handled inside Puppeteer), drop the profile.
  const removeProfile = (): void => rmSync(userDataDir, { recursive: true, force: true });
  process.once('exit', removeProfile);
  let closed: Promise<void> | undefined;
  return {
    browser,
    found,
    close() {
      closed ??= (async () => {
        const processHandle = browser.process();
        let timer: NodeJS.Timeout | undefined;
        await Promise.race([browser.close(), new Promise((resolve) => { timer = setTimeout(resolve, 5000); })]);
        clearTimeout(timer);
        // A hung browser must not outlive us.
        if (processHandle && processHandle.exitCode === null) processHandle.kill('SIGKILL');
        await rm(userDataDir, { recursive: true, force: true, maxRetries: 3 });
        process.off('exit', removeProfile);
      })();
      return closed;
    },
  };
}
