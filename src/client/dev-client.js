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
      var style = overlay.style;
      style.position = 'fixed';
      style.left = '0';
      style.right = '0';
      style.bottom = '0';
      style.maxHeight = '60%';
      style.overflow = 'auto';
      style.zIndex = '2147483647';
      style.background = 'rgba(20, 23, 26, 0.94)';
      style.color = '#ffd7d7';
      style.font = '15px/1.45 ui-monospace, monospace';
      style.padding = '18px 24px';
      style.whiteSpace = 'pre-wrap';
      style.borderTop = '4px solid #d33';
      document.body.appendChild(overlay);
    }
    // textContent: messages quote user data and must never become markup.
    overlay.textContent = 'datadeck: the last edit did not build; showing the last good deck.\n\n' + lines.join('\n');
  }

  function clearErrors() {
    if (overlay) overlay.remove();
    overlay = null;
  }

  var source = new EventSource('/__datadeck/events');
  source.addEventListener('state', function (event) {
    var state = JSON.parse(event.data);
    if (state.build !== pageBuild) {
      window.location.reload();
      return;
    }
    if (state.errors.length > 0) showErrors(state.errors);
    else clearErrors();
  });
  window.datadeckDev = { source: source };
})();
