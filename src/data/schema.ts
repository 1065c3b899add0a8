import { z } from 'zod';
import { didYouMean } from '../suggest.js';
import { columnWords, slideFieldTable, slideFields, translatedFields, type FieldKind, type SlideFieldEntry } from './fields.js';

/**
 * The generator's own units: money, and general quantities any deck may have. A deck declares its
 * other units (tickets, medals, tokens) in data/units.yaml, with their words in each language.
 * `percent` is 0 to 100 (12.5 for 12.5 %); `fraction` is a share written 0 to 1 (0.125), shown as a percentage.
 */
export const builtinUnits = ['USD', 'EUR', 'people', 'year', 'rank', 'count', 'ratio', 'percent', 'fraction'] as const;
export type BuiltinUnit = (typeof builtinUnits)[number];
/** A built-in unit or one the deck declares in data/units.yaml. */
export type Unit = string;

export const isBuiltinUnit = (unit: string): unit is BuiltinUnit => (builtinUnits as readonly string[]).includes(unit);

/** Money and ratios may be negative (a loss, a decline); counts of things cannot. */
export const signedUnits: ReadonlySet<Unit> = new Set(['USD', 'EUR', 'ratio', 'percent', 'fraction']);

/**
 * What a deck's own unit counts, which decides how its figures are written: `count`, whole things
 * (tickets, medals), in full below a million and with scale words from a million up ("9,5 millions
 * de billets"), never negative; `amount`, a quantity with decimals below ten (tonnes, points), scale
 * words from a million up, and a sign.
 */
export const unitKinds = ['count', 'amount'] as const;
export type UnitKind = (typeof unitKinds)[number];

/** A deck unit's words in one language: singular, plural, and the short form's word (optional). */
export interface UnitWords {
  kind: UnitKind;
  one: string;
  other: string;
  short: string | undefined;
}
/** The deck's own units, by name, with their words in the edition's language. */
export type DeckUnits = ReadonlyMap<string, UnitWords>;
export const noDeckUnits: DeckUnits = new Map();

/** Whether figures of this unit may be negative. */
export const isSigned = (unit: Unit, deckUnits: DeckUnits): boolean => signedUnits.has(unit) || deckUnits.get(unit)?.kind === 'amount';

/** Every unit name a deck may use: the built-in ones, then its own. */
export const knownUnits = (deckUnits: DeckUnits): string[] => [...builtinUnits, ...deckUnits.keys()];

export const unitNamePattern = /^[a-z][a-z0-9_]*$/;
const unitWord = z.string().trim().min(1, 'is empty (the word a figure of this unit is said with)');
const unitWordsSchema = { one: unitWord, other: unitWord, short: unitWord.optional() };

/** data/units.yaml: the deck's own units, each with its kind and its words in the deck's language. */
export const unitsSchema = z.record(
  z.string().regex(unitNamePattern, 'is not a unit name (lower-case letters, digits and underscores, e.g. tickets)').refine((name) => !isBuiltinUnit(name), 'is a unit datadeck already has: remove it from units.yaml, or give yours another name'),
  z.object({ kind: z.enum(unitKinds, { error: () => `is not a kind of unit (expected ${unitKinds.join(' or ')})` }), ...unitWordsSchema }).strict(),
);
export type UnitsSource = z.output<typeof unitsSchema>;

/** A unit name the deck knows; anything else is told the names, and the one it most likely meant. */
function unitName(deckUnits: DeckUnits) {
  const names = knownUnits(deckUnits);
  return z.string().trim().superRefine((unit, ctx) => {
    if (!names.includes(unit)) ctx.addIssue({ code: 'custom', message: `is not a known unit (expected one of ${names.join(', ')}; a deck declares its own in units.yaml)${didYouMean(unit, names)}` });
  });
}

/**
 * sourced: a public source backs `value` (a link is optional: print sources have none).
 * article-only: no public source was found; `value` is the article's own figure.
 * corrected: the article's figure is wrong (`article_value`); `value` is the sourced one.
 */
