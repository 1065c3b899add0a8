/**
 * A slide that does not fit names the field that grew by the data-field its layout marks the part
 * with, not by matching its text: a layout may write words of its own around a field.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { DataErrors, type DataProblem } from '../src/errors.js';
import { build } from '../src/pipeline.js';
import { layoutDecks } from './support/layout-deck.js';

const smallDeck = layoutDecks();

/** The 1-based line of a file where `needle` is written. */
async function lineOf(file: string, needle: string): Promise<number> {
  const text = await readFile(file, 'utf8');
  expect(text).toContain(needle);
  return text.slice(0, text.indexOf(needle)).split('\n').length;
}

/** A layout that quotes its caption and points at each item: the parts' text is not the fields'. */
const decorated = `{{!-- requires: number --}}
<p class="big-number" data-part="text" data-field="figure">{{figure}}</p>
<p class="lede" data-part="text" data-field="figureCaption">« {{figureCaption}} »</p>
`;
const pointed = `{{!-- requires: title items --}}
<h2 data-part="text" data-field="title">{{title}}</h2>
<ul class="points">{{#each items}}<li data-part="list-item" data-field="items.{{@index}}">→ {{this}}</li>{{/each}}</ul>
`;

describe('a slide that does not fit, in a layout that writes words around its fields', () => {
  it("names the caption and the items that grew, at their own lines", async () => {
    const long = 'a caption far longer than a slide can hold, '.repeat(14);
    const item = (i: number): string => `Item ${i}, a sentence long enough to take a whole line on the slide and a little more.`;
    const deck = await smallDeck({
      slides: [
        { layout: 'decorated', id: 'big', number: 'a.value', number_caption: long },
        { layout: 'pointed', id: 'list', title: 'Many items', items: Array.from({ length: 14 }, (_, i) => item(i + 1)) },
      ],
      templates: { 'layouts/decorated.hbs': decorated, 'layouts/pointed.hbs': pointed },
    });
    const error = await build({ dataDir: deck.data, templatesDir: deck.templates, outDir: deck.out, formats: ['pdf'] }).then(() => undefined, (thrown: unknown) => thrown);
    expect(error).toBeInstanceOf(DataErrors);
    const problems = (error as DataErrors).problems as DataProblem[];
    const caption = problems.find((problem) => problem.message.startsWith('slide 1 '))!;
    expect(caption.message).toMatch(/^slide 1 \(decorated\) \(en\) does not fit: its number caption "« a caption far longer than…" is too long: about \d+ of its \d+ characters fit/);
    expect(caption.line).toBe(await lineOf(path.join(deck.data, 'deck.yaml'), 'number_caption:'));
    const list = problems.find((problem) => problem.message.startsWith('slide 2 '))!;
    const fit = Number(/(\d+) of its 14 items fit/.exec(list.message)?.[1]);
    expect(list.message).toMatch(/^slide 2 "Many items" \(en\) does not fit: \d+ of its 14 items fit \(item \d+ "→ Item \d+, a sentence long…" is the first that does not\)/);
    expect(list.line).toBe(await lineOf(path.join(deck.data, 'deck.yaml'), item(fit + 1)));
  }, 60_000);
});
