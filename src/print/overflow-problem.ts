import type { DataProblem, SourceLocation } from '../errors.js';
import type { LoadedData } from '../data/load.js';
import type { Slide } from '../data/schema.js';
import type { YamlPath } from '../data/yaml.js';
import type { DeckModel } from '../model/deck.js';
import type { SourcedFact } from '../model/figures.js';
import { fieldsOfKind } from '../data/fields.js';
import type { DeckView, Rich, SlideView } from '../render/view.js';
import type { Overflow, OverflowPart } from './overflow-page.js';

/** An edition as measured: what it was made from, to say where a slide that does not fit is written. */
export interface MeasuredEdition {
  lang: string;
  model: DeckModel;
  data: LoadedData;
  view: DeckView;
}

type TextPart = Extract<OverflowPart, { kind: 'text' }>;
type ListPart = Extract<OverflowPart, { kind: 'list' }>;

/** A field of a slide as shown: where it is written (under the slide), how a message names it, its text. */
interface Field {
  /** Its data-field in the slide's view (`text.0`, `columns.1.label`). */
  view: string;
  path: YamlPath;
  name: string;
  text: string;
}

const collapse = (text: string): string => text.replace(/\s+/g, ' ').trim();
const count = (value: number): string => value.toLocaleString('en-US');
/** "about 150": a measured count of characters is not exact to the unit. */
const about = (value: number): string => count(value < 100 ? value : Number(value.toPrecision(2)));

/** At most a few words of a text, for a message: `Par tête, l’écart est vertigineux et…`. */
export function excerpt(text: string, words = 6, characters = 40): string {
  const all = collapse(text);
  let cut = all.split(' ').slice(0, words).join(' ');
  if ([...cut].length > characters) {
    const chars = [...cut].slice(0, characters).join('');
    // A word cut short is dropped, unless it is long enough to be the point.
    cut = chars.replace(/\s+\S{1,15}$/, '');
  }
  return cut.length < all.length ? `${cut.replace(/[\s,;:.]+$/, '')}…` : all;
}

/** Every field a content slide shows, as written in its view. */
function fieldsOf(view: SlideView, slide: Slide | undefined): Field[] {
  const fields: Field[] = [];
  const add = (field: string, path: YamlPath, name: string, rich: Rich | null | undefined): void => {
    if (rich) fields.push({ view: field, path, name, text: collapse(rich.text) });
  };
  for (const row of fieldsOfKind('text')) add(row.view, [row.name], `its ${row.name.replace(/_/g, ' ')}`, view[row.view]);
  view.text.forEach((paragraph, i) => add(`text.${i}`, Array.isArray(slide?.text) ? ['text', i] : ['text'], view.text.length > 1 ? `paragraph ${i + 1} of its text` : 'its text', paragraph));
  add('figure', ['number'], 'its number', view.figure);
  view.items?.forEach((item, i) => add(`items.${i}`, ['items', i], `its item ${i + 1}`, item));
  view.columns?.forEach((column, i) => {
    add(`columns.${i}.figure`, ['columns', i, 'fact'], `the figure of its column ${i + 1}`, column.figure);
    add(`columns.${i}.label`, ['columns', i, 'label'], `the label of its column ${i + 1}`, column.label);
    add(`columns.${i}.caption`, ['columns', i, 'caption'], `the caption of its column ${i + 1}`, column.caption);
  });
  return fields;
}

/** A text too long (or a word too wide), how much of it fits, and what to do. */
function textTrouble(part: TextPart, name: string, heading: string, side: Overflow['side']): string {
  const quoted = collapse(part.text) === collapse(heading) ? '' : ` "${excerpt(part.text)}"`;
  if (side === 'left' || side === 'right') {
    const word = part.longestWord > part.fit ? `, and it has a word of ${count(part.longestWord)} characters, which cannot wrap` : '';
    return `${name}${quoted} is too wide: about ${about(part.fit)} of its ${count(part.characters)} characters fit on a line${word}; ${word ? 'break that word (spaces or hyphens) or shorten it' : 'shorten it'}`;
  }
  if (part.fit === 0) return `${name}${quoted} (${count(part.characters)} characters) finds no room beside the rest of the slide; shorten the slide's text or split the slide`;
  return `${name}${quoted} is too long: about ${about(part.fit)} of its ${count(part.characters)} characters fit (${count(part.fitLines)} of ${count(part.lines)} lines); shorten it or split the slide`;
}

/** A list that runs off the slide: which of the slide's lists it is, where it stops fitting. */
function listTrouble(part: ListPart, view: SlideView, slide: Slide | undefined): { path: YamlPath; message: string } {
  const same = (texts: readonly Rich[] | null | undefined): boolean => !!texts && texts.length === part.items.length && texts.every((text, i) => collapse(text.text) === part.items[i]);
  const fit = part.fit === 0 ? 'none' : `${part.fit}`;
  // The items' field as the layout marks them; a layout that does not is matched by their text.
  const marked = part.field !== undefined;
  if (marked ? part.field === 'items' : same(view.items)) {
    const next = `item ${part.fit + 1} "${excerpt(part.items[part.fit] ?? '')}" is the first that does not`;
    return { path: ['items', part.fit], message: `${fit} of its ${part.items.length} items fit (${next}); shorten the items or move some to another slide` };
  }
  if ((marked ? part.field === 'text' : same(view.text)) && Array.isArray(slide?.text)) {
    return { path: ['text', part.fit], message: `${fit} of the ${part.items.length} paragraphs of its text fit; shorten them or split the slide` };
  }
  if (marked ? part.field === 'columns' : view.columns && view.columns.length === part.items.length && view.columns.every((column, i) => part.items[i]!.includes(collapse(column.label.text)))) {
    return { path: ['columns', part.fit], message: `${fit} of its ${part.items.length} columns fit side by side; use fewer columns or shorter figures and labels` };
  }
  return { path: [], message: `${fit} of the ${part.items.length} items of its ${part.element} fit; shorten them or split the slide` };
}

