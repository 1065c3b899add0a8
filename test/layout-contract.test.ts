/**
 * What a layout declares (the YAML of its leading comment: requires, limits) and the parts it
 * marks (data-part, data-field), checked when the templates load; a user's own layout whose parts
 * are marked reaches every export, the PowerPoint included.
 */
import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { DataErrors, ProblemList, type DataProblem } from '../src/errors.js';
import { loadData } from '../src/data/load.js';
import { buildDeckModel, type DeckModel } from '../src/model/deck.js';
import { loadTemplates, type TemplateSet } from '../src/render/engine.js';
import { buildDeckView } from '../src/render/view.js';
import { build } from '../src/pipeline.js';
import { pptxToPdf, soffice } from './support/libreoffice.js';
import { readPptx } from './support/pptx-reader.js';
import { localeOf } from './support/locale.js';
import { templatesDir } from './support/project.js';
import { layoutDecks, type LayoutDeck, type LayoutDeckSpec } from './support/layout-deck.js';

const run = promisify(execFile);
const smallDeck = layoutDecks();

async function templatesOf(deck: LayoutDeck): Promise<TemplateSet> {
  return loadTemplates([deck.templates, templatesDir], ['templates', 'package']);
}

/** The template problems a deck's own templates cause. */
async function templateProblems(deck: LayoutDeck): Promise<readonly DataProblem[]> {
  const error = await templatesOf(deck).then(() => undefined, (thrown: unknown) => thrown);
  expect(error).toBeInstanceOf(DataErrors);
  expect((error as DataErrors).code).toBe('template');
  return (error as DataErrors).problems;
}

/** The model of a small deck with its own templates; the data problems it has, if any. */
async function modelOf(spec: LayoutDeckSpec): Promise<{ model?: DeckModel; problems: readonly DataProblem[] }> {
  const deck = await smallDeck(spec);
  const problems = new ProblemList();
  const data = await loadData(deck.data, problems, 'data');
  expect(problems.problems).toEqual([]);
  try {
    return { model: buildDeckModel(data!, { layouts: (await templatesOf(deck)).layouts }), problems: [] };
  } catch (error) {
    if (!(error instanceof DataErrors)) throw error;
    return { problems: error.problems };
  }
}

const twoLines = '{{!--\nrequires: [title, items]\nlimits: { items: 2 }\n--}}\n<h2 data-part="text" data-field="title">{{title}}</h2>\n<ul>{{#each items}}<li data-part="list-item" data-field="items.{{@index}}">{{this}}</li>{{/each}}</ul>\n';

describe("a layout's header", () => {
  it('is YAML over several lines: what a slide must give it, and the most items it holds', async () => {
    const { problems } = await modelOf({ slides: [{ layout: 'list', title: 'A title' }], templates: { 'layouts/list.hbs': twoLines } });
    expect(problems.map((problem) => problem.message)).toEqual(['layout "list" needs "items"']);
    const { model } = await modelOf({ slides: [{ layout: 'list', title: 'A title', items: ['one', 'two', 'three'] }], templates: { 'layouts/list.hbs': twoLines } });
    expect(model!.warnings).toContainEqual(expect.stringMatching(/^data\/deck\.yaml:\d+: slide 1 has 3 items; layout "list" holds 2$/));
  });

  it('keeps its one-line form', async () => {
    const { problems } = await modelOf({ slides: [{ layout: 'mine', title: 'A title' }], templates: { 'layouts/mine.hbs': '{{!-- requires: title chart --}}\n<h2>{{title}}</h2>\n' } });
    expect(problems.map((problem) => problem.message)).toEqual(['layout "mine" needs "chart"']);
  });

  it('a comment that declares nothing is the author\'s own', async () => {
    const { model } = await modelOf({ slides: [{ layout: 'mine', title: 'A title' }], templates: { 'layouts/mine.hbs': '{{!-- My layout: a title, alone. --}}\n<h2>{{title}}</h2>\n' } });
    expect(model!.slides).toHaveLength(1);
  });

  it('names what is wrong at its line: an unknown field, a limit that is not one, a key layouts do not have', async () => {
    const deck = await smallDeck({ slides: [], templates: { 'layouts/bad.hbs': '{{!--\nrequires: [title, itmes]\nlimits: { items: 0, rows: 3 }\ncolour: red\n--}}\n<h2>{{title}}</h2>\n' } });
    const problems = await templateProblems(deck);
    expect(problems.map((problem) => `${problem.file}:${problem.line}: ${problem.message}`)).toEqual([
      'templates/layouts/bad.hbs:4: its header has "colour", which a layout does not declare (requires, limits)',
      expect.stringMatching(/^templates\/layouts\/bad\.hbs:2: requires "itmes", which is not a slide field \(layout, id, kicker, .*\); did you mean "items"\?$/),
      'templates/layouts/bad.hbs:3: limits items: 0 is not a whole number from 1 up',
      expect.stringMatching(/^templates\/layouts\/bad\.hbs:3: limits "rows", which is not a list a layout holds \(text, columns, items, sources\)/),
    ]);
  });

  it('the sources layout says how many sources a slide lists', async () => {
    const facts = Object.fromEntries(Array.from({ length: 10 }, (_, i) => [`f.n${i}`, { value: i + 1, unit: 'count' }]));
    const text = Object.keys(facts).map((id) => `{{fact '${id}'}}`).join(' ');
    const sources = (limit: number): string => `{{!--\nlimits: { sources: ${limit} }\n--}}\n<h2>{{sources.title}}</h2>\n<ol>{{#each sources.entries}}<li>{{label}}</li>{{/each}}</ol>\n`;
    for (const [limit, pages] of [[4, [4, 4, 2]], [9, [9, 1]]] as const) {
      const { model } = await modelOf({ facts, slides: [{ layout: 'section', title: 'All', text }], templates: { 'layouts/sources.hbs': sources(limit) } });
      const view = buildDeckView(model!, await localeOf('en', 'en-US'));
      expect(view.slides.filter((slide) => slide.sources).map((slide) => slide.sources!.entries.length), `limit ${limit}`).toEqual(pages);
    }
  });
});

