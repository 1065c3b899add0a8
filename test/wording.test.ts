/**
 * How figures and words are written: ranks refused unless they are ranks, citations numbered in
 * reading order, the language's apostrophe, checked claims in the handout.
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ProblemList, type DataProblem } from '../src/errors.js';
import { loadData } from '../src/data/load.js';
import { localizeData } from '../src/data/translations.js';
import { buildDeckModel, type DeckModel } from '../src/model/deck.js';
import { loadTemplates } from '../src/render/engine.js';
import { renderPage } from '../src/render/page.js';
import { buildDeckView, type DeckView } from '../src/render/view.js';
import { loadCatalog } from '../src/i18n/catalog.js';
import { createLocale } from '../src/i18n/locale.js';
import { buildDataErrors, frenchOptions } from './support/build.js';
import { lineOf } from './support/problems.js';
import { editFile, scratchProjects, setFactValue, type ScratchProject } from './support/project.js';

const project = scratchProjects();

/** The problems of a build of the French edition that must fail on its data. */
const buildProblems = async (p: ScratchProject): Promise<readonly DataProblem[]> => (await buildDataErrors(frenchOptions(p))).problems;

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
  const catalog = await loadCatalog(lang, model.locale, { deckLocalesDir: path.join(p.data, 'locales'), problems });
  expect(problems.problems).toEqual([]);
  const view = buildDeckView(model, createLocale(lang, model.locale, catalog!));
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

/**
 * For each content slide of a rendered deck page, the citation numbers its figures bring in for the
 * first time, in the order the page shows the figures (a chart's bars where its canvas is; the
 * speaker notes last, as the model cites them).
 */
function newCitationsInReadingOrder(html: string, model: DeckModel): number[][] {
  const numberOf = new Map(model.citations.map((fact, index) => [fact.id, index + 1]));
  const seen = new Set<number>();
  const sections = html.split('<section class="slide').slice(1, model.slides.length + 1);
  return sections.map((section) => {
    const [shown, notes = ''] = section.split('<aside class="notes">');
    const figureIds = [...`${shown}${notes}`.matchAll(/data-(figure|chart)="([^"]+)"/g)].flatMap(([, kind, id]) =>
      kind === 'chart' ? model.charts.get(id!)!.figures.map((figure) => figure.id) : [id!],
    );
    const fresh: number[] = [];
    for (const id of figureIds) {
      for (const fact of model.figures.get(id)!.basis) {
        const number = numberOf.get(fact.id)!;
        if (!seen.has(number)) fresh.push(number);
        seen.add(number);
      }
    }
    return fresh;
  });
}

