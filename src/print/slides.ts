import type { DeckTab } from './tab.js';

/** How far one slide's content reaches beyond where it may go, as measured in the browser. */
export interface Overflow {
  /** 0-based position of the slide in the deck. */
  index: number;
  /** The element that reaches furthest, as "tag.class". */
  element: string;
  side: 'top' | 'bottom' | 'left' | 'right' | 'clipped';
  pixels: number;
}

/** The print view's slides as laid out: reveal.js's ?print-pdf puts each on its own 1280x720 page. */
const slideSelector = '.reveal .slides .pdf-page > section';

/** Opens an edition's deck in reveal.js's print view, every chart drawn for paper. */
export async function openPrintView(tab: DeckTab, deckDir: string, pagePath: string): Promise<void> {
  await tab.open(deckDir, pagePath, '?print-pdf', 'window.datadeckPdfReady === true && window.datadeckChartsDrawn === true');
}

/**
 * Measures every slide of the open print view: anything (box or text) that reaches beyond its
 * slide, anything in the slide's frame that runs into the frame's margins (and so into the
 * source line), and any box whose content is clipped. The worst case per slide is reported.
 */
export async function measureOverflow(tab: DeckTab): Promise<Overflow[]> {
  return tab.step('measuring the slides', tab.page.evaluate((selector: string) => {
    const found: { index: number; element: string; side: 'top' | 'bottom' | 'left' | 'right' | 'clipped'; pixels: number }[] = [];
    const describe = (element: Element): string => `${element.tagName.toLowerCase()}${element.classList.length ? `.${[...element.classList].join('.')}` : ''}`;
    document.querySelectorAll(selector).forEach((section, index) => {
      const slide = section.getBoundingClientRect();
      const frame = section.querySelector('.frame');
      let frameBox: { top: number; bottom: number; left: number; right: number } | undefined;
      if (frame) {
        const rect = frame.getBoundingClientRect();
        const style = getComputedStyle(frame);
        frameBox = {
          top: rect.top + parseFloat(style.paddingTop),
          bottom: rect.bottom - parseFloat(style.paddingBottom),
          left: rect.left + parseFloat(style.paddingLeft),
          right: rect.right - parseFloat(style.paddingRight),
        };
      }
      let worst: { element: string; side: 'top' | 'bottom' | 'left' | 'right' | 'clipped'; pixels: number } | undefined;
      const consider = (element: Element, rect: DOMRect, slack: number): void => {
        if (rect.width === 0 && rect.height === 0) return;
        const limit = frameBox && frame!.contains(element) && element !== frame ? frameBox : slide;
        const reach = { top: limit.top - rect.top, bottom: rect.bottom - limit.bottom, left: limit.left - rect.left, right: rect.right - limit.right };
        for (const side of ['top', 'bottom', 'left', 'right'] as const) {
          // Sub-pixel rounding is not overflow, nor the font's line box standing above a tight line height.
          const allowed = side === 'top' || side === 'bottom' ? slack : 1.5;
          if (reach[side] > allowed && (!worst || reach[side] > worst.pixels)) worst = { element: describe(element), side, pixels: Math.round(reach[side]) };
        }
      };
      for (const element of section.querySelectorAll('*')) {
        // Speaker notes are not shown; a visually hidden element (a chart's table) is for screen readers.
        if (element.closest('aside.notes, script, style, template, .visually-hidden')) continue;
        // Text can spill out of its box without moving the box: measure the text too, allowing for
        // the font's ascent and descent, which reach past a line height tighter than the font (an
        // inline element's box is that text box too).
        const computed = getComputedStyle(element);
        const fontSize = parseFloat(computed.fontSize) || 16;
        const textSlack = 1.5 + fontSize * 0.3;
        consider(element, element.getBoundingClientRect(), computed.display === 'inline' ? textSlack : 1.5);
        for (const node of element.childNodes) {
          if (node.nodeType !== Node.TEXT_NODE || !node.textContent?.trim()) continue;
          const range = document.createRange();
          range.selectNodeContents(node);
          consider(element, range.getBoundingClientRect(), textSlack);
        }
        if (/(hidden|clip|scroll|auto)/.test(`${computed.overflowX} ${computed.overflowY}`)) {
          const clipped = Math.max(element.scrollHeight - element.clientHeight, element.scrollWidth - element.clientWidth);
          if (clipped > 1.5 && (!worst || clipped > worst.pixels)) worst = { element: describe(element), side: 'clipped', pixels: clipped };
        }
      }
      if (worst) found.push({ index, ...worst });
    });
    return found;
  }, slideSelector));
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
 * One PNG per slide of the open print view, at the tab's device scale (1.5: 1920x1080). Each is
 * clipped to the slide's own 1280x720 from its page's corner (reveal.js makes a print page a
 * pixel shorter than its slide, so the page is not the slide).
 */
export async function screenshotSlides(tab: DeckTab): Promise<Uint8Array[]> {
  const corners = await tab.page.$$eval('.reveal .slides .pdf-page', (pages) =>
    pages.map((page) => {
      const rect = page.getBoundingClientRect();
      return { x: rect.left + window.scrollX, y: rect.top + window.scrollY };
    }),
  );
  const images: Uint8Array[] = [];
  for (const corner of corners) {
    images.push(await tab.step('taking a picture of a slide', tab.page.screenshot({ type: 'png', optimizeForSpeed: true, captureBeyondViewport: true, clip: { ...corner, width: 1280, height: 720 } })));
  }
  return images;
}
