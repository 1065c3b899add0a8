/**
 * Decks with layouts of their own, written by a test: a data/ folder with the facts, slides and charts it needs, and a
 * templates/ folder with the layouts (and theme) it adds to the package's; removed after the file's tests.
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll } from 'vitest';
import { stringify } from 'yaml';

export interface LayoutDeckSpec {
  /** Facts by id: value and unit (USD when absent); every fact is sourced. */
  facts?: Record<string, { value: number; unit?: string; label?: string }>;
  slides: Record<string, unknown>[];
  charts?: Record<string, unknown>;
  /** deck.yaml's own fields besides the slides (title, lang…). */
  deck?: Record<string, unknown>;
  /** Translation files by language: their content. */
  translations?: Record<string, Record<string, unknown>>;
  /** The deck's own templates, by path under templates/ (layouts/duel.hbs, theme.css). */
  templates?: Record<string, string>;
}

export interface LayoutDeck {
  root: string;
  data: string;
  templates: string;
  out: string;
}

/** A function that writes small decks for the tests of one file, all removed once they are done. */
export function layoutDecks(): (spec: LayoutDeckSpec) => Promise<LayoutDeck> {
  const roots: string[] = [];
  afterAll(async () => {
    await Promise.all(roots.map((root) => rm(root, { recursive: true, force: true })));
  });
  return async (spec) => {
    const root = await mkdtemp(path.join(os.tmpdir(), 'datadeck-small-'));
    roots.push(root);
    const data = path.join(root, 'data');
    const templates = path.join(root, 'templates');
    await mkdir(path.join(data, 'translations'), { recursive: true });
    await mkdir(path.join(templates, 'layouts'), { recursive: true });
    const facts = spec.facts ?? { 'a.value': { value: 13_700_000_000 } };
    const rows = Object.entries(facts).map(([id, fact]) => `${id},${fact.value},${fact.unit ?? 'USD'},2024,${fact.label ?? `Label ${id}`},A source,https://example.org/${id},,sourced,`);
    await writeFile(path.join(data, 'facts.csv'), ['id,value,unit,period,label,source_title,source_url,article_value,status,note', ...rows, ''].join('\n'));
    await writeFile(path.join(data, 'derived.yaml'), '[]\n');
    await writeFile(path.join(data, 'charts.yaml'), stringify(spec.charts ?? {}, { lineWidth: 0 }));
    await writeFile(path.join(data, 'deck.yaml'), stringify({ title: 'A small deck', lang: 'en', ...spec.deck, slides: spec.slides }, { lineWidth: 0 }));
    for (const [lang, translation] of Object.entries(spec.translations ?? {})) {
      await writeFile(path.join(data, 'translations', `${lang}.yaml`), stringify({ lang, title: 'Un petit deck', ...translation }, { lineWidth: 0 }));
    }
    for (const [name, text] of Object.entries(spec.templates ?? {})) {
      await mkdir(path.dirname(path.join(templates, name)), { recursive: true });
      await writeFile(path.join(templates, name), text);
    }
    return { root, data, templates, out: path.join(root, 'slides') };
  };
}
