import type { ProblemList, SourceLocation } from '../errors.js';
import type { LoadedData, LoadedTranslation } from './load.js';
import { columnWords, translatedFields, type TranslatedField } from './fields.js';
import type { Claim, Slide, TranslationSource } from './schema.js';
import type { YamlFile, YamlPath } from './yaml.js';
import { didYouMean } from '../suggest.js';

const factTextFields = ['label', 'period', 'source_title', 'note'] as const;

/** A record's own entry: a slide or fact named "constructor" must not find Object's. */
const own = <T>(record: Readonly<Record<string, T>>, key: string): T | undefined => (Object.hasOwn(record, key) ? record[key] : undefined);

/** A field needs translating when it has words: "2024" or "2024-2025" reads the same in every language. */
const hasWords = (text: string | undefined): text is string => text !== undefined && /\p{L}/u.test(text);

const languageNames = new Intl.DisplayNames(['en'], { type: 'language' });
function languageName(lang: string): string {
  try {
    return languageNames.of(lang) ?? lang;
  } catch {
    return lang;
  }
}

/** How the checks of one translation report what it lacks and what it has too much of. */
interface Checker {
  data: LoadedData;
  translated: TranslationSource;
  file: YamlFile;
  problems: ProblemList;
  /** A field with words that the translation does not give, said at the translation's `at` and pointing at the original. */
  missing(at: YamlPath, what: string, original?: SourceLocation): void;
  /** A translation of something the deck does not have. */
  extra(at: YamlPath, what: string, why: string): void;
}

type TranslatedSlide = NonNullable<TranslationSource['slides'][string]>;

/** One slide being translated: where its words are, how messages name it, what it becomes. */
interface SlideCheck {
  source: Slide;
  translated: TranslatedSlide;
  result: Slide;
  /** The slide's position in deck.yaml. */
  index: number;
  /** Its key in the translation file: ['slides', id]. */
  at: YamlPath;
  name: string;
}

/**
 * The deck's data with every word taken from a translation: facts and figures stay shared, so an
 * edit to facts.csv changes every edition. Each missing translation is a problem naming the
 * translation file, its line, the slide and the field; a translation of nothing (a slide or field
 * the deck does not have) is one too, so translations cannot silently drift from the deck.
 */
export function localizeData(data: LoadedData, translation: LoadedTranslation, problems: ProblemList): LoadedData {
  const { source: translated, file } = translation;
  const language = languageName(translated.lang);
  const checker: Checker = {
    data,
    translated,
    file,
    problems,
    missing(at, what, original) {
      const where = original ? ` (the original is at ${original.file}${original.line !== undefined ? `:${original.line}` : ''})` : '';
      problems.add({ ...file.locate(at), field: what, message: `${what}: no ${language} translation${where}` });
    },
    extra(at, what, why) {
      problems.add({ ...file.locateKey(at.slice(0, -1), String(at.at(-1))), field: what, message: `${what}: ${why}` });
    },
  };
  // Deck-level words.
  for (const field of ['subtitle', 'author', 'sources_title'] as const) {
    if (hasWords(data.deck[field]) && translated[field] === undefined) checker.missing([], field, data.deckFile.locate([field]));
  }
  return {
    ...data,
    deck: {
      ...data.deck,
      title: translated.title,
      subtitle: translated.subtitle ?? data.deck.subtitle,
      author: translated.author ?? data.deck.author,
      sources_title: translated.sources_title ?? data.deck.sources_title,
      lang: translated.lang,
      locale: translated.locale,
      slides: translateSlides(checker),
    },
    deckFile: translatedDeckFile(data, translation),
    facts: translateFacts(checker),
    derived: translateDerived(checker),
    charts: translateCharts(checker),
    units: translateUnits(checker),
  };
}

