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

  // Live editing (datadeck dev): swap in slides rebuilt from new data, staying where we are.
  function replaceSlides(slidesHtml) {
    var indices = deck.getIndices();
    document.querySelector('.reveal .slides').innerHTML = slidesHtml;
    if (charts) charts.reset();
    deck.sync();
    deck.slide(indices.h, indices.v, indices.f);
    if (printing) {
      if (charts) charts.draw(document, { vector: true });
    } else {
      drawChartsIn(deck.getCurrentSlide());
    }
  }

  window.datadeck = { deck: deck, replaceSlides: replaceSlides };
})();
