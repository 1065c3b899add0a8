/**
 * Slides that do not fit, said so a user can fix them: the part that grew (not whatever sticks out
 * first), at the line where it is written, how much of it fits, and a few words of it at most;
 * for every layout, a user's own, the English edition, and the dev server's overlay.
 */
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DataProblem } from '../src/errors.js';
import { startDevServer, type DevEvent } from '../src/dev/server.js';
import { build } from '../src/pipeline.js';
import { launchBrowser } from '../src/print/browser.js';
import { measureOverflow, openPrintView } from '../src/print/slides.js';
import { deckTab } from '../src/print/tab.js';
import { buildDataErrors } from './support/build.js';
import { lineIn } from './support/problems.js';
import { editFile, scratchProjects, type ScratchProject } from './support/project.js';
import { smallDecks, type SmallDeckSpec } from './support/small-deck.js';

const scratch = scratchProjects();
const smallDeck = smallDecks();

/** The build's overflow problems (it must fail with exit 9). */
async function overflows(project: ScratchProject, langs: string[]): Promise<DataProblem[]> {
  const error = await buildDataErrors({ dataDir: project.data, templatesDir: project.templates, outDir: project.out, formats: ['pdf'], langs });
  expect(error.code).toBe('overflow');
  return [...error.problems];
}

const bullet = (i: number): string => `Point numéro ${i}, une phrase assez longue pour occuper une ligne entière et même un peu plus sur la diapositive.`;
const robot = (i: number): string => `Robot numéro ${i}, une phrase assez longue pour occuper une ligne entière et même un peu plus sur la diapositive.`;

/** Two hundred bars more on the chart of slide 3. */
const twoHundredBars = (text: string): string =>
  text.replace('    - { fact: labs.combined_loss.2024, label: Pertes cumulées, role: lab }\n', (line) => `${line}${Array.from({ length: 200 }, (_, i) => `    - { fact: openai.net_loss.2024, label: Barre ${i + 1}, role: openai }\n`).join('')}`);

/** Twelve long bullets in place of the four of the bullets slide titled `title` (slide 6 of the default deck). */
const twelveBullets = (text: string, title = 'Garder les intérêts de l’argent des autres'): string =>
  text.replace(new RegExp(`    title: ${title}\n    items:\n(      - .*\n){4}`), `    title: Douze points\n    items:\n${Array.from({ length: 12 }, (_, i) => `      - ${bullet(i + 1)}\n`).join('')}`);

/** A small deck: a title, then a bullets slide of four short items (slide 2), then a big number. */
const fourPoints: SmallDeckSpec = {
  facts: [{ id: 'a.fact', value: 1200 }, { id: 'b.fact', value: 800 }],
  slides: [
    { layout: 'title', id: 'opening', title: 'Petit deck' },
    { layout: 'bullets', id: 'points', kicker: 'Points', title: 'Quatre points', items: ['Un.', 'Deux.', 'Trois.', 'Quatre.'] },
    { layout: 'big-number', id: 'figure', kicker: 'Un chiffre', number: 'a.fact', number_caption: 'en une année.' },
  ],
};

