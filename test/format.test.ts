import { describe, expect, it } from 'vitest';
import { formatFigure } from '../src/render/format.js';

const nbsp = '\u00a0';
const fr = (text: string): string => text.replace(/ /g, nbsp);

describe('formatFigure (French)', () => {
  it('says dollars in milliards with a decimal comma', () => {
    expect(formatFigure(13_700_000_000, 'USD')).toBe(`13,7${nbsp}milliards de dollars`);
    expect(formatFigure(13_700_000_000, 'USD', 'short')).toBe(`13,7${nbsp}Md$`);
    expect(formatFigure(13_700_000_000, 'USD', 'number')).toBe(`13,7${nbsp}milliards`);
  });
  it('keeps milliard singular below two and drops a trailing ,0', () => {
    expect(formatFigure(1_000_000_000, 'USD')).toBe(`1${nbsp}milliard de dollars`);
    expect(formatFigure(1_500_000_000, 'USD')).toBe(`1,5${nbsp}milliard de dollars`);
    expect(formatFigure(5_000_000_000, 'USD')).toBe(`5${nbsp}milliards de dollars`);
  });
  it('elides "de" before euros and uses millions below a milliard', () => {
    expect(formatFigure(70_000_000, 'EUR')).toBe(`70${nbsp}millions d’euros`);
    expect(formatFigure(70_000_000, 'EUR', 'short')).toBe(`70${nbsp}M€`);
    expect(formatFigure(875_000_000, 'USD', 'short')).toBe(`875${nbsp}M$`);
  });
  it('groups thousands with a no-break space fonts can draw (not U+202F)', () => {
    expect(formatFigure(3000, 'people')).toBe(fr('3 000'));
    expect(formatFigure(42_000, 'USD')).toBe(fr('42 000') + ' dollars');
    expect(formatFigure(42_000, 'USD')).not.toContain('\u202f');
  });
  it('writes years without grouping, ranks as ordinals, ratios and percents', () => {
    expect(formatFigure(2029, 'year')).toBe('2029');
    expect(formatFigure(26, 'rank')).toBe('26e');
    expect(formatFigure(1, 'rank')).toBe('1er');
    expect(formatFigure(74.07, 'ratio')).toBe('74');
    expect(formatFigure(0.86, 'ratio')).toBe('0,9');
    expect(formatFigure(88.57, 'percent')).toBe(`88,6${nbsp}%`);
  });
  it('names tokens and words per minute', () => {
    expect(formatFigure(148_000_000_000, 'tokens')).toBe(`148${nbsp}milliards de tokens`);
    expect(formatFigure(62, 'words_per_minute')).toBe('62 mots par minute');
    expect(formatFigure(62, 'words_per_minute', 'number')).toBe('62');
  });
  it('agrees with the digits it prints when rounding carries a figure over', () => {
    expect(formatFigure(1.95e9, 'USD')).toBe(`2${nbsp}milliards de dollars`);
    expect(formatFigure(999.96e6, 'USD')).toBe(`1${nbsp}milliard de dollars`);
    expect(formatFigure(999_999.6, 'EUR')).toBe(`1${nbsp}million d’euros`);
  });
  it('says small amounts in the singular below two, with cents', () => {
    expect(formatFigure(1, 'USD')).toBe('1 dollar');
    expect(formatFigure(0.15, 'EUR')).toBe('0,15 euro');
    expect(formatFigure(2.5, 'USD')).toBe('2,5 dollars');
  });
});
