import { isBuiltinUnit, noDeckUnits, type DeckUnits, type Unit, type UnitWords } from '../data/schema.js';
import type { FigureStyle } from '../model/text.js';
import type { Catalog, CatalogUnit } from './catalog.js';

type Scale = 'none' | 'million' | 'billion' | 'trillion';
const scaleSizes: Record<Exclude<Scale, 'none'>, number> = { million: 1e6, billion: 1e9, trillion: 1e12 };

/** Figures turned into words and digits for one language: digits and scale words from Intl, nouns from the catalogue. */
export interface FigureFormatter {
  readonly locale: string;
  /** `precision`: at least that many significant digits, to tell apart figures close to each other (1,94 and 1,9). */
  format(value: number, unit: Unit, style?: FigureStyle, precision?: number): string;
  /** What a chart axis counts for figures of this unit around this size, and the divisor its ticks use. */
  axis(unit: Unit, largest: number): { divisor: number; title: string };
}

/**
 * Narrow no-break spaces (French thousands separator in Intl) are missing from many fonts and
 * print as boxes; a plain no-break space keeps "3 000" on one line and renders everywhere.
 */
const fontSafe = (text: string): string => text.replace(/\u202f/g, '\u00a0');
/** A figure and its scale word stay on one line: "13,7 milliards", "13.7 billion". */
const unbroken = (text: string): string => text.replace(/[ \u202f]/g, '\u00a0');

/** The number a formatted figure shows, so plural words agree with the digits printed. */
function shownNumber(parts: Intl.NumberFormatPart[]): number {
  const digits = parts
    .map((part) => (part.type === 'integer' || part.type === 'fraction' ? part.value : part.type === 'decimal' ? '.' : part.type === 'minusSign' ? '-' : ''))
    .join('');
  return Number(digits);
}

const joined = (parts: Intl.NumberFormatPart[]): string => parts.map((part) => part.value).join('');

/** The exponent of "1,23 × 10²³" in superscript digits (Intl's own minus sign or a hyphen). */
const superscript = (text: string): string => text.replace(/[-\u2212\d]/g, (char) => (/\d/.test(char) ? '⁰¹²³⁴⁵⁶⁷⁸⁹'[Number(char)]! : '⁻'));

/** Below a millionth, the zeros after the decimal mark can no longer be counted at a glance. */
const tinyBelow = 1e-6;

/**
 * Intl.PluralRules goes astray past about 1e17 (French "one" for 1e18 or 1.23e20): a count that
 * large is said as 1e15, many things in every language.
 */
const pluralCount = (value: number): number => Math.min(value, 1e15);

/** Units whose figures are never scaled: a year, a rank, a share. */
const unscaledUnits: ReadonlySet<Unit> = new Set(['year', 'rank', 'percent', 'ratio', 'fraction']);

type IntlOf = (options: Intl.NumberFormatOptions) => Intl.NumberFormat;

/** The unit's fraction digits, or more when at least `precision` significant digits are asked for. */
const rounding = (fractionDigits: number, precision: number | undefined): Intl.NumberFormatOptions =>
  precision === undefined
    ? { maximumFractionDigits: fractionDigits }
    : { maximumFractionDigits: fractionDigits, maximumSignificantDigits: precision, roundingPriority: 'morePrecision' };

/** "1,23 × 10²³": three significant digits, then the power of ten. */
function powerOfTen(intl: IntlOf, value: number, precision = 3): string {
  const parts = intl({ notation: 'scientific', maximumSignificantDigits: Math.max(3, precision) }).formatToParts(value);
  const at = parts.findIndex((part) => part.type === 'exponentSeparator');
  return `${joined(parts.slice(0, at))}\u00a0×\u00a010${superscript(joined(parts.slice(at + 1)))}`;
}

/** Digits of a figure below a million: cents for small amounts, whole numbers from ten up. */
const plainDigits = (value: number): number => (Math.abs(value) >= 10 ? 0 : 2);

/** Digits a unit shows: whole people and ranks, one decimal for shares, cents for small amounts. */
function digitsFor(value: number, unit: Unit, deckUnit: UnitWords | undefined): number {
  if (deckUnit) return deckUnit.kind === 'count' ? 0 : plainDigits(value);
  switch (unit) {
    case 'year':
    case 'rank':
    case 'people':
    case 'count':
      return 0;
    case 'percent':
      return 1;
    case 'ratio':
      return Math.abs(value) >= 10 ? 0 : 1;
    default:
      return plainDigits(value);
  }
}

/**
 * The digits a unit shows for an unsigned figure, and the number they say (for plurals). A
 * figure that is not zero never reads "0": one the unit's digits would round away keeps two
 * significant digits ("0,04"), and one too small or too large for digits is a power of ten.
 */