describe('what a slide that does not fit says, layout by layout', () => {
  let project: ScratchProject;
  let problems: DataProblem[];
  const bySlide = (number: number): DataProblem => {
    const found = problems.find((problem) => problem.message.startsWith(`slide ${number} `));
    if (!found) throw new Error(`no problem for slide ${number}:\n${problems.map((problem) => problem.message).join('\n')}`);
    return found;
  };

  beforeAll(async () => {
    project = await scratch();
    const deck = path.join(project.data, 'deck.yaml');
    await editFile(deck, (text) => twelveBullets(text)
      // chart: a title of 400 characters.
      .replace('title: Par tête, l’écart est vertigineux', `title: ${'Par tête, l’écart est vertigineux et '.repeat(11).slice(0, 400)}`)
      // section: a word of 2,000 characters in its text.
      .replace('text: Et pas pour quelques projets de façade.', `text: Et pas ${'a'.repeat(2000)}`)
      // comparison: one column's caption far too long.
      .replace('caption: bénéfice par employé de Tether rapporté au chiffre d’affaires par employé d’OpenAI', `caption: ${'bénéfice par employé de Tether rapporté au chiffre d’affaires par employé d’OpenAI et '.repeat(6)}rien de plus`));
    await editFile(deck, (text) => text
      // title: a title of 400 characters.
      .replace('    title: Dans l’IA, un Tether qui ne manque pas d’argent\n    subtitle: Ce', `    title: ${'Dans l’IA, un Tether qui ne manque pas d’argent, '.repeat(9).slice(0, 400)}\n    subtitle: Ce`)
      // big-number: a caption of a paragraph.
      .replace('number_caption: de bénéfice net en une seule année.', `number_caption: de bénéfice net en une seule année${', et encore une année de plus'.repeat(12)}.`)
      // bullets: one item of 900 characters among four.
      .replace('      - Au moins {{fact "northern_data.h100_count"}} cartes NVIDIA H100, celles qui ont entraîné GPT.', `      - Au moins {{fact "northern_data.h100_count"}} cartes NVIDIA H100${', celles qui ont entraîné GPT'.repeat(30)}.`)
      // quote: a quote of a page.
      .replace('quote: Des puces dans le cortex pour taper, piloter un fauteuil ou un bras robotisé par la pensée.', `quote: Des puces dans le cortex${' pour taper, piloter un fauteuil ou un bras robotisé par la pensée'.repeat(5)}.`)
      // a user's own layout, its items grown.
        .replace(/  - layout: bullets\n    id: robots\n(.*\n){2}    items:\n/, `  - layout: stack\n    id: robots\n    kicker: Robotique\n    title: Des robots, en Italie et en Allemagne\n    items:\n${Array.from({ length: 9 }, (_, i) => `      - ${robot(i + 1)}\n`).join('')}`)
      // a title of a megabyte.
      .replace('title: Deux raisons possibles', `title: ${'mot '.repeat(250_000)}`));
    await writeFile(path.join(project.templates, 'layouts', 'stack.hbs'), '{{!-- requires: title items --}}\n<header><span class="eyebrow">{{kicker}}</span><h3>{{title}}</h3></header>\n<div class="stack">{{#each items}}<article>{{this}}</article>{{/each}}</div>\n');
    // chart: 200 bars more.
    await editFile(path.join(project.data, 'charts.yaml'), twoHundredBars);
    // sources: one source title of a page.
    await editFile(path.join(project.data, 'facts.csv'), (text) => text.replace('The Coin Academy, résultats annuels 2024 de Tether', `The Coin Academy${', résultats annuels 2024 de Tether'.repeat(25)}`));
    problems = await overflows(project, ['fr']);
  });

  const deckLine = (needle: string): Promise<number> => lineIn(path.join(project.data, 'deck.yaml'), needle);
  const fitOf = (problem: DataProblem): number => Number(/(\d+) of its/.exec(problem.message)?.[1] ?? /the first (\d+) fit/.exec(problem.message)?.[1]);

  it('bullets: how many of the items fit, at the first item that does not (not the kicker the centred slide pushes up)', async () => {
    const problem = bySlide(6);
    expect(problem.message).toMatch(/^slide 6 "Douze points" \(fr\) does not fit: \d+ of its 12 items fit \(item \d+ "Point numéro \d+, une phrase assez…" is the first that does not\); shorten the items or move some to another slide$/);
    const fit = fitOf(problem);
    expect(fit).toBeGreaterThanOrEqual(2);
    expect(fit).toBeLessThan(12);
    expect(problem.message).toContain(`item ${fit + 1} "Point numéro ${fit + 1},`);
    expect(problem.line).toBe(await deckLine(`- ${bullet(fit + 1)}`));
    expect(problems.map((found) => found.message).join('\n')).not.toMatch(/kicker/);
  });

  it('a title too long, on a chart slide and on the title slide: the title, how many characters and lines fit', async () => {
    const chart = bySlide(5);
    expect(chart.message).toMatch(/^slide 5 "Par tête, l’écart est vertigineux et…" \(fr\) does not fit: its title is too long: about \d+ of its 400 characters fit \(\d+ of \d+ lines\); shorten it or split the slide$/);
    expect(chart.line).toBe(await deckLine('title: Par tête, l’écart est vertigineux et Par tête'));
    expect(fitOf(chart)).toBeGreaterThan(40);
    const title = bySlide(1);
    expect(title.message).toMatch(/^slide 1 "Dans l’IA, un Tether qui ne…" \(fr\) does not fit: its title is too long: about \d+ of its 400 characters fit \(\d+ of \d+ lines\)/);
    expect(title.line).toBe(await deckLine('title: Dans l’IA, un Tether qui ne manque pas d’argent, Dans'));
  });

  it('a chart with 200 bars more: the chart in charts.yaml, at the first bar that does not fit', async () => {
    const problem = bySlide(3);
    expect(problem.file).toMatch(/charts\.yaml$/);
    expect(problem.message).toMatch(/^slide 3 "Les pertes d’OpenAI et d’Anthropic…" \(fr\) does not fit: its chart profit_vs_losses has 204 bars and the first \d+ fit; remove bars or split the chart in two$/);
    const fit = fitOf(problem);
    expect(fit).toBeGreaterThanOrEqual(4);
    expect(fit).toBeLessThan(100);
    expect(problem.line).toBe(await lineIn(path.join(project.data, 'charts.yaml'), `label: Barre ${fit - 3},`));
  });

  it('a word of 2,000 characters: the text field, at its own line, and how much fits on a line', async () => {
    const problem = bySlide(8);
    expect(problem.message).toMatch(/^slide 8 "L’IA\." \(fr\) does not fit: its text "Et pas a+…" is too wide: about \d+ of its 2,007 characters fit on a line, and it has a word of 2,000 characters, which cannot wrap; break that word \(spaces or hyphens\) or shorten it$/);
    expect(problem.line).toBe(await deckLine('text: Et pas aaaa'));
    expect(fitOf(problem)).toBeGreaterThan(20);
    expect(fitOf(problem)).toBeLessThan(200);
  });

  it('a title of a megabyte is quoted by its first words, never whole', async () => {
    const problem = bySlide(16);
    expect(problem.message).toMatch(/^slide 16 "mot mot mot mot mot mot…" \(fr\) does not fit: its title is too long: about \d+ of its 999,999 characters fit/);
    expect(problem.message.length).toBeLessThan(300);
    expect(problem.line).toBe(await deckLine('title: mot mot'));
  });

  it('big-number, comparison, bullets and quote name the field that grew', async () => {
    const cases: [number, RegExp, string][] = [
      [2, /^slide 2 "Tether, en 2024" \(fr\) does not fit: its number caption "de bénéfice net en une seule…" is too long: about \d+ of its \d+ characters fit/, 'number_caption: de bénéfice net en une seule année, et encore'],
      [4, /^slide 4 "Une poignée de salariés" \(fr\) does not fit: the caption of its column 3 "bénéfice par employé de Tether rapporté…" is too long/, 'caption: bénéfice par employé de Tether rapporté au chiffre d’affaires par employé d’OpenAI et '],
      [9, /^slide 9 "Une base d’entraînement en Europe" \(fr\) does not fit: its item 2 "Au moins 10.000 cartes NVIDIA…" is too long: about \d+ of its \d+ characters fit/, 'cartes NVIDIA H100, celles qui ont entraîné GPT, celles'],
      [12, /^slide 12 "Interfaces cerveau-machine" \(fr\) does not fit: its quote "Des puces dans le cortex pour…" is too long/, 'quote: Des puces dans le cortex pour taper'],
    ];
    for (const [number, message, needle] of cases) {
      const problem = bySlide(number);
      expect(problem.message).toMatch(message);
      expect(problem.line, problem.message).toBe(await deckLine(needle));
    }
  });

  it("a user's own layout: its list of items, where it stops fitting", async () => {
    const problem = bySlide(13);
    expect(problem.message).toMatch(/^slide 13 "Des robots, en Italie et en…" \(fr\) does not fit: \d+ of its 12 items fit \(item \d+ "Robot numéro \d+, une phrase assez…" is the first that does not\)/);
    expect(problem.line).toBe(await deckLine(`- ${robot(fitOf(problem) + 1)}`));
  });

  it('a sources slide: the fact whose source grew, at its row of facts.csv', async () => {
    const sources = problems.find((problem) => problem.message.includes('made from the cited facts'))!;
    expect(sources.message).toMatch(/^slide \d+ "Sources" \(fr, made from the cited facts\) does not fit: the source of fact tether\.net_profit\.2024 \("The Coin Academy, résultats annuels 2024…"\) is too long: about \d+ of its \d+ characters fit; shorten its label or source title$/);
    expect(sources.file).toMatch(/facts\.csv$/);
    expect(sources.line).toBe(await lineIn(path.join(project.data, 'facts.csv'), 'tether.net_profit.2024,'));
  });

  it('every slide that does not fit is named once, and nothing else', () => {
    expect(problems.map((problem) => Number(/^slide (\d+)/.exec(problem.message)?.[1])).sort((a, b) => a - b)).toEqual([1, 2, 3, 4, 5, 6, 8, 9, 12, 13, 16, 22]);
  });
});

