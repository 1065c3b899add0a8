import { beforeAll, describe, expect, it } from 'vitest';
import type { FigureFormatter } from '../src/i18n/numbers.js';
import { signedUnits, type DeckUnits } from '../src/data/schema.js';
import { figuresIn } from './support/locale.js';

const nbsp = '\u00a0';
const fr = (text: string): string => text.replace(/ /g, nbsp);

/** The default deck's own units (data/units.yaml and its English words). */
const frenchUnits: DeckUnits = new Map([
  ['tokens', { kind: 'count', one: 'token', other: 'tokens', short: undefined }],
  ['words_per_minute', { kind: 'count', one: 'mot par minute', other: 'mots par minute', short: 'mots/min' }],
]);
const englishUnits: DeckUnits = new Map([
  ['tokens', { kind: 'count', one: 'token', other: 'tokens', short: undefined }],
  ['words_per_minute', { kind: 'count', one: 'word per minute', other: 'words per minute', short: 'wpm' }],
]);

describe('figures in French', () => {
  let f: FigureFormatter;
  beforeAll(async () => {
    f = await figuresIn('fr', 'fr-FR', frenchUnits);
  });
  it('says dollars in milliards with a decimal comma', () => {
    expect(f.format(13_700_000_000, 'USD')).toBe(`13,7${nbsp}milliards de dollars`);
    expect(f.format(13_700_000_000, 'USD', 'short')).toBe(`13,7${nbsp}Md$`);
    expect(f.format(13_700_000_000, 'USD', 'number')).toBe(`13,7${nbsp}milliards`);
  });
  it('keeps milliard singular below two and drops a trailing ,0', () => {
    expect(f.format(1_000_000_000, 'USD')).toBe(`1${nbsp}milliard de dollars`);
    expect(f.format(1_500_000_000, 'USD')).toBe(`1,5${nbsp}milliard de dollars`);
    expect(f.format(5_000_000_000, 'USD')).toBe(`5${nbsp}milliards de dollars`);
  });
  it('elides "de" before euros and uses millions below a milliard', () => {
    expect(f.format(70_000_000, 'EUR')).toBe(`70${nbsp}millions d’euros`);
    expect(f.format(70_000_000, 'EUR', 'short')).toBe(`70${nbsp}M€`);
    expect(f.format(875_000_000, 'USD', 'short')).toBe(`875${nbsp}M$`);
  });
  it('groups thousands with a no-break space fonts can draw (not U+202F)', () => {
    expect(f.format(3000, 'people')).toBe(fr('3 000') + ' personnes');
    expect(f.format(42_000, 'USD')).toBe(fr('42 000') + ' dollars');
    expect(f.format(42_000, 'USD')).not.toContain('\u202f');
  });
  it('writes years without grouping, ranks as ordinals, ratios and percents', () => {
    expect(f.format(2029, 'year')).toBe('2029');
    expect(f.format(26, 'rank')).toBe('26e');
    expect(f.format(1, 'rank')).toBe('1er');
    expect(f.format(74.07, 'ratio')).toBe('74');
    expect(f.format(0.86, 'ratio')).toBe('0,9');
    expect(f.format(88.57, 'percent')).toBe(`88,6${nbsp}%`);
  });
  it('names a deck\'s own units (tokens, words per minute) as the deck says them', () => {
    expect(f.format(148_000_000_000, 'tokens')).toBe(`148${nbsp}milliards de tokens`);
    expect(f.format(62, 'words_per_minute')).toBe('62 mots par minute');
    expect(f.format(62, 'words_per_minute', 'number')).toBe('62');
    expect(f.format(62, 'words_per_minute', 'short')).toBe('62 mots/min');
  });
  it('agrees with the digits it prints when rounding carries a figure over a scale', () => {
    expect(f.format(1.95e9, 'USD')).toBe(`2${nbsp}milliards de dollars`);
    expect(f.format(999.96e6, 'USD')).toBe(`1${nbsp}milliard de dollars`);
    expect(f.format(999_999.6, 'EUR')).toBe(`1${nbsp}million d’euros`);
    expect(f.format(999_999.4, 'EUR')).toBe(fr('999 999') + ' euros');
  });
  it('stays in milliards above a thousand of them, as the French press writes', () => {
    expect(f.format(1.3e12, 'USD')).toBe(`${fr('1 300')}${nbsp}milliards de dollars`);
    expect(f.format(1.3e12, 'USD', 'short')).toBe(`${fr('1 300')}${nbsp}Md$`);
  });
  it('says small amounts in the singular below two, with cents', () => {
    expect(f.format(1, 'USD')).toBe('1 dollar');
    expect(f.format(0.15, 'EUR')).toBe('0,15 euro');
    expect(f.format(2.5, 'USD')).toBe('2,5 dollars');
  });
  it('puts the sign of a loss first', () => {
    expect(f.format(-5e9, 'USD')).toBe(`-5${nbsp}milliards de dollars`);
    expect(f.format(-70e6, 'EUR', 'short')).toBe(`-70${nbsp}M€`);
  });
  it('people and counts in full below a million, with scale words from a million up', () => {
    expect(f.format(2_500_000, 'people')).toBe(`2,5${nbsp}millions de personnes`);
    expect(f.format(1, 'people')).toBe('1 personne');
    expect(f.format(2_500_000, 'people', 'number')).toBe(`2,5${nbsp}millions`);
    expect(f.format(2_500_000, 'people', 'short')).toBe(`2,5${nbsp}M`);
    expect(f.format(10_000, 'count')).toBe(fr('10 000'));
    expect(f.format(9_500_000, 'count')).toBe(`9,5${nbsp}millions`);
  });
  it('titles chart axes by the scale of the largest bar', () => {
    expect(f.axis('USD', 13.7e9)).toEqual({ divisor: 1e9, title: 'milliards de dollars' });
    expect(f.axis('EUR', 70e6)).toEqual({ divisor: 1e6, title: 'millions d’euros' });
    expect(f.axis('people', 3000)).toEqual({ divisor: 1, title: 'personnes' });
  });
});

