import type { DeckTab } from './tab.js';
import { measureScript } from './measure-page.js';
import { slideNumberSelector, slideSelector } from './slides.js';

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

/** A part of a slide as the browser laid it out: what the layout marked it (data-part, data-field) and where it sits. */
export interface PartBox {
  /** Its kind, as the layout wrote it (render/parts.ts lists the kinds). */
  part: string;
  /** The field of the slide's view it shows (`text.0`), when it shows one. */
  field: string | undefined;
  /** The part it lies in, by its index among the slide's parts. */
  parent: number | undefined;
  /** The border box: where rules and markers are drawn. */
  box: Box;
  /** The content box, inside padding and borders: where the text wraps. */
  content: Box;
  /** How far down the slide the first line's baseline is. */
  baseline: number;
  look: TextLook;
  rules: Rule[];
  /** A ::before drawn as a box (the deck's square bullets), where it is and its colour. */
  marker: { box: Box; color: string } | undefined;
}

/** One slide as laid out: its marked parts in document order, what it shows outside them, its number. */
export interface SlideGeometry {
  parts: PartBox[];
  /** The first words of each text the slide shows outside any marked part (an export cannot tell what it is). */
  unmarked: string[];
  /** reveal.js's slide number, drawn on the slide's printed page. */
  number: PartBox | undefined;
}

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
 * Where every marked part of every slide of the open print view sits, as laid out by the browser
 * with the deck's fonts, and the theme's tokens: what a PowerPoint slide needs to look like the deck.
 */
export async function measureSlides(tab: DeckTab, roles: readonly string[]): Promise<{ slides: SlideGeometry[]; tokens: ThemeTokens }> {
  return tab.step("measuring the slides' parts", tab.page.evaluate(measureScript({ slideSelector, slideNumberSelector, roles: [...roles] })) as Promise<{ slides: SlideGeometry[]; tokens: ThemeTokens }>);
}
