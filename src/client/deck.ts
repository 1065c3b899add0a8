// The deck's own browser script: starts reveal.js and draws the charts (charts.ts). In the print
// view (?print-pdf) every chart is drawn at once as a vector drawing, and window.datadeckChartsDrawn
// tells the printer when they are done; on screen each chart is drawn when its slide shows.
import type { DeckApi } from './contract.js';
import type {} from './vendor.js';

const printing = /(^|[?&])print-pdf(&|$)/.test(window.location.search);
// No motion for readers who ask for less (an OS setting), and for tools that drive the deck
// (DeckTape screenshots each slide right after showing it).
const animate = !navigator.webdriver && !window.matchMedia('(prefers-reduced-motion: reduce)').matches;
const charts = window.datadeckCharts;

// reveal.js lays the print view out after it says it is ready, and dispatches pdf-ready (bubbling)
// once every slide is on its page: a chart drawn before would take the size of a slide not yet
// laid out (on a loaded machine, a doughnut drawn a third of its size). Listened for before
// reveal.js starts, so the event cannot come first.
if (printing) {
  document.addEventListener('pdf-ready', () => {
    // Every slide is laid out on its own page at once: draw every chart, for paper.
    if (charts) charts.draw(document, { vector: true });
  }, { once: true });
}

function drawChartsIn(slide: HTMLElement | null | undefined): void {
  if (slide && charts) charts.draw(slide, { vector: false, animate });
}

// The global API (Reveal.initialize), not a private instance: tools and plugins that drive
// reveal.js from outside (DeckTape, the speaker view, browser extensions) find it there.
const deck = window.Reveal;
void deck.initialize({
  width: 1280,
  height: 720,
  // The theme's frame carries the margins, so a printed page is exactly one slide.
  margin: 0,
  hash: true,
  history: false,
  controls: true,
  progress: true,
  slideNumber: 'c/t',
  transition: 'fade',
  center: false,
  pdfSeparateFragments: false,
  pdfMaxPagesPerSlide: 1,
  plugins: window.RevealNotes ? [window.RevealNotes] : [],
}).then(() => {
  if (!printing) drawChartsIn(deck.getCurrentSlide());
});
deck.on('slidechanged', (event) => {
  if (!printing) drawChartsIn((event as Event & { currentSlide?: HTMLElement }).currentSlide);
});

// The print view, kept open by datadeck dev's printer: each new slide takes the place of the
// old one in its page, where reveal.js laid it out. A different number of slides needs a new
// layout: returns false, and the printer loads the page again.
function replacePrintedSlides(slidesHtml: string): boolean {
  const pages = document.querySelectorAll('.reveal .slides .pdf-page');
  const fresh = new DOMParser().parseFromString('<div>' + slidesHtml + '</div>', 'text/html').body.firstElementChild;
  const sections = fresh ? [...fresh.children].filter((child) => child.tagName === 'SECTION') : [];
  if (sections.length !== pages.length) return false;
  pages.forEach((page, index) => {
    const old = page.querySelector(':scope > section');
    const section = sections[index];
    if (!old || !section) throw new Error('a printed page without its slide');
    const next = document.importNode(section, true);
    next.setAttribute('style', old.getAttribute('style') ?? '');
    old.classList.forEach((name) => {
      if (/^(present|past|future)$/.test(name)) next.classList.add(name);
    });
    page.replaceChild(next, old);
  });
  if (charts) {
    charts.reset();
    charts.draw(document, { vector: true });
  }
  return true;
}

// Live editing (datadeck dev): swap in slides rebuilt from new data, staying where we are.
function replaceSlides(slidesHtml: string): boolean {
  if (printing) return replacePrintedSlides(slidesHtml);
  const indices = deck.getIndices();
  const slides = document.querySelector('.reveal .slides');
  if (!slides) throw new Error('the page has no .reveal .slides');
  slides.innerHTML = slidesHtml;
  if (charts) charts.reset();
  deck.sync();
  deck.slide(indices.h, indices.v, indices.f);
  drawChartsIn(deck.getCurrentSlide());
  return true;
}

const api: DeckApi = { deck, replaceSlides };
window.datadeck = api;
