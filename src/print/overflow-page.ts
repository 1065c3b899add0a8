/**
 * What runs in the print view to find the slides that do not fit, and why. The functions of this
 * file are sent to the page as one script (pageScript): each may call the others, and nothing
 * else of this module (no imports, no module-level values).
 */

// window.datadeckCharts (charts.ts): a printed chart's bar count, and the chart drawn again with
// its first bars only. A type import: nothing is imported at run time.
import type {} from '../client/contract.js';

export type OverflowSide = 'top' | 'bottom' | 'left' | 'right' | 'clipped';

/** The part of a slide that made it too big: shortened alone to `fit`, the slide fits. */
export type OverflowPart =
  | {
      kind: 'text';
      /** The element holding it, as "tag.class". */
      element: string;
      /** The slide field its layout marks it with (data-field: `text.0`), when it marks it. */
      field: string | undefined;
      /** Its text, whitespace collapsed. */
      text: string;
      characters: number;
      /** How many of its characters fit (on a line, when it is too wide). */
      fit: number;
      lines: number;
      /** Lines the characters that fit take. */
      fitLines: number;
      /** Its longest word, in characters: a word cannot wrap. */
      longestWord: number;
    }
  | {
      kind: 'list';
      element: string;
      /** The field whose entries the items are, when the layout marks each (items.0, items.1…: items). */
      field: string | undefined;
      /** Each item's text, whitespace collapsed. */
      items: string[];
      /** Each item's size along the side that overflows, in slide pixels. */
      sizes: number[];
      /** How many items, from the first, fit. */
      fit: number;
    }
  | {
      kind: 'chart';
      /** The chart's id (its data-chart). */
      chart: string;
      bars: number;
      /** How many bars, from the first, fit. */
      fit: number;
    };

/** How far one slide's content reaches beyond where it may go, as measured in the browser. */
export interface Overflow {
  /** 0-based position of the slide in the deck. */
  index: number;
  /** The element that reaches furthest, as "tag.class" (not necessarily the one that grew). */
  element: string;
  /** Its first words, when it holds text. */
  text: string;
  /** The slide field its layout marks it with, when it marks it. */
  field: string | undefined;
  side: OverflowSide;
  pixels: number;
  /** What made the slide too big, when shortening one part alone makes it fit. */
  part: OverflowPart | undefined;
}

interface Reach {
  element: Element;
  side: OverflowSide;
  pixels: number;
}

/** A part of a slide that may have grown: a block of text, a list of like items, a chart drawing. */
interface Candidate {
  kind: OverflowPart['kind'];
  element: Element;
  /** Its extent along the side that overflows. */
  size: number;
}

/**
 * A script that defines every function of this file and returns main(arg): page.evaluate sends
 * one function's source, and the measure is several functions so that each stays short.
 */
export function pageScript<T>(main: (arg: T) => unknown, arg: T): string {
  const functions = [unseen, describeElement, fieldOf, listFieldOf, collapse, extentOf, worstReach, candidatesOf, listCandidate, textNodesOf, shrink, largestFitting, describePart, culpritOf, findOverflows];
  return `(() => {\n${functions.map(String).join('\n')}\nreturn (${String(main)})(${JSON.stringify(arg)});\n})()`;
}

/** Not on the slide: speaker notes, scripts, a chart's table kept for screen readers. */
function unseen(element: Element): boolean {
  return element.closest('aside.notes, script, style, template, .visually-hidden') !== null;
}

function describeElement(element: Element): string {
  return `${element.tagName.toLowerCase()}${element.classList.length ? `.${[...element.classList].join('.')}` : ''}`;
}

/** The slide field the layout marks an element (or the part it lies in) with: data-field. */
function fieldOf(element: Element): string | undefined {
  return element.closest('[data-field]')?.getAttribute('data-field') ?? undefined;
}

/** The field a list's items are the entries of, when each is marked as one (items.0, items.1…: items). */
function listFieldOf(items: readonly Element[]): string | undefined {
  const fields = items.map((item) => /^(.+)\.(\d+)$/.exec(item.getAttribute('data-field') ?? ''));
  const field = fields[0]?.[1];
  return field !== undefined && fields.every((match, index) => match?.[1] === field && Number(match[2]) === index) ? field : undefined;
}

function collapse(text: string | null | undefined): string {
  return (text ?? '').replace(/\s+/g, ' ').trim();
}

/** An element's extent along an axis, its content included (text may run out of its box). */
function extentOf(element: Element, axis: 'x' | 'y'): number {
  const box = element.getBoundingClientRect();
  const range = document.createRange();
  range.selectNodeContents(element);
  const content = range.getBoundingClientRect();
  const boxes = content.width === 0 && content.height === 0 ? [box] : [box, content];
  return axis === 'y'
    ? Math.max(...boxes.map((rect) => rect.bottom)) - Math.min(...boxes.map((rect) => rect.top))
    : Math.max(...boxes.map((rect) => rect.right)) - Math.min(...boxes.map((rect) => rect.left));
}