/** Where a fact's words are written for this edition: its translation, else its row of facts.csv. */
function factLocation(edition: MeasuredEdition, fact: SourcedFact): SourceLocation {
  const translation = edition.data.translations.find((candidate) => candidate.source.lang === edition.lang);
  if (translation?.source.facts[fact.id]) return translation.file.locateKey(['facts'], fact.id);
  return { file: edition.data.factsFile, line: fact.line };
}

/** A sources slide, made from the cited facts: the entry that grew is a fact's label or source title. */
function sourcesProblem(edition: MeasuredEdition, overflow: Overflow, name: string, fallback: string): DataProblem {
  const view = edition.view.slides[overflow.index];
  const entries = view?.sources?.entries ?? [];
  const where = `${name} (${edition.lang}, made from the cited facts) does not fit`;
  const factOf = (index: number): SourcedFact | undefined => {
    const entry = entries[index];
    return entry ? edition.model.citations[entry.number - 1] : undefined;
  };
  const part = overflow.part;
  let index = -1;
  let trouble = '';
  if (part?.kind === 'list' && part.items.length === entries.length) {
    index = part.sizes.indexOf(Math.max(...part.sizes));
    trouble = `${part.fit === 0 ? 'none' : part.fit} of its ${entries.length} sources fit; the longest is that of fact ${factOf(index)?.id ?? '?'} ("${excerpt(entries[index]?.label ?? '')}")`;
  } else if (part?.kind === 'text') {
    const marked = /^sources\.entries\.(\d+)(\.|$)/.exec(part.field ?? '');
    index = marked ? Number(marked[1]) : entries.findIndex((entry) => [entry.label, entry.sourceTitle].some((text) => collapse(text) !== '' && part.text.includes(collapse(text))));
    trouble = `the source of fact ${factOf(index)?.id ?? '?'} ("${excerpt(part.text)}") is too long: about ${about(part.fit)} of its ${count(part.characters)} characters fit`;
  }
  const fact = factOf(index);
  if (!fact) return { file: edition.data.factsFile, message: `${where}: ${fallback}; shorten the labels or source titles` };
  return { ...factLocation(edition, fact), message: `${where}: ${trouble}; shorten its label or source title` };
}

/** What sticks out, when no one part explains it: the element, its first words, by how much. */
function stickingOut(overflow: Overflow): string {
  const element = `${overflow.element}${overflow.text ? ` "${excerpt(overflow.text)}"` : ''}`;
  return overflow.side === 'clipped' ? `${element} hides ${overflow.pixels} px of its content` : `${element} reaches ${overflow.pixels} px past the ${overflow.side} margin`;
}

/**
 * A slide that does not fit, said as the user will fix it: the part that made it too big (not
 * whatever sticks out first: a centred slide pushes its kicker up when its list grows), at the
 * line where that part is written, and how much of it fits.
 */
export function overflowProblem(edition: MeasuredEdition, overflow: Overflow): DataProblem {
  const view = edition.view.slides[overflow.index];
  const model = edition.model.slides[overflow.index];
  const heading = view?.heading ?? '';
  const name = `slide ${overflow.index + 1}${heading ? ` "${excerpt(heading)}"` : model ? ` (${model.layout})` : ''}`;
  if (!model || !view) return sourcesProblem(edition, overflow, name, stickingOut(overflow));
  const slide = edition.data.deck.slides[overflow.index];
  const at = (path: YamlPath): SourceLocation => edition.data.deckFile.locate(['slides', overflow.index, ...path]);
  const problem = (location: SourceLocation, trouble: string): DataProblem => ({ ...location, message: `${name} (${edition.lang}) does not fit: ${trouble}` });
  const part = overflow.part;
  const fields = fieldsOf(view, slide);
  if (part?.kind === 'chart') {
    return problem(edition.data.chartsFile.locate([part.chart, 'bars', part.fit]), `its chart ${part.chart} has ${count(part.bars)} bars and the first ${part.fit} fit; remove bars or split the chart in two`);
  }
  if (part?.kind === 'list' && part.field === 'table.rows' && view.table) {
    // A table's rows are its categories in charts.yaml.
    return problem(edition.data.chartsFile.locate([view.table.id, 'categories', part.fit]), `its table ${view.table.id} has ${count(part.items.length)} rows and the first ${part.fit} fit; remove rows or split the table in two`);
  }
  if (part?.kind === 'list') {
    const list = listTrouble(part, view, slide);
    return problem(at(list.path), list.message);
  }
  if (part?.kind === 'text') {
    const field = fields.find((candidate) => (part.field !== undefined ? candidate.view === part.field : candidate.text === part.text));
    return problem(at(field?.path ?? []), textTrouble(part, field?.name ?? `its ${part.element}`, heading, overflow.side));
  }
  const field = fields.find((candidate) => (overflow.field !== undefined ? candidate.view === overflow.field : overflow.text !== '' && candidate.text.startsWith(overflow.text)));
  return problem(at(field?.path ?? []), `${stickingOut(overflow)}; shorten its text or split the slide`);
}
