// Entry for the classic-script bundle (scripts/bundle-client.mjs, esbuild, IIFE global SVGCanvas):
//   window.SVGCanvas.Context: svgcanvas' Context with the fixes Chart.js needs (below). Chart.js draws
//   into it for print, so charts reach the PDF as vector drawings with real text.
import { Context as RawContext } from 'svgcanvas/index.js';

// One 2D context to measure text the way <canvas> lays it out.
let measurer: CanvasRenderingContext2D | null = null;
function measure(font: string, baseline: CanvasTextBaseline, text: string): TextMetrics {
  measurer ??= document.createElement('canvas').getContext('2d');
  if (!measurer) throw new Error('this browser has no 2D canvas to measure text with');
  measurer.font = font;
  measurer.textBaseline = baseline;
  return measurer.measureText(text);
}

export class Context extends RawContext {
  constructor(options: { width: number; height: number }) {
    super(options);
    // svgcanvas writes text-decoration="undefined" on every <text> otherwise.
    this.__fontUnderline = 'none';
  }

  /** Chart.js' BasicPlatform acquires the context with item.getContext('2d'); the Context is its own canvas. */
  getContext(type: string): this | null {
    return type === '2d' ? this : null;
  }

  override fillText(text: string, x: number, y: number, maxWidth?: number): void {
    this.#text('fillText', text, x, y, maxWidth);
  }

  override strokeText(text: string, x: number, y: number, maxWidth?: number): void {
    this.#text('strokeText', text, x, y, maxWidth);
  }

  // svgcanvas maps textBaseline to SVG dominant-baseline (top → text-before-edge, bottom →
  // text-after-edge, middle → central), which Chrome places 1.5–3 px away from where canvas puts the
  // same baseline. Emit alphabetic text instead, moved by canvas' own distance from the requested
  // baseline to the alphabetic one; the shift is in text space, so rotated text (axis titles) is right too.
  // Also honours maxWidth (canvas squeezes text to fit; svgcanvas ignored it) with textLength.
  #text(method: 'fillText' | 'strokeText', text: string, x: number, y: number, maxWidth: number | undefined): void {
    const baseline = this.textBaseline || 'alphabetic';
    const metrics = measure(this.font, baseline, String(text));
    this.textBaseline = 'alphabetic';
    try {
      super[method](text, x, y - metrics.alphabeticBaseline);
    } finally {
      this.textBaseline = baseline;
    }
    if (maxWidth !== undefined && maxWidth > 0 && metrics.width > maxWidth) {
      const element = this.__currentElement; // the <text> __applyText just made
      if (element && element.nodeName === 'text') {
        element.setAttribute('textLength', String(maxWidth));
        element.setAttribute('lengthAdjust', 'spacingAndGlyphs');
      }
    }
  }

  // Canvas keeps the current path after clip(); svgcanvas moves it into the <clipPath> and leaves a
  // <g> as the current element, so the next path commands and fill() land on the <g> ("Attempted to
  // apply path command to node g"). Chart.js does exactly that for bars with borderWidth > 0.
  override clip(): void {
    const path = this.__currentDefaultPath;
    super.clip();
    const element = this.__createElement('path', {}, true);
    this.__closestGroupOrSvg().appendChild(element);
    this.__currentElement = element;
    this.__currentDefaultPath = path;
  }

  // svgcanvas ignores the fill rule; Chart.js fills a bar's border ring with 'evenodd'.
  override fill(rule?: CanvasFillRule | Path2D): void {
    super.fill();
    if (rule === 'evenodd' && this.__currentElement.nodeName === 'path') {
      this.__currentElement.setAttribute('fill-rule', 'evenodd');
    }
  }

  // An empty <path> left behind (e.g. by clip() above) when a new path starts: drop it.
  override beginPath(): void {
    const current = this.__currentElement;
    if (current && current.nodeName === 'path' && !current.getAttribute('d') && current.parentNode) {
      // The new path goes where the dropped one was (svgcanvas looks for it from the current element).
      this.__currentElement = this.__closestGroupOrSvg(current.parentNode);
      current.parentNode.removeChild(current);
    }
    super.beginPath();
  }
}


