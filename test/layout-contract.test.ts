/**
 * What a layout declares (the YAML of its leading comment: requires, limits) and the parts it
 * marks (data-part, data-field), checked when the templates load; a user's own layout whose parts
 * are marked reaches every export, the PowerPoint included.
 */
import { describe, expect, it } from 'vitest';
import { DataErrors, ProblemList, type DataProblem } from '../src/errors.js';
import { loadData } from '../src/data/load.js';
import { buildDeckModel, type DeckModel } from '../src/model/deck.js';
import { loadTemplates, type TemplateSet } from '../src/render/engine.js';
import { buildDeckView } from '../src/render/view.js';
import { localeOf, templatesDir } from './helpers.js';
import { smallDecks, type SmallDeck, type SmallDeckSpec } from './small-deck.js';

const smallDeck = smallDecks();

async function templatesOf(deck: SmallDeck): Promise<TemplateSet> {
  return loadTemplates([deck.templates, templatesDir], ['templates', 'package']);
}

/** The template problems a deck's own templates cause. */
async function templateProblems(deck: SmallDeck): Promise<readonly DataProblem[]> {
  const error = await templatesOf(deck).then(() => undefined, (thrown: unknown) => thrown);
  expect(error).toBeInstanceOf(DataErrors);
  expect((error as DataErrors).code).toBe('template');
  return (error as DataErrors).problems;
}

/** The model of a small deck with its own templates; the data problems it has, if any. */
async function modelOf(spec: SmallDeckSpec): Promise<{ model?: DeckModel; problems: readonly DataProblem[] }> {
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
