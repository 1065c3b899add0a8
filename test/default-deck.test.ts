/**
 * The default deck (data/), the fixture the other tests copy and edit: it loads, covers the
 * article's argument, and types no figure into its text or the templates.
 */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ProblemList } from '../src/errors.js';
import { loadData } from '../src/data/load.js';
import { buildDeckModel } from '../src/model/deck.js';
import { buildDeckView } from '../src/render/view.js';
import { loadTemplates } from '../src/render/engine.js';
import { parseBeatText } from '../src/model/text.js';
import { localeOf } from './support/locale.js';
import { dataDir, templatesDir } from './support/project.js';

const requiredIds = [
  'tether.net_profit.2024', 'openai.revenue.2024', 'openai.net_loss.2024', 'anthropic.revenue.2024',
  'anthropic.net_loss.2024', 'tether.staff', 'openai.staff', 'tether.treasury_interest.2024', 'tether.treasuries_held',
];

async function shippedModel() {
  const problems = new ProblemList();
  const data = await loadData(dataDir, problems, 'data');
  expect(problems.problems).toEqual([]);
  const templates = await loadTemplates([templatesDir], ['templates']);
  return { data: data!, model: buildDeckModel(data!, { layouts: templates.layouts }), templates };
}

describe('the shipped data', () => {
  it('loads facts.csv with plain numbers in base units and the ids other tools address', async () => {
    const { data } = await shippedModel();
    const ids = data.facts.map((located) => located.fact.id);
    for (const id of requiredIds) expect(ids).toContain(id);
    const profit = data.facts.find((located) => located.fact.id === 'tether.net_profit.2024')!;
    expect(profit.fact.value).toBe(13_700_000_000);
    expect(profit.line).toBe(2);
  });

  it('records the 1300 milliards translation error as a correction', async () => {
    const { data } = await shippedModel();
    const treasuries = data.facts.find((located) => located.fact.id === 'tether.treasuries_held')!.fact;
    expect(treasuries.status).toBe('corrected');
    expect(treasuries.article_value).toBe(1_300_000_000_000);
    expect(treasuries.value).toBeLessThan(treasuries.article_value! / 5);
  });

  it('covers the whole argument: 15 beats, every fact reference resolved, sources last, each cited fact once', async () => {
    const { model } = await shippedModel();
    const ids = model.slides.map((slide) => slide.id);
    for (const beat of ['hook', 'scale', 'people', 'business', 'treasuries', 'ai', 'compute', 'data', 'bci', 'robots', 'total', 'why', 'irony', 'burn', 'punchline']) {
      expect(ids).toContain(beat);
    }
    const view = buildDeckView(model, await localeOf('fr', 'fr-FR'));
    expect(view.slides.at(-1)!.kind).toBe('sources');
    const listed = view.slides.flatMap((slide) => slide.sources?.entries ?? []);
    expect(listed.map((entry) => entry.number)).toEqual(model.citations.map((_, index) => index + 1));
    expect(listed.map((entry) => entry.label)).toEqual(model.citations.map((fact) => fact.label.replace(/ (?=[:;?!»])/g, '\u00a0')));
    expect(new Set(model.citations.map((fact) => fact.id)).size).toBe(model.citations.length);
  });

  it('gives every content slide speaker notes', async () => {
    const { model } = await shippedModel();
    for (const slide of model.slides) expect(slide.notes, `slide ${slide.number}`).toBeDefined();
  });

  it('checks every claim and they all hold with the shipped data', async () => {
    const { model } = await shippedModel();
    const claims = model.slides.flatMap((slide) => slide.claims);
    expect(claims.length).toBeGreaterThanOrEqual(8);
    expect(claims.filter((claim) => !claim.holds)).toEqual([]);
  });

  it('computes derived figures from facts (per-person ratio, combined losses)', async () => {
    const { model } = await shippedModel();
    const ratio = model.figures.get('productivity.ratio.2024')!;
    expect(ratio.value).toBeCloseTo((13.7e9 / 150) / (3.7e9 / 3000), 6);
    expect(ratio.basis.map((fact) => fact.id).sort()).toEqual(['openai.revenue.2024', 'openai.staff', 'tether.net_profit.2024', 'tether.staff']);
    expect(model.figures.get('labs.combined_loss.2024')!.value).toBe(10e9);
  });

  it('adds the two labs\' losses, each its own input (different values, so a+a cannot pass for a+b)', async () => {
    const { data, templates } = await shippedModel();
    const edited = {
      ...data,
      facts: data.facts.map((located) => (located.fact.id === 'anthropic.net_loss.2024' ? { ...located, fact: { ...located.fact, value: 4.2e9 } } : located)),
    };
    const model = buildDeckModel(edited, { layouts: templates.layouts });
    expect(model.figures.get('labs.combined_loss.2024')!.value).toBe(9.2e9);
    expect(model.figures.get('labs.combined_loss.2024')!.basis.map((fact) => fact.id).sort()).toEqual(['anthropic.net_loss.2024', 'openai.net_loss.2024']);
  });
});

describe('beat text', () => {
  it('splits text and figure references', () => {
    expect(parseBeatText('a {{fact "x.y"}} b {{ fact "z" "short" }}{{article "w"}}')).toEqual([
      { kind: 'text', text: 'a ' },
      { kind: 'figure', id: 'x.y', style: 'long', as: 'value' },
      { kind: 'text', text: ' b ' },
      { kind: 'figure', id: 'z', style: 'short', as: 'value' },
      { kind: 'figure', id: 'w', style: 'long', as: 'article' },
    ]);
  });
  it('has no figure typed into beats or templates: digits only in years and layout numbers', async () => {
    const { readFile, readdir } = await import('node:fs/promises');
    const deck = await readFile(path.join(dataDir, 'deck.yaml'), 'utf8');
    const prose = deck.split('\n').filter((line) => !line.trim().startsWith('#') && !/check:/.test(line) && !/^\s+- [a-z_.]+ [<>]/.test(line));
    const withoutRefs = prose.map((line) => line.replace(/\{\{[^}]*\}\}/g, '').replace(/\b(19|20)\d\d\b/g, '').replace(/\b[A-Z]+\d+\b/g, ''));
    const numbers = withoutRefs.filter((line) => /\d/.test(line));
    expect(numbers).toEqual([]);
    const templateFiles = [...(await readdir(templatesDir, { recursive: true }))].filter((name) => name.endsWith('.hbs'));
    for (const name of templateFiles) {
      const text = await readFile(path.join(templatesDir, name), 'utf8');
      // A figure is digits with a unit or scale after them; "utf-8" or "scale=1" are not figures.
      expect(text, name).not.toMatch(/(^|[^#0-9a-zA-Z_.-])[0-9]+([.,][0-9]+)? ?(%|milliards?|millions?|Md|M\$|\$|€|USD|EUR|fois|employés)/);
    }
  });
});
