import type { DeckTab } from './tab.js';
import { findOverflows, pageScript, type Overflow } from './overflow-page.js';

export type { Overflow, OverflowPart } from './overflow-page.js';

/** reveal.js's print view: a page per slide, the slide inside it. */
const printPageSelector = '.reveal .slides .pdf-page';
/** The print view's slides as laid out: reveal.js's ?print-pdf puts each on its own 1280x720 page. */
export const slideSelector = `${printPageSelector} > section`;
/** The number reveal.js draws on each printed page, beside the slide (not a part of the deck's templates). */
export const slideNumberSelector = '.slide-number-pdf';

/** Opens an edition's deck in reveal.js's print view, every chart drawn for paper. */
export async function openPrintView(tab: DeckTab, deckDir: string, pagePath: string): Promise<void> {
  await tab.open(deckDir, pagePath, '?print-pdf', 'window.datadeckPdfReady === true && window.datadeckChartsDrawn === true');
}

/**
 * Measures every slide of the open print view: anything (box or text) that reaches beyond its
 * slide, anything in the slide's frame that runs into the frame's margins (and so into the
 * source line), and any box whose content is clipped. The worst case per slide is reported, with
 * the part that made the slide too big (a text, a list, a chart) and how much of it fits.
 */
export async function measureOverflow(tab: DeckTab): Promise<Overflow[]> {
  return tab.step('measuring the slides', tab.page.evaluate(pageScript(findOverflows, slideSelector)) as Promise<Overflow[]>);
}

/**
 * Readies the print view for a PDF people can navigate and assistive technology can read: every
 * slide visible to the accessibility tree (reveal.js hides all but one, and Chromium tags only
 * what that tree shows), and reveal-style #/id links made plain #id links, which become links
 * inside the PDF. Returns each page's title for the outline.
 */
export async function prepareForPaper(tab: DeckTab): Promise<string[]> {
  return tab.page.evaluate((selector: string) => {
    const sections = [...document.querySelectorAll(selector)];
    for (const section of sections) {
      section.removeAttribute('aria-hidden');
      section.removeAttribute('hidden');
    }
    for (const link of document.querySelectorAll('a[href^="#/"]')) {
      const id = decodeURIComponent(link.getAttribute('href')!.slice(2).split('/')[0]!);
      if (document.getElementById(id)) link.setAttribute('href', `#${id}`);
    }
    const clean = (text: string | null | undefined): string => (text ?? '').replace(/\s+/g, ' ').trim();
    return sections.map((section) => section.getAttribute('data-heading') ?? clean(section.querySelector('h1, h2')?.textContent));
  }, slideSelector);
}

export async function printSlides(tab: DeckTab): Promise<Uint8Array> {
  return tab.step('printing', tab.page.pdf({ printBackground: true, preferCSSPageSize: true, tagged: true, outline: false, timeout: tab.timeoutMs }));
}

/**
 * A digest of each slide of the open print view as laid out (its page's markup, charts drawn,
 * and the page's head and frame around it): two slides with the same digest look the same.
 */
export async function slideDigests(tab: DeckTab): Promise<string[]> {
  return tab.step('reading the slides', tab.page.evaluate(async (selector: string) => {
    const attributes = (element: Element | null): string => (element ? [...element.attributes].map((attribute) => `${attribute.name}=${attribute.value}`).join(' ') : '');
    const frame = [attributes(document.documentElement), document.head.outerHTML, attributes(document.body), attributes(document.querySelector('.reveal')), attributes(document.querySelector('.reveal .slides'))].join('\n');
    const digest = async (text: string): Promise<string> => [...new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text)))].map((byte) => byte.toString(16).padStart(2, '0')).join('');
    const frameDigest = await digest(frame);
    return Promise.all([...document.querySelectorAll(selector)].map((page) => digest(`${frameDigest}\n${page.outerHTML}`)));
  }, printPageSelector));
}

/**
 * One PNG per slide of the open print view (or of the slides `only` yields, by index: it may be
 * claiming them as it goes from a list other tabs take from too), at the tab's device scale (1.5:
 * 1920x1080), added to `images` as each is taken. Each is clipped to the slide's own 1280x720 from its
 * page's corner (reveal.js makes a print page a pixel shorter than its slide, so the page is not
 * the slide). The view is scrolled to each slide and only the viewport is captured: capturing
 * beyond the viewport lays out and paints the whole print view for every picture, which made
 * the pictures of a long deck cost in proportion to its length each. A slide the viewport cannot
 * hold (the last one, a pixel taller than the end of the page) is taken the slow way. While the
 * pictures are taken, the pages out of view are not rendered at all (content-visibility: a page's
 * size is fixed, so nothing moves): every new frame still walked the whole deck's pages, 194 ms a
 * picture at 302 slides against 124 at 26; 119 ms at both with it, and the same pixels.
 */
export async function screenshotSlides(tab: DeckTab, only?: Iterable<number>, images = new Map<number, Uint8Array>()): Promise<Map<number, Uint8Array>> {
  const { corners, width, height } = await tab.page.$$eval(printPageSelector, (pages) => ({
    corners: pages.map((page) => {
      const rect = page.getBoundingClientRect();
      return { x: rect.left + window.scrollX, y: rect.top + window.scrollY };
    }),
    width: document.documentElement.scrollWidth,
    height: document.documentElement.scrollHeight,
  }));
  try {
    for (const index of only ?? corners.map((_, at) => at)) {
      const corner = corners[index];
      if (!corner) continue;
      const clip = { ...corner, width: 1280, height: 720 };
      const fits = clip.x + clip.width <= width && clip.y + clip.height <= height;
      // The slow way is taken from the top of the page, as the pictures always were (text lands on
      // the same pixels), with every page rendered (what lies beyond the viewport is drawn too).
      const inView = await tab.page.evaluate((x: number, y: number, skipOutOfView: boolean, selector: string) => {
        for (const page of document.querySelectorAll<HTMLElement>(selector)) page.style.contentVisibility = skipOutOfView ? 'auto' : '';
        window.scrollTo(x, y);
        return window.scrollX === x && window.scrollY === y;
      }, fits ? clip.x : 0, fits ? clip.y : 0, fits, printPageSelector) && fits;
      images.set(index, await tab.step('taking a picture of a slide', tab.picture(clip, !inView)));
    }
  } finally {
    // Left as it was found: what is measured in this view after the pictures (the PowerPoint) sees every page.
    await tab.page.evaluate((selector: string) => {
      for (const page of document.querySelectorAll<HTMLElement>(selector)) page.style.removeProperty('content-visibility');
      window.scrollTo(0, 0);
    }, printPageSelector).catch(() => undefined);
  }
  return images;
}
