/**
 * Every field a slide of deck.yaml may have, described once: the kind of value it holds, which of
 * its words a translation gives, and the name the slide's view (and so its layout) shows it by.
 * The slide schema and the translation file's (data/schema.ts), the translation checks
 * (data/translations.ts), the model (model/slides.ts), the view (render/view.ts) and the fields a
 * layout may declare (render/engine.ts) derive from this table: a new text field is one row.
 *
 * The rows are in the order a reader meets a slide's fields when its layout does not say
 * otherwise (which numbers its sources), and deck.yaml's fields are listed in that order.
 */

/**
 * text: one string with figure placeholders; paragraphs: one or a list of them; list: a list of
 * them (bullets); figure-ref: a fact or derived figure's id; chart-ref: a chart's id; table-ref: a table's id (a chart of type table); columns: the
 * comparison's columns; notes: the speaker notes (text, but not on the slide); claims: checked
 * comparisons; id and layout: the slide's own.
 */
export type FieldKind = 'layout' | 'id' | 'text' | 'paragraphs' | 'list' | 'figure-ref' | 'chart-ref' | 'table-ref' | 'columns' | 'notes' | 'claims';

export interface SlideFieldRow {
  /** Its key in deck.yaml. */
  name: string;
  kind: FieldKind;
  /** Whether a translation gives its words: all of it, or these keys of each of its entries. */
  words: boolean | readonly string[];
  /** Its name in the slide's view, which layouts use ({{figureCaption}}); absent when layouts never show it. */
  view?: string;
}

export const slideFieldTable = [
  { name: 'layout', kind: 'layout', words: false },
  { name: 'id', kind: 'id', words: false },
  { name: 'kicker', kind: 'text', words: true, view: 'kicker' },
  { name: 'title', kind: 'text', words: true, view: 'title' },
  { name: 'subtitle', kind: 'text', words: true, view: 'subtitle' },
  { name: 'byline', kind: 'text', words: true, view: 'byline' },
  { name: 'number', kind: 'figure-ref', words: false, view: 'figure' },
  { name: 'number_caption', kind: 'text', words: true, view: 'figureCaption' },
  { name: 'text', kind: 'paragraphs', words: true, view: 'text' },
  { name: 'columns', kind: 'columns', words: ['label', 'caption'], view: 'columns' },
  { name: 'items', kind: 'list', words: true, view: 'items' },
  { name: 'chart', kind: 'chart-ref', words: false, view: 'chart' },
  { name: 'table', kind: 'table-ref', words: false, view: 'table' },
  { name: 'quote', kind: 'text', words: true, view: 'quote' },
  { name: 'attribution', kind: 'text', words: true, view: 'attribution' },
  { name: 'notes', kind: 'notes', words: true, view: 'notes' },
  { name: 'claims', kind: 'claims', words: ['says'] },
] as const satisfies readonly SlideFieldRow[];

export type SlideFieldEntry = (typeof slideFieldTable)[number];
export type SlideFieldName = SlideFieldEntry['name'];
/** The rows of one kind (their names and view names typed). */
export type FieldsOfKind<K extends FieldKind> = Extract<SlideFieldEntry, { kind: K }>;

/** The fields of a slide, by name, in the table's order. */
export const slideFields: readonly SlideFieldName[] = slideFieldTable.map((row) => row.name);

export function fieldsOfKind<K extends FieldKind>(...kinds: K[]): FieldsOfKind<K>[] {
  return slideFieldTable.filter((row): row is FieldsOfKind<K> => (kinds as FieldKind[]).includes(row.kind));
}

export type TranslatedField = Exclude<SlideFieldEntry, { words: false }>;
/** Fields a translation gives words for. */
export const translatedFields: readonly TranslatedField[] = slideFieldTable.filter((row): row is TranslatedField => row.words !== false);

/** The keys of a column that carry words (its label and caption). */
export const columnWords = slideFieldTable.find((row) => row.kind === 'columns')!.words;

/** Slide fields by the name their view gives them: `figureCaption` is number_caption. */
export const fieldByView: ReadonlyMap<string, SlideFieldEntry> = new Map(slideFieldTable.flatMap((row) => ('view' in row ? [[row.view, row] as const] : [])));

/** Fields that hold a list of like entries, which a layout may bound (`limits: { items: 8 }`). */
export const listFields: readonly SlideFieldName[] = fieldsOfKind('paragraphs', 'list', 'columns').map((row) => row.name);