export const statuses = ['sourced', 'article-only', 'corrected'] as const;
export type FactStatus = (typeof statuses)[number];

/** A place in a ranking: 1st, 2nd... never 0, 2.5 or -3, which no ordinal can say. */
export const isRank = (value: number): boolean => Number.isSafeInteger(value) && value >= 1;
export const rankMessage = 'is not a rank: a rank is a whole number from 1 up (1st, 2nd, 3rd…)';

/** One of a list of names; anything else is told the names, and the one it most likely meant. */
function knownName<const T extends readonly [string, ...string[]]>(names: T, what: string) {
  return z.enum(names, { error: (issue) => `is not a known ${what} (expected one of ${names.join(', ')})${typeof issue.input === 'string' ? didYouMean(issue.input, names) : ''}` });
}

export const factColumns = ['id', 'value', 'unit', 'period', 'label', 'source_title', 'source_url', 'article_value', 'status', 'note'] as const;
export type FactColumn = (typeof factColumns)[number];
export const requiredFactColumns: readonly FactColumn[] = ['id', 'value', 'unit', 'period', 'label', 'source_title', 'source_url', 'status'];

export const idPattern = /^[a-z][a-z0-9_]*(\.[a-z0-9_]+)*$/;
const idMessage = 'is not a valid id (lower-case words joined by dots, e.g. acme.revenue.2024)';

export function isHttpUrl(text: string): boolean {
  try {
    const url = new URL(text);
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.hostname !== '';
  } catch {
    return false;
  }
}

const plainNumber = /^-?\d+(\.\d+)?([eE][+-]?\d+)?$/;
const decimalCommaNumber = /^-?\d+(,\d+)?([eE][+-]?\d+)?$/;

/**
 * A CSV cell holding a number. Spreadsheets in French write decimal commas; that is accepted only
 * when the file is semicolon-separated (where a comma cannot be a separator), never guessed.
 */
function numberCell(decimalComma: boolean) {
  return z.string().transform((raw, ctx) => {
    const text = raw.trim();
    if (text === '') {
      ctx.addIssue({ code: 'custom', message: 'is empty (expected a number in base units, e.g. 13700000000)' });
      return z.NEVER;
    }
    const pattern = decimalComma ? decimalCommaNumber : plainNumber;
    if (!pattern.test(text)) {
      const hint = !decimalComma && decimalCommaNumber.test(text)
        ? ' (a decimal comma in a comma-separated file: write 13.7, not 13,7)'
        : ' (expected a plain number in base units, e.g. 13700000000)';
      ctx.addIssue({ code: 'custom', message: `is not a number${hint}` });
      return z.NEVER;
    }
    const value = Number(decimalComma ? text.replace(',', '.') : text);
    if (!Number.isFinite(value)) {
      ctx.addIssue({ code: 'custom', message: 'is not a finite number' });
      return z.NEVER;
    }
    return value;
  });
}

const optionalNumberCell = (decimalComma: boolean) =>
  z.string().transform((raw, ctx) => {
    if (raw.trim() === '') return undefined;
    const parsed = numberCell(decimalComma).safeParse(raw);
    if (!parsed.success) {
      for (const issue of parsed.error.issues) ctx.addIssue({ code: 'custom', message: issue.message });
      return z.NEVER;
    }
    return parsed.data;
  });

