// Category labels that wrap onto several lines to fit their category's width, rather than slant
// into each other (Chart.js rotates labels that do not fit; a multi-line label is an array).
import { textWidth } from './chart-theme.js';

/**
 * The label in lines no wider than `width`, split between words. A label with a word wider than
 * that stays whole: no wrapping can fit it, and Chart.js slants it (the chart has too many bars
 * for their labels, which the overflow check reports).
 */
export function wrapLabel(label: string, width: number, font: string): string | string[] {
  const words = label.split(/\s+/).filter(Boolean);
  if (words.length < 2 || textWidth(label, font) <= width) return label;
  if (words.some((word) => textWidth(word, font) > width)) return label;
  const lines: string[] = [];
  let line = '';
  for (const word of words) {
    const longer = line === '' ? word : line + ' ' + word;
    if (line !== '' && textWidth(longer, font) > width) {
      lines.push(line);
      line = word;
    } else line = longer;
  }
  lines.push(line);
  return lines;
}