describe("a layout's parts", () => {
  it('are of a kind datadeck knows, and name a field of the slide; said at their line', async () => {
    const deck = await smallDeck({ slides: [], templates: { 'layouts/odd.hbs': '<h2 data-part="text" data-field="title">{{title}}</h2>\n<p data-part="txt" data-field="kicker">{{kicker}}</p>\n<p data-part="text" data-field="lede.0">{{text.[0]}}</p>\n<p data-part="text" data-field="items.{{@index}}">x</p>\n' } });
    const problems = await templateProblems(deck);
    expect(problems.map((problem) => `${problem.file}:${problem.line}: ${problem.message}`)).toEqual([
      expect.stringMatching(/^templates\/layouts\/odd\.hbs:2: data-part "txt" is not a kind of part \(frame, text, list-item, box, .*\); did you mean "text"\?$/),
      expect.stringMatching(/^templates\/layouts\/odd\.hbs:3: data-field "lede\.0" names no field of the slide \(it starts with one of kicker, title, .*\)$/),
    ]);
  });
});

/** Each page's words with their centre, in slide pixels (a PDF point is 4/3 of a pixel), read with poppler. */
async function wordsOf(pdf: string): Promise<{ text: string; x: number; y: number; top: number }[][]> {
  const { stdout } = await run('pdftotext', ['-bbox', pdf, '-'], { maxBuffer: 64 * 1024 * 1024 });
  return stdout.split('<page ').slice(1).map((page) =>
    [...page.matchAll(/<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)<\/word>/g)].map((match) => {
      const [x0, y0, , y1] = match.slice(1, 5).map((value) => (Number(value) * 4) / 3) as [number, number, number, number];
      return { text: match[5]!, x: x0, y: (y0 + y1) / 2, top: y0 };
    }));
}

/** The text boxes of a slide of the .pptx, in the order they are drawn: their text and frame in slide pixels. */
function textBoxes(xml: string): { text: string; x: number; y: number; w: number; h: number }[] {
  return [...xml.matchAll(/<p:sp>((?:(?!<\/p:sp>)[\s\S])*)<\/p:sp>/g)].flatMap((match) => {
    const frame = /<a:off x="(-?\d+)" y="(-?\d+)"\/><a:ext cx="(\d+)" cy="(\d+)"\/>/.exec(match[1]!);
    const text = [...match[1]!.matchAll(/<a:t>([^<]*)<\/a:t>/g)].map((run) => run[1]).join('');
    if (!frame || !text) return [];
    const [x, y, w, h] = frame.slice(1, 5).map((value) => Number(value) / 9525) as [number, number, number, number];
    return [{ text, x, y, w, h }];
  });
}

/** Two big numbers side by side over a line of text: a layout no built-in one resembles. */
const duel = `{{!--
requires: [columns, text]
--}}
<div class="duel">
  {{#each columns}}<p class="duel-figure" data-part="text" data-field="columns.{{@index}}.figure">{{figure}}</p>{{/each}}
</div>
{{#each text}}<p class="duel-line" data-part="text" data-field="text.{{@index}}">{{this}}</p>{{/each}}
`;
const duelStyle = `
.duel { display: flex; gap: 160px; margin-bottom: 30px; }
.duel-figure { font-family: var(--serif); font-weight: 700; font-size: 150px; line-height: 1; color: var(--accent); margin: 0 !important; }
.duel-line { font-size: 32px; max-width: 900px; }
`;
const duelSlide = { layout: 'duel', id: 'duel', columns: [{ fact: 'a.profit', label: 'Profit' }, { fact: 'b.loss', label: 'Loss' }], text: "One company's profit against the other's loss, side by side." };
const duelFacts = { 'a.profit': { value: 13_700_000_000 }, 'b.loss': { value: 5_000_000_000 } };

