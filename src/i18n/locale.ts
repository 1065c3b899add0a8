import type { Catalog, WordKey } from './catalog.js';
import { figureFormatter, type FigureFormatter } from './numbers.js';

/** Everything language-specific a deck edition needs: its words, figures and typography. */
export interface Locale {
  lang: string;
  /** How numbers are written (fr-FR, en-US). */
  locale: string;
  catalog: Catalog;
  figures: FigureFormatter;
  /** The generator's own words, typographic rules applied. */
  word(key: WordKey, args?: Record<string, string | number>): string;
  /** The language's spacing around punctuation ("Sources :" with a no-break space in French). */
  typography(text: string): string;
}

const escapeForClass = (chars: string): string => chars.replace(/[\\\]^-]/g, '\\$&');

/**
 * The catalogue's spacing rules as one function: a plain space before a mark in `space_before`,
 * or after one in `space_after`, becomes a no-break space, so the mark never starts a line.
 */
export function typographer(rules: { space_before: string; space_after: string }): (text: string) => string {
  const before = rules.space_before ? new RegExp(` (?=[${escapeForClass(rules.space_before)}])`, 'g') : undefined;
  const after = rules.space_after ? new RegExp(`(?<=[${escapeForClass(rules.space_after)}]) `, 'g') : undefined;
  return (text) => {
    let result = text;
    if (before) result = result.replace(before, '\u00a0');
    if (after) result = result.replace(after, '\u00a0');
    return result;
  };
}

export function createLocale(lang: string, locale: string, catalog: Catalog): Locale {
  const typography = typographer(catalog.source.typography);
  return {
    lang,
    locale,
    catalog,
    figures: figureFormatter(locale, catalog),
    word: (key, args) => typography(catalog.word(key, args)),
    typography,
  };
}