/** Slides, keyed by id: each field with words, by its kind (data/fields.ts). */
function translateSlides(checker: Checker): Slide[] {
  const { data, translated, problems } = checker;
  const ids = new Set<string>();
  const slides = data.deck.slides.map((source, index) => {
    const name = `slide ${index + 1}${source.id ? ` "${source.id}"` : ''}`;
    if (!source.id) {
      problems.add({ ...data.deckFile.locate(['slides', index]), field: `slides[${index}].id`, message: `${name} needs an id: translations key slides by id` });
      return source;
    }
    ids.add(source.id);
    const entry = own(translated.slides, source.id);
    if (!entry) {
      checker.missing(['slides'], `${name}`, data.deckFile.locate(['slides', index]));
      return source;
    }
    const slide: SlideCheck = { source, translated: entry, result: { ...source }, index, at: ['slides', source.id], name };
    for (const field of translatedFields) translateField[field.kind](checker, slide, field.name as never);
    return slide.result;
  });
  for (const id of Object.keys(translated.slides)) {
    if (!ids.has(id)) checker.extra(['slides', id], `slides.${id}`, `no slide has this id in deck.yaml${didYouMean(id, ids)}`);
  }
  return slides;
}

type FieldName<K extends TranslatedField['kind']> = Extract<TranslatedField, { kind: K }>['name'];

/** A field the slide has: its translation is required; a field it lacks must not be translated. */
function presence(checker: Checker, slide: SlideCheck, field: string, present: boolean, given: boolean): boolean {
  const what = `${slide.name}, field ${field}`;
  if (!present) {
    if (given) checker.extra([...slide.at, field], what, 'the slide has no such field in deck.yaml');
    return false;
  }
  if (!given) checker.missing(slide.at, what, checker.data.deckFile.locate(['slides', slide.index, field]));
  return given;
}

/** How a translation's words replace a slide field's, by the field's kind. */
const translateField: { [K in TranslatedField['kind']]: (checker: Checker, slide: SlideCheck, field: FieldName<K>) => void } = {
  text: translateText,
  notes: translateText,
  paragraphs(checker, slide, field) {
    const [original, words] = [slide.source[field], slide.translated[field]];
    if (!presence(checker, slide, field, original !== undefined, words !== undefined)) return;
    if (Array.isArray(original) !== Array.isArray(words) || (Array.isArray(words) && words.length !== (original as string[]).length)) {
      checker.problems.add({ ...checker.file.locate([...slide.at, field]), field: `${slide.name}, field ${field}`, message: `${slide.name}, field ${field}: ${Array.isArray(original) ? `a list of ${original.length} paragraphs` : 'one paragraph'} in deck.yaml, so the same here` });
    } else slide.result[field] = words;
  },
  list(checker, slide, field) {
    const [original, words] = [slide.source[field], slide.translated[field]];
    if (!presence(checker, slide, field, original !== undefined, words !== undefined)) return;
    if (words!.length !== original!.length) {
      checker.problems.add({ ...checker.file.locate([...slide.at, field]), field: `${slide.name}, field ${field}`, message: `${slide.name}, field ${field}: ${words!.length} ${field}, but deck.yaml has ${original!.length}` });
    } else slide.result[field] = words;
  },
  columns(checker, slide, field) {
    const [original, words] = [slide.source[field], slide.translated[field]];
    if (!presence(checker, slide, field, original !== undefined, words !== undefined)) return;
    if (words!.length !== original!.length) {
      checker.problems.add({ ...checker.file.locate([...slide.at, field]), field: `${slide.name}, field ${field}`, message: `${slide.name}, field ${field}: ${words!.length} ${field}, but deck.yaml has ${original!.length}` });
      return;
    }
    slide.result[field] = original!.map((column, i) => {
      const translatedColumn = { ...column };
      for (const key of columnWords) {
        const what = `${slide.name}, field ${field}[${i}].${key}`;
        if (column[key] === undefined) {
          if (words![i]![key] !== undefined) checker.extra([...slide.at, field, i, key], what, `the column has no ${key} in deck.yaml`);
        } else if (words![i]![key] === undefined) checker.missing([...slide.at, field, i], what, checker.data.deckFile.locate(['slides', slide.index, field, i, key]));
        else translatedColumn[key] = words![i]![key]!;
      }
      return translatedColumn;
    });
  },
  claims(checker, slide, field) {
    const withWords = (slide.source[field] ?? []).filter((claim): claim is Exclude<Claim, string> => typeof claim !== 'string' && claim.says !== undefined);
    const says = slide.translated[field] ?? {};
    for (const claim of withWords) {
      if (own(says, claim.check) === undefined) checker.missing(slide.at, `${slide.name}, claim "${claim.check}"`, checker.data.deckFile.locate(['slides', slide.index, field]));
    }
    for (const check of Object.keys(says)) {
      if (!withWords.some((claim) => claim.check === check)) checker.extra([...slide.at, field, check], `${slide.name}, claim "${check}"`, `deck.yaml has no claim with this check and a "says"${didYouMean(check, withWords.map((claim) => claim.check))}`);
    }
    const claims = slide.source[field];
    if (claims) slide.result[field] = claims.map((claim) => (typeof claim === 'string' || claim.says === undefined ? claim : { ...claim, says: own(says, claim.check) ?? claim.says }));
  },
};

