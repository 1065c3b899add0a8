import path from 'node:path';
import { pathToFileURL, fileURLToPath } from 'node:url';
import type { Browser, HTTPRequest } from 'puppeteer';
import { DatadeckError } from '../errors.js';

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

function isInside(dir: string, url: string): boolean {
  if (!url.startsWith('file:')) return false;
  const file = fileURLToPath(url.split(/[?#]/)[0]!);
  const relative = path.relative(dir, file);
  return !relative.startsWith('..') && !path.isAbsolute(relative);
}

/**
 * Prints the deck in deckDir with reveal.js's print view: one page per slide. Waits for real
 * signals (reveal's pdf-ready, every chart drawn, fonts loaded), never a fixed sleep.
 */
export async function printDeck(browser: Browser, deckDir: string, options: { timeoutMs: number }): Promise<PrintResult> {
  const root = path.resolve(deckDir);
  const url = `${pathToFileURL(path.join(root, 'index.html')).href}?print-pdf`;
  const blocked: string[] = [];
  const page = await browser.newPage();
  const step = async <T>(what: string, action: Promise<T>): Promise<T> => {
    try {
      return await action;
    } catch (error) {
      throw new DatadeckError('browserFailed', `Printing the PDF failed while ${what} (timeout ${options.timeoutMs} ms): ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`, { cause: error });
    }
  };
  try {
    page.setDefaultTimeout(options.timeoutMs);
    await page.setRequestInterception(true);
    page.on('request', (request: HTTPRequest) => {
      const target = request.url();
      if (isInside(root, target) || target.startsWith('data:') || target === 'about:blank') {
        void request.continue();
      } else {
        blocked.push(target);
        void request.abort('blockedbyclient');
      }
    });
    await page.evaluateOnNewDocument(() => {
      // reveal.js dispatches pdf-ready (bubbling) once the print layout is done.
      document.addEventListener('pdf-ready', () => {
        window.datadeckPdfReady = true;
      });
    });
    await page.setViewport({ width: 1280, height: 720 });
    await step('loading the deck', page.goto(url, { waitUntil: 'load', timeout: options.timeoutMs }));
    await step('waiting for the print layout and charts', page.waitForFunction(() => window.datadeckPdfReady === true && window.datadeckChartsDrawn === true, { timeout: options.timeoutMs }));
    await step('waiting for fonts', page.evaluate(() => document.fonts.ready.then(() => undefined)));
    const pdf = await step('printing', page.pdf({ printBackground: true, preferCSSPageSize: true, timeout: options.timeoutMs }));
    return { pdf, blocked };
  } finally {
    await page.close().catch(() => undefined);
  }
}