describe('figures in English, as a newsroom writes them', () => {
  let f: FigureFormatter;
  beforeAll(async () => {
    f = await figuresIn('en', 'en-US', englishUnits);
  });
  it('billions and millions of dollars, the symbol first', () => {
    expect(f.format(13.7e9, 'USD')).toBe(`$13.7${nbsp}billion`);
    expect(f.format(875e6, 'USD')).toBe(`$875${nbsp}million`);
    expect(f.format(13.7e9, 'USD', 'short')).toBe('$13.7B');
    expect(f.format(875e6, 'USD', 'short')).toBe('$875M');
    expect(f.format(13.7e9, 'USD', 'number')).toBe(`13.7${nbsp}billion`);
    expect(f.format(1e9, 'USD')).toBe(`$1${nbsp}billion`);
  });
  it('euros, and a loss with its sign before the symbol', () => {
    expect(f.format(70e6, 'EUR')).toBe(`€70${nbsp}million`);
    expect(f.format(70e6, 'EUR', 'short')).toBe('€70M');
    expect(f.format(-5e9, 'USD')).toBe(`-$5${nbsp}billion`);
  });
  it('thousands grouped with commas; people, counts and small amounts in full', () => {
    expect(f.format(3000, 'people')).toBe('3,000 people');
    expect(f.format(1, 'people')).toBe('1 person');
    expect(f.format(9.5e6, 'people')).toBe(`9.5${nbsp}million people`);
    expect(f.format(3000, 'people', 'number')).toBe('3,000');
    expect(f.format(42_000, 'USD')).toBe('$42,000');
    expect(f.format(10_000, 'count')).toBe('10,000');
    expect(f.format(2.5, 'USD')).toBe('$2.5');
  });
  it('ordinals, percentages, ratios, words per minute and tokens', () => {
    expect(f.format(26, 'rank')).toBe('26th');
    expect(f.format(1, 'rank')).toBe('1st');
    expect(f.format(22, 'rank')).toBe('22nd');
    expect(f.format(3, 'rank')).toBe('3rd');
    expect(f.format(11, 'rank')).toBe('11th');
    expect(f.format(88.57, 'percent')).toBe('88.6%');
    expect(f.format(74.07, 'ratio')).toBe('74');
    expect(f.format(62, 'words_per_minute')).toBe('62 words per minute');
    expect(f.format(62, 'words_per_minute', 'short')).toBe('62 wpm');
    expect(f.format(1, 'words_per_minute')).toBe('1 word per minute');
    expect(f.format(148e9, 'tokens')).toBe(`148${nbsp}billion tokens`);
  });
  it('rounds at scale boundaries the way it prints', () => {
    expect(f.format(999.96e6, 'USD')).toBe(`$1${nbsp}billion`);
    expect(f.format(999_999.6, 'EUR')).toBe(`€1${nbsp}million`);
    expect(f.format(1.95e9, 'USD')).toBe(`$2${nbsp}billion`);
    expect(f.format(1.3e12, 'USD')).toBe(`$1.3${nbsp}trillion`);
  });
  it('titles chart axes in English', () => {
    expect(f.axis('USD', 13.7e9)).toEqual({ divisor: 1e9, title: 'billions of dollars' });
    expect(f.axis('people', 3000)).toEqual({ divisor: 1, title: 'people' });
  });
});

