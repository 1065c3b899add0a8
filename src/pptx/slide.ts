/**
 * One PowerPoint slide from one deck slide: its measured parts walked in document order, each
 * drawn by its kind (render/parts.ts) with the text its data-field names in the slide's view,
 * where the browser laid it out. What cannot be drawn is said, naming the layout and the part.
 */
import type PptxGenJSModule from 'pptxgenjs';
import type { Box, PartBox, SlideGeometry, ThemeTokens } from '../print/measure.js';
import { isPartKind, partKinds, valueAtField, type PartKind } from '../render/parts.js';
import { Rich, type ChartView, type FootnoteView, type SlideView, type SourceEntryView } from '../render/view.js';
import { drawChart } from './chart.js';
import { drawTable, isTableView } from './table.js';
import type { ChartPatch } from './repair.js';
import { colour, emu, inches, lookOptions, placement, points, runsOf, textOptions, type TextOptions, type TextProps } from './text.js';

type PptxGenJS = PptxGenJSModule.default;
type PptxSlide = PptxGenJSModule.default.Slide;

/** What every slide of one file shares. */
export interface DeckDrawing {
  pptx: PptxGenJS;
  tokens: ThemeTokens;
  lang: string;
  labelValueSeparator: string;
  /** The slide a sources anchor (#sources-2) is on, 1-based. */
  slideOf(anchor: string): number | undefined;
  /** What the repair pass adds to each chart, in the order the charts are drawn. */
  charts: ChartPatch[];
  /** Where untitled slides keep their hidden title, off the slide. */
  hiddenTitle: Box;
  /** Something the file cannot carry, about a part of a slide: said once per layout and message. */
  warn(slide: SlideView, message: string): void;
}

/** A part as the slide draws it: its measure, its kind, and the value its field names. */
interface Part {
  box: PartBox;
  kind: PartKind;
  value: unknown;
  /** The slide's parts, for a part to find those it lies in. */
  all: readonly PartBox[];
}

const isText = (value: unknown): value is Rich | string => value instanceof Rich || typeof value === 'string';
const isObjectWith = (value: unknown, key: string): boolean => typeof value === 'object' && value !== null && key in value;

/** How the part is named in a message: `data-part="text" data-field="titel"`. */
const described = (part: PartBox): string => `data-part="${part.part}"${part.field !== undefined ? ` data-field="${part.field}"` : ''}`;

/**
 * Draws a slide's parts and notes; returns where its title placeholder sits, in EMU (the repair
 * pass moves it there), or undefined when the slide has no title at all.
 */
export function drawSlide(deck: DeckDrawing, view: SlideView, geometry: SlideGeometry): Box | undefined {
  const titlePart = geometry.parts.find((part) => part.part === 'text' && part.field === 'title' && part.parent === undefined) ?? geometry.parts.find((part) => part.part === 'text' && part.field === 'title');
  const slide = deck.pptx.addSlide({ masterName: titlePart || view.heading ? 'TITLED' : 'PLAIN' });
  let titleBox: Box | undefined;
  if (!titlePart && view.heading) {
    // A slide the deck shows without a title (a big number, a quote) still has one for the
    // outline and for screen readers: its heading, off the slide, as PowerPoint's own "Add
    // Hidden Slide Title" does; first, as a screen reader reads it.
    slide.addText(view.heading, { placeholder: 'title', margin: 0, valign: 'top', lang: deck.lang, fontSize: 20 });
    titleBox = deck.hiddenTitle;
  }
  if (geometry.unmarked.length > 0) {
    deck.warn(view, `it draws text outside any part marked with data-part, which deck.pptx leaves out ("${geometry.unmarked.slice(0, 3).join('", "')}"${geometry.unmarked.length > 3 ? ', …' : ''})`);
  }
  for (const box of geometry.parts) {
    if (!isPartKind(box.part)) {
      deck.warn(view, `deck.pptx leaves out its part ${described(box)}: not a kind of part (${Object.keys(partKinds).join(', ')})`);
      continue;
    }
    const part: Part = { box, kind: box.part, value: box.field === undefined ? undefined : valueAtField(view, box.field), all: geometry.parts };
    if (box.marker) shape(slide, box.marker.box, box.marker.color);
    for (const rule of box.rules) shape(slide, rule.box, rule.color);
    if (box === titlePart) titleBox = drawTitle(deck, slide, view, part);
    else drawPart(deck, slide, view, part);
  }
  slide.addNotes(notesOf(view, deck.labelValueSeparator));
  return titleBox && { x: emu(titleBox.x), y: emu(titleBox.y), w: emu(titleBox.w), h: emu(titleBox.h) };
}