function translateText(checker: Checker, slide: SlideCheck, field: FieldName<'text' | 'notes'>): void {
  const words = slide.translated[field];
  if (presence(checker, slide, field, slide.source[field] !== undefined, words !== undefined)) slide.result[field] = words;
}

/** Facts: labels, periods, source titles and notes. */
function translateFacts(checker: Checker): LoadedData['facts'] {
  const { data, translated } = checker;
  const factIds = new Set(data.facts.map(({ fact }) => fact.id));
  const facts = data.facts.map((located) => {
    const entry = own(translated.facts, located.fact.id);
    const fact = { ...located.fact };
    for (const field of factTextFields) {
      const original = located.fact[field];
      if (!hasWords(original)) {
        if (entry?.[field] !== undefined) fact[field] = entry[field]!;
        continue;
      }
      if (entry?.[field] === undefined) checker.missing(entry ? ['facts', located.fact.id] : ['facts'], `fact ${located.fact.id}, field ${field}`, { file: data.factsFile, line: located.line });
      else fact[field] = entry[field]!;
    }
    return { ...located, fact };
  });
  for (const id of Object.keys(translated.facts)) if (!factIds.has(id)) checker.extra(['facts', id], `facts.${id}`, `no fact has this id in facts.csv${didYouMean(id, factIds)}`);
  return facts;
}

/** Derived figures: labels and notes. */
function translateDerived(checker: Checker): LoadedData['derived'] {
  const { data, translated } = checker;
  const derivedIds = new Set(data.derived.map((figure) => figure.id));
  const derived = data.derived.map((figure, index) => {
    const entry = own(translated.derived, figure.id);
    const result = { ...figure };
    if (entry?.label === undefined) checker.missing(entry ? ['derived', figure.id] : ['derived'], `derived ${figure.id}, field label`, data.derivedFile.locate([index, 'label']));
    else result.label = entry.label;
    if (hasWords(figure.note)) {
      if (entry?.note === undefined) checker.missing(entry ? ['derived', figure.id] : ['derived'], `derived ${figure.id}, field note`, data.derivedFile.locate([index, 'note']));
      else result.note = entry.note;
    }
    return result;
  });
  for (const id of Object.keys(translated.derived)) if (!derivedIds.has(id)) checker.extra(['derived', id], `derived.${id}`, `no figure has this id in derived.yaml${didYouMean(id, derivedIds)}`);
  return derived;
}

/** The lists of a chart whose entries have a label a translation gives, in order. */
const chartLists = ['bars', 'categories', 'series', 'parts', 'annotations'] as const;