describe('figures too small or too large for plain digits', () => {
  const units = ['USD', 'EUR', 'people', 'tokens', 'words_per_minute', 'year', 'rank', 'count', 'ratio', 'percent', 'fraction'] as const;
  const styles = ['long', 'short', 'number'] as const;
  let fr: FigureFormatter;
  let en: FigureFormatter;
  beforeAll(async () => {
    fr = await figuresIn('fr', 'fr-FR', frenchUnits);
    en = await figuresIn('en', 'en-US', englishUnits);
  });

  it('never writes a figure that is not zero as 0, in any unit, style or language', () => {
    for (const [lang, f] of [['fr', fr], ['en', en]] as const) {
      for (const unit of units) {
        for (const style of styles) {
          for (const value of [0.04, -0.04, 0.004, 0.4, 1e-7, -1e-7, 3.2e-12, 0.000015]) {
            const text = f.format(value, unit, style);
            // A non-zero digit somewhere in the digits shown (the exponent alone does not count).
            expect(text.replace(/\u00a0×\u00a010[⁻⁰¹²³⁴⁵⁶⁷⁸⁹]+/, ''), `${lang} ${unit} ${style} ${value}`).toMatch(/[1-9]/);
            if (value < 0 && signedUnits.has(unit)) expect(text, `${lang} ${unit} ${style} ${value}`).toMatch(/-/);
          }
          expect(f.format(0, unit, style), `${lang} ${unit} ${style} 0`).toMatch(/0/);
        }
      }
    }
  });

  it('keeps two significant digits of a small figure, and writes a tiny one as a power of ten', () => {
    expect(fr.format(0.04, 'ratio')).toBe('0,04');
    expect(en.format(0.04, 'ratio')).toBe('0.04');
    expect(fr.format(0.04, 'percent')).toBe(`0,04${nbsp}%`);
    expect(en.format(0.04, 'percent')).toBe('0.04%');
    expect(fr.format(0.04, 'percent', 'number')).toBe('0,04');
    expect(fr.format(-0.04, 'percent')).toBe(`-0,04${nbsp}%`);
    expect(fr.format(0.0123, 'ratio', 'short')).toBe('0,012');
    expect(fr.format(0.000015, 'ratio')).toBe('0,000015');
    expect(fr.format(0.003, 'USD')).toBe('0,003 dollar');
    expect(en.format(0.003, 'USD')).toBe('$0.003');
    expect(fr.format(1e-7, 'ratio')).toBe(`1${nbsp}×${nbsp}10⁻⁷`);
    expect(en.format(1e-7, 'ratio')).toBe(`1${nbsp}×${nbsp}10⁻⁷`);
    expect(fr.format(1e-7, 'percent')).toBe(`1${nbsp}×${nbsp}10⁻⁷${nbsp}%`);
    expect(en.format(-2.5e-9, 'EUR', 'short')).toBe(`-€2.5${nbsp}×${nbsp}10⁻⁹`);
    // Ordinary figures keep their usual digits.
    expect(fr.format(0.86, 'ratio')).toBe('0,9');
    expect(fr.format(0.15, 'EUR')).toBe('0,15 euro');
  });

  it('groups thousands of the largest scale word in English', () => {
    expect(en.format(1.5e15, 'USD')).toBe(`$1,500${nbsp}trillion`);
    expect(en.format(1.5e15, 'USD', 'short')).toBe('$1,500T');
    expect(en.format(1.5e15, 'tokens', 'number')).toBe(`1,500${nbsp}trillion`);
    expect(en.format(1.5e15, 'people', 'short')).toBe('1,500T');
    expect(en.format(999_999e12, 'EUR')).toBe(`€999,999${nbsp}trillion`);
  });

  it('writes a figure of a million of the largest scale word or more as a power of ten, in every style', () => {
    expect(en.format(1.23e23, 'EUR')).toBe(`€1.23${nbsp}×${nbsp}10²³`);
    expect(en.format(1.23e23, 'EUR', 'short')).toBe(`€1.23${nbsp}×${nbsp}10²³`);
    expect(en.format(1.23e23, 'EUR', 'number')).toBe(`1.23${nbsp}×${nbsp}10²³`);
    expect(fr.format(1.23e23, 'EUR')).toBe(`1,23${nbsp}×${nbsp}10²³ euros`);
    expect(fr.format(1.23e23, 'EUR', 'short')).toBe(`1,23${nbsp}×${nbsp}10²³ €`);
    expect(fr.format(1.23e23, 'words_per_minute')).toBe(`1,23${nbsp}×${nbsp}10²³ mots par minute`);
    expect(fr.format(1.23e23, 'people')).toBe(`1,23${nbsp}×${nbsp}10²³ personnes`);
    expect(fr.format(1.23e23, 'people', 'short')).toBe(`1,23${nbsp}×${nbsp}10²³`);
    expect(en.format(-4e18, 'USD')).toBe(`-$4${nbsp}×${nbsp}10¹⁸`);
    // Below the threshold the scale words stay: "999 999 milliards", "$1,500 trillion".
    expect(fr.format(999_999e9, 'USD')).toBe(`${fr_('999 999')}${nbsp}milliards de dollars`);
    expect(fr.format(1e15, 'USD')).toBe(`1${nbsp}×${nbsp}10¹⁵ dollars`);
  });

  it('writes a rank the same way in every style', () => {
    for (const f of [fr, en]) {
      for (const value of [1, 2, 26, 1500]) {
        const digits = f.format(value, 'rank', 'number');
        expect(f.format(value, 'rank', 'long').startsWith(digits)).toBe(true);
        expect(f.format(value, 'rank', 'short').startsWith(digits)).toBe(true);
      }
    }
    expect(fr.format(1500, 'rank')).toBe(`${fr_('1 500')}e`);
    expect(en.format(2.5, 'rank', 'long')).toBe(`${en.format(2.5, 'rank', 'number')}rd`);
  });
});

function fr_(text: string): string {
  return text.replace(/ /g, nbsp);
}

describe('slips on the page', () => {
  it('zero prints "0", never "-0"; a loss too small for cents keeps its digits and its sign', async () => {
    const fr = await figuresIn('fr', 'fr-FR', frenchUnits);
    const en = await figuresIn('en', 'en-US', englishUnits);
    expect(fr.format(-0, 'USD')).toBe('0 dollar');
    expect(fr.format(-0.001, 'USD')).toBe('-0,001 dollar');
    expect(fr.format(-0, 'percent')).toBe('0\u00a0%');
    expect(en.format(-0.001, 'USD')).toBe('-$0.001');
  });
});
