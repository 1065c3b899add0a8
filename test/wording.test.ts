/**
 * How figures and words are written: ranks refused unless they are ranks, citations numbered in
 * reading order, the language's apostrophe, checked claims in the handout.
 */
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { DataErrors, ProblemList, type DataProblem } from '../src/errors.js';
import { loadData } from '../src/data/load.js';
import { localizeData } from '../src/data/translations.js';
import { buildDeckModel, type DeckModel } from '../src/model/deck.js';
import { loadTemplates } from '../src/render/engine.js';
import { renderPage } from '../src/render/page.js';
import { buildDeckView, type DeckView } from '../src/render/view.js';
import { build } from '../src/pipeline.js';
import { editFile, localeOf, scratchProjects, setFactValue, type ScratchProject } from './helpers.js';

const project = scratchProjects();

/** 1-based line of the first occurrence of `needle` in `text`. */
function lineOf(text: string, needle: string): number {
  const index = text.indexOf(needle);
  if (index < 0) throw new Error(`"${needle}" not found`);
  return text.slice(0, index).split('\n').length;
}

/** The problems of a build of the French edition that must fail on its data. */
async function buildProblems(p: ScratchProject): Promise<readonly DataProblem[]> {
  const error = await build({ dataDir: p.data, templatesDir: p.templates, outDir: p.out, pdf: false, langs: ['fr'] }).then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error, `expected DataErrors, got ${String(error)}`).toBeInstanceOf(DataErrors);
  return (error as DataErrors).problems;
}

/** One edition of a scratch deck, as the build models and shows it (no browser). */
async function edition(p: ScratchProject, lang: 'fr' | 'en'): Promise<{ model: DeckModel; view: DeckView; html: string; handout: string }> {
  const problems = new ProblemList();
  const data = await loadData(p.data, problems, 'data');
  expect(problems.problems).toEqual([]);
  const translation = data!.translations.find((candidate) => candidate.source.lang === lang);
  const edited = translation ? localizeData(data!, translation, problems) : data!;
  expect(problems.problems).toEqual([]);
  const templates = await loadTemplates([p.templates], ['templates']);
  const model = buildDeckModel(edited, { layouts: templates.layouts });
  const view = buildDeckView(model, await localeOf(lang, lang === 'fr' ? 'fr-FR' : 'en-US'));
  const options = { csp: "default-src 'self'", assetBase: '' };
  return { model, view, html: renderPage(view, templates, options), handout: renderPage(view, templates, options, 'handout') };
}

describe('a rank is a whole number from 1 up', () => {
  it('refuses 2.5, 0 and -3 in facts.csv, and a wrong article_value, at the line with the value', async () => {
    const p = await project();
    const facts = path.join(p.data, 'facts.csv');
    const text = await readFile(facts, 'utf8');
    const line = lineOf(text, 'northern_data.top500_rank,');
    for (const value of ['2.5', '0', '-3']) {
      await writeFile(facts, setFactValue(text, 'northern_data.top500_rank', value));
      const problems = await buildProblems(p);
      const problem = problems.find((candidate) => candidate.line === line && candidate.field === 'value');
      expect(problem, JSON.stringify(problems)).toBeDefined();
      expect(problem!.file).toMatch(/facts\.csv$/);
      expect(problem!.message).toContain(`"${value}"`);
      expect(problem!.message).toMatch(/rank/);
      expect(problem!.message).toMatch(/whole number/);
    }
    await writeFile(facts, text.replace('Northern Data au TOP500,"TechFlow, « Dans le secteur de l’IA, voici un Tether qui ne manque pas d’argent »",,26,', 'Northern Data au TOP500,"TechFlow, « Dans le secteur de l’IA, voici un Tether qui ne manque pas d’argent »",,26.5,'));
    const problems = await buildProblems(p);
    expect(problems.find((candidate) => candidate.line === line && candidate.field === 'article_value' && candidate.message.includes('"26.5"')), JSON.stringify(problems)).toBeDefined();
  });

  it('refuses a derived rank that is not a whole number, at its expression, with the value', async () => {
    const p = await project();
    const derived = path.join(p.data, 'derived.yaml');
    await editFile(derived, (text) => `${text}\n- id: northern_data.half_rank\n  label: Moitié du rang\n  unit: rank\n  expr: northern_data.top500_rank / 4\n`);
    const text = await readFile(derived, 'utf8');
    const problems = await buildProblems(p);
    const problem = problems.find((candidate) => candidate.line === lineOf(text, 'expr: northern_data.top500_rank / 4'));
    expect(problem, JSON.stringify(problems)).toBeDefined();
    expect(problem!.file).toMatch(/derived\.yaml$/);
    expect(problem!.message).toContain('northern_data.half_rank');
    expect(problem!.message).toContain('6.5');
    expect(problem!.message).toMatch(/whole number/);
  });
});
