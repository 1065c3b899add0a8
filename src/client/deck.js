// The deck's own browser script: starts reveal.js and draws the charts (charts.js). In the print
// view (?print-pdf) every chart is drawn at once as a vector drawing, and window.datadeckChartsDrawn
// tells the printer when they are done; on screen each chart is drawn when its slide shows.
(function () {
  'use strict';

  var printing = /(^|[?&])print-pdf(&|$)/.test(window.location.search);
  // No motion for readers who ask for less (an OS setting), and for tools that drive the deck
  // (DeckTape screenshots each slide right after showing it).
  var animate = !navigator.webdriver && !window.matchMedia('(prefers-reduced-motion: reduce)').matches;
  var charts = window.datadeckCharts;

  function drawChartsIn(slide) {
    if (slide && charts) charts.draw(slide, { vector: false, animate: animate });
  }

  // The global API (Reveal.initialize), not a private instance: tools and plugins that drive
  // reveal.js from outside (DeckTape, the speaker view, browser extensions) find it there.
  var deck = window.Reveal;
  deck.initialize({
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
  }).then(function () {
    if (printing) {
      // Every slide is laid out on its own page at once: draw every chart, for paper.
      if (charts) charts.draw(document, { vector: true });
    } else {
      drawChartsIn(deck.getCurrentSlide());
    }
  });
  deck.on('slidechanged', function (event) { if (!printing) drawChartsIn(event.currentSlide); });

  // The print view, kept open by datadeck dev's printer: each new slide takes the place of the
  // old one in its page, where reveal.js laid it out. A different number of slides needs a new
  // layout: returns false, and the printer loads the page again.
  function replacePrintedSlides(slidesHtml) {
    var pages = document.querySelectorAll('.reveal .slides .pdf-page');
    var fresh = new DOMParser().parseFromString('<div>' + slidesHtml + '</div>', 'text/html').body.firstChild;
    var sections = Array.prototype.filter.call(fresh.children, function (child) { return child.tagName === 'SECTION'; });
    if (sections.length !== pages.length) return false;
    Array.prototype.forEach.call(pages, function (page, index) {
      var old = page.querySelector(':scope > section');
      var next = document.importNode(sections[index], true);
      next.setAttribute('style', old.getAttribute('style') || '');
      Array.prototype.forEach.call(old.classList, function (name) {
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
  function replaceSlides(slidesHtml) {
    if (printing) return replacePrintedSlides(slidesHtml);
    var indices = deck.getIndices();
    document.querySelector('.reveal .slides').innerHTML = slidesHtml;
    if (charts) charts.reset();
    deck.sync();
    deck.slide(indices.h, indices.v, indices.f);
    drawChartsIn(deck.getCurrentSlide());
    return true;
  }

  window.datadeck = { deck: deck, replaceSlides: replaceSlides };
})();
