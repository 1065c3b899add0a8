// The look of a chart, read from the theme (theme.css, and palette.css from the deck's theme.yaml),
// and what the drawing needs to compute from it: muted and distinct shades, text that reads on a
// fill, text widths measured as the canvas will draw them.

const theme = getComputedStyle(document.documentElement);

export function token(name: string, fallback: string): string {
  return theme.getPropertyValue(name).trim() || fallback;
}
export function pixels(name: string, fallback: number): number {
  return parseFloat(token(name, '')) || fallback;
}
export function roleColour(role: string): string {
  return token('--role-' + role, token('--role-neutral', '#888888'));
}

export const ink = token('--ink', '#000000');
export const inkSoft = token('--ink-soft', ink);
export const paper = token('--paper', '#ffffff');
export const sans = token('--sans', 'sans-serif');
export const sizes = {
  tick: pixels('--chart-tick-size', 18),
  category: pixels('--chart-category-size', 21),
  value: pixels('--chart-value-size', 22),
};
export const grid = token('--chart-grid', 'rgba(0,0,0,0.08)');

// One 2D context to read colours and measure text the way the canvas draws them.
let scratch: CanvasRenderingContext2D | null = null;
function context(): CanvasRenderingContext2D {
  scratch ??= document.createElement('canvas').getContext('2d');
  if (!scratch) throw new Error('this browser has no 2D canvas');
  return scratch;
}

export function textWidth(text: string, font: string): number {
  const ctx = context();
  ctx.font = font;
  return ctx.measureText(text).width;
}

export function font(weight: number, size: number): string {
  return weight + ' ' + size + 'px ' + sans;
}

type Rgb = [number, number, number];

/** Any CSS colour as red, green, blue (0-255), as the canvas reads it. */
function rgbOf(css: string): Rgb {
  const ctx = context();
  ctx.fillStyle = '#000000';
  ctx.fillStyle = css;
  const value = String(ctx.fillStyle);
  if (value.startsWith('#')) return [1, 3, 5].map((at) => parseInt(value.slice(at, at + 2), 16)) as Rgb;
  const parts = /rgba?\(([^)]*)\)/.exec(value)?.[1]?.split(',').map(Number) ?? [0, 0, 0];
  return [parts[0] ?? 0, parts[1] ?? 0, parts[2] ?? 0];
}

function hex(rgb: Rgb): string {
  return '#' + rgb.map((channel) => Math.round(channel).toString(16).padStart(2, '0')).join('');
}

/** `amount` of the colour on the paper: solid, so paper and screen show the same shade. */
export function onPaper(css: string, amount: number): string {
  const colour = rgbOf(css);
  const ground = rgbOf(paper);
  return hex(colour.map((channel, i) => channel * amount + ground[i]! * (1 - amount)) as Rgb);
}

/** The shade of a category that a highlight leaves in the background. */
export function muted(css: string): string {
  return onPaper(css, 0.3);
}

/** Colours told apart: a role met again is drawn lighter each time (two parts of one role). */
export function distinct(colours: readonly string[]): string[] {
  const seen = new Map<string, number>();
  return colours.map((colour) => {
    const times = seen.get(colour) ?? 0;
    seen.set(colour, times + 1);
    return times === 0 ? colour : onPaper(colour, Math.pow(0.6, times));
  });
}

/** Ink or paper, whichever reads better on the fill (WCAG relative luminance). */
export function textOn(fill: string): string {
  const linear = rgbOf(fill).map((channel) => {
    const c = channel / 255;
    return c <= 0.03928 ? c / 12.92 : Math.pow((c + 0.055) / 1.055, 2.4);
  });
  const luminance = 0.2126 * linear[0]! + 0.7152 * linear[1]! + 0.0722 * linear[2]!;
  return luminance > 0.4 ? ink : '#ffffff';
}
