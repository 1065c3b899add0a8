import { createRequire } from 'node:module';
import type PptxGenJSModule from 'pptxgenjs';
import type { Box, LaidOut, SlideLayout, TextLook, ThemeTokens } from '../print/layout.js';
import type { DeckView, Rich, SlideView } from '../render/view.js';
import { embeddedFamilies, type FontSources } from './fonts.js';
import { repairPptx } from './repair.js';

type PptxGenJS = PptxGenJSModule.default;
type PptxSlide = PptxGenJSModule.default.Slide;
type TextProps = PptxGenJSModule.default.TextProps;
type TextOptions = PptxGenJSModule.default.TextPropsOptions;
type ChartOptions = PptxGenJSModule.default.IChartOpts;

// The CommonJS build: under NodeNext, TypeScript types the ES import's default as the module.
const PptxGenJSClass = createRequire(import.meta.url)('pptxgenjs') as typeof PptxGenJSModule.default;

export interface PptxInput {
  view: DeckView;
  /** Where each part of each slide sits in the deck, measured in the browser (print/layout.ts). */
  layout: readonly SlideLayout[];
  tokens: ThemeTokens;
  meta: { title: string; author: string; subject: string; language: string };
  /** Where the files of the faces the deck declares are, to embed the theme's fonts. */
  fonts: FontSources;
}

export interface BuiltPptx {
  bytes: Uint8Array;
  /** What a user should know: a theme font the file could not carry, and why. */
  warnings: string[];
}

/** The slide is 1280x720 CSS pixels: 13.333 x 7.5 inches at 96 to the inch, a CSS pixel 0.75 point. */
const inches = (px: number): number => px / 96;
const points = (px: number): number => Math.round(px * 0.75 * 10) / 10;
const emu = (px: number): number => Math.round((px / 96) * 914400);
const colour = (hex: string): string => hex.replace('#', '').toUpperCase().padEnd(6, '0').slice(0, 6);

/**
 * The deck as a PowerPoint file people can edit: one slide per deck slide, 16:9, each part of a
 * slide a real object where the deck shows it (titles in title placeholders, text in text boxes,
 * rules as shapes, charts as native bar charts whose data sheet holds the figures), the theme's
 * colours and fonts (as theme fonts, so PowerPoint can swap them deck-wide), speaker notes with
 * the sources of the slide's figures, source links as hyperlinks. Built from the same view as the
 * HTML, placed where the browser laid the deck out.
 */
