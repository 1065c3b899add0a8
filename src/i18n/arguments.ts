import type { IntlMessageFormat } from 'intl-messageformat';

/**
 * What each message of a catalogue is given when datadeck formats it, and of which kind: a
 * plural or a number format needs a number, and over text it prints "NaN"; an argument the
 * message is not given stops the build with intl-messageformat's own error. Every message, the
 * package's and a deck's overrides alike, is checked against these when the catalogue loads.
 */
export type ArgumentKind = 'number' | 'text';
export type Signature = Readonly<Record<string, ArgumentKind>>;

/** Figures: {number}, {scaled} and {short} are already written (digits and scale words), {count} and {value} are numbers. */
const figure: Signature = { number: 'text', scaled: 'text', short: 'text', scale: 'text', count: 'number', value: 'number', percent: 'text', sign: 'text' };
const axis: Signature = { scale: 'text' };
/**
 * A deck's own unit adds its words: {one} and {other} (singular and plural), {abbr} the short
 * form's word ("none" when it has none), {vowel} "yes" when the plural starts with a vowel or an h
 * (French writes "millions d’habitants", "millions de billets").
 */
const unitWords: Signature = { one: 'text', other: 'text', abbr: 'text', vowel: 'text' };
const none: Signature = {};

/** The handout's patterns are filled by its script ({page} is written in later): text here. */
export const messageSignatures = {
  sources_title: none,
  sources_page: { page: 'number', pages: 'number' },
  label_value_separator: none,
  source_article_only: none,
  source_corrected: { value: 'text' },
  footnote_sources: none,
  caveat_article_only: { label: 'text' },
  caveat_differs: { label: 'text', value: 'text' },
  notes_article_only: { label: 'text', note: 'text' },
  notes_differs: { label: 'text', value: 'text', note: 'text' },
  notes_derived: { label: 'text', note: 'text' },
  notes_false_claim: { check: 'text', values: 'text' },
  notes_sources: none,
  chart_description: { title: 'text', bars: 'text' },
  chart_bar: { label: 'text', value: 'text' },
  chart_bar_separator: none,
  chart_series: { label: 'text', bars: 'text' },
  chart_table_series: none,
  chart_table_value: none,
  other_edition: { language: 'text' },
  other_editions_label: none,
  handout_kicker: none,
  handout_contents: none,
  handout_slide: { number: 'number' },
  handout_page: { page: 'text', pages: 'text' },
  handout_continued: { title: 'text' },
  handout_page_ref: { page: 'text' },
  handout_claims: none,
  claim_checked: { values: 'text' },
  claim_argument_separator: none,
} as const satisfies Record<string, Signature>;

/** The arguments of the message at a catalogue key path (words.x, figures.unit.style, axis.unit). */
export function signatureOf(keyPath: readonly string[]): Signature | undefined {
  const [section, key] = keyPath;
  if (section === 'figures') return figure;
  if (section === 'deck_units') return key === undefined ? undefined : keyPath[2] === 'axis' ? { ...axis, ...unitWords } : { ...figure, ...unitWords };
  if (section === 'axis') return axis;
  if (section === 'words' && key !== undefined && Object.hasOwn(messageSignatures, key)) return messageSignatures[key as keyof typeof messageSignatures];
  return undefined;
}

type Element = ReturnType<IntlMessageFormat['getAst']>[number];

/**
 * Element kinds of intl-messageformat's parsed messages (TYPE of @formatjs/icu-messageformat-parser,
 * which intl-messageformat parses with but does not re-export).
 */
const elementKind = { argument: 1, number: 2, date: 3, time: 4, select: 5, plural: 6, tag: 8 } as const;

interface Use {
  name: string;
  /** How the message writes it, for the user to find it: "{x}", "{n, plural, …}". */
  as: string;
  needs: 'any' | 'number' | 'date';
}

/** Every argument a parsed message uses, with what it needs, nested choices included. */
function uses(elements: readonly Element[]): Use[] {
  return elements.flatMap((element): Use[] => {
    const kind = Number(element.type);
    const name = 'value' in element && typeof element.value === 'string' ? element.value : '';
    const inner = 'options' in element ? Object.values(element.options).flatMap((option) => uses(option.value)) : 'children' in element ? uses(element.children) : [];
    switch (kind) {
      case elementKind.argument:
        return [{ name, as: `{${name}}`, needs: 'any' }];
      case elementKind.number:
        return [{ name, as: `{${name}, number}`, needs: 'number' }];
      case elementKind.date:
      case elementKind.time:
        return [{ name, as: `{${name}, ${kind === elementKind.date ? 'date' : 'time'}}`, needs: 'date' }];
      case elementKind.select:
        return [{ name, as: `{${name}, select, …}`, needs: 'any' }, ...inner];
      case elementKind.plural:
        return [{ name, as: `{${name}, ${'pluralType' in element && element.pluralType === 'ordinal' ? 'selectordinal' : 'plural'}, …}`, needs: 'number' }, ...inner];
      default:
        return inner;
    }
  });
}

/** "{label} (text) and {value} (text)", or "no arguments". */
export function describeSignature(signature: Signature): string {
  const names = Object.entries(signature).map(([name, kind]) => `{${name}} (${kind})`);
  if (names.length === 0) return 'no arguments';
  return names.length === 1 ? names[0]! : `${names.slice(0, -1).join(', ')} and ${names.at(-1)}`;
}

/** What is wrong with the arguments a compiled message uses, one sentence per mistake. */
export function argumentMistakes(message: IntlMessageFormat, signature: Signature): string[] {
  const given = `this message is given ${describeSignature(signature)}`;
  const mistakes = new Set<string>();
  for (const use of uses(message.getAst())) {
    const kind = Object.hasOwn(signature, use.name) ? signature[use.name] : undefined;
    if (kind === undefined) mistakes.add(`uses {${use.name}}, but ${given}`);
    else if (use.needs === 'date') mistakes.add(`${use.as} formats a date, but ${given}`);
    else if (use.needs === 'number' && kind === 'text') mistakes.add(`${use.as} needs a number, but {${use.name}} is text (it would print "NaN"); write {${use.name}} as it is, or choose words with {${use.name}, select, …}. ${given[0]!.toUpperCase()}${given.slice(1)}`);
  }
  return [...mistakes];
}