describe('citations are numbered in the order a reader meets the figures', () => {
  const deck = `title: Ordre de lecture
lang: fr
locale: fr-FR
slides:
  - layout: big-number
    id: big
    kicker: "Chez {{fact 'tether.staff'}} personnes"
    number: tether.net_profit.2024
    number_caption: "contre {{fact 'openai.net_loss.2024'}} de pertes"
    text: "Et {{fact 'anthropic.net_loss.2024'}} chez l’autre."
    notes: "Chiffre d’affaires : {{fact 'openai.revenue.2024'}}."
  - layout: comparison
    id: columns
    text: "Texte sous les colonnes : {{fact 'anthropic.revenue.2024'}}."
    title: Deux colonnes
    columns:
      - { fact: openai.staff, label: employés }
      - { fact: tether.treasury_interest.2024, label: intérêts, caption: "sur {{fact 'tether.treasuries_held'}}" }
    claims:
      - anthropic.series_e > 0
`.replace(/'([a-z0-9_.]+)'/g, '\\"$1\\"');

  it('kicker, big number, caption, text, notes; then columns before the text that follows them, and claims last', async () => {
    const p = await project();
    await writeFile(path.join(p.data, 'deck.yaml'), deck);
    const { model, view, html } = await edition(p, 'fr');
    expect(model.citations.map((fact) => fact.id)).toEqual([
      'tether.staff', 'tether.net_profit.2024', 'openai.net_loss.2024', 'anthropic.net_loss.2024', 'openai.revenue.2024',
      'openai.staff', 'tether.treasury_interest.2024', 'tether.treasuries_held', 'anthropic.revenue.2024', 'anthropic.series_e',
    ]);
    expect(view.slides[0]!.footnote!.citations.map((citation) => citation.number)).toEqual([1, 2, 3, 4, 5]);
    expect(view.slides[1]!.footnote!.citations.map((citation) => citation.number)).toEqual([6, 7, 8, 9, 10]);
    expect(newCitationsInReadingOrder(html, model)).toEqual([[1, 2, 3, 4, 5], [6, 7, 8, 9]]);
  });

  it("follows a deck's own layout: a caption placed above the big number is read first", async () => {
    const p = await project();
    await writeFile(path.join(p.data, 'deck.yaml'), deck);
    await editFile(path.join(p.templates, 'layouts', 'big-number.hbs'), (text) =>
      text.replace('<p class="big-number" data-part="text" data-field="figure">{{figure}}</p>\n{{#if figureCaption}}<p class="big-number-caption" data-part="text" data-field="figureCaption">{{figureCaption}}</p>{{/if}}', '{{#if figureCaption}}<p class="big-number-caption" data-part="text" data-field="figureCaption">{{figureCaption}}</p>{{/if}}\n<p class="big-number" data-part="text" data-field="figure">{{figure}}</p>'),
    );
    const { model, html } = await edition(p, 'fr');
    expect(model.citations.slice(0, 3).map((fact) => fact.id)).toEqual(['tether.staff', 'openai.net_loss.2024', 'tether.net_profit.2024']);
    expect(newCitationsInReadingOrder(html, model)[0]).toEqual([1, 2, 3, 4, 5]);
  });

  it('the shipped deck, in both editions, brings in its sources in reading order on every slide', async () => {
    const p = await project();
    for (const lang of ['fr', 'en'] as const) {
      const { model, html } = await edition(p, lang);
      newCitationsInReadingOrder(html, model).forEach((numbers, index) => {
        expect(numbers, `${lang} slide ${index + 1}`).toEqual([...numbers].sort((a, b) => a - b));
      });
    }
  });
});