/** Where a table's rows are: its box without the captions at its top or bottom. */
function gridBox(table: PartBox, inner: readonly PartBox[]): PartBox {
  let top = table.box.y;
  let bottom = table.box.y + table.box.h;
  for (const part of inner) {
    if (part.box.y <= top + 1) top = Math.max(top, part.box.y + part.box.h);
    else if (part.box.y + part.box.h >= bottom - 1) bottom = Math.min(bottom, part.box.y);
  }
  return { ...table, box: { ...table.box, y: top, h: Math.max(bottom - top, 0) } };
}

function shape(slide: PptxSlide, box: Box, fill: string): void {
  slide.addShape('rect', { x: inches(box.x), y: inches(box.y), w: inches(Math.max(box.w, 0.75)), h: inches(Math.max(box.h, 0.75)), fill: { color: colour(fill) }, line: { type: 'none' } });
}

/** The value a part needs, or a warning that names the part and why the file leaves it out. */
function valueFor<T>(deck: DeckDrawing, view: SlideView, part: Part, accepts: (value: unknown) => value is T, what: string): T | undefined {
  if (part.value === null) return undefined;
  if (accepts(part.value)) return part.value;
  const why = part.box.field === undefined ? 'it has no data-field' : part.value === undefined ? "its data-field names nothing on the slide" : `its data-field is not ${what}`;
  deck.warn(view, `deck.pptx leaves out its part ${described(part.box)}: ${why}`);
  return undefined;
}

function drawPart(deck: DeckDrawing, slide: PptxSlide, view: SlideView, part: Part): void {
  switch (part.kind) {
    case 'text':
    case 'list-item': {
      // A text inside another is a run of it, drawn with it.
      if (part.box.parent !== undefined && part.all[part.box.parent]?.part === 'text') return;
      const text = valueFor(deck, view, part, isText, 'text');
      if (text !== undefined) slide.addText([...runsOf(text, part.box.look, deck.lang), ...innerRuns(deck, view, part)], textOptions(part.box, deck.lang));
      return;
    }
    case 'chart': {
      const chart = valueFor(deck, view, part, (value): value is ChartView => isObjectWith(value, 'spec'), 'a chart');
      if (!chart) return;
      // The layout's own caption of the chart (data-field="chart.title") is drawn as text: the
      // native chart then has no title of its own, as on the slide.
      const captioned = part.all.some((other) => other.part === 'text' && other.field === `${part.box.field ?? ''}.title`);
      const drawn = drawChart(slide, captioned ? { ...chart, title: '' } : chart, part.box.box, deck.tokens, deck.lang);
      for (const message of drawn.leftOut) deck.warn(view, message);
      deck.charts.push(drawn.patch);
      return;
    }
    case 'table': {
      // The rows as a native table; its caption, a text part inside it, is drawn as text.
      const table = valueFor(deck, view, part, isTableView, 'a table');
      const index = part.all.indexOf(part.box);
      if (table) drawTable(slide, table, gridBox(part.box, part.all.filter((inner) => inner.parent === index)), deck.tokens, deck.lang);
      return;
    }
    case 'footnote': {
      const footnote = valueFor(deck, view, part, (value): value is FootnoteView => isObjectWith(value, 'citations'), "the slide's footnote");
      if (footnote) slide.addText(footnoteRuns(deck, footnote, part.box), textOptions(part.box, deck.lang));
      return;
    }
    case 'source': {
      const entry = valueFor(deck, view, part, (value): value is SourceEntryView => isObjectWith(value, 'sourceTitle'), 'a source entry');
      if (entry) drawSource(deck, slide, part, entry);
      return;
    }
    // Boxes, the frame and the sources list are drawn as their rules and markers; the looks of a
    // source's origin and status are read by its entry.
    default:
  }
}

/** The title, in the slide's title placeholder (the outline, the slide sorter and accessibility checkers see it). */
function drawTitle(deck: DeckDrawing, slide: PptxSlide, view: SlideView, part: Part): Box {
  // pptxgenjs gives a placeholder's text the master's colour and spacing unless each run says
  // otherwise, and fills an option a run sets to false from the shape's: weight goes on runs only.
  const { bold, ...placed } = { ...lookOptions(part.box.look), margin: 0, valign: 'top' as const, fit: 'shrink' as const, lang: deck.lang };
  const text = valueFor(deck, view, part, isText, 'text');
  const own = text === undefined ? [] : runsOf(text, part.box.look, deck.lang);
  const runs = [...own, ...innerRuns(deck, view, part)].map((run) => ({ ...run, options: { ...placed, bold, ...run.options } }));
  slide.addText(runs, { placeholder: 'title', ...placed });
  return placement(part.box);
}

