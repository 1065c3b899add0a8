/**
 * The pictures of the slides (png/): taken from the print view one slide at a time, without laying
 * out and painting the whole print view again for each picture, and identical to a picture of the
 * whole page clipped to the slide.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { build } from '../src/pipeline.js';
import { createPrinter, type Printer } from '../src/print/printer.js';
import { openPrintView, prepareForPaper, screenshotSlides, slideDigests } from '../src/print/slides.js';
import { deckTab, type DeckTab } from '../src/print/tab.js';
import { buildOptions } from './support/build.js';
import { smallDeck } from './support/small-deck.js';
import type { ScratchProject } from './support/project.js';

/** The slides of deck.yaml; the sources slide follows them. */
const slideCount = 9;
let project: ScratchProject;
let printer: Printer;

beforeAll(async () => {
  project = await smallDeck({
    facts: [{ id: 'a.fact', value: 1200 }, { id: 'b.fact', value: 800 }],
    charts: { pair: { title: 'Two figures', bars: [{ fact: 'a.fact', label: 'A' }, { fact: 'b.fact', label: 'B' }] } },
    slides: [
      { layout: 'title', id: 'opening', title: 'Petit deck' },
      ...Array.from({ length: slideCount - 1 }, (_, index) => (index % 2 === 0
        ? { layout: 'chart', id: `chart-${index}`, kicker: 'Graphique', title: `Deux chiffres ${index}`, chart: 'pair' }
        : { layout: 'bullets', id: `points-${index}`, kicker: 'Points', title: `Trois points ${index}`, items: ['Un', 'Deux', 'Trois'] })),
    ],
  });
  await build(buildOptions(project, { formats: [] }));
  printer = createPrinter({ timeoutMs: 60_000 });
}, 120_000);

afterAll(async () => {
  await printer?.close();
  await project?.cleanup();
});

/** The print view of the built deck, readied for paper as a build readies it, at 1920x1080. */
async function withPrintView<T>(work: (tab: DeckTab) => Promise<T>): Promise<T> {
  return printer.withPage(async (page) => {
    const tab = await deckTab(page, { timeoutMs: 60_000, deviceScaleFactor: 1.5 });
    await openPrintView(tab, project.out, 'index.html');
    await prepareForPaper(tab);
    return work(tab);
  });
}

type Counting = Window & { resizes?: number };

describe('pictures of the slides', () => {
  it('does not lay out the whole print view again for each picture (the page is never resized to its full height)', async () => {
    const resizes = await withPrintView(async (tab) => {
      await tab.page.evaluate(() => {
        (window as Counting).resizes = 0;
        window.addEventListener('resize', () => {
          (window as Counting).resizes! += 1;
        });
      });
      const before = await slideDigests(tab);
      // Two slides in view (not the last, which is taken with every page rendered).
      expect((await screenshotSlides(tab, [1, 2])).size).toBe(2);
      // Left as it was found (the pages out of view were not rendered while the pictures were
      // taken): every page rendered again and its markup as before, so the digests the pictures are
      // reused by stay the same.
      const skipped = await tab.page.$$eval('.reveal .slides .pdf-page', (pages) => pages.filter((page) => !page.checkVisibility({ contentVisibilityAuto: true })).length);
      expect(skipped).toBe(0);
      expect(await slideDigests(tab)).toEqual(before);
      const images = await screenshotSlides(tab);
      expect(images.size).toBeGreaterThan(slideCount);
      return tab.page.evaluate(() => (window as Counting).resizes);
    });
    // The last slide reaches a pixel past the end of the page: at most that one is taken the slow way.
    expect(resizes).toBeLessThanOrEqual(2);
  }, 120_000);

  it('takes each slide exactly as a picture of the whole page clipped to it, and any of them alone', async () => {
    await withPrintView(async (tab) => {
      const corners = await tab.page.$$eval('.reveal .slides .pdf-page', (pages) => pages.map((page) => ({ x: page.getBoundingClientRect().left + window.scrollX, y: page.getBoundingClientRect().top + window.scrollY })));
      const reference: Buffer[] = [];
      for (const corner of corners) reference.push(Buffer.from(await tab.page.screenshot({ type: 'png', optimizeForSpeed: true, captureBeyondViewport: true, clip: { ...corner, width: 1280, height: 720 } })));
      const images = await screenshotSlides(tab);
      expect([...images.keys()]).toEqual(corners.map((_, index) => index));
      for (const [index, image] of images) expect(Buffer.from(image).equals(reference[index]!), `slide ${index + 1}`).toBe(true);
      const last = corners.length - 1;
      const some = await screenshotSlides(tab, [last, 2]);
      expect([...some.keys()]).toEqual([last, 2]);
      expect(Buffer.from(some.get(2)!).equals(reference[2]!)).toBe(true);
      expect(Buffer.from(some.get(last)!).equals(reference[last]!)).toBe(true);
    });
  }, 180_000);
});