export function factRowSchema(options: { decimalComma: boolean; units: DeckUnits }) {
  return z
    .object({
      id: z.string().trim().regex(idPattern, idMessage),
      value: numberCell(options.decimalComma),
      unit: unitName(options.units),
      period: z.string().trim(),
      label: z.string().trim().min(1, 'is empty (a short label names the figure on charts and in sources)'),
      source_title: z.string().trim(),
      source_url: z.string().trim().refine((url) => url === '' || isHttpUrl(url), 'is not an http(s) link'),
      article_value: optionalNumberCell(options.decimalComma),
      status: knownName(statuses, 'status'),
      note: z.string().trim(),
    })
    .superRefine((fact, ctx) => {
      if (fact.status !== 'article-only' && fact.source_title === '') {
        ctx.addIssue({ code: 'custom', path: ['source_title'], message: `is empty: a ${fact.status} fact needs its source` });
      }
      if (fact.status === 'corrected' && fact.article_value === undefined) {
        ctx.addIssue({ code: 'custom', path: ['article_value'], message: "is empty: a corrected fact keeps the article's wrong figure" });
      }
      if (fact.unit === 'rank') {
        for (const field of ['value', 'article_value'] as const) {
          const rank = fact[field];
          if (rank !== undefined && !isRank(rank)) ctx.addIssue({ code: 'custom', path: [field], message: rankMessage });
        }
      } else if (fact.value < 0 && !isSigned(fact.unit, options.units)) {
        ctx.addIssue({ code: 'custom', path: ['value'], message: `is negative, which a quantity in ${fact.unit} cannot be` });
      }
    });
}
export type FactRow = z.output<ReturnType<typeof factRowSchema>>;

/** Beat text: plain text (never markup) with {{fact "id"}} placeholders. */
const text = z.string();
const paragraphs = z.union([text, z.array(text).min(1)]);

/**
 * A role names a series of the deck (a company, a side of a comparison): its colour is declared in
 * data/theme.yaml and shared by chart bars and comparison columns. `neutral` always exists.
 */
export const rolePattern = /^[a-z][a-z0-9-]*$/;
const role = z.string().regex(rolePattern, 'is not a role name (lower-case letters, digits and dashes, declared in theme.yaml)');
export const defaultRole = 'neutral';

const claimSchema = z.union([
  z.string().min(1),
  z.object({ check: z.string().min(1), says: z.string().optional() }).strict(),
]);

const columnSchema = z
  .object({
    fact: z.string(),
    /** How the big figure is written; "short" (13,7 Md$) unless the label already says the unit. */
    style: z.enum(['long', 'short', 'number', 'multiplier']).optional(),
    label: text,
    caption: text.optional(),
    role: role.optional(),
  })
  .strict();

/** The schema of each kind of slide field (data/fields.ts): every field but the layout is optional. */
const fieldSchemas = {
  layout: z.string().regex(/^[a-z][a-z0-9-]*$/, 'is not a layout name (lower-case letters and dashes)'),
  id: z.string().regex(/^[a-z0-9-]+$/).optional(),
  text: text.optional(),
  paragraphs: paragraphs.optional(),
  list: z.array(text).min(1).optional(),
  'figure-ref': z.string().optional(),
  'chart-ref': z.string().optional(),
  'table-ref': z.string().optional(),
  columns: z.array(columnSchema).min(2).max(4).optional(),
  notes: text.optional(),
  claims: z.array(claimSchema).optional(),
} satisfies Record<FieldKind, z.ZodType>;

/** An object schema with one key per row of the fields table, each of its kind's schema. */
type ShapeOf<Rows extends SlideFieldEntry, Schemas extends Partial<Record<FieldKind, z.ZodType>>> = {
  [Row in Rows as Row['name']]: Row['kind'] extends keyof Schemas ? Schemas[Row['kind']] : never;
};
function shapeOf<Rows extends SlideFieldEntry, Schemas extends Partial<Record<FieldKind, z.ZodType>>>(rows: readonly Rows[], schemas: Schemas): ShapeOf<Rows, Schemas> {
  return Object.fromEntries(rows.map((row) => [row.name, schemas[row.kind]])) as ShapeOf<Rows, Schemas>;
}

export const slideSchema = z.object(shapeOf(slideFieldTable, fieldSchemas)).strict();
export type Slide = z.output<typeof slideSchema>;
export type Claim = z.output<typeof claimSchema>;

export { slideFields };

/** A language code; the deck's words and datadeck's catalogue messages (locales/<lang>.yaml) follow it. */
const langCode = z.string().regex(/^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$/, 'is not a language code (e.g. en, fr, pt-BR)');

