import type { DeckTab } from './tab.js';

/** A rectangle in slide pixels (the slide is 1280x720), from the slide's top-left corner. */
export interface Box {
  x: number;
  y: number;
  w: number;
  h: number;
}

/** How a piece of text is drawn in the deck, read from the browser's computed style. */
export interface TextLook {
  /** Pixels. */
  fontSize: number;
  bold: boolean;
  italic: boolean;
  /** #rrggbb */
  color: string;
  /** The first family the style asks for ('Source Serif 4'), and whether it is the theme's serif. */
  family: string;
  serif: boolean;
  /** Pixels. */
  letterSpacing: number;
  uppercase: boolean;
  /** Multiple of the font size. */
  lineHeight: number;
  align: 'left' | 'center' | 'right';
}

/** A visible border of a box: a rule in the deck's look (a column's top, a quote's side). */
export interface Rule {
  side: 'top' | 'right' | 'bottom' | 'left';
  box: Box;
  color: string;
}

export interface LaidOut {
  /** The border box: where rules and markers are drawn. */
  box: Box;
  /** The content box, inside padding and borders: where the text wraps. */
  content: Box;
  /** How far down the slide the first line's baseline is. */
  baseline: number;
  look: TextLook;
  rules: Rule[];
  /** A list item's ::before square (the deck's bullets), where it is and its colour. */
  marker: { box: Box; color: string } | undefined;
}

/** Where the parts of one slide are, by part; each part in document order. */
export type SlideLayout = Record<string, LaidOut[]>;

/** The parts a slide is made of, as the templates mark them. A custom layout may use any of them. */
export const partSelectors: Readonly<Record<string, string>> = {
  kicker: '.frame .kicker',
  title: '.frame h1, .frame h2',
  subtitle: '.frame .subtitle',
  byline: '.frame .byline',
  lede: '.frame .lede',
  titleBlock: '.frame .title-block',
  bigNumber: '.frame .big-number',
  bigCaption: '.frame .big-number-caption',
  column: '.frame .column',
  columnFigure: '.frame .column-figure',
  columnLabel: '.frame .column-label',
  columnCaption: '.frame .column-caption',
  point: '.frame .points > li',
  chart: '.frame .chart-box',
  quoteBlock: '.frame .pull-quote',
  quote: '.frame .pull-quote > p',
  attribution: '.frame .pull-quote > cite',
  footnote: '.footnote',
  sources: '.frame ol.sources',
  source: '.frame ol.sources > li',
  sourceOrigin: '.frame ol.sources .source-origin',
  sourceStatus: '.frame ol.sources .status',
  slideNumber: '.slide-number-pdf',
};

/** A stylesheet of the deck page: its address, and its text when it is written in the page. */
export interface Stylesheet {
  url: string;
  css?: string;
}

/** The theme's tokens other outputs need: colours by role, fonts, chart sizes. */
export interface ThemeTokens {
  paper: string;
  ink: string;
  inkSoft: string;
  inkFaint: string;
  rule: string;
  accent: string;
  mark: string;
  serif: string[];
  sans: string[];
  /** The page's stylesheets, whose @font-face rules name the theme's font files (for the PowerPoint to carry). */
  stylesheets: Stylesheet[];
  roles: Record<string, string>;
  /** Sizes in pixels; the grid's colour as it shows on the paper (#rrggbb). */
  chart: { tick: number; category: number; value: number; grid: string };
}

/**
 * Where everything sits on every slide of the open print view, as laid out by the browser with
 * the deck's fonts, and the theme's tokens: what a PowerPoint slide needs to look like the deck.
 */
