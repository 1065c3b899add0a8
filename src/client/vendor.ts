/**
 * The globals the deck's pages get from the libraries loaded before our scripts, as classic
 * scripts copied into the deck (reveal.js, its notes plugin, Chart.js's UMD build, our svgcanvas
 * bundle). Types only: nothing of these libraries is bundled into our scripts.
 */
import type { BasicPlatform, Chart } from 'chart.js';
import type { RevealApi, RevealPluginFactory } from 'reveal.js';
import type { Context } from './svgcanvas-entry.js';

declare global {
  interface Window {
    /** chart.umd.min.js: the Chart class with every chart type registered, and its platforms. */
    Chart?: typeof Chart & { BasicPlatform: typeof BasicPlatform };
    /** svgcanvas.js (svgcanvas-entry.ts): a 2D context that draws SVG. */
    SVGCanvas: { Context: typeof Context };
    Reveal: RevealApi;
    RevealNotes?: RevealPluginFactory;
  }
}