/** A locale Intl can write numbers in; the example suits the file it is written in. */
const numberLocale = (example: string) =>
  z.string().refine((locale) => {
    try {
      return Intl.NumberFormat.supportedLocalesOf([locale]).length > 0;
    } catch {
      return false;
    }
  }, `is not a locale this system can format numbers in (e.g. ${example})`);

export const deckSchema = z
  .object({
    title: text,
    subtitle: text.optional(),
    author: text.optional(),
    lang: langCode.default('en'),
    /** How numbers are written (fr-FR: 13,7 ; en-US: 13.7). Derived from lang when absent. */
    locale: numberLocale('fr-FR').optional(),
    /** The sources slides' title; the language's own word ("Sources") when absent. */
    sources_title: text.optional(),
    slides: z.array(slideSchema).min(1, 'is empty: a deck needs at least one slide'),
  })
  .strict()
  .transform((deck) => ({ ...deck, locale: deck.locale ?? localeFor(deck.lang) }));

/** A full locale for a bare language code: "fr" formats numbers as "fr-FR" would. */
export function localeFor(lang: string): string {
  try {
    const maximal = new Intl.Locale(lang).maximize();
    return maximal.region ? `${maximal.language}-${maximal.region}` : lang;
  } catch {
    return lang;
  }
}
export type DeckSource = z.output<typeof deckSchema>;

export const derivedSchema = (units: DeckUnits) => z.array(
  z
    .object({
      id: z.string().regex(idPattern, idMessage),
      label: text.min(1),
      unit: unitName(units),
      expr: z.string().min(1),
      note: text.optional(),
    })
    .strict(),
);
export type DerivedSource = z.output<ReturnType<typeof derivedSchema>>[number];

const barSchema = z
  .object({
    fact: z.string(),
    label: text,
    role: role.default(defaultRole),
  })
  .strict();

export const chartTypes = ['bar', 'line', 'area', 'doughnut', 'table'] as const;
export type ChartKind = (typeof chartTypes)[number];

/** A category's or series' key: what an id pattern's {category} and {series} are replaced with. */
const chartKey = z.string().regex(/^[a-z0-9_]+$/, 'is not a key (lower-case letters, digits and underscores: it goes into fact ids)');

const categorySchema = z.object({ key: chartKey, label: text, role: role.optional() }).strict();

const seriesSchema = z
  .object({
    key: chartKey.optional(),
    label: text,
    role: role.optional(),
    /** A line's (or area's) own figures: an id pattern with `*`, ordered by period, or the ids in order. */
    facts: z.union([z.string().min(1), z.array(z.string()).min(1, 'is empty: list the series\' figures')]).optional(),
  })
  .strict();

const partSchema = z.object({ fact: z.string(), label: text, role: role.default(defaultRole) }).strict();

const annotationSchema = z.union([
  z.object({ line: z.string(), label: text }).strict(),
  z.object({ band: z.tuple([z.string(), z.string()]), label: text }).strict(),
]);

/** Which shape of chart a spec is written in: the fields that carry its figures. */
type ChartShape = 'bars' | 'grid' | 'periods' | 'parts';

function chartShape(chart: { bars?: unknown; categories?: unknown; series?: { facts?: unknown }[]; parts?: unknown }): ChartShape | undefined {
  if (chart.bars !== undefined) return 'bars';
  if (chart.parts !== undefined) return 'parts';
  if (chart.series !== undefined && chart.categories === undefined && chart.series.every((series) => series.facts !== undefined)) return 'periods';
  if (chart.categories !== undefined || chart.series !== undefined) return 'grid';
  return undefined;
}