describe("a user's own layout in the PowerPoint", () => {
  let deck: LayoutDeck;
  let pdfWords: Awaited<ReturnType<typeof wordsOf>>;
  let boxes: ReturnType<typeof textBoxes>;
  let warnings: string[];

  beforeAll(async () => {
    const theme = await readFile(path.join(templatesDir, 'theme.css'), 'utf8');
    deck = await smallDeck({ facts: duelFacts, slides: [duelSlide], templates: { 'layouts/duel.hbs': duel, 'theme.css': theme + duelStyle } });
    ({ warnings } = await build({ dataDir: deck.data, templatesDir: deck.templates, outDir: deck.out, formats: ['pdf', 'pptx'] }));
    pdfWords = await wordsOf(path.join(deck.out, 'deck.pdf'));
    boxes = textBoxes((await readPptx(await readFile(path.join(deck.out, 'deck.pptx')))).slides[0]!.xml);
  }, 120_000);

  it('carries its text, in its order, with nothing said to be left out', () => {
    expect(warnings).toEqual([]);
    const texts = boxes.map((box) => box.text.replace(/\s/g, ' '));
    expect(texts.slice(0, 3)).toEqual(['$13.7B', '$5B', "One company’s profit against the other’s loss, side by side."]);
    expect(texts[3]).toMatch(/^Sources: \[1\] \[2\]/);
  });

  it('puts each part where the browser laid it out: the numbers side by side, the line below them', () => {
    const [first, second, line] = boxes as [(typeof boxes)[number], (typeof boxes)[number], (typeof boxes)[number]];
    const page = pdfWords[0]!;
    const near = (text: string): { x: number; y: number } => page.find((word) => word.text === text)!;
    // A box starts where the deck's first word does and holds its line; the baseline rule of
    // placement() puts the box's top a fraction of a line above the word's.
    for (const [box, word] of [[first, near('$13.7B')], [second, near('$5B')], [line, near('One')]] as const) {
      expect(Math.abs(box.x - word.x), box.text).toBeLessThan(3);
      expect(word.y, box.text).toBeGreaterThan(box.y);
      expect(word.y, box.text).toBeLessThan(box.y + box.h);
    }
    expect(Math.abs(first.y - second.y)).toBeLessThan(1);
    expect(second.x).toBeGreaterThan(first.x + 200);
    expect(line.y).toBeGreaterThan(first.y + first.h - 1);
  });

  it.skipIf(!soffice && process.env.DATADECK_REQUIRE_LIBREOFFICE !== '1')('LibreOffice draws its words where the deck\'s PDF has them', async () => {
    const { pdf } = await pptxToPdf(path.join(deck.out, 'deck.pptx'), path.join(deck.root, 'libreoffice'));
    const theirs = (await wordsOf(pdf))[0]!;
    const ours = pdfWords[0]!.filter((word) => !/^(Source|\[\d\])/.test(word.text) && word.y < 600);
    expect(ours.map((word) => word.text)).toEqual(expect.arrayContaining(['$13.7B', '$5B', 'side.']));
    for (const word of ours) {
      const nearest = theirs.filter((candidate) => candidate.text === word.text).sort((a, b) => Math.hypot(a.x - word.x, a.y - word.y) - Math.hypot(b.x - word.x, b.y - word.y))[0];
      expect(nearest, word.text).toBeDefined();
      expect(Math.abs(nearest!.y - word.y), word.text).toBeLessThan(8);
      expect(Math.abs(nearest!.x - word.x), word.text).toBeLessThan(40);
    }
  }, 180_000);
});

describe('what the PowerPoint cannot carry of a layout', () => {
  it('is said, naming the layout file and the part: text outside any part, a field that names nothing', async () => {
    const unmarked = '{{!-- requires: title items --}}\n<header><span class="eyebrow">{{kicker}}</span><h3>{{title}}</h3></header>\n<div class="stack">{{#each items}}<article>{{this}}</article>{{/each}}</div>\n';
    const misnamed = duel.replace('columns.{{@index}}.figure', 'columns.{{@index}}.figur');
    const deck = await smallDeck({
      facts: duelFacts,
      slides: [{ layout: 'stack', kicker: 'Robots', title: 'Robots in Italy', items: ['One robot', 'Two robots'] }, duelSlide],
      templates: { 'layouts/stack.hbs': unmarked, 'layouts/duel.hbs': misnamed },
    });
    const { warnings } = await build({ dataDir: deck.data, templatesDir: deck.templates, outDir: deck.out, formats: ['pptx'] });
    expect(warnings).toContainEqual(expect.stringMatching(/\btemplates\/layouts\/stack\.hbs: it draws text outside any part marked with data-part, which deck\.pptx leaves out \("Robots", "Robots in Italy", "One robot", …\) \(slide 1\)$/));
    expect(warnings).toContainEqual(expect.stringMatching(/\btemplates\/layouts\/duel\.hbs: deck\.pptx leaves out its part data-part="text" data-field="columns\.0\.figur": its data-field names nothing on the slide \(slide 2\)$/));
  }, 60_000);
});
