/** A language as a deck edition in it uses it, for tests of figures and words without a build. */
import type { DeckUnits } from '../../src/data/schema.js';
import type { Locale } from '../../src/i18n/locale.js';
import type { FigureFormatter } from '../../src/i18n/numbers.js';

/** The package's catalogue for the language, Intl for numbers; `units`, a deck's own units with their words in the language. */
export async function localeOf(lang: string, locale: string, units?: DeckUnits): Promise<Locale> {
  const { loadCatalog } = await import('../../src/i18n/catalog.js');
  const { createLocale } = await import('../../src/i18n/locale.js');
  const { ProblemList } = await import('../../src/errors.js');
  const problems = new ProblemList();
  const catalog = await loadCatalog(lang, locale, { problems });
  if (!catalog) throw new Error(problems.problems.map((problem) => problem.message).join('\n'));
  return createLocale(lang, locale, catalog, units);
}

/** The figure formatter of a language, as a deck edition in it uses. */
export async function figuresIn(lang: string, locale: string, units?: DeckUnits): Promise<FigureFormatter> {
  return (await localeOf(lang, locale, units)).figures;
}
