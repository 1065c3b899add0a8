/**
 * The contract between layouts and what reads a rendered slide (the measurer, the PowerPoint
 * export, the overflow check): a layout marks each part it draws with `data-part`, what the part
 * is, and, when it shows a field of the slide, `data-field`, a path into the slide's view
 * (`kicker`, `text.0`, `items.3`, `columns.1.label`, `chart`). Readers ask for parts, never for
 * CSS classes, which stay the theme's.
 */
import { fieldByView } from '../data/fields.js';

/** The kinds of part, each with what an export makes of it. */
export const partKinds = {
  frame: "the slide's content box, inside its margins",
  text: 'text, drawn in its own box; a text part inside another is a run of it, in its own look',
  'list-item': 'text with a marker (a bullet), in its own box',
  box: 'decoration only: its borders are drawn as rules, its ::before marker as a shape',
  chart: 'a chart (its field is chart)',
  table: 'a table of figures (its field is table): a header row, a row per category',
  footnote: "the slide's source line (its field is footnote)",
  sources: 'the list of sources on a sources slide',
  source: 'one entry of that list (its field is sources.entries.N)',
  'source-origin': "the look of a source entry's origin line",
  'source-status': "the look of a source entry's status mark",
} as const;
export type PartKind = keyof typeof partKinds;

export const isPartKind = (kind: string): kind is PartKind => Object.hasOwn(partKinds, kind);

/** What a part's data-field may start with: a field of the slide as its view names it, or one the page adds. */
export const partFields: readonly string[] = [...[...fieldByView.keys()].filter((view) => view !== 'notes'), 'footnote', 'sources'];

/** The value a data-field names in a slide's view (`columns.1.label`), or undefined when the path leads nowhere. */
export function valueAtField(view: object, field: string): unknown {
  let current: unknown = view;
  for (const key of field.split('.')) {
    if (typeof current !== 'object' || current === null) return undefined;
    if (Array.isArray(current)) {
      if (!/^\d+$/.test(key)) return undefined;
      current = current[Number(key)];
    } else current = Object.hasOwn(current, key) ? (current as Record<string, unknown>)[key] : undefined;
  }
  return current;
}
