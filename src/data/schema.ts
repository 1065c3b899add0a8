import { z } from 'zod';

/** Units the formatter knows how to say in French; anything else is a typo in the data. */
export const units = ['USD', 'EUR', 'people', 'tokens', 'words_per_minute', 'year', 'rank', 'count', 'ratio', 'percent'] as const;
export type Unit = (typeof units)[number];

/** Money and ratios may be negative (a loss, a decline); counts of things cannot. */
export const signedUnits: ReadonlySet<Unit> = new Set(['USD', 'EUR', 'ratio', 'percent']);

/**
 * sourced: a public source backs `value` (a link is optional: print sources have none).
 * article-only: no public source was found; `value` is the article's own figure.
 * corrected: the article's figure is wrong (`article_value`); `value` is the sourced one.
 */
export const statuses = ['sourced', 'article-only', 'corrected'] as const;
export type FactStatus = (typeof statuses)[number];

export const factColumns = ['id', 'value', 'unit', 'period', 'label', 'source_title', 'source_url', 'article_value', 'status', 'note'] as const;
export type FactColumn = (typeof factColumns)[number];
export const requiredFactColumns: readonly FactColumn[] = ['id', 'value', 'unit', 'period', 'label', 'source_title', 'source_url', 'status'];

export const idPattern = /^[a-z][a-z0-9_]*(\.[a-z0-9_]+)*$/;
const idMessage = 'is not a valid id (lower-case words joined by dots, e.g. tether.net_profit.2024)';

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

export function factRowSchema(options: { decimalComma: boolean }) {
  return z
    .object({
      id: z.string().trim().regex(idPattern, idMessage),
      value: numberCell(options.decimalComma),
      unit: z.enum(units, { error: `is not a known unit (expected one of ${units.join(', ')})` }),
      period: z.string().trim(),
      label: z.string().trim().min(1, 'is empty (a short label names the figure on charts and in sources)'),
      source_title: z.string().trim(),
      source_url: z.string().trim().refine((url) => url === '' || isHttpUrl(url), 'is not an http(s) link'),
      article_value: optionalNumberCell(options.decimalComma),
      status: z.enum(statuses, { error: `is not a known status (expected one of ${statuses.join(', ')})` }),
      note: z.string().trim(),
    })
    .superRefine((fact, ctx) => {
      if (fact.status !== 'article-only' && fact.source_title === '') {
        ctx.addIssue({ code: 'custom', path: ['source_title'], message: `is empty: a ${fact.status} fact needs its source` });
      }
      if (fact.status === 'corrected' && fact.article_value === undefined) {
        ctx.addIssue({ code: 'custom', path: ['article_value'], message: "is empty: a corrected fact keeps the article's wrong figure" });
      }
      if (fact.value < 0 && !signedUnits.has(fact.unit)) {
        ctx.addIssue({ code: 'custom', path: ['value'], message: `is negative, which a quantity in ${fact.unit} cannot be` });
      }
    });
}
export type FactRow = z.output<ReturnType<typeof factRowSchema>>;

/** Beat text: plain text (never markup) with {{fact "id"}} placeholders. */
const text = z.string();
const paragraphs = z.union([text, z.array(text).min(1)]);

export const roles = ['tether', 'openai', 'anthropic', 'lab', 'neutral', 'highlight'] as const;
export type Role = (typeof roles)[number];

const claimSchema = z.union([
  z.string().min(1),
  z.object({ check: z.string().min(1), says: z.string().optional() }).strict(),
]);

const columnSchema = z
  .object({
    fact: z.string(),
    /** How the big figure is written; "short" (13,7 Md$) unless the label already says the unit. */
    style: z.enum(['long', 'short', 'number']).optional(),
    label: text,
    caption: text.optional(),
    role: z.enum(roles).optional(),
  })
  .strict();

export const slideSchema = z
  .object({
    layout: z.string().regex(/^[a-z][a-z0-9-]*$/, 'is not a layout name (lower-case letters and dashes)'),
    id: z.string().regex(/^[a-z0-9-]+$/).optional(),
    kicker: text.optional(),
    title: text.optional(),
    subtitle: text.optional(),
    byline: text.optional(),
    text: paragraphs.optional(),
    number: z.string().optional(),
    number_caption: text.optional(),
    columns: z.array(columnSchema).min(2).max(4).optional(),
    items: z.array(text).min(1).optional(),
    chart: z.string().optional(),
    quote: text.optional(),
    attribution: text.optional(),
    notes: text.optional(),
    claims: z.array(claimSchema).optional(),
  })
  .strict();
export type Slide = z.output<typeof slideSchema>;
export type Claim = z.output<typeof claimSchema>;

/** Fields a built-in layout cannot do without; custom layouts only need a template. */
export const layoutRequirements: Readonly<Record<string, readonly (keyof Slide)[]>> = {
  title: ['title'],
  section: ['title'],
  'big-number': ['number'],
  comparison: ['title', 'columns'],
  chart: ['title', 'chart'],
  bullets: ['title', 'items'],
  quote: ['quote'],
};

export const deckSchema = z
  .object({
    title: text,
    subtitle: text.optional(),
    author: text.optional(),
    lang: z.string().default('fr'),
    locale: z
      .string()
      .refine((locale) => {
        try {
          return Intl.NumberFormat.supportedLocalesOf([locale]).length > 0;
        } catch {
          return false;
        }
      }, 'is not a locale this system can format numbers in (e.g. fr-FR)')
      .default('fr-FR'),
    sources_title: text.default('Sources'),
    slides: z.array(slideSchema).min(1, 'is empty: a deck needs at least one slide'),
  })
  .strict();
export type DeckSource = z.output<typeof deckSchema>;

export const derivedSchema = z.array(
  z
    .object({
      id: z.string().regex(idPattern, idMessage),
      label: text.min(1),
      unit: z.enum(units, { error: `is not a known unit (expected one of ${units.join(', ')})` }),
      expr: z.string().min(1),
      note: text.optional(),
    })
    .strict(),
);
export type DerivedSource = z.output<typeof derivedSchema>[number];

const barSchema = z
  .object({
    fact: z.string(),
    label: text,
    role: z.enum(roles).default('neutral'),
  })
  .strict();

export const chartSchema = z
  .object({
    type: z.enum(['bar']).default('bar'),
    orientation: z.enum(['vertical', 'horizontal']).default('vertical'),
    title: text,
    /** What the axis counts, said in words (e.g. "milliards de dollars"); derived from the unit if absent. */
    axis: text.optional(),
    bars: z.array(barSchema).min(1, 'has no data: a chart needs at least one bar'),
  })
  .strict();
export const chartsSchema = z.record(z.string().regex(idPattern, idMessage), chartSchema);
export type ChartSource = z.output<typeof chartSchema>;
