/**
 * Numbers as people write them: a deck's own units (data/units.yaml) with their words in each
 * language, counts and people with scale words, a ratio as a multiplier, a fraction as a
 * percentage, and a warning for a percent that looks like a fraction.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { build } from '../src/pipeline.js';
import { buildDataErrors, buildOptions } from './support/build.js';
import { expectProblem, lineIn } from './support/problems.js';
import { smallDecks, type SmallDeckSpec } from './support/small-deck.js';

const smallDeck = smallDecks();

/** The deck's page as a reader sees its text: tags gone, no-break spaces as spaces. */
async function pageText(file: string): Promise<string> {
  return (await readFile(file, 'utf8')).replace(/<[^>]+>/g, '').replace(/[\u00a0\u202f]/g, ' ').replace(/&#x27;|&#39;/g, "'");
}

const tickets: SmallDeckSpec = {
  units: { tickets: { kind: 'count', one: 'billet', other: 'billets' }, seats: { kind: 'count', one: 'siège', other: 'sièges', short: 'sièges' } },
  facts: [
    { id: 'paris.tickets', value: 9_500_000, unit: 'tickets', label: 'Billets vendus' },
    { id: 'paris.tickets_day', value: 3000, unit: 'tickets', label: 'Billets du jour' },
    { id: 'paris.one_ticket', value: 1, unit: 'tickets', label: 'Un billet' },
    { id: 'paris.visitors', value: 9_500_000, unit: 'people', label: 'Visiteurs' },
    { id: 'paris.seats', value: 80_000, unit: 'seats', label: 'Places du stade' },
    { id: 'paris.sites', value: 9_500_000, unit: 'count', label: 'Sites' },
    { id: 'paris.growth', value: 1.94, unit: 'ratio', label: 'Croissance' },
    { id: 'paris.share', value: 0.125, unit: 'fraction', label: 'Part' },
  ],
  slides: [{
    layout: 'bullets', id: 'numbers', title: 'Les chiffres',
    items: [
      "Vendus : {{fact 'paris.tickets'}} ; par jour : {{fact 'paris.tickets_day'}} ; {{fact 'paris.one_ticket'}}.",
      "Visiteurs : {{fact 'paris.visitors'}} ; sites : {{fact 'paris.sites'}} ; stade : {{fact 'paris.seats' 'short'}}.",
      "Croissance : {{fact 'paris.growth' 'multiplier'}} ; part : {{fact 'paris.share'}}.",
    ],
  }],
  translations: {
    en: {
      lang: 'en', title: 'Small deck',
      units: { tickets: { one: 'ticket', other: 'tickets' }, seats: { one: 'seat', other: 'seats', short: 'seats' } },
      slides: {
        numbers: {
          title: 'The numbers',
          items: [
            "Sold: {{fact 'paris.tickets'}}; a day: {{fact 'paris.tickets_day'}}; {{fact 'paris.one_ticket'}}.",
            "Visitors: {{fact 'paris.visitors'}}; sites: {{fact 'paris.sites'}}; stadium: {{fact 'paris.seats' 'short'}}.",
            "Growth: {{fact 'paris.growth' 'multiplier'}}; share: {{fact 'paris.share'}}.",
          ],
        },
      },
      facts: Object.fromEntries(['paris.tickets', 'paris.tickets_day', 'paris.one_ticket', 'paris.visitors', 'paris.seats', 'paris.sites', 'paris.growth', 'paris.share'].map((id) => [id, { label: id, source_title: 'A source' }])),
    },
  },
};

describe("a deck's own units", () => {
  it('are said with their words in each edition, with scale words from a million up', async () => {
    const p = await smallDeck(tickets);
    await build(buildOptions(p));
    const fr = await pageText(path.join(p.out, 'index.html'));
    expect(fr).toContain('Vendus : 9,5 millions de billets ; par jour : 3 000 billets ; 1 billet.');
    expect(fr).toContain('Visiteurs : 9,5 millions de personnes ; sites : 9,5 millions ; stade : 80 000 sièges.');
    const en = await pageText(path.join(p.out, 'en', 'index.html'));
    expect(en).toContain('Sold: 9.5 million tickets; a day: 3,000 tickets; 1 ticket.');
    expect(en).toContain('Visitors: 9.5 million people; sites: 9.5 million; stadium: 80,000 seats.');
  });

  it('elide "de" in French before a vowel or an h: millions d’habitants', async () => {
    const p = await smallDeck({
      units: { residents: { kind: 'count', one: 'habitant', other: 'habitants' }, co2: { kind: 'amount', one: 'tonne', other: 'tonnes' } },
      facts: [{ id: 'paris.residents', value: 2_100_000, unit: 'residents' }, { id: 'paris.co2', value: -2.5, unit: 'co2' }],
      slides: [{ layout: 'bullets', id: 'numbers', title: 'Les chiffres', items: ["{{fact 'paris.residents'}}, {{fact 'paris.co2'}}"] }],
    });
    await build(buildOptions(p));
    expect(await pageText(path.join(p.out, 'index.html'))).toContain('2,1 millions d’habitants, -2,5 tonnes');
  });

  it('a unit neither datadeck nor units.yaml knows is refused at its line, naming the deck’s own', async () => {
    const p = await smallDeck({ units: { tickets: { kind: 'count', one: 'billet', other: 'billets' } }, facts: [{ id: 'paris.tickets', value: 3000, unit: 'ticket' }] });
    const error = await buildDataErrors(buildOptions(p));
    expectProblem(error.problems, { file: 'data/facts.csv', line: 2, field: 'unit', message: /unit "ticket" is not a known unit \(expected one of USD, .*, fraction, tickets; a deck declares its own in units\.yaml\); did you mean "tickets"\?/ });
  });

  it('units.yaml: a kind that does not exist, a missing word and a unit datadeck has are located', async () => {
    const units = 'tickets: { kind: things, one: billet, other: billets }\nseats: { kind: count, one: siège }\nUSD: { kind: amount, one: dollar, other: dollars }\n';
    const p = await smallDeck({ units, facts: [{ id: 'paris.tickets', value: 3000, unit: 'tickets' }] });
    const error = await buildDataErrors(buildOptions(p));
    const file = path.join(p.data, 'units.yaml');
    expectProblem(error.problems, { file: 'data/units.yaml', line: await lineIn(file, 'tickets'), message: /kind.*is not a kind of unit \(expected count or amount\)/ });
    expectProblem(error.problems, { file: 'data/units.yaml', line: await lineIn(file, 'seats'), message: /other/ });
    expectProblem(error.problems, { file: 'data/units.yaml', line: await lineIn(file, 'USD'), message: /is a unit datadeck already has/ });
    // The facts that use a unit declared with a mistake are not reported as well.
    expect(error.problems.filter((problem) => problem.file.endsWith('facts.csv'))).toEqual([]);
  });

  it('a translation without the words of a deck unit fails at its line, pointing at units.yaml', async () => {
    const spec = structuredClone(tickets);
    const en = spec.translations!.en! as { units: Record<string, unknown> };
    en.units = { seats: { one: 'seat', other: 'seats' }, ticket: { one: 'ticket', other: 'tickets' } };
    const p = await smallDeck(spec);
    const error = await buildDataErrors(buildOptions(p));
    const translation = path.join(p.data, 'translations', 'en.yaml');
    // Said where the units are translated, and where the unit is declared.
    expectProblem(error.problems, { file: 'data/translations/en.yaml', line: (await lineIn(translation, 'units:')) + 1, message: `unit tickets: no English translation (the original is at ${path.join(p.data, 'units.yaml')}:${(await lineIn(path.join(p.data, 'units.yaml'), 'tickets:')) + 1})` });
    expectProblem(error.problems, { file: 'data/translations/en.yaml', line: (await lineIn(translation, '  seats:')) + 1, message: 'unit seats, field short: no English translation' });
    expectProblem(error.problems, { file: 'data/translations/en.yaml', line: await lineIn(translation, '  ticket:'), message: 'units.ticket: no unit has this name in units.yaml; did you mean "tickets"?' });
  });
});

describe('ratios as multipliers, fractions as percentages', () => {
  it('a ratio written as a multiplier: ×1,9 in French, 1.9× in English; a fraction as its percentage', async () => {
    const p = await smallDeck(tickets);
    await build(buildOptions(p));
    expect(await pageText(path.join(p.out, 'index.html'))).toContain('Croissance : ×1,9 ; part : 12,5 %.');
    expect(await pageText(path.join(p.out, 'en', 'index.html'))).toContain('Growth: 1.9×; share: 12.5%.');
  });

  it('a multiplier asked of a figure that is not a ratio is refused at its line', async () => {
    const p = await smallDeck({
      facts: [{ id: 'a.money', value: 5e9 }],
      slides: [{ layout: 'bullets', id: 'numbers', title: 'Chiffres', items: ['Un', "Deux : {{fact 'a.money' 'multiplier'}}"] }],
    });
    const error = await buildDataErrors(buildOptions(p));
    expectProblem(error.problems, { file: 'data/deck.yaml', line: await lineIn(path.join(p.data, 'deck.yaml'), 'Deux'), message: 'style "multiplier" writes a ratio as "×1,9", but "a.money" is in USD' });
  });

  it('a derived percent that looks like a fraction gets a warning naming it and its line', async () => {
    const derived = '- id: a.share\n  label: Une part\n  unit: percent\n  expr: a.part / a.whole\n- id: a.real_share\n  label: Une vraie part\n  unit: percent\n  expr: a.part / a.whole * 100\n';
    const p = await smallDeck({
      facts: [{ id: 'a.part', value: 56 }, { id: 'a.whole', value: 100 }],
      derived,
      slides: [{ layout: 'bullets', id: 'numbers', title: 'Chiffres', items: ["{{fact 'a.share'}} et {{fact 'a.real_share'}}"] }],
    });
    const result = await build(buildOptions(p));
    const line = await lineIn(path.join(p.data, 'derived.yaml'), 'unit: percent');
    const warnings = result.warnings.filter((warning) => warning.includes('unit percent'));
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(new RegExp(`derived\\.yaml:${line}: figure "a\\.share" \\(unit percent\\) is 0\\.56.*percent is 0 to 100.*give it the unit fraction`));
  });
});