export async function buildPptx(input: PptxInput): Promise<BuiltPptx> {
  const { view, layout, tokens, meta } = input;
  const pptx: PptxGenJS = new PptxGenJSClass();
  pptx.layout = 'LAYOUT_WIDE';
  pptx.title = meta.title;
  pptx.author = meta.author;
  pptx.subject = meta.subject;
  pptx.company = 'datadeck';
  const serif = tokens.serif[0] ?? 'Georgia';
  const sans = tokens.sans[0] ?? 'Arial';
  pptx.theme = { headFontFace: serif, bodyFontFace: sans };
  // One slide number for all slides, where and as the deck draws it (the master holds it).
  const numbered = layout.find((slide) => slide.slideNumber?.[0])?.slideNumber?.[0];
  const numberBox = numbered ? { ...placement(numbered), x: numbered.content.x, w: numbered.content.w } : { x: 1280 - 88 - 80, y: 720 - 34, w: 80, h: 22 };
  const slideNumber = { x: inches(numberBox.x + numberBox.w - 80), y: inches(numberBox.y), w: inches(80), h: inches(numberBox.h), margin: 0, valign: 'top' as const, fontFace: '+mn-lt', fontSize: points(numbered?.look.fontSize ?? 14), color: colour(numbered?.look.color ?? tokens.inkFaint), align: 'right' as const };
  pptx.defineSlideMaster({
    title: 'TITLED',
    background: { color: colour(tokens.paper) },
    margin: 0,
    objects: [{ placeholder: { options: { name: 'title', type: 'title', x: inches(88), y: inches(56), w: inches(1104), h: inches(120), fontFace: '+mj-lt', color: colour(tokens.ink), align: 'left', valign: 'top', margin: 0 }, text: '' } }],
    slideNumber,
  });
  pptx.defineSlideMaster({ title: 'PLAIN', background: { color: colour(tokens.paper) }, margin: 0, objects: [], slideNumber });

  const language = meta.language;
  const sourcesSlide = new Map(view.slides.map((slide, index) => [slide.id, index + 1]));
  const chartLabels: string[][] = [];
  const titleBoxes: ({ x: number; y: number; w: number; h: number } | undefined)[] = [];

  /** A text box where the deck's text sits (see placement), in the look the deck gives it. */
  const textOptions = (part: LaidOut, extra: TextOptions = {}): TextOptions => {
    const where = placement(part);
    return { x: inches(where.x), y: inches(where.y), w: inches(where.w), h: inches(where.h), margin: 0, valign: 'top', fit: 'shrink', wrap: true, lang: language, ...look(part.look), ...extra };
  };
  const look = (text: TextLook): TextOptions => ({
    fontFace: text.serif ? '+mj-lt' : '+mn-lt',
    fontSize: points(text.fontSize),
    bold: text.bold,
    italic: text.italic,
    color: colour(text.color),
    align: text.align,
    lineSpacing: points(text.lineHeight * text.fontSize),
    ...(text.letterSpacing ? { charSpacing: points(text.letterSpacing) } : {}),
  });
  /** A text's runs: figures bold, the rest as written; upper-cased when the deck shows it so. */
  const runs = (rich: Rich | string, part: LaidOut | undefined): TextProps[] => {
    const upper = (text: string): string => (part?.look.uppercase ? text.toLocaleUpperCase(language) : text);
    if (typeof rich === 'string') return [{ text: upper(rich) }];
    return rich.runs.map((run) => ({ text: upper(run.text), options: run.figure !== undefined ? { bold: true } : {} }));
  };
  const rules = (slide: PptxSlide, part: LaidOut | undefined): void => {
    for (const rule of part?.rules ?? []) shape(slide, rule.box, rule.color);
  };
  const shape = (slide: PptxSlide, box: Box, fill: string): void => {
    slide.addShape('rect', { x: inches(box.x), y: inches(box.y), w: inches(Math.max(box.w, 0.75)), h: inches(Math.max(box.h, 0.75)), fill: { color: colour(fill) }, line: { type: 'none' } });
  };
  const text = (slide: PptxSlide, rich: Rich | string | null, part: LaidOut | undefined, extra: TextOptions = {}): void => {
    if (rich === null || !part) return;
    slide.addText(runs(rich, part), textOptions(part, extra));
  };

  view.slides.forEach((slideView, index) => {
    const parts = layout[index] ?? {};
    const first = (name: string): LaidOut | undefined => parts[name]?.[0];
    const all = (name: string): LaidOut[] => parts[name] ?? [];
    const titlePart = first('title');
    const slide = pptx.addSlide({ masterName: titlePart || slideView.heading ? 'TITLED' : 'PLAIN' });
    rules(slide, first('titleBlock'));
    rules(slide, first('quoteBlock'));

    text(slide, slideView.kicker, first('kicker'));
    if (titlePart) {
      // pptxgenjs gives a placeholder's text the master's colour and spacing unless each run says
      // otherwise, and fills an option a run sets to false from the shape's: weight goes on runs only.
      const { bold, ...placed } = { ...look(titlePart.look), margin: 0, valign: 'top' as const, fit: 'shrink' as const, lang: language };
      const title = (slideView.sources ? titleOfSources(slideView, tokens) : runs(slideView.title ?? slideView.heading, titlePart)).map((run) => ({ ...run, options: { ...placed, bold, ...run.options } }));
      slide.addText(title, { placeholder: 'title', ...placed });
      const where = placement(titlePart);
      titleBoxes.push({ x: emu(where.x), y: emu(where.y), w: emu(where.w), h: emu(where.h) });
    } else if (slideView.heading) {
      // A slide the deck shows without a title (a big number, a quote) still has one for the
      // outline and for screen readers: its heading, off the slide, as PowerPoint's own "Add
      // Hidden Slide Title" does.
      slide.addText(slideView.heading, { placeholder: 'title', margin: 0, valign: 'top', lang: language, fontSize: 20 });
      titleBoxes.push({ x: emu(88), y: emu(-160), w: emu(1104), h: emu(120) });
    } else {
      titleBoxes.push(undefined);
    }
    text(slide, slideView.subtitle, first('subtitle'));
    text(slide, slideView.byline, first('byline'));
    slideView.text.forEach((paragraph, i) => text(slide, paragraph, all('lede')[i]));
    text(slide, slideView.figure, first('bigNumber'), { bold: true });
    text(slide, slideView.figureCaption, first('bigCaption'));

    let captions = 0;
    (slideView.columns ?? []).forEach((column, i) => {
      rules(slide, all('column')[i]);
      text(slide, column.figure, all('columnFigure')[i], { bold: true });
      text(slide, column.label, all('columnLabel')[i]);
      if (column.caption) text(slide, column.caption, all('columnCaption')[captions++]);
    });
    (slideView.items ?? []).forEach((item, i) => {
      const point = all('point')[i];
      if (!point) return;
      if (point.marker) shape(slide, point.marker.box, point.marker.color);
      rules(slide, point);
      text(slide, item, point);
    });
    text(slide, slideView.quote, first('quote'));
    text(slide, slideView.attribution, first('attribution'));

    const chartPart = first('chart');
    if (slideView.chart && chartPart) {
      chartLabels.push(slideView.chart.spec.valueLabels);
      slide.addChart(pptx.ChartType.bar, [{ name: slideView.chart.spec.axisTitle || slideView.chart.title, labels: slideView.chart.spec.labels, values: slideView.chart.spec.values }], chartOptions(slideView, chartPart.box, tokens, language));
    }

    const footnote = first('footnote');
    if (slideView.footnote && footnote) {
      rules(slide, footnote);
      const line: TextProps[] = [{ text: `${slideView.footnote.label} ` }];
      for (const citation of slideView.footnote.citations) {
        const target = sourcesSlide.get(citation.href.replace(/^#/, ''));
        line.push({ text: `[${citation.number}]`, options: target ? { hyperlink: { slide: target, tooltip: `[${citation.number}]` }, color: colour(footnote.look.color) } : {} }, { text: ' ' });
      }
      for (const caveat of slideView.footnote.caveats) {
        // The deck's gap before a caveat is a margin about an em wide: an em space and a space.
        line.push({ text: '\u2003 ▲ ', options: { color: colour(tokens.mark) } }, { text: caveat.text, options: { color: colour(tokens.inkSoft) } });
      }
      slide.addText(line, textOptions(footnote));
    }

    const list = first('sources');
    if (slideView.sources && list) {
      // A box per entry, where the deck has it, so a long entry cannot push the others down;
      // every entry is drawn alike, so the first origin line and status mark give the look of all.
      const entries = all('source');
      const originLook = first('sourceOrigin')?.look;
      const statusLook = first('sourceStatus')?.look;
      const origin: TextOptions = originLook ? { fontSize: points(originLook.fontSize), color: colour(originLook.color) } : {};
      const status: TextOptions = statusLook ? { fontSize: points(statusLook.fontSize), color: colour(statusLook.color), italic: statusLook.italic } : origin;
      const hanging = list.content.x - list.box.x;
      slideView.sources.entries.forEach((entry, i) => {
        const part = entries[i];
        if (!part) return;
        const entryRuns: TextProps[] = [
          { text: entry.label, options: { bold: true, bullet: { type: 'number', numberStartAt: entry.number, indent: points(hanging) } } },
          { text: `${entry.period ? `, ${entry.period}` : ''}${view.labelValueSeparator}${entry.value}` },
          { text: entry.sourceTitle, options: { ...origin, softBreakBefore: true, ...(entry.sourceUrl ? { hyperlink: { url: entry.sourceUrl, tooltip: entry.sourceUrl } } : {}) } },
        ];
        // A copy: pptxgenjs writes into the options it is given, and a changed run starts a new paragraph.
        if (entry.statusText) entryRuns.push({ text: `  ${entry.statusText}`, options: { ...status } });
        slide.addText(entryRuns, textOptions(part, { x: inches(list.box.x), w: inches(list.box.w) }));
      });
    }

    slide.addNotes(notesOf(slideView, view.labelValueSeparator));
  });

  const bytes = (await pptx.stream({ compression: true })) as Uint8Array;
  const fonts = await embeddedFamilies([{ typeface: serif, pitchFamily: 18 }, { typeface: sans, pitchFamily: 34 }], tokens.stylesheets, input.fonts);
  return {
    bytes: await repairPptx(bytes, { chartLabels, titleBoxes, lang: language, hyperlinkColor: colour(tokens.inkSoft), serifFont: serif, fonts: fonts.families }),
    warnings: fonts.missing.map((reason) => `deck.pptx does not carry the font ${reason}; PowerPoint shows a substitute where it is not installed`),
  };
}

/**
 * Where a text box goes for the deck's text to sit where the browser drew it. Lines are spaced
 * exactly as in the deck (points, not a multiple of a font's height, which differs from font to
 * font). With exact spacing, LibreOffice puts a box's first baseline 0.2 em above the bottom of
 * its first line, whatever the font (measured on this deck's two fonts at 15 to 200 px), where
 * the browser centres the font in its line: the box moves to keep the baseline where it was.
 */
function placement(part: LaidOut): Box {
  const lineHeight = part.look.lineHeight * part.look.fontSize;
  const y = part.baseline - (lineHeight - 0.2 * part.look.fontSize);
  // The browser's width exactly: LibreOffice breaks lines where the browser does (a few pixels
  // more let a line keep a word the browser had moved to the next one).
  return { x: part.content.x, y, w: part.content.w, h: Math.max(part.content.h + part.content.y - y, lineHeight) };
}

/** "Sources (1/4)": the page count in the faint ink, as on the slide. */
function titleOfSources(slide: SlideView, tokens: ThemeTokens): TextProps[] {
  const sources = slide.sources!;
  return [{ text: sources.title }, ...(sources.pageLabel ? [{ text: ` ${sources.pageLabel}`, options: { color: colour(tokens.inkFaint), bold: false } }] : [])];
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

/** A native bar chart: one series, a colour per bar by role, the deck's fonts and sizes. */
function chartOptions(slide: SlideView, box: Box, tokens: ThemeTokens, language: string): ChartOptions {
  const chart = slide.chart!;
  const horizontal = chart.orientation === 'horizontal';
  const options: ChartOptions = {
    x: inches(box.x),
    y: inches(box.y),
    w: inches(box.w),
    h: inches(box.h),
    barDir: horizontal ? 'bar' : 'col',
    // One colour per bar: more than one colour on a single series writes a colour per point.
    chartColors: chart.spec.roles.map((role) => colour(tokens.roles[role] ?? tokens.inkFaint)),
    barGapWidthPct: horizontal ? 60 : 80,
    lang: language,
    showTitle: true,
    title: chart.title,
    titleFontFace: '+mn-lt',
    titleFontSize: points(tokens.chart.tick),
    titleColor: colour(tokens.inkSoft),
    titleAlign: 'left',
    showLegend: false,
    showValue: true,
    dataLabelPosition: 'outEnd',
    dataLabelFontFace: '+mn-lt',
    dataLabelFontSize: points(tokens.chart.value),
    dataLabelFontBold: true,
    dataLabelColor: colour(tokens.ink),
    dataLabelFormatCode: 'General',
    catAxisLabelFontFace: '+mn-lt',
    catAxisLabelFontSize: points(tokens.chart.category),
    catAxisLabelFontBold: true,
    catAxisLabelColor: colour(tokens.ink),
    catAxisLineShow: true,
    catAxisLineColor: colour(tokens.inkSoft),
    catAxisMajorTickMark: 'none',
    valAxisLabelFontFace: '+mn-lt',
    valAxisLabelFontSize: points(tokens.chart.tick),
    valAxisLabelColor: colour(tokens.inkSoft),
    valAxisLineShow: false,
    valAxisMajorTickMark: 'none',
    // From zero, as the deck draws bars; a negative figure (a loss) gets the axis it needs.
    ...(chart.spec.values.every((value) => value >= 0) ? { valAxisMinVal: 0 } : {}),
    valAxisLabelFormatCode: 'General',
    valGridLine: { color: colour(tokens.chart.grid), size: 0.75, style: 'solid' },
    catGridLine: { style: 'none' },
    showValAxisTitle: chart.spec.axisTitle !== '',
    valAxisTitle: chart.spec.axisTitle,
    valAxisTitleFontFace: '+mn-lt',
    valAxisTitleFontSize: points(tokens.chart.tick),
    valAxisTitleColor: colour(tokens.inkSoft),
    altText: chart.description,
  };
  if (horizontal) {
    // The first bar on top, as on the slide, with the value axis still at the bottom.
    Object.assign(options, { catAxisOrientation: 'maxMin', catAxisCrossesAt: 'max', valAxisLabelPos: 'nextTo' });
  }
  return options;
}
