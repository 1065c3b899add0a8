/**
 * The table of slide fields (src/data/fields.ts) is the one description of a slide: deck.yaml's
 * schema, the translation file's, the translation checks, the model and the view all follow it.
 */
import { describe, expect, it } from 'vitest';
import { ProblemList } from '../src/errors.js';
import { slideFieldTable } from '../src/data/fields.js';
import { loadData, type LoadedData } from '../src/data/load.js';
import { slideSchema } from '../src/data/schema.js';
import { localizeData } from '../src/data/translations.js';
import { buildDeckModel } from '../src/model/deck.js';
import { loadTemplates } from '../src/render/engine.js';
import { buildDeckView, type SlideView } from '../src/render/view.js';
import { localeOf } from './support/locale.js';
import { templatesDir } from './support/project.js';
import { layoutDecks } from './support/layout-deck.js';

const smallDeck = layoutDecks();
const textRows = slideFieldTable.filter((row) => row.kind === 'text');
const withWords = slideFieldTable.filter((row) => row.words !== false);
/** The small deck's fact, in French. */
const facts = { 'a.value': { label: 'Valeur', source_title: 'Une source' } };

/** A slide with every text field and the notes, each naming its field and holding a figure. */
const everyText = Object.fromEntries([...textRows, { name: 'notes' }].map((row) => [row.name, `${row.name} {{fact 'a.value' 'short'}}`]));

async function load(deck: Awaited<ReturnType<typeof smallDeck>>): Promise<{ data: LoadedData; problems: ProblemList }> {
  const problems = new ProblemList();
  const data = await loadData(deck.data, problems, 'data');
  expect(problems.problems).toEqual([]);
  return { data: data!, problems };
}

async function slideView(data: LoadedData, lang: string, locale: string): Promise<SlideView> {
  const templates = await loadTemplates([templatesDir]);
  const model = buildDeckModel(data, { layouts: templates.layouts });
  return buildDeckView(model, await localeOf(lang, locale)).slides[0]!;
}

describe('the table of slide fields', () => {
  it('is what deck.yaml accepts, in its order', () => {
    expect(Object.keys(slideSchema.shape)).toEqual(slideFieldTable.map((row) => row.name));
  });

  it('says which fields a translation gives: those with words, and no other', async () => {
    const deck = await smallDeck({
      slides: [{ layout: 'big-number', id: 's', number: 'a.value', kicker: 'K' }],
      translations: { fr: { slides: { s: { kicker: 'K fr', number: 'a.value', layout: 'title' } } } },
    });
    const problems = new ProblemList();
    await loadData(deck.data, problems, 'data');
    const messages = problems.problems.map((problem) => problem.message);
    expect(messages).toEqual([expect.stringMatching(/unknown field "number"/), expect.stringMatching(/unknown field "layout"/)]);
    for (const row of slideFieldTable.filter((candidate) => candidate.words === false)) expect(messages.join('\n')).not.toContain(`"${row.name}"; did you mean`);
  });

  it('every text field takes figures and reaches the view under the name layouts use, in every edition', async () => {
    const deck = await smallDeck({
      slides: [{ layout: 'title', id: 's', ...everyText }],
      translations: { fr: { facts, slides: { s: Object.fromEntries(Object.entries(everyText).map(([name, text]) => [name, `${text} fr`])) } } },
    });
    const { data, problems } = await load(deck);
    const english = await slideView(data, 'en', 'en-US');
    const french = await slideView(localizeData(data, data.translations[0]!, problems), 'fr', 'fr-FR');
    expect(problems.problems).toEqual([]);
    for (const row of textRows) {
      const view = row.view as keyof SlideView;
      expect((english[view] as { text: string }).text, row.name).toBe(`${row.name} $13.7B`);
      expect((french[view] as { text: string }).text.replace(/\s/g, ' '), row.name).toBe(`${row.name} 13,7 Md$ fr`);
    }
    expect(english.notes[0]!.text.text).toBe('notes $13.7B');
  });

  it('a translation that lacks a field with words is told field by field, at its slide, pointing at the original', async () => {
    const slide = { layout: 'bullets', id: 's', ...everyText, text: ['one', 'two'], items: ['an item'], columns: [{ fact: 'a.value', label: 'A', caption: 'C' }, { fact: 'a.value', label: 'B' }], claims: [{ check: 'a.value > 1', says: 'It is big.' }] };
    const deck = await smallDeck({ slides: [slide], translations: { fr: { facts, slides: { s: { kicker: 'K' } } } } });
    const { data, problems } = await load(deck);
    localizeData(data, data.translations[0]!, problems);
    const fields = problems.problems.map((problem) => problem.field);
    const expected = withWords.filter((row) => row.name !== 'kicker').map((row) => (row.kind === 'claims' ? 'slide 1 "s", claim "a.value > 1"' : `slide 1 "s", field ${row.name}`));
    expect(fields).toEqual(expected);
    for (const problem of problems.problems) {
      expect(problem.file).toBe('data/translations/fr.yaml');
      expect(problem.message).toMatch(/: no French translation \(the original is at data\/deck\.yaml:\d+\)$/);
    }
  });
});
