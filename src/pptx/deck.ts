import { createRequire } from 'node:module';
import type PptxGenJSModule from 'pptxgenjs';
import type { Box, SlideGeometry, ThemeTokens } from '../print/measure.js';
import type { DeckView, SlideView } from '../render/view.js';
import { embeddedFamilies, type FontSources } from './fonts.js';
import { repairPptx } from './repair.js';
import { drawSlide, type DeckDrawing } from './slide.js';
import { colour, inches, placement, points, slideSize } from './text.js';

type PptxGenJS = PptxGenJSModule.default;

// The CommonJS build: under NodeNext, TypeScript types the ES import's default as the module.
const PptxGenJSClass = createRequire(import.meta.url)('pptxgenjs') as typeof PptxGenJSModule.default;

export interface PptxInput {
  view: DeckView;
  /** Where each part of each slide sits in the deck, measured in the browser (print/measure.ts). */
  slides: readonly SlideGeometry[];
  tokens: ThemeTokens;
  meta: { title: string; author: string; subject: string; language: string };
  /** Where the files of the faces the deck declares are, to embed the theme's fonts. */
  fonts: FontSources;
  /** The template of a layout, as messages name it (templates/layouts/bullets.hbs). */
  layoutFile(layout: string): string;
}

export interface BuiltPptx {
  bytes: Uint8Array;
  /** What a user should know: a part of a layout the file leaves out, a theme font it could not carry, and why. */
  warnings: string[];
}

/** Room for the widest slide number ("23/23") at the deck's size, right-aligned where the deck's ends. */
const slideNumberWidth = 80;

/**
 * The deck as a PowerPoint file people can edit: one slide per deck slide, 16:9, each part of a
 * slide a real object where the deck shows it (titles in title placeholders, text in text boxes,
 * rules as shapes, charts as native bar charts whose data sheet holds the figures), the theme's
 * colours and fonts (as theme fonts, so PowerPoint can swap them deck-wide), speaker notes with
 * the sources of the slide's figures, source links as hyperlinks. Built from the same view as the
 * HTML, every part placed where the browser laid it out (print/measure.ts), its text looked up by
 * the field its layout marks it with.
 */
export async function buildPptx(input: PptxInput): Promise<BuiltPptx> {
  const { view, tokens, meta } = input;
  const pptx: PptxGenJS = new PptxGenJSClass();
  pptx.layout = 'LAYOUT_WIDE';
  pptx.title = meta.title;
  pptx.author = meta.author;
  pptx.subject = meta.subject;
  pptx.company = 'datadeck';
  const serif = tokens.serif[0] ?? 'Georgia';
  const sans = tokens.sans[0] ?? 'Arial';
  pptx.theme = { headFontFace: serif, bodyFontFace: sans };
  const titleBox = masterTitleBox(input.slides);
  defineMasters(pptx, input, titleBox);

  const warnings = new Map<string, number[]>();
  const anchors = new Map(view.slides.map((slide, index) => [slide.id, index + 1]));
  const deck: DeckDrawing = {
    pptx,
    tokens,
    lang: meta.language,
    labelValueSeparator: view.labelValueSeparator,
    slideOf: (anchor) => anchors.get(anchor),
    charts: [],
    hiddenTitle: { ...titleBox, y: -(titleBox.h + titleBox.y) },
    warn(slide: SlideView, message: string) {
      const key = `${input.layoutFile(slide.layout)}: ${message}`;
      warnings.set(key, [...(warnings.get(key) ?? []), slide.number]);
    },
  };
  const titleBoxes = view.slides.map((slide, index) => drawSlide(deck, slide, input.slides[index] ?? { parts: [], unmarked: [], number: undefined }));

  const bytes = (await pptx.stream({ compression: true })) as Uint8Array;
  const fonts = await embeddedFamilies([{ typeface: serif, pitchFamily: 18 }, { typeface: sans, pitchFamily: 34 }], tokens.stylesheets, input.fonts);
  return {
    bytes: await repairPptx(bytes, { charts: deck.charts, titleBoxes, lang: meta.language, hyperlinkColor: colour(tokens.inkSoft), serifFont: serif, fonts: fonts.families }),
    warnings: [
      ...[...warnings].map(([message, slides]) => `${message} (slide${slides.length > 1 ? 's' : ''} ${slides.join(', ')})`),
      ...fonts.missing.map((reason) => `deck.pptx does not carry the font ${reason}; PowerPoint shows a substitute where it is not installed`),
    ],
  };
}

/**
 * Where the master puts a title (and where a new slide a user adds gets one): at the top of the
 * deck's content box (the first slide's frame), as tall as the deck's first title.
 */
function masterTitleBox(slides: readonly SlideGeometry[]): Box {
  const parts = slides.flatMap((slide) => slide.parts);
  const frame = parts.find((part) => part.part === 'frame')?.content;
  const title = parts.find((part) => part.part === 'text' && part.field === 'title');
  const height = title ? placement(title).h : slideSize.h / 6;
  return frame ? { x: frame.x, y: frame.y, w: frame.w, h: height } : title ? placement(title) : { x: 0, y: 0, w: slideSize.w, h: height };
}

/** Two masters, with a title placeholder and without; both carry the slide number where the deck draws it. */
function defineMasters(pptx: PptxGenJS, input: PptxInput, title: Box): void {
  const { tokens } = input;
  const numbered = input.slides.find((slide) => slide.number)?.number;
  const where = numbered && placement(numbered);
  const slideNumber = numbered && where
    ? { x: inches(numbered.content.x + numbered.content.w - slideNumberWidth), y: inches(where.y), w: inches(slideNumberWidth), h: inches(where.h), margin: 0, valign: 'top' as const, fontFace: '+mn-lt', fontSize: points(numbered.look.fontSize), color: colour(numbered.look.color), align: 'right' as const }
    : undefined;
  pptx.defineSlideMaster({
    title: 'TITLED',
    background: { color: colour(tokens.paper) },
    margin: 0,
    objects: [{ placeholder: { options: { name: 'title', type: 'title', x: inches(title.x), y: inches(title.y), w: inches(title.w), h: inches(title.h), fontFace: '+mj-lt', color: colour(tokens.ink), align: 'left', valign: 'top', margin: 0 }, text: '' } }],
    ...(slideNumber ? { slideNumber } : {}),
  });
  pptx.defineSlideMaster({ title: 'PLAIN', background: { color: colour(tokens.paper) }, margin: 0, objects: [], ...(slideNumber ? { slideNumber } : {}) });
}