describe('finding the part that grew leaves the slides as they were', () => {
  it('the print view after measuring is the print view before: every item and every bar back in place', async () => {
    const project = await scratch();
    await editFile(path.join(project.data, 'deck.yaml'), twelveBullets);
    await editFile(path.join(project.data, 'charts.yaml'), twoHundredBars);
    await build({ dataDir: project.data, templatesDir: project.templates, outDir: project.out, formats: [], langs: ['fr'] });
    const session = await launchBrowser({ timeoutMs: 30_000 });
    try {
      const tab = await deckTab(await session.browser.newPage(), { timeoutMs: 30_000 });
      await openPrintView(tab, project.out, 'index.html');
      const slides = (): Promise<string[]> => tab.page.$$eval('.pdf-page > section', (sections) => sections.map((section) => section.outerHTML));
      const before = await slides();
      expect(before[5]).toContain('Point numéro 12,');
      expect(before[2]).toContain('Barre 200');
      const measured = await measureOverflow(tab);
      expect(measured.map((overflow) => [overflow.index, overflow.part?.kind])).toEqual([[2, 'chart'], [5, 'list']]);
      expect(await slides()).toEqual(before);
    } finally {
      await session.close();
    }
  });
});

describe('the English edition', () => {
  it('locates what grew in translations/en.yaml: an item, and a source title', async () => {
    const project = await scratch();
    const en = path.join(project.data, 'translations', 'en.yaml');
    await editFile(en, (text) => text
      .replace('      - You earn no interest. Banks sometimes pay on deposits; Tether never does.', `      - You earn no interest${', and banks sometimes pay on deposits'.repeat(30)}; Tether never does.`)
      .replace('source_title: The Coin Academy, Tether’s 2024 annual results', `source_title: The Coin Academy${', Tether’s 2024 annual results'.repeat(30)}`));
    const problems = await overflows(project, ['en']);
    const item = problems.find((problem) => problem.message.startsWith('slide 6 '))!;
    expect(item.message).toMatch(/^slide 6 "Keeping the interest on other people’s…" \(en\) does not fit: its item 2 "You earn no interest, and banks…" is too long: about [\d,]+ of its [\d,]+ characters fit \(\d+ of \d+ lines\); shorten it or split the slide$/);
    expect(item.file).toBe(en);
    expect(item.line).toBe(await lineIn(en, '      - You earn no interest, and banks'));
    const source = problems.find((problem) => problem.message.includes('made from the cited facts'))!;
    expect(source.message).toMatch(/"Sources" \(en, made from the cited facts\) does not fit: the source of fact tether\.net_profit\.2024 /);
    expect(source.file).toBe(en);
    expect(source.line).toBe(await lineIn(en, '  tether.net_profit.2024:'));
  });
});