/**
 * The furthest anything on one slide reaches beyond where it may go: beyond the slide, into the
 * frame's margins (and so into the source line), or out of a box that clips it.
 */
function worstReach(section: Element): Reach | undefined {
  const slide = section.getBoundingClientRect();
  const frame = section.querySelector('.frame');
  let frameBox: { top: number; bottom: number; left: number; right: number } | undefined;
  if (frame) {
    const rect = frame.getBoundingClientRect();
    const style = getComputedStyle(frame);
    frameBox = { top: rect.top + parseFloat(style.paddingTop), bottom: rect.bottom - parseFloat(style.paddingBottom), left: rect.left + parseFloat(style.paddingLeft), right: rect.right - parseFloat(style.paddingRight) };
  }
  let worst: Reach | undefined;
  const consider = (element: Element, rect: DOMRect, slack: number): void => {
    if (rect.width === 0 && rect.height === 0) return;
    const limit = frameBox && frame!.contains(element) && element !== frame ? frameBox : slide;
    const reach = { top: limit.top - rect.top, bottom: rect.bottom - limit.bottom, left: limit.left - rect.left, right: rect.right - limit.right };
    for (const side of ['top', 'bottom', 'left', 'right'] as const) {
      // Sub-pixel rounding is not overflow, nor the font's line box standing above a tight line height.
      const allowed = side === 'top' || side === 'bottom' ? slack : 1.5;
      if (reach[side] > allowed && (!worst || reach[side] > worst.pixels)) worst = { element, side, pixels: Math.round(reach[side]) };
    }
  };
  for (const element of section.querySelectorAll('*')) {
    if (unseen(element)) continue;
    // Text can spill out of its box without moving the box: measure the text too, allowing for
    // the font's ascent and descent, which reach past a line height tighter than the font (an
    // inline element's box is that text box too).
    const computed = getComputedStyle(element);
    const fontSize = parseFloat(computed.fontSize) || 16;
    const textSlack = 1.5 + fontSize * 0.3;
    consider(element, element.getBoundingClientRect(), computed.display === 'inline' ? textSlack : 1.5);
    for (const node of element.childNodes) {
      if (node.nodeType !== Node.TEXT_NODE || !node.textContent?.trim()) continue;
      const range = document.createRange();
      range.selectNodeContents(node);
      consider(element, range.getBoundingClientRect(), textSlack);
    }
    if (/(hidden|clip|scroll|auto)/.test(`${computed.overflowX} ${computed.overflowY}`)) {
      const clipped = Math.max(element.scrollHeight - element.clientHeight, element.scrollWidth - element.clientWidth);
      if (clipped > 1.5 && (!worst || clipped > worst.pixels)) worst = { element, side: 'clipped', pixels: clipped };
    }
  }
  return worst;
}

/** A list whose items pile up along the axis (bullets, sources), unless one item alone is most of it. */
function listCandidate(element: Element, axis: 'x' | 'y'): Candidate | undefined {
  const items = [...element.children];
  if (items.length < 2 || unseen(element) || element.closest('svg')) return undefined;
  const signature = (item: Element): string => `${item.tagName} ${item.getAttribute('class') ?? ''}`;
  if (!items.every((item) => signature(item) === signature(items[0]!))) return undefined;
  const boxes = items.map((item) => item.getBoundingClientRect());
  const piled = boxes.every((box, i) => i === 0 || (axis === 'y' ? box.top >= boxes[i - 1]!.bottom - 1 : box.left >= boxes[i - 1]!.right - 1));
  if (!piled) return undefined;
  const sizes = items.map((item) => extentOf(item, axis));
  // One item far larger than the others is the part that grew, as text.
  if (Math.max(...sizes) > 0.5 * sizes.reduce((sum, size) => sum + size, 0)) return undefined;
  return { kind: 'list', element, size: extentOf(element, axis) };
}

/** The parts of a slide that could have grown, largest first along the axis that overflows. */
function candidatesOf(section: Element, axis: 'x' | 'y'): Candidate[] {
  const found: Candidate[] = [];
  const blocks = new Set<Element>();
  const walker = document.createTreeWalker(section, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const parent = node.parentElement;
    if (!parent || !node.textContent?.trim() || unseen(parent) || parent.closest('svg')) continue;
    // The block a run of text belongs to: a figure's <span> is part of its sentence.
    let block: Element = parent;
    while (block !== section && block.parentElement && ['inline', 'contents'].includes(getComputedStyle(block).display)) block = block.parentElement;
    blocks.add(block);
  }
  for (const block of blocks) found.push({ kind: 'text', element: block, size: extentOf(block, axis) });
  for (const element of section.querySelectorAll('*')) {
    const list = listCandidate(element, axis);
    if (list) found.push(list);
  }
  if (window.datadeckCharts?.drawFirst) {
    for (const drawing of section.querySelectorAll('svg[data-chart]')) if (!unseen(drawing)) found.push({ kind: 'chart', element: drawing, size: extentOf(drawing, axis) });
  }
  return found.sort((a, b) => b.size - a.size);
}

