import path from 'node:path';
import { pathToFileURL, fileURLToPath } from 'node:url';
import type { Browser, HTTPRequest } from 'puppeteer';
import { DatadeckError } from '../errors.js';
import { isInsideOrEqual } from '../paths.js';

export interface PrintResult {
  pdf: Uint8Array;
  /** Requests the page tried to make outside the deck, blocked and reported. */
  blocked: string[];
}

declare global {
  interface Window {
    datadeckPdfReady?: boolean;
    datadeckChartsDrawn?: boolean;
  }
}

/** Every scheme that leaves the machine (or the page): the deck itself is file: URLs and data: fonts. */
const blockedSchemes = ['http', 'https', 'ws', 'wss', 'ftp'] as const;

function isInside(dir: string, url: string): boolean {
  return url.startsWith('file:') && isInsideOrEqual(fileURLToPath(url.split(/[?#]/)[0]!), dir);
}

export interface Printer {
  /** Prints a page of the deck in deckDir (an edition's index.html): one PDF page per slide. */
  print(deckDir: string, page?: string): Promise<PrintResult>;
  close(): Promise<void>;
}

/**
 * A browser tab set up once for printing decks with reveal.js's print view, reused from one print
 * to the next (the dev server prints after every save). Each print waits for real signals
 * (reveal's pdf-ready, every chart drawn, fonts loaded), never a fixed sleep.
 */
export async function createPrinter(browser: Browser, options: { timeoutMs: number }): Promise<Printer> {
  const page = await browser.newPage();
  let root = '';
  let blocked: string[] = [];
  const step = async <T>(what: string, action: Promise<T>): Promise<T> => {
    try {
      return await action;
    } catch (error) {
      throw new DatadeckError('browserFailed', `Printing the PDF failed while ${what} (timeout ${options.timeoutMs} ms): ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`, { cause: error });
    }
  };
  try {
    page.setDefaultTimeout(options.timeoutMs);
    // Blocking by URL pattern in the network stack: request interception would pause every one of
    // the deck's own file requests for a round trip to Node (measured: +0.6 s per print).
    const cdp = await page.createCDPSession();
    await cdp.send('Network.enable');
    await cdp.send('Network.setBlockedURLs', { urls: blockedSchemes.map((scheme) => `${scheme}:*`) });
    // Off-deck loads are stopped twice over, by the deck's Content-Security-Policy and by the
    // blocked schemes above; every attempt is reported, whichever stopped it.
    page.on('request', (request: HTTPRequest) => {
      const target = request.url();
      if (target.startsWith('data:')) return;
      if (!target.startsWith('file:')) blocked.push(target);
      else if (!isInside(root, target)) blocked.push(`${target} (a file outside the deck)`);
    });
    await page.evaluateOnNewDocument(() => {
      // reveal.js dispatches pdf-ready (bubbling) once the print layout is done.
      document.addEventListener('pdf-ready', () => {
        window.datadeckPdfReady = true;
      });
    });
    await page.setViewport({ width: 1280, height: 720 });
  } catch (error) {
    await page.close().catch(() => undefined);
    throw error;
  }
  return {
    async print(deckDir, pagePath = 'index.html') {
      root = path.resolve(deckDir);
      blocked = [];
      const url = `${pathToFileURL(path.join(root, pagePath)).href}?print-pdf`;
      await step('loading the deck', page.goto(url, { waitUntil: 'load', timeout: options.timeoutMs }));
      await step('waiting for the print layout and charts', page.waitForFunction(() => window.datadeckPdfReady === true && window.datadeckChartsDrawn === true, { timeout: options.timeoutMs }));
      await step('waiting for fonts', page.evaluate(() => document.fonts.ready.then(() => undefined)));
      const pdf = await step('printing', page.pdf({ printBackground: true, preferCSSPageSize: true, timeout: options.timeoutMs }));
      return { pdf, blocked: [...new Set(blocked)] };
    },
    async close() {
      await page.close().catch(() => undefined);
    },
  };
}

/** Prints pages of one deck (its editions) with a tab opened for them and closed after. */
export async function printDeck(browser: Browser, deckDir: string, pages: readonly string[], options: { timeoutMs: number }): Promise<PrintResult[]> {
  const printer = await createPrinter(browser, options);
  try {
    const results: PrintResult[] = [];
    for (const page of pages) results.push(await printer.print(deckDir, page));
    return results;
  } finally {
    await printer.close();
  }
}
