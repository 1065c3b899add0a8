// Live reload for `datadeck dev`: reloads on a new build (the URL hash keeps the slide and
// fragment), and shows located errors over the last good deck until the file is fixed.
import type { DevClientApi, PreviewState } from './contract.js';

let overlay: HTMLElement | null = null;

function showErrors(lines: string[]): void {
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

function clearErrors(): void {
  if (overlay) overlay.remove();
  overlay = null;
}

function start(script: HTMLScriptElement): void {
  // The build this page was rendered by, so a page loaded just before a rebuild still reloads.
  let pageBuild = Number(new URL(script.src).searchParams.get('build'));

  // A data edit swaps the slides in place (no reload, no flash); a template or theme edit, or
  // any failure to swap, reloads the page, and the URL hash keeps the slide and fragment.
  let updating = false;
  let latest: PreviewState | null = null;
  const update = (): void => {
    if (updating || latest === null || latest.build === pageBuild) return;
    const state = latest;
    const deck = window.datadeck;
    if (!(state.fullSince <= pageBuild && deck && deck.replaceSlides)) {
      window.location.reload();
      return;
    }
    updating = true;
    fetch(window.location.pathname, { cache: 'no-store' })
      .then((response) => response.text())
      .then((html) => {
        const next = new DOMParser().parseFromString(html, 'text/html');
        const slides = next.querySelector('.reveal .slides');
        if (!slides) throw new Error('no slides in the new build');
        document.title = next.title;
        deck.replaceSlides(slides.innerHTML);
        pageBuild = state.build;
        updating = false;
        update();
      })
      .catch(() => { window.location.reload(); });
  };

  const source = new EventSource('/__datadeck/events');
  source.addEventListener('state', (event) => {
    const state = JSON.parse((event as MessageEvent<string>).data) as PreviewState;
    latest = state;
    if (state.errors.length > 0) showErrors(state.errors);
    else clearErrors();
    update();
  });
  const api: DevClientApi = { source, build: () => pageBuild };
  window.datadeckDev = api;
}

// Served pages only, and not the print view the dev server's printer keeps open.
const script = document.currentScript;
if (window.location.protocol === 'http:' && !/print-pdf/.test(window.location.search) && script instanceof HTMLScriptElement) start(script);
