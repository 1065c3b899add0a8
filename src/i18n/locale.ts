import type { Catalog, MessageKey } from './catalog.js';
import type { DeckUnits } from '../data/schema.js';
import { figureFormatter, type FigureFormatter } from './numbers.js';

/** Everything language-specific a deck edition needs: its catalogue messages, figures and typography. */
export interface Locale {
  lang: string;
  /** How numbers are written (fr-FR, en-US). */
  locale: string;
  catalog: Catalog;
  figures: FigureFormatter;
  /** A catalogue message (the generator's own words), typographic rules applied. */
  message(key: MessageKey, args?: Record<string, string | number>): string;
  /** The language's typography: spacing around punctuation ("Sources :" with a no-break space in French), its apostrophe. */
  typography(text: string): string;
}

const escapeForClass = (chars: string): string => chars.replace(/[\\\]^-]/g, '\\$&');

/** Links and e-mail addresses inside text: typed exactly as they must be followed, never set. */
const addresses = /((?:\b[a-z][a-z0-9+.-]*:\/\/|\bwww\.)[^\s<>"]+|[^\s<>"@]+@[^\s<>"@]+\.[^\s<>"@]+)/giu;
/**
 * A straight apostrophe between two Latin letters ("l'eau", "it's"), not a quotation mark; in
 * another script (a Hebrew geresh typed as ') it is left alone.
 */
const straightApostrophe = /(?<=\p{Script=Latin})'(?=\p{Script=Latin})/gu;

/**
 * The catalogue's typographic rules as one function: a plain space before a mark in
 * `space_before`, or after one in `space_after`, becomes a no-break space, so the mark never
 * starts a line; a straight apostrophe between Latin letters becomes `apostrophe` (when set). Links and
 * e-mail addresses in the text are left as typed. Figures and ids never pass through it.
 */
export function typographer(rules: { space_before: string; space_after: string; apostrophe: string }): (text: string) => string {
  const before = rules.space_before ? new RegExp(` (?=[${escapeForClass(rules.space_before)}])`, 'g') : undefined;
  const after = rules.space_after ? new RegExp(`(?<=[${escapeForClass(rules.space_after)}]) `, 'g') : undefined;
  const set = (text: string): string => {
    let result = text;
    if (before) result = result.replace(before, '\u00a0');
    if (after) result = result.replace(after, '\u00a0');
    if (rules.apostrophe) result = result.replace(straightApostrophe, rules.apostrophe);
    return result;
  };
  // split() with a capturing group alternates prose (even) and addresses (odd).
  return (text) => text.split(addresses).map((part, index) => (index % 2 === 0 ? set(part) : part)).join('');
}

/** `units`: the deck's own units, with their words in this language. */
export function createLocale(lang: string, locale: string, catalog: Catalog, units?: DeckUnits): Locale {
  const typography = typographer(catalog.source.typography);
  return {
    lang,
    locale,
    catalog,
    figures: figureFormatter(locale, catalog, units),
    message: (key, args) => typography(catalog.message(key, args)),
    typography,
  };
}

/** The same language, with a deck's own units known to its figures (each edition's model carries their words). */
export function withDeckUnits(locale: Locale, units: DeckUnits): Locale {
  return units.size === 0 ? locale : { ...locale, figures: figureFormatter(locale.locale, locale.catalog, units) };
}
