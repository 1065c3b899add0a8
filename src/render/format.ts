import type { Unit } from '../data/schema.js';

export const figureStyles = ['long', 'short', 'number'] as const;
export type FigureStyle = (typeof figureStyles)[number];

interface Scale {
  divisor: number;
  singular: string;
  plural: string;
  short: string;
}

const scales: readonly Scale[] = [
  { divisor: 1e9, singular: 'milliard', plural: 'milliards', short: 'Md' },
  { divisor: 1e6, singular: 'million', plural: 'millions', short: 'M' },
];

/** Nouns after a scale word take "de" ("13 milliards de dollars"); before a vowel, "d’". */
const unitNouns: Partial<Record<Unit, { noun: string; singular: string; elided: boolean; symbol: string }>> = {
  USD: { noun: 'dollars', singular: 'dollar', elided: false, symbol: '$' },
  EUR: { noun: 'euros', singular: 'euro', elided: true, symbol: '€' },
  tokens: { noun: 'tokens', singular: 'token', elided: false, symbol: '' },
};

/**
 * Narrow no-break spaces (French thousands separator in Intl) are missing from many fonts and
 * print as boxes; a plain no-break space keeps "3 000" on one line and renders everywhere.
 */
function number(value: number, locale: string, maximumFractionDigits: number, useGrouping = true): string {
  return formatterFor(locale, maximumFractionDigits, useGrouping).format(value).replace(/\u202f/g, '\u00a0');
}

function formatterFor(locale: string, maximumFractionDigits: number, useGrouping: boolean): Intl.NumberFormat {
  const key = `${locale}|${maximumFractionDigits}|${useGrouping}`;
  // Building an Intl.NumberFormat costs far more than using one; a deck formats hundreds of figures.
  let formatter = formatters.get(key);
  if (!formatter) {
    // signDisplay 'negative': zero, and a tiny loss that rounds to zero, print "0", never "-0".
    formatter = new Intl.NumberFormat(locale, { maximumFractionDigits, useGrouping, signDisplay: 'negative' });
    formatters.set(key, formatter);
  }
  return formatter;
}
const formatters = new Map<string, Intl.NumberFormat>();

function pickScale(value: number): Scale | undefined {
  return scales.find((scale) => Math.abs(value) >= scale.divisor);
}

/** The number as it will be printed, so the wording (plural, scale) agrees with the digits shown. */
function printedValue(value: number, locale: string, maximumFractionDigits: number): number {
  const parts = formatterFor(locale, maximumFractionDigits, false).formatToParts(value);
  const digits = parts.map((part) => (part.type === 'integer' || part.type === 'fraction' ? part.value : part.type === 'decimal' ? '.' : part.type === 'minusSign' ? '-' : '')).join('');
  return Number(digits);
}

/**
 * "13,7 milliards": one decimal at most, since a deck shows orders of magnitude, not ledgers.
 * Rounding can carry a figure into the next scale (999,96 millions prints as 1 milliard).
 */
function scaled(value: number, locale: string): { text: string; scale: Scale | undefined; plural: boolean } {
  let scale = pickScale(value);
  const digitsFor = (amount: number, withScale: boolean): number => (Math.abs(amount) >= 100 ? 0 : withScale ? 1 : Math.abs(amount) >= 10 ? 0 : 2);
  let amount = scale ? value / scale.divisor : value;
  let digits = digitsFor(amount, scale !== undefined);
  let shown = printedValue(amount, locale, digits);
  const larger = scales[scales.indexOf(scale!) - 1] ?? (scale ? undefined : scales[scales.length - 1]);
  if (larger && Math.abs(shown) * (scale?.divisor ?? 1) >= larger.divisor) {
    scale = larger;
    amount = value / larger.divisor;
    digits = digitsFor(amount, true);
    shown = printedValue(amount, locale, digits);
  }
  // French: "1,5 milliard" but "2 milliards": the noun is plural from two on.
  return { text: number(amount, locale, digits), scale, plural: Math.abs(shown) >= 2 };
}

const nbsp = '\u00a0';

export function formatFigure(value: number, unit: Unit, style: FigureStyle = 'long', locale = 'fr-FR'): string {
  switch (unit) {
    case 'year':
      return number(value, locale, 0, false);
    case 'rank':
      return value === 1 ? '1er' : `${number(value, locale, 0)}e`;
    case 'percent':
      return `${number(value, locale, 1)}${nbsp}%`;
    case 'ratio':
      return number(value, locale, Math.abs(value) >= 10 ? 0 : 1);
    case 'people':
    case 'count':
      return style === 'long' ? number(value, locale, 0) : scaledText(value, locale, style);
    case 'words_per_minute':
      if (style === 'number') return number(value, locale, 0);
      return style === 'short' ? `${number(value, locale, 0)}${nbsp}mots/min` : `${number(value, locale, 0)} mots par minute`;
    case 'USD':
    case 'EUR':
    case 'tokens':
      return withNoun(value, unit, style, locale);
  }
}

function scaledText(value: number, locale: string, style: FigureStyle): string {
  const { text, scale, plural } = scaled(value, locale);
  if (!scale) return text;
  return style === 'short' ? `${text}${nbsp}${scale.short}` : `${text}${nbsp}${plural ? scale.plural : scale.singular}`;
}

function withNoun(value: number, unit: 'USD' | 'EUR' | 'tokens', style: FigureStyle, locale: string): string {
  const noun = unitNouns[unit]!;
  const { text, scale, plural } = scaled(value, locale);
  if (style === 'short') {
    const prefix = scale ? `${text}${nbsp}${scale.short}` : text;
    return noun.symbol ? `${prefix}${scale ? '' : nbsp}${noun.symbol}` : prefix;
  }
  if (!scale) return style === 'number' ? text : `${text} ${plural ? noun.noun : noun.singular}`;
  const scaleWord = plural ? scale.plural : scale.singular;
  if (style === 'number') return `${text}${nbsp}${scaleWord}`;
  return `${text}${nbsp}${scaleWord} ${noun.elided ? `d’${noun.noun}` : `de ${noun.noun}`}`;
}

/** What a chart axis counts, in words, for figures of this unit around this size. */
export function axisTitle(unit: Unit, largest: number): { divisor: number; title: string } {
  const scale = unit === 'year' || unit === 'rank' || unit === 'ratio' || unit === 'percent' ? undefined : pickScale(largest);
  const divisor = scale?.divisor ?? 1;
  const scaleWord = scale ? `${scale.plural} ` : '';
  const noun = unitNouns[unit];
  const nounText = noun ? (scale ? (noun.elided ? `d’${noun.noun}` : `de ${noun.noun}`) : noun.noun) : unit === 'people' ? 'personnes' : '';
  return { divisor, title: `${scaleWord}${nounText}`.trim() };
}
