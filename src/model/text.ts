import { figureStyles, type FigureStyle } from '../render/format.js';

export type TextSegment = { kind: 'text'; text: string } | { kind: 'figure'; id: string; style: FigureStyle };

export class PlaceholderError extends Error {}

const placeholder = /\{\{\s*([\s\S]*?)\s*\}\}/g;
const figureCall = /^fact\s+"([^"]+)"(?:\s+"([a-z]+)")?$/;

/**
 * Beat text is plain text, never markup or a template: the only thing it may contain besides
 * words is {{fact "id"}} (optionally {{fact "id" "short"}}), which the renderer formats.
 */
export function parseBeatText(text: string): TextSegment[] {
  const segments: TextSegment[] = [];
  let last = 0;
  for (const match of text.matchAll(placeholder)) {
    if (match.index > last) segments.push({ kind: 'text', text: text.slice(last, match.index) });
    const call = figureCall.exec(match[1] ?? '');
    if (!call) throw new PlaceholderError(`"${match[0]}" is not a figure reference (write {{fact "some.id"}})`);
    const style = (call[2] ?? 'long') as FigureStyle;
    if (!figureStyles.includes(style)) throw new PlaceholderError(`"${match[0]}": unknown style "${call[2]}" (expected ${figureStyles.join(', ')})`);
    segments.push({ kind: 'figure', id: call[1]!, style });
    last = match.index + match[0].length;
  }
  if (last < text.length) segments.push({ kind: 'text', text: text.slice(last) });
  return segments;
}
