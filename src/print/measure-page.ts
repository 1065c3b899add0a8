/**
 * What runs in the print view to measure where each part of each slide sits and how it looks.
 * The functions of this file are sent to the page as one script (measureScript): each may call the
 * others, and nothing else of this module (no imports, no module-level values).
 */
import type { Box, PartBox, Rule, SlideGeometry, TextLook, ThemeTokens } from './measure.js';

/** What the page is told: where reveal.js puts each slide and its number, and the deck's roles. */
export interface MeasureArgs {
  slideSelector: string;
  slideNumberSelector: string;
  roles: string[];
}

/** The script: every function of this file, then measureAll(args). */
export function measureScript(args: MeasureArgs): string {
  const functions = [colourReader, familiesOf, textLook, rulesOf, markerOf, baselinesOf, partBoxOf, unmarkedTexts, geometryOf, markedOf, themeTokens, measureAll];
  return `(() => {\n${functions.map(String).join('\n')}\nreturn measureAll(${JSON.stringify(args)});\n})()`;
}

/**
 * A colour, however CSS wrote it (#abc, white, hsl(), oklch()), as #rrggbb: rgb() as computed
 * styles mostly give it is read exactly, anything else from a canvas pixel painted with it (each
 * layer over the one before, so a translucent colour comes out as it shows on paper).
 */
