import type { ProblemList, SourceLocation } from '../errors.js';
import type { LoadedData, LoadedTranslation } from './load.js';
import type { Claim, Slide } from './schema.js';
import type { YamlFile, YamlPath } from './yaml.js';
import { didYouMean } from '../suggest.js';

/** Text fields of a slide that carry words (each one needs a translation). */
const slideTextFields = ['kicker', 'title', 'subtitle', 'byline', 'number_caption', 'quote', 'attribution', 'notes'] as const;
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

/**
 * The deck's data with every word taken from a translation: facts and figures stay shared, so an
 * edit to facts.csv changes every edition. Each missing translation is a problem naming the
 * translation file, its line, the slide and the field; a translation of nothing (a slide or field
 * the deck does not have) is one too, so translations cannot silently drift from the deck.
 */
export function localizeData(data: LoadedData, translation: LoadedTranslation, problems: ProblemList): LoadedData {
  const { source: words, file } = translation;
  const language = languageName(words.lang);
  const missing = (at: YamlPath, what: string, original?: SourceLocation): void => {
    const where = original ? ` (the original is at ${original.file}${original.line !== undefined ? `:${original.line}` : ''})` : '';
    problems.add({ ...file.locate(at), field: what, message: `${what}: no ${language} translation${where}` });
  };
  const extra = (at: YamlPath, what: string, why: string): void => {
    problems.add({ ...file.locateKey(at.slice(0, -1), String(at.at(-1))), field: what, message: `${what}: ${why}` });
  };

  // Deck-level words.
  for (const field of ['subtitle', 'author', 'sources_title'] as const) {
    if (hasWords(data.deck[field]) && words[field] === undefined) missing([], field, data.deckFile.locate([field]));
  }

  // Slides, keyed by id.
  const ids = new Set<string>();
  const slides: Slide[] = data.deck.slides.map((slide, index) => {
    const name = `slide ${index + 1}${slide.id ? ` "${slide.id}"` : ''}`;
    if (!slide.id) {
      problems.add({ ...data.deckFile.locate(['slides', index]), field: `slides[${index}].id`, message: `${name} needs an id: translations key slides by id` });
      return slide;
    }
    ids.add(slide.id);
    const translated = own(words.slides, slide.id);
    if (!translated) {
      missing(['slides'], `${name}`, data.deckFile.locate(['slides', index]));
      return slide;
    }
    const at: YamlPath = ['slides', slide.id];
    const result: Slide = { ...slide };
    for (const field of slideTextFields) {
      if (slide[field] === undefined) {
        if (translated[field] !== undefined) extra([...at, field], `${name}, field ${field}`, 'the slide has no such field in deck.yaml');
        continue;
      }
      if (translated[field] === undefined) missing(at, `${name}, field ${field}`, data.deckFile.locate(['slides', index, field]));
      else result[field] = translated[field];
    }
    if (slide.text !== undefined) {
      const text = translated.text;
      if (text === undefined) missing(at, `${name}, field text`, data.deckFile.locate(['slides', index, 'text']));
      else if (Array.isArray(slide.text) !== Array.isArray(text) || (Array.isArray(text) && text.length !== slide.text.length)) {
        problems.add({ ...file.locate([...at, 'text']), field: `${name}, field text`, message: `${name}, field text: ${Array.isArray(slide.text) ? `a list of ${slide.text.length} paragraphs` : 'one paragraph'} in deck.yaml, so the same here` });
      } else result.text = text;
    } else if (translated.text !== undefined) extra([...at, 'text'], `${name}, field text`, 'the slide has no such field in deck.yaml');
    if (slide.items !== undefined) {
      const items = translated.items;
      if (items === undefined) missing(at, `${name}, field items`, data.deckFile.locate(['slides', index, 'items']));
      else if (items.length !== slide.items.length) {
        problems.add({ ...file.locate([...at, 'items']), field: `${name}, field items`, message: `${name}, field items: ${items.length} items, but deck.yaml has ${slide.items.length}` });
      } else result.items = items;
    } else if (translated.items !== undefined) extra([...at, 'items'], `${name}, field items`, 'the slide has no such field in deck.yaml');
    if (slide.columns !== undefined) {
      const columns = translated.columns;
      if (columns === undefined) missing(at, `${name}, field columns`, data.deckFile.locate(['slides', index, 'columns']));
      else if (columns.length !== slide.columns.length) {
        problems.add({ ...file.locate([...at, 'columns']), field: `${name}, field columns`, message: `${name}, field columns: ${columns.length} columns, but deck.yaml has ${slide.columns.length}` });
      } else {
        result.columns = slide.columns.map((column, i) => {
          const words = columns[i]!;
          if (column.caption !== undefined && words.caption === undefined) missing([...at, 'columns', i], `${name}, field columns[${i}].caption`, data.deckFile.locate(['slides', index, 'columns', i, 'caption']));
          if (column.caption === undefined && words.caption !== undefined) extra([...at, 'columns', i, 'caption'], `${name}, field columns[${i}].caption`, 'the column has no caption in deck.yaml');
          return { ...column, label: words.label, ...(column.caption !== undefined && words.caption !== undefined ? { caption: words.caption } : {}) };
        });
      }
    } else if (translated.columns !== undefined) extra([...at, 'columns'], `${name}, field columns`, 'the slide has no such field in deck.yaml');
    const claimsWithWords = (slide.claims ?? []).filter((claim): claim is Exclude<Claim, string> => typeof claim !== 'string' && claim.says !== undefined);
    const says = translated.claims ?? {};
    for (const claim of claimsWithWords) {
      if (own(says, claim.check) === undefined) missing(at, `${name}, claim "${claim.check}"`, data.deckFile.locate(['slides', index, 'claims']));
    }
    for (const check of Object.keys(says)) {
      if (!claimsWithWords.some((claim) => claim.check === check)) extra([...at, 'claims', check], `${name}, claim "${check}"`, `deck.yaml has no claim with this check and a "says"${didYouMean(check, claimsWithWords.map((claim) => claim.check))}`);
    }
    if (slide.claims) result.claims = slide.claims.map((claim) => (typeof claim === 'string' || claim.says === undefined ? claim : { ...claim, says: own(says, claim.check) ?? claim.says }));
    return result;
  });
  for (const id of Object.keys(words.slides)) {
    if (!ids.has(id)) extra(['slides', id], `slides.${id}`, `no slide has this id in deck.yaml${didYouMean(id, ids)}`);
  }

  // Facts: labels, periods, source titles and notes.
  const factIds = new Set(data.facts.map(({ fact }) => fact.id));
  const facts = data.facts.map((located) => {
    const translated = own(words.facts, located.fact.id);
    const fact = { ...located.fact };
    for (const field of factTextFields) {
      const original = located.fact[field];
      if (!hasWords(original)) {
        if (translated?.[field] !== undefined) fact[field] = translated[field]!;
        continue;
      }
      if (translated?.[field] === undefined) missing(translated ? ['facts', located.fact.id] : ['facts'], `fact ${located.fact.id}, field ${field}`, { file: data.factsFile, line: located.line });
      else fact[field] = translated[field]!;
    }
    return { ...located, fact };
  });
  for (const id of Object.keys(words.facts)) if (!factIds.has(id)) extra(['facts', id], `facts.${id}`, `no fact has this id in facts.csv${didYouMean(id, factIds)}`);

  // Derived figures: labels and notes.
  const derivedIds = new Set(data.derived.map((figure) => figure.id));
  const derived = data.derived.map((figure, index) => {
    const translated = own(words.derived, figure.id);
    const result = { ...figure };
    if (translated?.label === undefined) missing(translated ? ['derived', figure.id] : ['derived'], `derived ${figure.id}, field label`, data.derivedFile.locate([index, 'label']));
    else result.label = translated.label;
    if (hasWords(figure.note)) {
      if (translated?.note === undefined) missing(translated ? ['derived', figure.id] : ['derived'], `derived ${figure.id}, field note`, data.derivedFile.locate([index, 'note']));
      else result.note = translated.note;
    }
    return result;
  });
  for (const id of Object.keys(words.derived)) if (!derivedIds.has(id)) extra(['derived', id], `derived.${id}`, `no figure has this id in derived.yaml${didYouMean(id, derivedIds)}`);

  // Charts: titles, axis titles and bar labels.
  const charts = Object.fromEntries(
    Object.entries(data.charts).map(([id, chart]) => {
      const translated = own(words.charts, id);
      const at: YamlPath = translated ? ['charts', id] : ['charts'];
      const result = { ...chart };
      if (translated?.title === undefined) missing(at, `chart ${id}, field title`, data.chartsFile.locate([id, 'title']));
      else result.title = translated.title;
      if (hasWords(chart.axis)) {
        if (translated?.axis === undefined) missing(at, `chart ${id}, field axis`, data.chartsFile.locate([id, 'axis']));
        else result.axis = translated.axis;
      }
      if (translated?.bars === undefined) missing(at, `chart ${id}, field bars`, data.chartsFile.locate([id, 'bars']));
      else if (translated.bars.length !== chart.bars.length) {
        problems.add({ ...file.locate(['charts', id, 'bars']), field: `chart ${id}, field bars`, message: `chart ${id}, field bars: ${translated.bars.length} labels, but charts.yaml has ${chart.bars.length} bars` });
      } else result.bars = chart.bars.map((bar, i) => ({ ...bar, label: translated.bars![i]! }));
      return [id, result];
    }),
  );
  for (const id of Object.keys(words.charts)) if (!Object.hasOwn(data.charts, id)) extra(['charts', id], `charts.${id}`, `no chart has this id in charts.yaml${didYouMean(id, Object.keys(data.charts))}`);

  return {
    ...data,
    deck: {
      ...data.deck,
      title: words.title,
      subtitle: words.subtitle ?? data.deck.subtitle,
      author: words.author ?? data.deck.author,
      sources_title: words.sources_title ?? data.deck.sources_title,
      lang: words.lang,
      locale: words.locale,
      slides,
    },
    deckFile: translatedDeckFile(data, translation),
    facts,
    derived,
    charts,
  };
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
    if ((slideTextFields as readonly string[]).includes(field) || field === 'text' || field === 'items') return ['slides', id, field, ...path.slice(3)];
    if (field === 'columns' && (path[4] === 'label' || path[4] === 'caption')) return ['slides', id, ...path.slice(2)];
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