function unitDigits(intl: IntlOf, value: number, unit: Unit, deckUnit: UnitWords | undefined, huge: boolean, precision?: number): { text: string; count: number; powerOfTen: boolean } {
  if (value !== 0 && (value < tinyBelow || huge)) return { text: powerOfTen(intl, value, precision), count: pluralCount(value), powerOfTen: true };
  const parts = intl({ ...rounding(digitsFor(value, unit, deckUnit), precision), useGrouping: unit === 'year' ? false : 'auto' }).formatToParts(value);
  if (value === 0 || shownNumber(parts) !== 0) return { text: joined(parts), count: shownNumber(parts), powerOfTen: false };
  const small = intl({ maximumSignificantDigits: Math.max(2, precision ?? 0), useGrouping: false }).formatToParts(value);
  return { text: joined(small), count: shownNumber(small), powerOfTen: false };
}

/** The language's percent pattern ("12,5 %", "12.5%", "%12,5") around digits already chosen. */
function percentAround(intl: IntlOf, digits: string, negative: boolean): string {
  let placed = false;
  return intl({ style: 'percent' })
    .formatToParts(negative ? -0.01 : 0.01)
    .map((part) => {
      if (!['integer', 'group', 'decimal', 'fraction'].includes(part.type)) return part.value;
      if (placed) return '';
      placed = true;
      return digits;
    })
    .join('');
}

/** How one locale writes numbers: Intl's formatters (cached), its catalogue's largest scale word. */
interface Numbers {
  locale: string;
  intl: IntlOf;
  largest: Exclude<Scale, 'none'>;
  /** The scales the language says, up to its largest. */
  allowedScales: Exclude<Scale, 'none'>[];
}

function numbersOf(locale: string, catalog: Catalog): Numbers {
  const formatters = new Map<string, Intl.NumberFormat>();
  // Building an Intl.NumberFormat costs far more than using one; a deck formats hundreds of figures.
  const intl = (options: Intl.NumberFormatOptions): Intl.NumberFormat => {
    const key = JSON.stringify(options);
    let formatter = formatters.get(key);
    if (!formatter) {
      // signDisplay 'negative': zero, and a tiny loss that rounds to zero, print "0", never "-0".
      formatter = new Intl.NumberFormat(locale, { signDisplay: 'negative', ...options });
      formatters.set(key, formatter);
    }
    return formatter;
  };
  const largest = catalog.source.numbers.largest_scale;
  const allowedScales = (Object.keys(scaleSizes) as Exclude<Scale, 'none'>[]).filter((scale) => scaleSizes[scale] <= scaleSizes[largest]);
  return { locale, intl, largest, allowedScales };
}

/**
 * From a million of the language's largest scale word up ("1 000 000 milliards", "$1,000,000
 * trillion"), digits stop being readable: such a figure, in any unit, is written as a power of ten.
 */
const isHuge = (numbers: Numbers, value: number): boolean => Math.round(value / scaleSizes[numbers.largest]) >= 1e6;

const plain = (numbers: Numbers, value: number, fractionDigits: number, grouping = true, precision?: number): Intl.NumberFormat =>
  numbers.intl({ ...rounding(fractionDigits, precision), useGrouping: grouping ? 'auto' : false });

/** A deck shows orders of magnitude, not ledgers: three significant digits, one decimal at most. */
const compactOptions = (display: 'long' | 'short', precision?: number): Intl.NumberFormatOptions => ({
  notation: 'compact',
  compactDisplay: display,
  maximumSignificantDigits: Math.max(3, precision ?? 0),
  maximumFractionDigits: 1,
  roundingPriority: precision === undefined ? 'lessPrecision' : 'morePrecision',
});

/**
 * The scale a figure is said in, decided on the rounded figure: 999 999,6 prints as
 * "1 million", and 999,96 millions as "1 milliard" (Intl carries the rounding itself). Above
 * the language's largest scale, the figure stays in it ("1 300 milliards" in French).
 */
function scaleOf(numbers: Numbers, value: number): { scale: Scale; byIntl: boolean } {
  const roundedText = plain(numbers, value, plainDigits(value), false).formatToParts(value);
  if (!(Math.abs(shownNumber(roundedText)) >= 1e6)) return { scale: 'none', byIntl: false };
  // Intl says which power it chose through the size of the number it prints.
  const shown = Math.abs(shownNumber(numbers.intl(compactOptions('long')).formatToParts(value))) || 1;
  const power = Math.round(Math.log10(Math.abs(value) / shown) / 3) * 3;
  const intlScale: Scale = power >= 12 ? 'trillion' : power >= 9 ? 'billion' : power >= 6 ? 'million' : 'none';
  if (intlScale === 'none') return { scale: 'none', byIntl: false };
  // Past its largest scale word Intl writes "1500T", without the language's grouping: held at that scale here.
  return numbers.allowedScales.includes(intlScale) ? { scale: intlScale, byIntl: shown < 1000 } : { scale: numbers.largest, byIntl: false };
}