function textNodesOf(element: Element): Text[] {
  const nodes: Text[] = [];
  const walker = document.createTreeWalker(element, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) if (!unseen(node.parentElement!)) nodes.push(node as Text);
  return nodes;
}

/** Keeps the first `keep` characters, items or bars of a part; returns what puts it back as it was. */
function shrink(part: Candidate, keep: number): () => void {
  if (part.kind === 'text') {
    const nodes = textNodesOf(part.element);
    const saved = nodes.map((node) => node.data);
    let left = keep;
    for (const node of nodes) {
      const taken = Math.min(left, node.data.length);
      node.data = node.data.slice(0, taken);
      left -= taken;
    }
    return () => nodes.forEach((node, i) => { node.data = saved[i]!; });
  }
  if (part.kind === 'list') {
    const removed = [...part.element.children].slice(keep).map((item) => ({ item, next: item.nextSibling }));
    for (const { item } of removed) item.remove();
    return () => {
      for (const { item, next } of [...removed].reverse()) part.element.insertBefore(item, next);
    };
  }
  const trial = window.datadeckCharts!.drawFirst(part.element, keep);
  return () => trial.replaceWith(part.element);
}

/**
 * The most, from `least` up to (not including) `count`, for which `fits` holds, or undefined when
 * even `least` does not fit. Galloping first: a megabyte of text is never laid out whole again.
 */
function largestFitting(count: number, least: number, fits: (keep: number) => boolean): number | undefined {
  if (least >= count || !fits(least)) return undefined;
  let low = least;
  let high = count;
  let step = 1;
  while (low + step < high && fits(low + step)) {
    low += step;
    step *= 2;
  }
  high = Math.min(high, low + step);
  while (high - low > 1) {
    const middle = Math.floor((low + high) / 2);
    if (fits(middle)) low = middle;
    else high = middle;
  }
  return low;
}

/** What a part is and how much of it fits, for the message. */
function describePart(part: Candidate, fit: number, axis: 'x' | 'y'): OverflowPart {
  if (part.kind === 'list') {
    const items = [...part.element.children];
    return { kind: 'list', element: describeElement(part.element), field: listFieldOf(items), items: items.map((item) => collapse(item.textContent)), sizes: items.map((item) => Math.round(extentOf(item, axis))), fit };
  }
  if (part.kind === 'chart') {
    return { kind: 'chart', chart: part.element.getAttribute('data-chart') ?? '', bars: window.datadeckCharts!.barCount(part.element), fit };
  }
  const style = getComputedStyle(part.element);
  const lineHeight = parseFloat(style.lineHeight) || (parseFloat(style.fontSize) || 16) * 1.2;
  const linesOf = (): number => {
    const range = document.createRange();
    range.selectNodeContents(part.element);
    return Math.max(1, Math.round(range.getBoundingClientRect().height / lineHeight));
  };
  const text = textNodesOf(part.element).map((node) => node.data).join('');
  const lines = linesOf();
  const restore = shrink(part, fit);
  const fitLines = fit === 0 ? 0 : linesOf();
  restore();
  // Not Math.max(...words): a megabyte of text is more arguments than a call may take.
  const longestWord = text.split(/\s+/).reduce((longest, word) => Math.max(longest, word.length), 0);
  return { kind: 'text', element: describeElement(part.element), field: fieldOf(part.element), text: collapse(text), characters: text.length, fit, lines, fitLines, longestWord };
}

/** The one part whose size makes the slide overflow: shortened alone, the slide fits. */
function culpritOf(section: Element, reach: Reach): OverflowPart | undefined {
  const axis = reach.side === 'left' || reach.side === 'right' ? 'x' : 'y';
  const fits = (part: Candidate, keep: number): boolean => {
    const restore = shrink(part, keep);
    try {
      return worstReach(section) === undefined;
    } finally {
      restore();
    }
  };
  // The largest parts first; a few trials are enough (a slide has few parts that can grow).
  for (const part of candidatesOf(section, axis).slice(0, 8)) {
    const count = part.kind === 'text' ? textNodesOf(part.element).reduce((sum, node) => sum + node.data.length, 0)
      : part.kind === 'list' ? part.element.children.length
      : window.datadeckCharts!.barCount(part.element);
    const fit = largestFitting(count, part.kind === 'chart' ? 1 : 0, (keep) => fits(part, keep));
    if (fit !== undefined) return describePart(part, fit, axis);
  }
  return undefined;
}

/** Every slide of the print view that does not fit: what sticks out furthest, and what made it so. */
export function findOverflows(selector: string): Overflow[] {
  const found: Overflow[] = [];
  document.querySelectorAll(selector).forEach((section, index) => {
    const reach = worstReach(section);
    if (!reach) return;
    const words = collapse(reach.element.textContent).split(' ').slice(0, 8).join(' ');
    let part: OverflowPart | undefined;
    try {
      part = culpritOf(section, reach);
    } catch {
      // Finding the cause is a courtesy: the overflow itself is still reported.
      part = undefined;
    }
    found.push({ index, element: describeElement(reach.element), text: words, field: fieldOf(reach.element), side: reach.side, pixels: reach.pixels, part });
  });
  return found;
}

