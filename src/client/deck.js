// The deck's own browser script: starts reveal.js, draws the charts from the specs the build
// embedded, and announces when everything is drawn so the PDF step can wait on a signal.
(function () {
  'use strict';

  var printing = /(^|[?&])print-pdf(&|$)/.test(window.location.search);
  // The theme (theme.css, and palette.css from the deck's theme.yaml) says every colour and size.
  var theme = getComputedStyle(document.documentElement);
  function token(name, fallback) {
    return theme.getPropertyValue(name).trim() || fallback;
  }
  function colour(role) {
    return token('--role-' + role, token('--role-neutral', '#888888'));
  }
  function pixels(name, fallback) {
    return parseFloat(token(name, '')) || fallback;
  }
  var ink = token('--ink', '#000000');
  var inkSoft = token('--ink-soft', ink);
  var sans = token('--sans', 'sans-serif');

  // Drawn charts by canvas, not by chart id: a chart may appear on two slides (a recap).
  var charts = new Map();
  var pending = document.querySelectorAll('canvas[data-chart]').length;

  // Called from Chart.js's own afterRender hook, so "drawn" means the pixels are there, however
  // late the chart was created.
  function chartDrawn(canvas) {
    if (canvas.hasAttribute('data-chart-drawn')) return;
    canvas.setAttribute('data-chart-drawn', 'true');
    pending -= 1;
    if (pending === 0) {
      window.datadeckChartsDrawn = true;
      document.dispatchEvent(new CustomEvent('datadeck:charts-drawn'));
    }
  }

  // Prints each bar's figure as the slide says it ("13,7 Md$"), so the chart reads without the axis.
  var valueLabels = {
    id: 'datadeckValueLabels',
    afterRender: function (chart) {
      // Animated, the first frames show bars on their way up: onComplete says when they are done.
      if (chart.options.animation === false) chartDrawn(chart.canvas);
    },
    afterDatasetsDraw: function (chart, _args, options) {
      var ctx = chart.ctx;
      var meta = chart.getDatasetMeta(0);
      var horizontal = chart.options.indexAxis === 'y';
      ctx.save();
      ctx.fillStyle = options.color;
      ctx.font = '700 ' + pixels('--chart-value-size', 22) + 'px ' + sans;
      ctx.textAlign = horizontal ? 'left' : 'center';
      ctx.textBaseline = horizontal ? 'middle' : 'bottom';
      meta.data.forEach(function (bar, index) {
        var text = options.labels[index];
        if (horizontal) ctx.fillText(text, bar.x + 10, bar.y);
        else ctx.fillText(text, bar.x, bar.y - 8);
      });
      ctx.restore();
    },
  };

  function drawChart(canvas) {
    if (charts.has(canvas) || !window.Chart) return;
    var specElement = canvas.closest('figure').querySelector('script[data-chart-spec]');
    var spec = JSON.parse(specElement.textContent);
    var horizontal = spec.orientation === 'horizontal';
    var numberFormat = new Intl.NumberFormat(spec.locale, { maximumFractionDigits: 1 });
    // No motion for print, for readers who ask for less (an OS setting), and for tools that drive
    // the deck (DeckTape screenshots each slide right after showing it).
    var animate = !printing && !navigator.webdriver && !window.matchMedia('(prefers-reduced-motion: reduce)').matches;
    var valueAxis = {
      beginAtZero: true,
      grace: '12%',
      grid: { color: token('--chart-grid', 'rgba(0,0,0,0.08)') },
      border: { display: false },
      ticks: { color: inkSoft, font: { size: pixels('--chart-tick-size', 18), family: sans }, callback: function (value) { return numberFormat.format(value).replace(/\u202f/g, '\u00a0'); } },
      title: { display: spec.axisTitle !== '', text: spec.axisTitle, color: inkSoft, font: { size: pixels('--chart-tick-size', 18), family: sans } },
    };
    var categoryAxis = {
      grid: { display: false },
      border: { color: inkSoft },
      ticks: { color: ink, font: { size: pixels('--chart-category-size', 21), weight: '600', family: sans } },
    };
    charts.set(canvas, new window.Chart(canvas, {
      type: 'bar',
      data: {
        labels: spec.labels,
        datasets: [{ data: spec.values, backgroundColor: spec.roles.map(colour), borderRadius: 2, maxBarThickness: 150 }],
      },
      plugins: [valueLabels],
      options: {
        indexAxis: horizontal ? 'y' : 'x',
        responsive: true,
        maintainAspectRatio: false,
        // Two device pixels per slide pixel keep the printed PDF sharp.
        devicePixelRatio: Math.max(window.devicePixelRatio || 1, 2),
        animation: animate ? { duration: 700, onComplete: function () { chartDrawn(canvas); } } : false,
        layout: { padding: { right: horizontal ? 110 : 0, top: 8 } },
        scales: horizontal ? { x: valueAxis, y: categoryAxis } : { x: categoryAxis, y: valueAxis },
        plugins: {
          legend: { display: false },
          tooltip: { enabled: !printing },
          datadeckValueLabels: { labels: spec.valueLabels, color: ink },
        },
      },
    }));
  }

  function drawChartsIn(slide) {
    if (!slide) return;
    slide.querySelectorAll('canvas[data-chart]').forEach(drawChart);
  }

  if (pending === 0) window.datadeckChartsDrawn = true;

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
      // Every slide is laid out on its own page at once; draw all charts without animation.
      document.querySelectorAll('canvas[data-chart]').forEach(drawChart);
    } else {
      drawChartsIn(deck.getCurrentSlide());
    }
  });
  deck.on('slidechanged', function (event) { drawChartsIn(event.currentSlide); });

  // Live editing (datadeck dev): swap in slides rebuilt from new data, staying where we are.
  function replaceSlides(slidesHtml) {
    charts.forEach(function (chart) { chart.destroy(); });
    charts.clear();
    var indices = deck.getIndices();
    document.querySelector('.reveal .slides').innerHTML = slidesHtml;
    pending = document.querySelectorAll('canvas[data-chart]').length;
    window.datadeckChartsDrawn = pending === 0;
    deck.sync();
    deck.slide(indices.h, indices.v, indices.f);
    drawChartsIn(deck.getCurrentSlide());
  }

  window.datadeck = { deck: deck, charts: charts, replaceSlides: replaceSlides };
})();