export const chartSchema = z
  .object({
    type: knownName(chartTypes, 'chart type').default('bar'),
    /** Bars and areas: the series piled up rather than side by side. */
    stacked: z.boolean().default(false),
    orientation: z.enum(['vertical', 'horizontal']).default('vertical'),
    title: text,
    /** What the axis counts, said in words (e.g. "milliards de dollars"); derived from the unit if absent. */
    axis: text.optional(),
    bars: z.array(barSchema).min(1, 'has no data: a chart needs at least one bar').optional(),
    categories: z.array(categorySchema).min(1, 'is empty: a chart needs at least one category').optional(),
    series: z.array(seriesSchema).min(1, 'is empty: a chart needs at least one series').optional(),
    /** The ids of the grid's cells: a pattern over the keys, `{category}.medals.{series}`. */
    facts: z.string().optional(),
    /** ...or written out: one row per category key, its ids in series order (a table's blank cell: null). */
    grid: z.record(z.string(), z.array(z.string().nullable())).optional(),
    parts: z.array(partSchema).min(1, 'is empty: a doughnut needs at least one part').optional(),
    whole: z.string().optional(),
    rest: text.optional(),
    total: z.boolean().default(false),
    highlight: z.string().optional(),
    labels: z.enum(['all', 'last', 'none']).optional(),
    annotations: z.array(annotationSchema).default([]),
    /** A table's header over its rows' labels. */
    corner: text.optional(),
  })
  .strict()
  .superRefine((chart, ctx) => {
    const problem = (path: (string | number)[], message: string): void => ctx.addIssue({ code: 'custom', path, message });
    const shape = chartShape(chart);
    if (shape === undefined) {
      problem([], chart.type === 'doughnut' ? 'has no parts: a doughnut lists its parts (parts: [{ fact, label }])' : 'has no data: give bars, or categories and series with their facts');
      return;
    }
    const given = (['bars', 'categories', 'series', 'parts', 'facts', 'grid', 'whole', 'rest'] as const).filter((field) => chart[field] !== undefined);
    const allowed: Record<ChartShape, readonly string[]> = { bars: ['bars'], parts: ['parts', 'whole', 'rest'], periods: ['series'], grid: ['categories', 'series', 'facts', 'grid'] };
    for (const field of given) {
      if (!allowed[shape].includes(field)) problem([field], `does not go with ${shape === 'periods' ? 'series that list their own facts' : shape}: ${describeShape[shape]}`);
    }
    if ((shape === 'parts') !== (chart.type === 'doughnut')) problem(['type'], shape === 'parts' ? 'a chart of parts is a doughnut: write type: doughnut' : 'a doughnut shows the parts of a whole: give parts ([{ fact, label, role }], and optionally whole and rest), not bars, categories or series');
    if (shape === 'bars' && chart.type !== 'bar') problem(['bars'], `a ${chart.type} does not take bars: give categories and series (or series with their own facts)`);
    if (shape === 'periods' && chart.type !== 'line' && chart.type !== 'area' && chart.type !== 'bar') problem(['series'], `a ${chart.type}'s series take no facts of their own: give categories, series and facts: (or grid:)`);
    if (shape === 'grid') {
      if (chart.categories === undefined) problem([], 'has series but no categories: give categories (or give each series its own facts)');
      if (chart.series === undefined) problem([], 'has categories but no series: give series');
      if ((chart.facts === undefined) === (chart.grid === undefined)) problem([], 'needs its figures: either facts (an id pattern such as {category}.medals.{series}) or grid (the ids, a row per category), not both');
      chart.series?.forEach((series, i) => {
        if (series.key === undefined) problem(['series', i], 'needs a key: the pattern or grid names series by key');
        if (series.facts !== undefined) problem(['series', i, 'facts'], 'does not go with categories: the chart\'s facts or grid give every series\' figures');
      });
    }
    if (chart.whole === undefined && chart.rest !== undefined) problem(['rest'], 'names the rest of a whole, but the doughnut has no whole');
    if (chart.whole !== undefined && chart.rest === undefined) problem(['whole'], 'needs rest: the label of what the parts leave of the whole (rest: Others)');
    if (chart.stacked && chart.type !== 'bar' && chart.type !== 'area') problem(['stacked'], `a ${chart.type} cannot be stacked (bar and area charts can)`);
    if (chart.total && !(chart.type === 'bar' && chart.stacked)) problem(['total'], 'totals are written on stacked bars only (stacked: true)');
    if (chart.annotations.length > 0 && chart.type !== 'bar' && chart.type !== 'line' && chart.type !== 'area') problem(['annotations'], `a ${chart.type} takes no annotations (bar, line and area charts do)`);
    if (chart.corner !== undefined && chart.type !== 'table') problem(['corner'], 'is the header of a table\'s row labels: only a table has one');
  });