/** A figure held at a scale Intl would go beyond: the digits, then Intl's own word for that scale. */
function atScale(numbers: Numbers, value: number, scale: Exclude<Scale, 'none'>, display: 'long' | 'short', precision?: number): { text: string; count: number } {
  const amount = value / scaleSizes[scale];
  const digits = Math.abs(amount) >= 100 ? 0 : 1;
  const count = shownNumber(plain(numbers, amount, digits, false, precision).formatToParts(amount));
  // The word in the plural category of the number shown, taken from a sample Intl does say at this scale.
  const rules = new Intl.PluralRules(numbers.locale);
  const category = rules.select(count);
  const sample = [1, 2, 3, 5, 11, 21, 100, 1.5, 0].find((candidate) => rules.select(candidate) === category) ?? 2;
  const parts = numbers.intl(compactOptions(display)).formatToParts(sample * scaleSizes[scale]);
  const literal = parts.find((part) => part.type === 'literal')?.value ?? '';
  const word = parts.filter((part) => part.type === 'compact').map((part) => part.value).join('');
  return { text: `${plain(numbers, amount, digits, true, precision).format(amount)}${literal}${word}`, count };
}

/** A figure's digits with and without its scale word ("13,7 milliards", "13,7 Md"), and the number shown (for plurals). */
function scaledForms(numbers: Numbers, value: number, unit: Unit, digits: { text: string; count: number; powerOfTen: boolean }, precision?: number): { scaled: string; short: string; count: number; scale: Scale } {
  const { scale, byIntl } = unscaledUnits.has(unit) || digits.powerOfTen ? { scale: 'none' as const, byIntl: false } : scaleOf(numbers, value);
  if (scale !== 'none' && byIntl) {
    const long = numbers.intl(compactOptions('long', precision));
    return { scaled: unbroken(long.format(value)), short: unbroken(numbers.intl(compactOptions('short', precision)).format(value)), count: shownNumber(long.formatToParts(value)), scale };
  }
  if (scale !== 'none') {
    const long = atScale(numbers, value, scale, 'long', precision);
    return { scaled: unbroken(long.text), short: unbroken(atScale(numbers, value, scale, 'short', precision).text), count: long.count, scale };
  }
  return { scaled: digits.text, short: digits.text, count: digits.count, scale };
}

/** The words a deck unit's messages are given besides the figure's. */
const wordsOf = (unit: UnitWords): Record<string, string> => ({ one: unit.one, other: unit.other, abbr: unit.short ?? 'none', vowel: /^[aeiouyhàâäéèêëîïôöûùüœæ]/iu.test(unit.other) ? 'yes' : 'no' });

/**
 * `units`: the deck's own units, with their words in this language. A unit neither datadeck nor
 * the deck knows cannot reach here: facts.csv and derived.yaml refuse it at its line.
 */
export function figureFormatter(locale: string, catalog: Catalog, units: DeckUnits = noDeckUnits): FigureFormatter {
  const numbers = numbersOf(locale, catalog);
  const deckUnitOf = (unit: Unit): UnitWords | undefined => {
    if (isBuiltinUnit(unit)) return undefined;
    const words = units.get(unit);
    if (!words) throw new Error(`unit "${unit}" is neither datadeck's nor declared in the deck's units.yaml`);
    return words;
  };
  const format = (signed: number, unit: Unit, style: FigureStyle = 'long', precision?: number): string => {
    // A fraction (0.125) is the percentage it stands for (12.5 %).
    if (unit === 'fraction') return format(signed * 100, 'percent', style === 'multiplier' ? 'long' : style, precision);
    const deckUnit = deckUnitOf(unit);
    // Digits and scale words for the magnitude; the sign is the message's to place ("-$5 billion").
    const value = Math.abs(signed);
    const digits = unitDigits(numbers.intl, value, unit, deckUnit, isHuge(numbers, value), precision);
    const { scaled, short, count, scale } = scaledForms(numbers, value, unit, digits, precision);
    const sign = signed < 0 ? '-' : '';
    const percent = percentAround(numbers.intl, digits.text, signed < 0);
    // {value} is the figure as its digits say it, so an ordinal agrees with {number} ("3e", "3").
    const shown = scale === 'none' ? count : value;
    const args = { number: digits.text, scaled, short, scale, count, value: shown, percent, sign };
    // Only a ratio has a multiplier form ("×1,9"); a slide asking it of another unit is refused before.
    const plainStyle = style === 'multiplier' && unit !== 'ratio' ? 'long' : style;
    if (deckUnit) return fontSafe(catalog.deckUnit(deckUnit.kind, plainStyle === 'multiplier' ? 'long' : plainStyle, { ...args, ...wordsOf(deckUnit) }));
    return fontSafe(catalog.figure(unit as CatalogUnit, plainStyle, args));
  };
  const axis = (unit: Unit, largestValue: number): { divisor: number; title: string } => {
    if (unit === 'fraction') return { divisor: 0.01, title: fontSafe(catalog.axis('percent', { scale: 'none' })) };
    const deckUnit = deckUnitOf(unit);
    const { scale } = unscaledUnits.has(unit) ? { scale: 'none' as const } : scaleOf(numbers, largestValue);
    const divisor = scale === 'none' ? 1 : scaleSizes[scale];
    const title = deckUnit ? catalog.deckUnit(deckUnit.kind, 'axis', { scale, ...wordsOf(deckUnit) }) : catalog.axis(unit as CatalogUnit, { scale });
    return { divisor, title: fontSafe(title) };
  };
  return { locale, format, axis };
}
