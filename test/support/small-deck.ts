/**
 * A deck made in the test, as small as the behaviour it tests: a data/ folder written from a few
 * facts, derived figures, charts and slides, built with the package's templates. Faster than a
 * copy of the default deck, and the test shows all the data it depends on.
 */
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { stringify } from 'yaml';
import { header, row, type Column } from './facts-csv.js';
import { cleanedUp, projectAt, templatesDir, type ScratchProject } from './project.js';

/** A fact: its id and the cells that differ from a good sourced fact (value 1, USD, 2024...). */
export type FactRow = { id: string } & Partial<Record<Column, string | number>>;

export interface DerivedFigure { id: string; label: string; unit: string; expr: string }

/** A chart of charts.yaml, of any type (README, "A chart"). */
export interface ChartSource {
  type?: 'bar' | 'line' | 'area' | 'doughnut' | 'table';
  title: string;
  orientation?: 'vertical' | 'horizontal';
  stacked?: boolean;
  axis?: string;
  bars?: { fact: string; label: string; role?: string }[];
  categories?: { key: string; label: string; role?: string }[];
  series?: { key?: string; label: string; role?: string; facts?: string | string[] }[];
  facts?: string;
  grid?: Record<string, (string | null)[]>;
  parts?: { fact: string; label: string; role?: string }[];
  whole?: string;
  rest?: string;
  total?: boolean;
  highlight?: string;
  labels?: 'all' | 'last' | 'none';
  annotations?: ({ line: string; label: string } | { band: [string, string]; label: string })[];
  corner?: string;
}

export interface SmallDeckSpec {
  facts?: FactRow[];
  /** derived.yaml: its figures, or its text as written (to test how a line is located). */
  derived?: DerivedFigure[] | string;
  charts?: Record<string, ChartSource>;
  /** deck.yaml's slides, as written there; one title slide unless told. */
  slides?: Record<string, unknown>[];
  /** deck.yaml's other fields (title, lang, locale...): a French deck titled "Petit deck" unless told. */
  deck?: Record<string, unknown>;
  /** theme.yaml (accent, roles); none unless told. */
  theme?: Record<string, unknown>;
  /** units.yaml (the deck's own units); none unless told, or its text as written. */
  units?: Record<string, unknown> | string;
  /** translations/<lang>.yaml, by language. */
  translations?: Record<string, Record<string, unknown>>;
}

/** A project (data/ written, the package's templates: copy them to edit them) in a folder of its own. */
export async function smallDeck(spec: SmallDeckSpec = {}): Promise<ScratchProject> {
  const root = await mkdtemp(path.join(os.tmpdir(), 'datadeck-small-'));
  const project = projectAt(root, templatesDir);
  await mkdir(project.data);
  const facts = spec.facts ?? [{ id: 'a.fact' }];
  const cells = (fact: FactRow): Partial<Record<Column, string>> => Object.fromEntries(Object.entries(fact).map(([name, value]) => [name, String(value)]));
  const yaml = (value: unknown): string => stringify(value, { lineWidth: 0 });
  await writeFile(path.join(project.data, 'facts.csv'), `${[header, ...facts.map((fact) => row(cells(fact)))].join('\n')}\n`);
  const derived = typeof spec.derived === 'string' ? spec.derived : spec.derived?.length ? yaml(spec.derived) : '[]\n';
  await writeFile(path.join(project.data, 'derived.yaml'), derived);
  await writeFile(path.join(project.data, 'charts.yaml'), spec.charts ? yaml(spec.charts) : '{}\n');
  const slides = spec.slides ?? [{ layout: 'title', id: 'opening', title: 'Petit deck' }];
  await writeFile(path.join(project.data, 'deck.yaml'), yaml({ title: 'Petit deck', lang: 'fr', locale: 'fr-FR', ...spec.deck, slides }));
  if (spec.theme) await writeFile(path.join(project.data, 'theme.yaml'), yaml(spec.theme));
  if (spec.units) await writeFile(path.join(project.data, 'units.yaml'), typeof spec.units === 'string' ? spec.units : yaml(spec.units));
  for (const [lang, translation] of Object.entries(spec.translations ?? {})) {
    await mkdir(path.join(project.data, 'translations'), { recursive: true });
    await writeFile(path.join(project.data, 'translations', `${lang}.yaml`), yaml(translation));
  }
  return project;
}

/** Small decks for the tests of one file (or describe block), removed once they are done. */
export function smallDecks(): (spec?: SmallDeckSpec) => Promise<ScratchProject> {
  return cleanedUp(smallDeck);
}

/**
 * Three slides in French with an English edition: a title, a big number (a.fact) and a list that
 * cites b.fact. An edit of a.fact changes one slide of each edition and their sources.
 */
export function twoEditionDeck(): SmallDeckSpec & Required<Pick<SmallDeckSpec, 'facts'>> {
  return {
    facts: [{ id: 'a.fact', value: 1200 }, { id: 'b.fact', value: 800 }],
    slides: [
      { layout: 'title', id: 'opening', title: 'Petit deck' },
      { layout: 'big-number', id: 'figure', kicker: 'Un chiffre', number: 'a.fact', number_caption: 'en une année.' },
      { layout: 'bullets', id: 'points', kicker: 'Points', title: 'Deux points', items: ['Un point.', 'Deux : {{fact "b.fact"}}.'] },
    ],
    translations: {
      en: {
        lang: 'en',
        locale: 'en-US',
        title: 'Small deck',
        facts: { 'a.fact': { label: 'Fact A', source_title: 'A source' }, 'b.fact': { label: 'Fact B', source_title: 'Another source' } },
        slides: {
          opening: { title: 'Small deck' },
          figure: { kicker: 'A figure', number_caption: 'in one year.' },
          points: { kicker: 'Points', title: 'Two points', items: ['One point.', 'Two: {{fact "b.fact"}}.'] },
        },
      },
    },
  };
}