/** The text parts inside a text part (a page count in a title): runs after its own text, after a space, each in its own look. */
function innerRuns(deck: DeckDrawing, view: SlideView, part: Part): TextProps[] {
  const index = part.all.indexOf(part.box);
  return part.all.flatMap((inner) => {
    if (inner.parent !== index || inner.part !== 'text') return [];
    const text = valueFor(deck, view, { box: inner, kind: 'text', value: inner.field === undefined ? undefined : valueAtField(view, inner.field), all: part.all }, isText, 'text');
    if (text === undefined) return [];
    const look = { color: colour(inner.look.color), bold: inner.look.bold, italic: inner.look.italic };
    return runsOf(text, inner.look, deck.lang).map((run, i) => ({ text: i === 0 ? ` ${run.text}` : run.text, options: { ...look, ...run.options } }));
  });
}

/** The source line: "Sources : [1] [2]", each marker a link to its sources slide, then the caveats. */
function footnoteRuns(deck: DeckDrawing, footnote: FootnoteView, part: PartBox): TextProps[] {
  const line: TextProps[] = [{ text: `${footnote.label} ` }];
  for (const citation of footnote.citations) {
    const target = deck.slideOf(citation.href.replace(/^#/, ''));
    line.push({ text: `[${citation.number}]`, options: target ? { hyperlink: { slide: target, tooltip: `[${citation.number}]` }, color: colour(part.look.color) } : {} }, { text: ' ' });
  }
  for (const caveat of footnote.caveats) {
    // The deck's gap before a caveat is a margin about an em wide: an em space and a space.
    line.push({ text: '\u2003 ▲ ', options: { color: colour(deck.tokens.mark) } }, { text: caveat.text, options: { color: colour(deck.tokens.inkSoft) } });
  }
  return line;
}

/**
 * A source entry in its own box, where the deck has it, so a long entry cannot push the others
 * down: numbered, its label bold, its origin on a second line (a link when it has an address) in
 * the look of the slide's first origin line, its status in the look of the first status mark.
 */
function drawSource(deck: DeckDrawing, slide: PptxSlide, part: Part, entry: SourceEntryView): void {
  const list = part.box.parent === undefined ? undefined : part.all[part.box.parent];
  const within = list?.part === 'sources' ? list : part.box;
  const firstLook = (kind: string): PartBox['look'] | undefined => part.all.find((candidate) => candidate.part === kind)?.look;
  const originLook = firstLook('source-origin');
  const statusLook = firstLook('source-status');
  const origin: TextOptions = originLook ? { fontSize: points(originLook.fontSize), color: colour(originLook.color) } : {};
  const status: TextOptions = statusLook ? { fontSize: points(statusLook.fontSize), color: colour(statusLook.color), italic: statusLook.italic } : origin;
  const hanging = within.content.x - within.box.x;
  const runs: TextProps[] = [
    { text: entry.label, options: { bold: true, bullet: { type: 'number', numberStartAt: entry.number, indent: points(hanging) } } },
    { text: `${entry.period ? `, ${entry.period}` : ''}${deck.labelValueSeparator}${entry.value}` },
    { text: entry.sourceTitle, options: { ...origin, softBreakBefore: true, ...(entry.sourceUrl ? { hyperlink: { url: entry.sourceUrl, tooltip: entry.sourceUrl } } : {}) } },
  ];
  // A copy: pptxgenjs writes into the options it is given, and a changed run starts a new paragraph.
  if (entry.statusText) runs.push({ text: `  ${entry.statusText}`, options: { ...status } });
  slide.addText(runs, textOptions(part.box, deck.lang, { x: inches(within.box.x), w: inches(within.box.w) }));
}

/** The speaker notes, then the sources of the slide's figures with their links. */
function notesOf(slide: SlideView, separator: string): string {
  const lines = slide.notes.map((note) => note.text.text);
  if (slide.citedSources.length > 0) {
    lines.push('');
    for (const entry of slide.citedSources) lines.push(`[${entry.number}] ${entry.label}${entry.period ? `, ${entry.period}` : ''}${separator}${entry.value} — ${entry.sourceTitle}${entry.sourceUrl ? ` — ${entry.sourceUrl}` : ''}${entry.statusText ? ` (${entry.statusText})` : ''}`);
  }
  return lines.join('\n');
}
