import { didYouMean } from '../suggest.js';

/**
 * How a figure is written in text: "13,7 milliards de dollars", "13,7 Md$", "13,7 milliards", and
 * for a ratio "×1,9" (multiplier).
 */
export const figureStyles = ['long', 'short', 'number', 'multiplier'] as const;
export type FigureStyle = (typeof figureStyles)[number];

/** `as: 'article'` shows what the article printed for the figure, to discuss a correction. */
export type TextSegment = { kind: 'text'; text: string } | { kind: 'figure'; id: string; style: FigureStyle; as: 'value' | 'article' };

export class PlaceholderError extends Error {}

const placeholder = /\{\{\s*([\s\S]*?)\s*\}\}/g;
/**
 * Either quote may surround an argument: a YAML value that starts with a figure must be quoted
 * itself, and `"{{fact 'id'}} comités"` needs no escaped inner quotes, as `"{{fact \"id\"}} comités"` does.
 */
const figureCall = /^(fact|article)\s+(?:"([^"]+)"|'([^']+)')(?:\s+(?:"([a-z]+)"|'([a-z]+)'))?$/;

/**
 * Beat text is plain text, never markup or a template: the only thing it may contain besides
 * words is {{fact "id"}} (optionally {{fact "id" "short"}}), which the renderer formats, and
 * {{article "id"}}, the figure as the article printed it; 'single' quotes work as "double" ones.
 */
export function parseBeatText(text: string): TextSegment[] {
  const segments: TextSegment[] = [];
  let last = 0;
  for (const match of text.matchAll(placeholder)) {
    if (match.index > last) segments.push({ kind: 'text', text: text.slice(last, match.index) });
    const call = figureCall.exec(match[1] ?? '');
    if (!call) throw new PlaceholderError(`"${match[0]}" is not a figure reference (write {{fact 'some.id'}} or {{fact 'some.id' 'short'}})`);
    const style = (call[4] ?? call[5] ?? 'long') as FigureStyle;
    if (!figureStyles.includes(style)) throw new PlaceholderError(`"${match[0]}": unknown style "${style}" (expected ${figureStyles.join(', ')})${didYouMean(style, figureStyles)}`);
    segments.push({ kind: 'figure', id: (call[2] ?? call[3])!, style, as: call[1] === 'article' ? 'article' : 'value' });
    last = match.index + match[0].length;
  }
  if (last < text.length) segments.push({ kind: 'text', text: text.slice(last) });
  return segments;
}
