/**
 * The pictures of the slides (png/): taken from the print view one slide at a time, without laying
 * out and painting the whole print view again for each picture, and identical to a picture of the
 * whole page clipped to the slide.
 */
import { readdir, readFile, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { build } from '../src/pipeline.js';
import { createPrinter, type Printer } from '../src/print/printer.js';
import { openPrintView, prepareForPaper, screenshotSlides, slideDigests } from '../src/print/slides.js';
import type { ExportContext } from '../src/exports/export.js';
import { make } from '../src/exports/png.js';
import { measureSlides } from '../src/print/measure.js';
import { deckTab, type DeckTab } from '../src/print/tab.js';
import { buildOptions } from './support/build.js';
import { smallDeck, smallDecks } from './support/small-deck.js';
import { editFile, type ScratchProject } from './support/project.js';

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

describe('the slides measured for the PowerPoint', () => {
  it('finds the first baseline of every text and list item inside its box, and leaves the print view as it was', async () => {
    await withPrintView(async (tab) => {
      const before = await slideDigests(tab);
      const { slides } = await measureSlides(tab, []);
      expect(await slideDigests(tab)).toEqual(before);
      const texts = slides.flatMap((slide) => slide.parts.filter((part) => part.part === 'text' || part.part === 'list-item'));
      expect(texts.length).toBeGreaterThan(slideCount);
      for (const part of texts) {
        expect(part.baseline, part.field).toBeGreaterThan(part.content.y);
        expect(part.baseline, part.field).toBeLessThanOrEqual(part.content.y + part.content.h + 1);
      }
    });
  }, 120_000);
});

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

  it('does not wait for a helper still opening its print view: it has claimed nothing, and finds nothing left', async () => {
    await withPrintView(async (tab) => {
      const written = new Map<string, Uint8Array>();
      let helper: ((tab: DeckTab) => Promise<void>) | undefined;
      let helperEnded!: () => void;
      const ended = new Promise<void>((resolve) => (helperEnded = resolve));
      const context = {
        edition: { prefix: '', view: { slides: Array.from({ length: slideCount + 1 }, (_, index) => ({ id: `s${index}` })) } },
        stage: { writeBytes: async (file: string, bytes: Uint8Array) => void written.set(file, bytes) },
        madeBefore: { key: (...parts: string[]) => parts.join('|'), reuse: async () => undefined, made: async () => undefined },
        tab,
        // A tab left idle takes the offer, and is still opening its print view when the pictures are done.
        share: (work: (tab: DeckTab) => Promise<void>) => {
          helper = work;
          return () => ended;
        },
      } as unknown as ExportContext;
      const made = await make(context);
      expect(made.remade).toEqual({ made: slideCount + 1, of: slideCount + 1 });
      expect(written.size).toBe(slideCount + 1);
      // Its print view open at last: nothing is left to claim.
      expect(helper).toBeDefined();
      await helper!(tab);
      helperEnded();
      expect(written.size).toBe(slideCount + 1);
    });
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

/**
 * A long edition's pictures, shared with the tabs the build leaves idle (a deck of pictures alone
 * is one tab's work: on two cores or more, the other tab opens a print view of its own and takes
 * its share), and reused by what each slide shows: a chart slide an edit does not touch keeps its
 * picture.
 */
describe('pictures of a long edition', () => {
  const decks = smallDecks();
  let deck: ScratchProject;
  /** Pictures each tab took, by tab, in the last build; print views each tab opened. */
  let shots = new Map<Page, number>();
  let printViews = 0;
  /** Pictures being taken at once, and the most at any time. */
  let inFlight = 0;
  let mostInFlight = 0;
  const counting = (): Printer => ({
    ...printer,
    withPage: (work) => printer.withPage(async (page, browser) => {
      page.on('request', (request) => {
        if (request.isNavigationRequest() && request.url().includes('?print-pdf')) printViews += 1;
      });
      // Pictures are taken through the tab's own session: each one it sends is counted.
      const createSession = page.createCDPSession.bind(page);
      page.createCDPSession = async () => {
        const session = await createSession();
        const send = session.send.bind(session);
        session.send = ((method: string, ...rest: unknown[]) => {
          const sent = (send as (method: string, ...rest: unknown[]) => Promise<unknown>)(method, ...rest);
          if (method !== 'Page.captureScreenshot') return sent;
          shots.set(page, (shots.get(page) ?? 0) + 1);
          inFlight += 1;
          mostInFlight = Math.max(mostInFlight, inFlight);
          return sent.finally(() => (inFlight -= 1));
        }) as typeof session.send;
        return session;
      };
      return work(page, browser);
    }),
  });
  const pictures = async (): Promise<string[]> => (await readdir(path.join(deck.out, 'png'))).sort();
  const inodes = async (): Promise<Map<string, number>> => new Map(await Promise.all((await pictures()).map(async (name) => [name, (await stat(path.join(deck.out, 'png', name))).ino] as const)));

  beforeAll(async () => {
    deck = await decks({
      facts: [{ id: 'a.fact', value: 1200 }, { id: 'b.fact', value: 800 }, { id: 'c.fact', value: 42 }],
      charts: { pair: { title: 'Two figures', bars: [{ fact: 'a.fact', label: 'A' }, { fact: 'b.fact', label: 'B' }] } },
      slides: [
        { layout: 'chart', id: 'pair', kicker: 'Graphique', title: 'Deux chiffres', chart: 'pair' },
        { layout: 'big-number', id: 'figure', kicker: 'Un chiffre', number: 'c.fact', number_caption: 'en une année.' },
        ...Array.from({ length: 18 }, (_, index) => ({ layout: 'bullets', id: `points-${index}`, kicker: 'Points', title: `Trois points ${index}`, items: ['Un', 'Deux', 'Trois'] })),
      ],
    });
  }, 60_000);

  it('are taken in as many tabs as there are cores, each the same picture one tab takes', async () => {
    shots = new Map();
    printViews = 0;
    await build(buildOptions(deck, { formats: ['png'], pdf: true, printer: counting() }));
    const names = await pictures();
    expect(names.length).toBe(21);
    const cores = os.availableParallelism();
    expect(printViews).toBe(cores > 1 ? 2 : 1);
    expect([...shots.values()].filter((count) => count > 0).length).toBe(cores > 1 ? 2 : 1);
    expect([...shots.values()].reduce((sum, count) => sum + count, 0)).toBe(names.length);
    // Side by side, not one tab at a time.
    expect(mostInFlight).toBe(cores > 1 ? 2 : 1);
    const alone = await printer.withPage(async (page) => {
      const tab = await deckTab(page, { timeoutMs: 60_000, deviceScaleFactor: 1.5 });
      await openPrintView(tab, deck.out, 'index.html');
      await prepareForPaper(tab);
      return screenshotSlides(tab);
    });
    for (const [index, name] of names.entries()) expect((await readFile(path.join(deck.out, 'png', name))).equals(Buffer.from(alone.get(index)!)), name).toBe(true);
  }, 180_000);

  it('after an edit, a chart slide the edit does not touch keeps its picture', async () => {
    const before = await inodes();
    await editFile(path.join(deck.data, 'facts.csv'), (text) => text.replace(/^c\.fact,42,/m, 'c.fact,43,'));
    await build(buildOptions(deck, { formats: ['png'], pdf: true, printer }));
    const after = await inodes();
    expect([...after].filter(([name, ino]) => before.get(name) !== ino).map(([name]) => name)).toEqual(['02-figure.png', '21-sources.png']);
  }, 180_000);
});