describe('the dev server', () => {
  const closing: (() => Promise<void>)[] = [];
  afterAll(async () => {
    for (const close of closing.reverse()) await close();
  });

  it('shows the same message in the error overlay: the items, how many fit, at the first that does not', async () => {
    const project = await smallDeck(fourPoints);
    const server = await startDevServer({ dataDir: project.data, templatesDir: project.templates, outDir: project.out, formats: ['pdf'], langs: ['fr'] });
    closing.push(() => server.close());
    await server.idle();
    const browser = await launchBrowser({ timeoutMs: 30_000 });
    closing.push(() => browser.close());
    const page = await browser.browser.newPage();
    await page.goto(`${server.url}#/points`, { waitUntil: 'load' });
    await page.waitForFunction(() => (window as unknown as { datadeckDev?: unknown }).datadeckDev !== undefined);
    const failed = new Promise<DevEvent>((resolve) => server.events.on('build', (event) => event.kind === 'error' && resolve(event)));
    await editFile(path.join(project.data, 'deck.yaml'), (text) => twelveBullets(text, 'Quatre points'));
    const event = await failed;
    const errors = event.kind === 'error' ? event.errors : [];
    expect(errors).toHaveLength(1);
    const fit = Number(/(\d+) of its 12 items fit/.exec(errors[0]!)?.[1]);
    const line = await lineIn(path.join(project.data, 'deck.yaml'), `- ${bullet(fit + 1)}`);
    expect(errors[0]).toMatch(new RegExp(`deck\\.yaml:${line}:\\d+: slide 2 "Douze points" \\(fr\\) does not fit: ${fit} of its 12 items fit \\(item ${fit + 1} "Point numéro ${fit + 1}, une phrase assez…" is the first that does not\\)`));
    await page.waitForFunction((expected: string) => (document.querySelector('#datadeck-error-overlay')?.textContent ?? '').includes(expected), { timeout: 15_000 }, errors[0]!);
    await page.close();
  });
});