const describeShape: Record<ChartShape, string> = {
  bars: 'a chart of bars lists them ({ fact, label, role }) and nothing else',
  parts: 'a doughnut gives parts, and optionally whole and rest',
  periods: 'series with their own facts run over periods and take no categories',
  grid: 'categories and series take their figures from facts (a pattern) or grid',
};
export const chartsSchema = z.record(z.string().regex(idPattern, idMessage), chartSchema);
export type ChartSource = z.output<typeof chartSchema>;

const colour = z.string().regex(/^#([0-9a-fA-F]{3}|[0-9a-fA-F]{6})$/, 'is not a colour (write it as #rrggbb, e.g. #00856f)');

/**
 * data/theme.yaml: the deck's own colours. Each role a bar or a column can take, with its colour
 * (and, optionally, a darker one for figures written in it), plus the accent used for kickers,
 * links, rules and the progress bar. Everything else of the look lives in templates/theme.css.
 */
export const themeSchema = z
  .object({
    accent: colour.optional(),
    roles: z
      .record(
        z.string().regex(rolePattern, 'is not a role name (lower-case letters, digits and dashes)'),
        z.union([colour.transform((value) => ({ colour: value, text: undefined as string | undefined })), z.object({ colour, text: colour.optional() }).strict()]),
      )
      .default({}),
  })
  .strict();
export type ThemeSource = z.output<typeof themeSchema>;

const translatedText = z.string();
const translatedParagraphs = z.union([translatedText, z.array(translatedText).min(1)]);

/** A translation's entry for a slide: the words of each field that has some (data/fields.ts). */
const translatedFieldSchemas = {
  text: translatedText.optional(),
  paragraphs: translatedParagraphs.optional(),
  list: z.array(translatedText).optional(),
  columns: z.array(columnSchema.pick(Object.fromEntries(columnWords.map((key) => [key, true])) as Record<(typeof columnWords)[number], true>).strict()).optional(),
  notes: translatedText.optional(),
  // Each claim's `says`, keyed by its check.
  claims: z.record(z.string(), translatedText).optional(),
};

/**
 * data/translations/<lang>.yaml: every word of the deck in another language. Facts are shared;
 * slides are keyed by their id, facts, derived figures and charts by theirs.
 */
export const translationSchema = z
  .object({
    lang: langCode,
    locale: numberLocale('en-US').optional(),
    title: translatedText,
    subtitle: translatedText.optional(),
    author: translatedText.optional(),
    sources_title: translatedText.optional(),
    slides: z.record(z.string(), z.object(shapeOf(translatedFields, translatedFieldSchemas)).strict()).default({}),
    facts: z
      .record(z.string(), z.object({ label: translatedText.optional(), period: translatedText.optional(), source_title: translatedText.optional(), note: translatedText.optional() }).strict())
      .default({}),
    derived: z.record(z.string(), z.object({ label: translatedText.optional(), note: translatedText.optional() }).strict()).default({}),
    charts: z
      .record(
        z.string(),
        z
          .object({
            title: translatedText.optional(),
            axis: translatedText.optional(),
            bars: z.array(translatedText).optional(),
            categories: z.array(translatedText).optional(),
            series: z.array(translatedText).optional(),
            parts: z.array(translatedText).optional(),
            rest: translatedText.optional(),
            corner: translatedText.optional(),
            annotations: z.array(translatedText).optional(),
          })
          .strict(),
      )
      .default({}),
    /** The deck's own units (data/units.yaml), their words in this language. */
    units: z.record(z.string(), z.object(unitWordsSchema).strict()).default({}),
  })
  .strict()
  .transform((translation) => ({ ...translation, locale: translation.locale ?? localeFor(translation.lang) }));
export type TranslationSource = z.output<typeof translationSchema>;
