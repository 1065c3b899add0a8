/** Units, looks and text runs: how a measured part of the deck becomes PowerPoint text. */
import type PptxGenJSModule from 'pptxgenjs';
import type { Box, PartBox, TextLook } from '../print/measure.js';
import type { Rich } from '../render/view.js';

export type TextProps = PptxGenJSModule.default.TextProps;
export type TextOptions = PptxGenJSModule.default.TextPropsOptions;

/** The slide is 1280x720 CSS pixels: 13.333 x 7.5 inches at 96 to the inch, a CSS pixel 0.75 point. */
export const slideSize = { w: 1280, h: 720 } as const;
export const inches = (px: number): number => px / 96;
export const points = (px: number): number => Math.round(px * 0.75 * 10) / 10;
export const emu = (px: number): number => Math.round((px / 96) * 914400);
export const colour = (hex: string): string => hex.replace('#', '').toUpperCase().padEnd(6, '0').slice(0, 6);

/** A text's look as PowerPoint text options: the theme's heading or body font, size, weight, colour, spacing. */
export function lookOptions(text: TextLook): TextOptions {
  return {
    fontFace: text.serif ? '+mj-lt' : '+mn-lt',
    fontSize: points(text.fontSize),
    bold: text.bold,
    italic: text.italic,
    color: colour(text.color),
    align: text.align,
    lineSpacing: points(text.lineHeight * text.fontSize),
    ...(text.letterSpacing ? { charSpacing: points(text.letterSpacing) } : {}),
  };
}

/**
 * Where a text box goes for the deck's text to sit where the browser drew it. Lines are spaced
 * exactly as in the deck (points, not a multiple of a font's height, which differs from font to
 * font). With exact spacing, LibreOffice puts a box's first baseline 0.2 em above the bottom of
 * its first line, whatever the font (measured on this deck's two fonts at 15 to 200 px), where
 * the browser centres the font in its line: the box moves to keep the baseline where it was.
 */
export function placement(part: PartBox): Box {
  const lineHeight = part.look.lineHeight * part.look.fontSize;
  const y = part.baseline - (lineHeight - 0.2 * part.look.fontSize);
  // The browser's width exactly: LibreOffice breaks lines where the browser does (a few pixels
  // more let a line keep a word the browser had moved to the next one).
  return { x: part.content.x, y, w: part.content.w, h: Math.max(part.content.h + part.content.y - y, lineHeight) };
}

/** A text box where the deck's text sits (see placement), in the look the deck gives it. */
export function textOptions(part: PartBox, lang: string, extra: TextOptions = {}): TextOptions {
  const where = placement(part);
  return { x: inches(where.x), y: inches(where.y), w: inches(where.w), h: inches(where.h), margin: 0, valign: 'top', fit: 'shrink', wrap: true, lang, ...lookOptions(part.look), ...extra };
}

/** A text's runs: figures bold, the rest as written; upper-cased when the deck shows it so. */
export function runsOf(rich: Rich | string, look: TextLook, lang: string): TextProps[] {
  const upper = (text: string): string => (look.uppercase ? text.toLocaleUpperCase(lang) : text);
  if (typeof rich === 'string') return [{ text: upper(rich) }];
  return rich.runs.map((run) => ({ text: upper(run.text), options: run.figure !== undefined ? { bold: true } : {} }));
}