function colourReader(): { hex(css: string, fallback?: string): string; paint(...layers: string[]): string } {
  const pixel = document.createElement('canvas').getContext('2d', { willReadFrequently: true })!;
  const paint = (...layers: string[]): string => {
    pixel.clearRect(0, 0, 1, 1);
    for (const layer of layers) {
      pixel.fillStyle = layer;
      pixel.fillRect(0, 0, 1, 1);
    }
    return `#${[...pixel.getImageData(0, 0, 1, 1).data.slice(0, 3)].map((channel) => channel.toString(16).padStart(2, '0')).join('')}`;
  };
  const hex = (css: string, fallback = '#000000'): string => {
    const match = /^rgba?\(\s*(\d+)[,\s]+(\d+)[,\s]+(\d+)/.exec(css);
    return match ? `#${[match[1], match[2], match[3]].map((channel) => Number(channel).toString(16).padStart(2, '0')).join('')}` : paint(fallback, css);
  };
  return { hex, paint };
}

function familiesOf(value: string): string[] {
  return value.split(',').map((family) => family.trim().replace(/^['"]|['"]$/g, '')).filter(Boolean);
}

function textLook(style: CSSStyleDeclaration, colours: ReturnType<typeof colourReader>, serif: string | undefined): TextLook {
  const fontSize = parseFloat(style.fontSize);
  const lineHeight = style.lineHeight === 'normal' ? 1.2 * fontSize : parseFloat(style.lineHeight);
  const family = familiesOf(style.fontFamily)[0] ?? '';
  return {
    fontSize,
    bold: Number(style.fontWeight) >= 600,
    italic: style.fontStyle === 'italic',
    color: colours.hex(style.color),
    family,
    serif: family === serif,
    letterSpacing: parseFloat(style.letterSpacing) || 0,
    uppercase: style.textTransform === 'uppercase',
    lineHeight: lineHeight / fontSize,
    align: style.textAlign === 'center' ? 'center' : style.textAlign === 'right' || style.textAlign === 'end' ? 'right' : 'left',
  };
}

/** Each visible border of a box: a rule in the deck's look (a column's top, a quote's side). */
function rulesOf(style: CSSStyleDeclaration, box: Box, colours: ReturnType<typeof colourReader>): Rule[] {
  return (['top', 'right', 'bottom', 'left'] as const).flatMap((side) => {
    const width = parseFloat(style.getPropertyValue(`border-${side}-width`));
    if (!(width > 0) || style.getPropertyValue(`border-${side}-style`) === 'none') return [];
    const color = colours.hex(style.getPropertyValue(`border-${side}-color`));
    const rule = side === 'top' ? { x: box.x, y: box.y, w: box.w, h: width }
      : side === 'bottom' ? { x: box.x, y: box.y + box.h - width, w: box.w, h: width }
      : side === 'left' ? { x: box.x, y: box.y, w: width, h: box.h }
      : { x: box.x + box.w - width, y: box.y, w: width, h: box.h };
    return [{ side, box: rule, color }];
  });
}

/** A ::before drawn as a box of its own (the deck's square bullets), where it is and its colour. */
function markerOf(element: Element, box: Box, colours: ReturnType<typeof colourReader>): PartBox['marker'] {
  const before = getComputedStyle(element, '::before');
  const width = parseFloat(before.width);
  if (before.content === 'none' || !(width > 0) || before.position !== 'absolute') return undefined;
  return { box: { x: box.x + parseFloat(before.left || '0'), y: box.y + parseFloat(before.top || '0'), w: width, h: parseFloat(before.height) }, color: colours.hex(before.backgroundColor) };
}

/**
 * How far down the page each element's first line's baseline is (an empty inline-block sits on
 * it): every probe put in at once, read in one layout, and taken out. Put in and taken out one
 * part at a time, they laid the whole print view out again for each part: 18 s for 302 slides.
 */
function baselinesOf(elements: readonly Element[]): Map<Element, number> {
  const probes = new Map<Element, HTMLElement>();
  for (const element of elements) {
    const walker = document.createTreeWalker(element, NodeFilter.SHOW_TEXT, { acceptNode: (node) => ((node.textContent ?? '').trim() ? NodeFilter.FILTER_ACCEPT : NodeFilter.FILTER_REJECT) });
    const firstText = walker.nextNode();
    if (!firstText?.parentNode) continue;
    const probe = document.createElement('span');
    probe.style.cssText = 'display:inline-block;width:0;height:0;margin:0;padding:0;border:0';
    firstText.parentNode.insertBefore(probe, firstText);
    probes.set(element, probe);
  }
  const baselines = new Map([...probes].map(([element, probe]) => [element, probe.getBoundingClientRect().bottom]));
  for (const probe of probes.values()) probe.remove();
  return baselines;
}

/** One marked part: what it is, the field it shows, where it sits (border and content box) and its look. */
function partBoxOf(element: Element, origin: DOMRect, parent: number | undefined, colours: ReturnType<typeof colourReader>, serif: string | undefined, baselines: Map<Element, number>): PartBox {
  const style = getComputedStyle(element);
  const rect = element.getBoundingClientRect();
  const box = { x: rect.left - origin.left, y: rect.top - origin.top, w: rect.width, h: rect.height };
  const inset = (side: string): number => (parseFloat(style.getPropertyValue(`padding-${side}`)) || 0) + (parseFloat(style.getPropertyValue(`border-${side}-width`)) || 0);
  const content = { x: box.x + inset('left'), y: box.y + inset('top'), w: box.w - inset('left') - inset('right'), h: box.h - inset('top') - inset('bottom') };
  const look = textLook(style, colours, serif);
  return {
    part: element.getAttribute('data-part') ?? '',
    field: element.getAttribute('data-field') ?? undefined,
    parent,
    box,
    content,
    // A part without text: where its first line's baseline would be.
    baseline: baselines.has(element) ? baselines.get(element)! - origin.top : content.y + 0.8 * look.lineHeight * look.fontSize,
    look,
    rules: rulesOf(style, box, colours),
    marker: markerOf(element, box, colours),
  };
}

/**
 * The first words of each text the slide shows outside its marked parts: what an export cannot
 * tell the meaning of. Text the reader does not see (notes, scripts, a chart's table kept for
 * screen readers in a box of a pixel) is not counted.
 */
function unmarkedTexts(section: Element): string[] {
  const found: string[] = [];
  const walker = document.createTreeWalker(section, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const text = (node.textContent ?? '').replace(/\s+/g, ' ').trim();
    const parent = node.parentElement;
    // The frame holds the whole slide: a text is marked when a part inside it holds the text.
    if (!text || !parent || parent.closest('[data-part]:not([data-part="frame"])') || parent.getClientRects().length === 0) continue;
    let hidden = false;
    for (let element: Element | null = parent; element && element !== section && !hidden; element = element.parentElement) {
      const rect = element.getBoundingClientRect();
      hidden = rect.width <= 1 && rect.height <= 1;
    }
    if (!hidden) found.push(text.split(' ').slice(0, 6).join(' '));
  }
  return found;
}

/** Where every marked part of one slide sits, in document order, and reveal.js's slide number on its page. */
function geometryOf(section: Element, marked: MarkedSlide, colours: ReturnType<typeof colourReader>, serif: string | undefined, baselines: Map<Element, number>): SlideGeometry {
  const origin = section.getBoundingClientRect();
  const { elements, numberElement } = marked;
  const parts = elements.map((element) => {
    const enclosing = element.parentElement?.closest('[data-part]');
    const parent = enclosing ? elements.indexOf(enclosing) : -1;
    return partBoxOf(element, origin, parent >= 0 ? parent : undefined, colours, serif, baselines);
  });
  const number = numberElement ? partBoxOf(numberElement, origin, undefined, colours, serif, baselines) : undefined;
  return { parts, unmarked: unmarkedTexts(section), number };
}

/** A slide's marked parts the page lays out (not a note's, not a hidden one), and its number. */
interface MarkedSlide {
  elements: Element[];
  numberElement: Element | null;
}

function markedOf(section: Element, numberSelector: string): MarkedSlide {
  return {
    elements: [...section.querySelectorAll('[data-part]')].filter((element) => element.getClientRects().length > 0),
    numberElement: section.parentElement?.querySelector(numberSelector) ?? null,
  };
}

/** The theme's tokens other exports need: colours by role, fonts, chart sizes. */
function themeTokens(roles: string[], colours: ReturnType<typeof colourReader>): ThemeTokens {
  const root = getComputedStyle(document.documentElement);
  const token = (name: string): string => root.getPropertyValue(name).trim();
  const colourOf = (name: string, fallback: string): string => colours.hex(token(name) || fallback, fallback);
  return {
    paper: colourOf('--paper', 'white'),
    ink: colourOf('--ink', 'black'),
    inkSoft: colourOf('--ink-soft', 'black'),
    inkFaint: colourOf('--ink-faint', 'black'),
    rule: colourOf('--rule', 'black'),
    accent: colourOf('--accent', 'black'),
    mark: colourOf('--mark', 'black'),
    serif: familiesOf(token('--serif')),
    sans: familiesOf(token('--sans')),
    // A file's rules cannot be read from a page opened from disk: its address is enough, Node reads it.
    stylesheets: [...document.styleSheets].map((sheet) => (sheet.href ? { url: sheet.href } : { url: document.baseURI, css: sheet.ownerNode?.textContent ?? '' })),
    roles: Object.fromEntries(roles.map((role) => [role, colourOf(`--role-${role}`, token('--role-neutral') || 'black')])),
    chart: { tick: parseFloat(token('--chart-tick-size')) || 18, category: parseFloat(token('--chart-category-size')) || 21, value: parseFloat(token('--chart-value-size')) || 22, grid: colours.paint(colourOf('--paper', 'white'), token('--chart-grid')) },
  };
}

function measureAll(args: MeasureArgs): { slides: SlideGeometry[]; tokens: ThemeTokens } {
  const colours = colourReader();
  const serif = familiesOf(getComputedStyle(document.documentElement).getPropertyValue('--serif').trim())[0];
  const sections = [...document.querySelectorAll(args.slideSelector)];
  const marked = sections.map((section) => markedOf(section, args.slideNumberSelector));
  const baselines = baselinesOf(marked.flatMap(({ elements, numberElement }) => (numberElement ? [...elements, numberElement] : elements)));
  const slides = sections.map((section, index) => geometryOf(section, marked[index]!, colours, serif, baselines));
  return { slides, tokens: themeTokens(args.roles, colours) };
}
