import type { Browser, Page } from 'puppeteer';
import { launchBrowser, type BrowserSession, type FoundBrowser } from './browser.js';

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
  /**
   * Runs `work`; if the browser died under it (crash, killed), launches a new one and runs
   * `work` once more. Errors of the work itself (a timeout, a bad page) are not retried.
   */
  retrying<T>(work: () => Promise<T>): Promise<T>;
  found(): Promise<FoundBrowser>;
  close(): Promise<void>;
}

export function createPrinter(options: PrinterOptions): Printer {
  let current: Promise<BrowserSession> | undefined;
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
  const drop = async (): Promise<void> => {
    const old = current;
    current = undefined;
    if (old) await old.then((s) => s.close(), () => undefined);
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
    async withPage(work) {
      const { browser } = await session();
      const page = await browser.newPage();
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
    async close() {
      closed = true;
      await drop();
    },
  };
}
