// Draws the deck's charts with Chart.js from the specs the build embedded, on any page (the deck,
// its print view, the handout). On screen a chart is a canvas, animated unless motion is unwanted;
// for paper it is drawn into an SVG (svgcanvas), so the PDF gets vector shapes and real text.
// window.datadeckChartsDrawn turns true once every chart on the page is drawn.
(function () {
  'use strict';

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

  // Drawn charts by canvas element, not by chart id: a chart may appear on two slides (a recap).
  var charts = new Map();
  var pending = 0;

  function announce() {
    window.datadeckChartsDrawn = true;
    document.dispatchEvent(new CustomEvent('datadeck:charts-drawn'));
  }

  function specOf(canvas) {
    return JSON.parse(canvas.closest('figure').querySelector('script[data-chart-spec]').textContent);
  }

  // Prints each bar's figure as the slide says it ("13,7 Md$"), so the chart reads without the axis.
  // Its afterRender hook says when a chart is really drawn, however late Chart.js was asked.
  var valueLabels = {
    id: 'datadeckValueLabels',
    afterRender: function (chart, _args, options) {
      if (options.onRendered) options.onRendered(chart);
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

  function config(spec, options) {
    var horizontal = spec.orientation === 'horizontal';
    var numberFormat = new Intl.NumberFormat(spec.locale, { maximumFractionDigits: 1 });
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
      // Every bar keeps its label, however little room there is.
      ticks: { color: ink, autoSkip: false, font: { size: pixels('--chart-category-size', 21), weight: '600', family: sans } },
    };
    return {
      type: 'bar',
      data: {
        labels: spec.labels,
        datasets: [{ data: spec.values, backgroundColor: spec.roles.map(colour), borderRadius: 2, maxBarThickness: 150 }],
      },
      plugins: [valueLabels],
      options: {
        indexAxis: horizontal ? 'y' : 'x',
        // A vector drawing has a fixed size in slide pixels; a canvas follows its box.
        responsive: !options.vector,
        maintainAspectRatio: false,
        devicePixelRatio: options.vector ? 1 : Math.max(window.devicePixelRatio || 1, 2),
        animation: options.animate ? { duration: 700, onComplete: function () { options.onRendered(null); } } : false,
        layout: { padding: { right: horizontal ? 110 : 0, top: 8 } },
        scales: horizontal ? { x: valueAxis, y: categoryAxis } : { x: categoryAxis, y: valueAxis },
        plugins: {
          legend: { display: false },
          tooltip: { enabled: !options.vector },
          datadeckValueLabels: { labels: spec.valueLabels, color: ink, onRendered: options.animate ? null : options.onRendered },
        },
      },
    };
  }

  function drawn() {
    pending -= 1;
    if (pending === 0) announce();
  }

  function drawCanvas(canvas, animate) {
    var finished = false;
    charts.set(canvas, new window.Chart(canvas, config(specOf(canvas), {
      vector: false,
      animate: animate,
      onRendered: function () {
        if (finished) return;
        finished = true;
        canvas.setAttribute('data-chart-drawn', 'true');
        drawn();
      },
    })));
  }

  // The SVG takes the canvas's place, with its text alternative.
  function drawVector(canvas) {
    var box = getComputedStyle(canvas.parentNode);
    // Not offsetWidth: a hidden slide measures 0.
    var width = Math.round(parseFloat(box.width)) || 1104;
    var height = Math.round(parseFloat(box.height)) || 360;
    var context = new window.SVGCanvas.Context({ width: width, height: height });
    var finished = false;
    var chart = new window.Chart(context, Object.assign(config(specOf(canvas), {
      vector: true,
      animate: false,
      onRendered: function () {
        if (finished) return;
        finished = true;
        var svg = context.getSvg();
        svg.setAttribute('viewBox', '0 0 ' + width + ' ' + height);
        svg.setAttribute('class', 'chart-drawing');
        svg.setAttribute('role', 'img');
        svg.setAttribute('aria-label', canvas.getAttribute('aria-label'));
        svg.setAttribute('data-chart', canvas.getAttribute('data-chart'));
        svg.setAttribute('data-chart-drawn', 'true');
        canvas.replaceWith(svg);
        drawn();
      },
    }), { platform: window.Chart.BasicPlatform }));
    charts.set(canvas, chart);
  }

  /** How many bars a drawn chart has (its drawing or its canvas). */
  function barCount(element) {
    return specOf(element).labels.length;
  }

  /**
   * Draws a printed chart again, now and in the same box, with only its first `count` bars, in
   * place of its drawing; returns the trial drawing (the overflow check asks how many bars fit,
   * then puts the real drawing back). Without animation Chart.js draws synchronously.
   */
  function drawFirst(drawing, count) {
    var spec = specOf(drawing);
    var part = Object.assign({}, spec, {
      labels: spec.labels.slice(0, count),
      values: spec.values.slice(0, count),
      valueLabels: spec.valueLabels.slice(0, count),
      roles: spec.roles.slice(0, count),
    });
    var box = drawing.viewBox && drawing.viewBox.baseVal;
    var width = box && box.width ? box.width : drawing.getBoundingClientRect().width;
    var height = box && box.height ? box.height : drawing.getBoundingClientRect().height;
    var context = new window.SVGCanvas.Context({ width: width, height: height });
    var svg = null;
    var chart = new window.Chart(context, Object.assign(config(part, {
      vector: true,
      animate: false,
      onRendered: function () { svg = svg || context.getSvg().cloneNode(true); },
    }), { platform: window.Chart.BasicPlatform }));
    chart.destroy();
    if (!svg) throw new Error('the chart was not drawn synchronously');
    svg.setAttribute('viewBox', '0 0 ' + width + ' ' + height);
    svg.setAttribute('class', drawing.getAttribute('class'));
    svg.setAttribute('data-chart', drawing.getAttribute('data-chart'));
    drawing.replaceWith(svg);
    return svg;
  }

  /** The fonts charts measure their labels with, loaded before a drawing that cannot be redone. */
  function fontsReady() {
    if (!document.fonts || !document.fonts.load) return Promise.resolve();
    return Promise.all(['400', '600', '700'].map(function (weight) {
      return document.fonts.load(weight + ' 20px ' + sans).catch(function () { return undefined; });
    }));
  }

  /**
   * Draws the charts under `root` not drawn yet: `vector` for paper, else canvases (animated when
   * `animate`). Each chart is counted, so datadeckChartsDrawn waits for every one of the page.
   */
  function draw(root, options) {
    if (!window.Chart) return;
    var canvases = Array.prototype.filter.call((root || document).querySelectorAll('canvas[data-chart]'), function (canvas) {
      return !charts.has(canvas);
    });
    if (canvases.length === 0) return;
    if (options.vector) {
      canvases.forEach(function (canvas) { charts.set(canvas, null); });
      fontsReady().then(function () {
        canvases.forEach(drawVector);
      });
    } else {
      canvases.forEach(function (canvas) { drawCanvas(canvas, options.animate); });
    }
  }

  /** Forgets every chart (the dev server swaps the slides in place). */
  function reset() {
    charts.forEach(function (chart) { if (chart && chart.destroy) chart.destroy(); });
    charts.clear();
    pending = document.querySelectorAll('canvas[data-chart]').length;
    window.datadeckChartsDrawn = pending === 0;
  }

  pending = document.querySelectorAll('canvas[data-chart]').length;
  if (pending === 0) window.datadeckChartsDrawn = true;
  window.datadeckCharts = { draw: draw, reset: reset, charts: charts, barCount: barCount, drawFirst: drawFirst };
})();
