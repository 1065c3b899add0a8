// Live reload for `datadeck dev`: reloads on a new build (the URL hash keeps the slide and
// fragment), and shows located errors over the last good deck until the file is fixed.
(function () {
  'use strict';
  if (window.location.protocol !== 'http:' || /print-pdf/.test(window.location.search)) return;
  var overlay = null;
  // The build this page was rendered by, so a page loaded just before a rebuild still reloads.
  var pageBuild = Number(new URL(document.currentScript.src).searchParams.get('build'));

  function showErrors(lines) {
    if (!overlay) {
      overlay = document.createElement('div');
      overlay.id = 'datadeck-error-overlay';
      overlay.setAttribute('role', 'alert');
      Object.assign(overlay.style, {
        position: 'fixed',
        left: '0',
        right: '0',
        bottom: '0',
        maxHeight: '60%',
        overflow: 'auto',
        zIndex: '2147483647',
        background: 'rgba(20, 23, 26, 0.94)',
        color: '#ffd7d7',
        font: '15px/1.45 ui-monospace, monospace',
        padding: '18px 24px',
        whiteSpace: 'pre-wrap',
        borderTop: '4px solid #d33',
      });
      document.body.appendChild(overlay);
    }
    // textContent: messages quote user data and must never become markup.
    overlay.textContent = 'datadeck: the last edit did not build; showing the last good deck.\n\n' + lines.join('\n');
  }

  function clearErrors() {
    if (overlay) overlay.remove();
    overlay = null;
  }

  // A data edit swaps the slides in place (no reload, no flash); a template or theme edit, or
  // any failure to swap, reloads the page, and the URL hash keeps the slide and fragment.
  var updating = false;
  var latest = null;
  function update() {
    if (updating || latest === null || latest.build === pageBuild) return;
    var state = latest;
    var canSwap = state.fullSince <= pageBuild && window.datadeck && window.datadeck.replaceSlides;
    if (!canSwap) {
      window.location.reload();
      return;
    }
    updating = true;
    fetch(window.location.pathname, { cache: 'no-store' })
      .then(function (response) { return response.text(); })
      .then(function (html) {
        var next = new DOMParser().parseFromString(html, 'text/html');
        var slides = next.querySelector('.reveal .slides');
        if (!slides) throw new Error('no slides in the new build');
        document.title = next.title;
        window.datadeck.replaceSlides(slides.innerHTML);
        pageBuild = state.build;
        updating = false;
        update();
      })
      .catch(function () { window.location.reload(); });
  }

  var source = new EventSource('/__datadeck/events');
  source.addEventListener('state', function (event) {
    latest = JSON.parse(event.data);
    if (latest.errors.length > 0) showErrors(latest.errors);
    else clearErrors();
    update();
  });
  window.datadeckDev = { source: source, build: function () { return pageBuild; } };
})();
