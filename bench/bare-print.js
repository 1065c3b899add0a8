// The floor for printing a deck: launch Chromium, open reveal.js's print view of a built deck,
// wait for the charts, page.pdf once, write the file. Nothing else: no data, no checks, no
// metadata. `node bench/bare-print.js slides/index.html out.pdf` (after `npm run compile`)
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import puppeteer from 'puppeteer-core';
import { findBrowser, headlessModeOf } from '../dist/print/browser.js';

const [page, out] = process.argv.slice(2);
const profile = await mkdtemp(path.join(os.tmpdir(), 'bare-print-'));
// The browser a build would find (a headless shell first), so that the floor and datadeck print with the same one.
const { executablePath } = await findBrowser();
const browser = await puppeteer.launch({
  executablePath,
  headless: headlessModeOf(executablePath),
  userDataDir: profile,
  args: [...(process.getuid?.() === 0 ? ['--no-sandbox'] : []), '--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
});
try {
  const tab = await browser.newPage();
  await tab.evaluateOnNewDocument(() => document.addEventListener('pdf-ready', () => { window.pdfReady = true; }));
  await tab.setViewport({ width: 1280, height: 720 });
  await tab.goto(`${pathToFileURL(path.resolve(page)).href}?print-pdf`, { waitUntil: 'load' });
  await tab.waitForFunction('window.pdfReady === true && window.datadeckChartsDrawn === true');
  await writeFile(out, await tab.pdf({ printBackground: true, preferCSSPageSize: true }));
} finally {
  await browser.close();
  await rm(profile, { recursive: true, force: true });
}
