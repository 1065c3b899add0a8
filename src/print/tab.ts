import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { HTTPRequest, Page } from 'puppeteer-core';
import { DatadeckError } from '../errors.js';
import { isInsideOrEqual } from '../paths.js';

// The page's globals (window.datadeckPdfReady, datadeckChartsDrawn...) are declared there.
import type {} from '../client/contract.js';

/** Every scheme that leaves the machine: a deck is file: URLs and data: fonts. */
const blockedSchemes = ['http', 'https', 'ws', 'wss', 'ftp'] as const;

export interface DeckTab {
  page: Page;
  timeoutMs: number;
  /** Device pixels per CSS pixel of its viewport (1.5 for 1920x1080 pictures of 1280x720 slides). */
  deviceScaleFactor: number;
  /** Requests the page tried to make outside the deck since the last load, blocked. */
  blocked(): string[];
  /** Loads a page of the deck (relative to the deck's folder) and waits for `ready` to hold. */
  open(deckDir: string, pagePath: string, query: string, ready: string): Promise<void>;
  /** A browser step that fails with a sentence naming the step and the timeout. */
  step<T>(what: string, action: Promise<T>): Promise<T>;
  /** A PNG of this part of the page (page pixels), at the tab's device scale; beyond the viewport, the page is laid out whole to take it. */
  picture(clip: { x: number; y: number; width: number; height: number }, beyondViewport: boolean): Promise<Uint8Array>;
}

/**
 * A tab set up to show one deck and nothing else: requests leaving the deck are stopped in the
 * network stack (not by interception, which would pause every file request for a round trip to
 * Node) and reported; reveal.js's pdf-ready is recorded as it fires.
 */
export async function deckTab(page: Page, options: { timeoutMs: number; deviceScaleFactor?: number }): Promise<DeckTab> {
  let root = '';
  let blocked: string[] = [];
  const step = async <T>(what: string, action: Promise<T>): Promise<T> => {
    try {
      return await action;
    } catch (error) {
      throw new DatadeckError('browserFailed', `Printing failed while ${what} (timeout ${options.timeoutMs} ms): ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`, { cause: error });
    }
  };
  page.setDefaultTimeout(options.timeoutMs);
  const cdp = await page.createCDPSession();
  await cdp.send('Network.enable');
  await cdp.send('Network.setBlockedURLs', { urls: blockedSchemes.map((scheme) => `${scheme}:*`) });
  // Stopped twice over, by the deck's Content-Security-Policy and by the blocked schemes above;
  // every attempt is reported, whichever stopped it.
  page.on('request', (request: HTTPRequest) => {
    const target = request.url();
    if (target.startsWith('data:') || target.startsWith('blob:')) return;
    if (!target.startsWith('file:')) blocked.push(target);
    else if (!isInsideOrEqual(fileURLToPath(target.split(/[?#]/)[0]!), root)) blocked.push(`${target} (a file outside the deck)`);
  });
  await page.evaluateOnNewDocument(() => {
    // reveal.js dispatches pdf-ready (bubbling) once its print view is laid out.
    document.addEventListener('pdf-ready', () => {
      window.datadeckPdfReady = true;
    });
  });
  const viewport = { width: 1280, height: 720, deviceScaleFactor: options.deviceScaleFactor ?? 1 };
  await page.setViewport(viewport);
  // Pictures are taken through this session (page.screenshot takes one picture at a time across
  // every tab of the browser, which a headless browser does not need): it sees the page at the
  // same size and scale. Two tabs take a picture each 70 ms against 95 ms.
  await cdp.send('Emulation.setDeviceMetricsOverride', { ...viewport, mobile: false });
  return {
    page,
    timeoutMs: options.timeoutMs,
    deviceScaleFactor: viewport.deviceScaleFactor,
    blocked: () => [...new Set(blocked)],
    step,
    async picture(clip, beyondViewport) {
      // Rounded as page.screenshot rounds a clip, so that a picture is the same either way.
      const x = Math.round(clip.x);
      const y = Math.round(clip.y);
      const area = { x, y, width: Math.round(clip.width + clip.x - x), height: Math.round(clip.height + clip.y - y), scale: 1 };
      const { data } = await cdp.send('Page.captureScreenshot', { format: 'png', optimizeForSpeed: true, clip: area, captureBeyondViewport: beyondViewport });
      return Buffer.from(data, 'base64');
    },
    async open(deckDir, pagePath, query, ready) {
      root = path.resolve(deckDir);
      blocked = [];
      await step('loading the deck', page.goto(`${pathToFileURL(path.join(root, pagePath)).href}${query}`, { waitUntil: 'load', timeout: options.timeoutMs }));
      await step('waiting for the print view and charts', page.waitForFunction(ready, { timeout: options.timeoutMs }));
      await step('waiting for fonts', page.evaluate(() => document.fonts.ready.then(() => undefined)));
    },
  };
}