/** Charts and tables: titles, axis titles, a doughnut's rest, a table's corner, and the labels of bars, categories, series, parts and annotations. */
function translateCharts(checker: Checker): LoadedData['charts'] {
  const { data, translated, file, problems } = checker;
  const charts = Object.fromEntries(
    Object.entries(data.charts).map(([id, chart]) => {
      const entry = own(translated.charts, id);
      const at: YamlPath = entry ? ['charts', id] : ['charts'];
      const result = { ...chart };
      if (entry?.title === undefined) checker.missing(at, `chart ${id}, field title`, data.chartsFile.locate([id, 'title']));
      else result.title = entry.title;
      for (const field of ['axis', 'rest', 'corner'] as const) {
        if (!hasWords(chart[field])) continue;
        if (entry?.[field] === undefined) checker.missing(at, `chart ${id}, field ${field}`, data.chartsFile.locate([id, field]));
        else result[field] = entry[field];
      }
      for (const field of chartLists) {
        const original = chart[field];
        if (original === undefined || original.length === 0) {
          if (entry?.[field] !== undefined) checker.extra(['charts', id, field], `chart ${id}, field ${field}`, `the chart has no ${field} in charts.yaml`);
          continue;
        }
        const words = entry?.[field];
        if (words === undefined) checker.missing(at, `chart ${id}, field ${field}`, data.chartsFile.locate([id, field]));
        else if (words.length !== original.length) {
          problems.add({ ...file.locate(['charts', id, field]), field: `chart ${id}, field ${field}`, message: `chart ${id}, field ${field}: ${words.length} labels, but charts.yaml has ${original.length} ${field}` });
        } else (result as Record<string, unknown>)[field] = original.map((item, i) => ({ ...item, label: words[i]! }));
      }
      return [id, result];
    }),
  );
  for (const id of Object.keys(translated.charts)) if (!Object.hasOwn(data.charts, id)) checker.extra(['charts', id], `charts.${id}`, `no chart has this id in charts.yaml${didYouMean(id, Object.keys(data.charts))}`);
  return charts;
}

/** The deck's own units: their words in this language, singular and plural (and the short form's, when the deck's has one). */
function translateUnits(checker: Checker): LoadedData['units'] {
  const { data, translated } = checker;
  const units = new Map([...data.units].map(([name, unit]) => {
    const entry = own(translated.units, name);
    const original = data.unitsFile?.locate([name]);
    if (!entry) {
      checker.missing(['units'], `unit ${name}`, original);
      return [name, unit];
    }
    if (unit.short !== undefined && entry.short === undefined) checker.missing(['units', name], `unit ${name}, field short`, data.unitsFile?.locate([name, 'short']));
    return [name, { kind: unit.kind, one: entry.one, other: entry.other, short: entry.short ?? unit.short }];
  }));
  for (const name of Object.keys(translated.units)) {
    if (!data.units.has(name)) checker.extra(['units', name], `units.${name}`, `no unit has this name in units.yaml${didYouMean(name, data.units.keys())}`);
  }
  return units;
}

/**
 * Where a problem in the translated deck sits: text fields in the translation file (a bad
 * {{fact}} in the English is an English mistake), everything else in deck.yaml.
 */
function translatedDeckFile(data: LoadedData, translation: LoadedTranslation): YamlFile {
  const original = data.deckFile;
  const map = (path: YamlPath): YamlPath | undefined => {
    if (path[0] !== 'slides' || typeof path[1] !== 'number') return undefined;
    const id = data.deck.slides[path[1]]?.id;
    const field = path[2];
    if (!id || typeof field !== 'string') return undefined;
    const row = translatedFields.find((candidate) => candidate.name === field);
    if (!row || row.kind === 'claims') return undefined;
    // A field's words, or the words of one of its entries (a column's label).
    if (row.words === true || (Array.isArray(row.words) && row.words.includes(path[4] as string))) return ['slides', id, ...path.slice(2)];
    return undefined;
  };
  return {
    file: original.file,
    value: original.value,
    locate: (path) => {
      const mapped = map(path);
      return mapped ? translation.file.locate(mapped) : original.locate(path);
    },
    locateKey: (path, key) => {
      const mapped = map([...path, key]);
      return mapped ? translation.file.locate(mapped) : original.locateKey(path, key);
    },
  };
}

