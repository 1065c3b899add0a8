import type { Browser, Page } from 'puppeteer-core';
import { browserIdentity, findBrowser, launchBrowser, type BrowserSession, type FoundBrowser } from './browser.js';

export interface PrinterOptions {
  /** Bound on every browser step (launch, load, print), in milliseconds. */
  timeoutMs: number;
  /** See LaunchOptions.exitOnSignals: the dev server closes the browser itself. */
  exitOnSignals?: boolean;
  /** Called when a crashed browser is replaced, with what happened. */
  onRestart?: (reason: string) => void;
}

/**
 * The one owner of the browser (in the spirit of Marp CLI's browser manager): launched on first
 * use and kept, handed out as tabs, replaced once when it crashes, closed at the end. `build()`
 * takes a printer as a dependency, so the CLI (one per run) and the dev server (one per session,
 * kept warm between saves) print through the same path.
 */
export interface Printer {
  /** Starts the browser now (a build starts it while it renders, since both take as long). */
  warm(): void;
  /** The browser in use, launching it if needed; which executable was found. */
  session(): Promise<BrowserSession>;
  /** Runs `work` in a new tab, closed afterwards whatever happens. */
  withPage<T>(work: (page: Page, browser: Browser) => Promise<T>): Promise<T>;
  /** A tab the caller keeps (the dev server's print tabs) and closes. */
  openPage(): Promise<Page>;
  /**
   * Runs `work`; if the browser died under it (crash, killed), launches a new one and runs
   * `work` once more. Errors of the work itself (a timeout, a bad page) are not retried.
   */
  retrying<T>(work: () => Promise<T>): Promise<T>;
  found(): Promise<FoundBrowser>;
  /** Which browser and version it prints with, found without starting it (once per printer). */
  identity(): Promise<string>;
  /** `quick` when everything printed is saved: Chromium is stopped rather than shut down. */
  close(options?: { quick?: boolean }): Promise<void>;
}

/** The browser's identity, found without starting it; `failed` forgets it (a browser not found is said by the launch that needs it). */
function identify(timeoutMs: number, failed: () => void): Promise<string> {
  // Within the build's timeout: a browser that hangs is said by the launch, not waited for here first.
  const found = findBrowser().then((browser) => browserIdentity(browser.executablePath, Math.min(timeoutMs, 10_000)));
  found.catch(failed);
  return found;
}

export function createPrinter(options: PrinterOptions): Printer {
  let current: Promise<BrowserSession> | undefined;
  let identity: Promise<string> | undefined;
  let closed = false;
  const session = (): Promise<BrowserSession> => {
    if (closed) return Promise.reject(new Error('the printer is closed'));
    current ??= launchBrowser({ timeoutMs: options.timeoutMs, exitOnSignals: options.exitOnSignals ?? true });
    // A failed launch is not kept: the next call tries again.
    current.catch(() => {
      current = undefined;
    });
    return current;
  };
  const drop = async (quick = false): Promise<void> => {
    const old = current;
    current = undefined;
    blankTab = undefined;
    if (old) await old.then((s) => s.close({ quick }), () => undefined);
  };
  // The tab Chromium opens at start, used for the first job instead of opening another.
  let blankTab: Promise<Page | undefined> | undefined;
  const newPage = async (): Promise<Page> => {
    const { browser } = await session();
    blankTab ??= browser.pages().then((pages) => pages.find((page) => page.url() === 'about:blank'));
    const waiting = blankTab;
    const blank = await waiting;
    // Tabs are opened several at once: only the first to get here takes the blank one.
    if (blank && !blank.isClosed() && blankTab === waiting) {
      blankTab = Promise.resolve(undefined);
      return blank;
    }
    // A window each: a tab behind another in the same window paints nothing, and a picture of it waits forever.
    return browser.newPage({ type: 'window' });
  };
  const alive = async (): Promise<boolean> => {
    if (!current) return true;
    return current.then((s) => s.browser.connected, () => true);
  };

  return {
    warm() {
      session().catch(() => undefined);
    },
    session,
    async found() {
      return (await session()).found;
    },
    identity: () => (identity ??= identify(options.timeoutMs, () => {
      identity = undefined;
    })),
    openPage: newPage,
    async withPage(work) {
      const { browser } = await session();
      const page = await newPage();
      try {
        return await work(page, browser);
      } finally {
        await page.close().catch(() => undefined);
      }
    },
    async retrying(work) {
      try {
        return await work();
      } catch (error) {
        if (await alive()) throw error;
        options.onRestart?.(error instanceof Error ? error.message.split('\n')[0]! : String(error));
        await drop();
        return work();
      }
    },
    async close(closeOptions = {}) {
      closed = true;
      await drop(closeOptions.quick ?? false);
    },
  };
}