export async function measureLayout(tab: DeckTab, roles: readonly string[]): Promise<{ slides: SlideLayout[]; tokens: ThemeTokens }> {
  return tab.step('measuring the slides\' layout', tab.page.evaluate((selectors: Record<string, string>, roleNames: string[]) => {
    // A colour may be written any way CSS allows (#abc, white, hsl(), oklch()): rgb() as computed
    // styles mostly give it is read exactly, anything else from a canvas pixel painted with it
    // (each layer over the one before, so a translucent colour comes out as it shows on paper).
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
    const root = getComputedStyle(document.documentElement);
    const token = (name: string): string => root.getPropertyValue(name).trim();
    const colourOf = (name: string, fallback: string): string => hex(token(name) || fallback, fallback);
    const families = (value: string): string[] => value.split(',').map((family) => family.trim().replace(/^['"]|['"]$/g, '')).filter(Boolean);
    const serif = families(token('--serif'));
    const slides = [...document.querySelectorAll('.reveal .slides .pdf-page > section')].map((section) => {
      const origin = section.getBoundingClientRect();
      const boxOf = (rect: DOMRect): { x: number; y: number; w: number; h: number } => ({ x: rect.left - origin.left, y: rect.top - origin.top, w: rect.width, h: rect.height });
      const layout: Record<string, unknown[]> = {};
      for (const [part, selector] of Object.entries(selectors)) {
        // The slide number is reveal.js's, drawn on the printed page beside the slide.
        const scope = part === 'slideNumber' ? section.parentElement ?? section : section;
        layout[part] = [...scope.querySelectorAll(selector)].filter((element) => !element.closest('.visually-hidden')).map((element) => {
          const style = getComputedStyle(element);
          const box = boxOf(element.getBoundingClientRect());
          const rules = (['top', 'right', 'bottom', 'left'] as const).flatMap((side) => {
            const width = parseFloat(style.getPropertyValue(`border-${side}-width`));
            if (!(width > 0) || style.getPropertyValue(`border-${side}-style`) === 'none') return [];
            const color = hex(style.getPropertyValue(`border-${side}-color`));
            const rule = side === 'top' ? { x: box.x, y: box.y, w: box.w, h: width }
              : side === 'bottom' ? { x: box.x, y: box.y + box.h - width, w: box.w, h: width }
              : side === 'left' ? { x: box.x, y: box.y, w: width, h: box.h }
              : { x: box.x + box.w - width, y: box.y, w: width, h: box.h };
            return [{ side, box: rule, color }];
          });
          const before = getComputedStyle(element, '::before');
          const markerWidth = parseFloat(before.width);
          const marker = before.content !== 'none' && markerWidth > 0 && before.position === 'absolute'
            ? { box: { x: box.x + parseFloat(before.left || '0'), y: box.y + parseFloat(before.top || '0'), w: markerWidth, h: parseFloat(before.height) }, color: hex(before.backgroundColor) }
            : undefined;
          const inset = (side: string): number => (parseFloat(style.getPropertyValue(`padding-${side}`)) || 0) + (parseFloat(style.getPropertyValue(`border-${side}-width`)) || 0);
          const content = { x: box.x + inset('left'), y: box.y + inset('top'), w: box.w - inset('left') - inset('right'), h: box.h - inset('top') - inset('bottom') };
          const fontSize = parseFloat(style.fontSize);
          const lineHeight = style.lineHeight === 'normal' ? 1.2 * fontSize : parseFloat(style.lineHeight);
          // Where the first line's baseline is: an empty inline-block sits on it (removed at once).
          const walker = document.createTreeWalker(element, NodeFilter.SHOW_TEXT, { acceptNode: (node) => (node.textContent ?? '').trim() ? NodeFilter.FILTER_ACCEPT : NodeFilter.FILTER_REJECT });
          const firstText = walker.nextNode();
          let baseline = content.y + 0.8 * lineHeight;
          if (firstText?.parentNode) {
            const probe = document.createElement('span');
            probe.style.cssText = 'display:inline-block;width:0;height:0;margin:0;padding:0;border:0';
            firstText.parentNode.insertBefore(probe, firstText);
            baseline = probe.getBoundingClientRect().bottom - origin.top;
            probe.remove();
          }
          const family = families(style.fontFamily)[0] ?? '';
          return {
            box,
            content,
            baseline,
            look: {
              fontSize,
              bold: Number(style.fontWeight) >= 600,
              italic: style.fontStyle === 'italic',
              color: hex(style.color),
              family,
              serif: family === serif[0],
              letterSpacing: parseFloat(style.letterSpacing) || 0,
              uppercase: style.textTransform === 'uppercase',
              lineHeight: lineHeight / fontSize,
              align: style.textAlign === 'center' ? 'center' : style.textAlign === 'right' || style.textAlign === 'end' ? 'right' : 'left',
            },
            rules,
            marker,
          };
        });
      }
      return layout;
    });
    const tokens = {
      paper: colourOf('--paper', 'white'),
      ink: colourOf('--ink', 'black'),
      inkSoft: colourOf('--ink-soft', 'black'),
      inkFaint: colourOf('--ink-faint', 'black'),
      rule: colourOf('--rule', 'black'),
      accent: colourOf('--accent', 'black'),
      mark: colourOf('--mark', 'black'),
      serif,
      sans: families(token('--sans')),
      // A file's rules cannot be read from a page opened from disk: its address is enough, Node reads it.
      stylesheets: [...document.styleSheets].map((sheet) => (sheet.href ? { url: sheet.href } : { url: document.baseURI, css: sheet.ownerNode?.textContent ?? '' })),
      roles: Object.fromEntries(roleNames.map((role) => [role, colourOf(`--role-${role}`, token('--role-neutral') || 'black')])),
      chart: { tick: parseFloat(token('--chart-tick-size')) || 18, category: parseFloat(token('--chart-category-size')) || 21, value: parseFloat(token('--chart-value-size')) || 22, grid: paint(colourOf('--paper', 'white'), token('--chart-grid')) },
    };
    return { slides: slides as never, tokens };
  }, partSelectors as Record<string, string>, [...roles]));
}