describe("the language's apostrophe", () => {
  it("sets a typed ' between letters as ’ in the deck's text, in both editions, but never in a link, an id or a figure", async () => {
    const p = await project();
    await editFile(path.join(p.data, 'deck.yaml'), (text) =>
      text.replace(
        'text: L’émetteur du stablecoin USDT a gagné {{fact "tether.net_profit.2024"}}.',
        'text: L\'émetteur du stablecoin a gagné {{fact "tether.net_profit.2024"}}, aujourd\'hui cité (https://example.org/l\'article, www.example.org/d\'abord, o\'brien@example.org) \'entre guillemets\'.',
      ),
    );
    await editFile(path.join(p.data, 'facts.csv'), (text) =>
      text.replace('Bénéfice net de Tether,', 'Bénéfice net d\'exploitation de Tether,').replace('https://thecoinacademy.co/?p=445446', "https://thecoinacademy.co/l'article"),
    );
    await editFile(path.join(p.data, 'translations', 'en.yaml'), (text) => text.replace('The company behind the USDT stablecoin made', "Tether's issuer made"));

    const fr = await edition(p, 'fr');
    const hook = fr.view.slides.find((slide) => slide.id === 'hook')!;
    expect(hook.text[0]!.text).toMatch(/^L’émetteur du stablecoin a gagné 13,7\u00a0milliards de dollars, aujourd’hui cité \(https:\/\/example\.org\/l'article, www\.example\.org\/d'abord, o'brien@example\.org\) 'entre guillemets'\. Pour/);
    expect(fr.html).toContain('L’émetteur');
    expect(fr.html).not.toContain('L&#x27;émetteur');
    expect(fr.html).toContain('https://example.org/l&#x27;article');
    expect(fr.html).toContain('href="https://thecoinacademy.co/l&#x27;article"');
    expect(fr.view.sourceEntries.map((entry) => entry.label)).toContain('Bénéfice net d’exploitation de Tether');
    expect(fr.handout).toContain('d’exploitation');

    const en = await edition(p, 'en');
    expect(en.view.slides.find((slide) => slide.id === 'hook')!.text[0]!.text).toMatch(/^Tether’s issuer made \$13\.7/);
  });

  it('is a rule of the catalogue: a deck may keep straight apostrophes', async () => {
    const p = await project();
    await editFile(path.join(p.data, 'deck.yaml'), (text) => text.replace('text: L’émetteur du stablecoin', "text: L'émetteur du stablecoin"));
    await mkdir(path.join(p.data, 'locales'));
    await writeFile(path.join(p.data, 'locales', 'fr.yaml'), "typography:\n  apostrophe: \"'\"\n");
    const { view } = await edition(p, 'fr');
    expect(view.slides.find((slide) => slide.id === 'hook')!.text[0]!.text).toMatch(/^L'émetteur/);
  });
});

describe('the handout shows the claims that hold, with their figures', () => {
  const nb = '\u00a0';

  it("lists each slide's claims in the edition's language and number style", async () => {
    const p = await project();
    const fr = await edition(p, 'fr');
    const claimsOf = (view: DeckView, id: string) => view.slides.find((slide) => slide.id === id)!.claims;
    expect(claimsOf(fr.view, 'scale')).toEqual([{ says: 'Les pertes cumulées des deux laboratoires sont inférieures au bénéfice de Tether.', checked: `vérifié${nb}: 10${nb}Md$ < 13,7${nb}Md$` }]);
    expect(claimsOf(fr.view, 'bci')[0]!.checked).toBe(`vérifié${nb}: 88,6${nb}% > 50${nb}%`);
    expect(claimsOf(fr.view, 'compared')[0]!.checked).toBe(`vérifié${nb}: 70${nb}% ≤ 85,7${nb}% ≤ 100${nb}%`);
    expect(claimsOf(fr.view, 'burn')[0]!.checked).toBe(`vérifié${nb}: min(2030${nb}; 2028) > 2026`);
    expect(claimsOf(fr.view, 'per-person')).toEqual([{ says: '', checked: `vérifié${nb}: 91,3${nb}M$ > 1,2${nb}M$` }]);
    const card = fr.handout.slice(fr.handout.indexOf('id="card-scale"'), fr.handout.indexOf('</article>', fr.handout.indexOf('id="card-scale"')));
    expect(card).toContain('data-heading="Affirmations vérifiées"');
    expect(card).toContain('<span class="claim-says">Les pertes cumulées des deux laboratoires sont inférieures au bénéfice de Tether.</span>');
    expect(card).toContain(`<span class="claim-checked">vérifié${nb}: 10${nb}Md$ &lt; 13,7${nb}Md$</span>`);

    const en = await edition(p, 'en');
    expect(claimsOf(en.view, 'scale')).toEqual([{ says: 'The two labs’ combined losses are smaller than Tether’s profit.', checked: 'checked: $10B < $13.7B' }]);
    expect(claimsOf(en.view, 'burn')[0]!.checked).toBe('checked: min(2030; 2028) > 2026');
    expect(en.handout).toContain('data-heading="Checked claims"');
    expect(en.handout).not.toContain('vérifié');
  });

  it('gives close figures the digits that tell them apart, and types a number in the unit it is compared with', async () => {
    const p = await project();
    await editFile(path.join(p.data, 'derived.yaml'), (text) => `${text}\n- id: test.growth\n  label: Croissance\n  unit: ratio\n  expr: 194 / 100\n`);
    await editFile(path.join(p.data, 'deck.yaml'), (text) =>
      text.replace('      - check: productivity.ratio.2024 > 20\n', '      - productivity.ratio.2024 > 74\n      - test.growth >= 1.9\n      - tether.net_profit.2024 > 13.69e9\n      - tether.net_profit.2024 - 3.7e9 > openai.revenue.2024 * 2\n      - check: productivity.ratio.2024 > 20\n'),
    );
    const { view } = await edition(p, 'fr');
    expect(view.slides.find((slide) => slide.id === 'people')!.claims.map((claim) => claim.checked)).toEqual([
      `vérifié${nb}: 74,1 > 74`,
      `vérifié${nb}: 1,94 ≥ 1,9`,
      `vérifié${nb}: 13,7${nb}Md$ > 13,69${nb}Md$`,
      `vérifié${nb}: 13,7${nb}Md$ − 3,7${nb}Md$ > 3,7${nb}Md$ × 2`,
      `vérifié${nb}: 74 > 20`,
    ]);
  });
});
