/**
 * One deck, several languages: the French edition at slides/, the English one at slides/en/, the
 * same facts in both, words from data/translations/en.yaml, and errors that say what is missing.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { DataErrors, DatadeckError, ProblemList } from '../src/errors.js';
import { loadData, type LoadedData } from '../src/data/load.js';
import type { TranslationSource } from '../src/data/schema.js';
import { build, type BuildResult } from '../src/pipeline.js';
import { buildError, buildOptions } from './support/build.js';
import { pdfPageCount, pdfText } from './support/pdf.js';
import { lineOf } from './support/problems.js';
import { editFile, exists, scratchProjects, setFactValue, type ScratchProject } from './support/project.js';

const nbsp = '\u00a0';

type Project = ScratchProject;
const project = scratchProjects();

describe('both editions from one build', () => {
  let p: Project;
  let result: BuildResult;
  beforeAll(async () => {
    p = await project();
    result = await build(buildOptions(p, { formats: ['pdf', 'handout'] }));
  });

  it('writes the French deck at the root and the English one under en/, each with its PDF, page for page', async () => {
    expect(result.editions.map((edition) => [edition.lang, path.relative(p.out, edition.htmlPath), path.relative(p.out, edition.pdfPath!)])).toEqual([
      ['fr', 'index.html', 'deck.pdf'],
      ['en', path.join('en', 'index.html'), path.join('en', 'deck.pdf')],
    ]);
    const [fr, en] = result.editions;
    expect(fr!.slideCount).toBe(en!.slideCount);
    expect(await pdfPageCount(fr!.pdfPath!)).toBe(fr!.slideCount);
    expect(await pdfPageCount(en!.pdfPath!)).toBe(en!.slideCount);
    const frHtml = await readFile(fr!.htmlPath, 'utf8');
    const enHtml = await readFile(en!.htmlPath, 'utf8');
    expect(frHtml).toContain('<html lang="fr">');
    expect(enHtml).toContain('<html lang="en">');
    // The English page loads the shared assets from the deck's root.
    expect(enHtml).toContain('<link rel="stylesheet" href="../assets/theme.css">');
    expect(await exists(path.join(p.out, 'en', 'assets'))).toBe(false);
  });

  it('shows the same figure in each language\'s own words', async () => {
    const [fr, en] = result.editions;
    const hookPage = fr!.model.slides.findIndex((slide) => slide.id === 'hook') + 1;
    const frHook = await pdfText(fr!.pdfPath!, hookPage);
    const enHook = await pdfText(en!.pdfPath!, hookPage);
    expect(frHook).toContain('13,7');
    expect(frHook).toContain('Md$');
    expect(frHook).toMatch(/13,7\s+milliards\s+de\s+dollars/);
    expect(enHook).toContain('$13.7B');
    expect(enHook).toMatch(/\$13\.7\s+billion/);
    expect(enHook).not.toContain('milliard');
    // English sources slides, English chart axis.
    const enHtml = await readFile(en!.htmlPath, 'utf8');
    expect(enHtml).toContain('the article’s figure, unverified');
    expect(enHtml).toContain('"axisTitle":"billions of dollars"');
    // (The English notes quote the French translation's "1300 milliards"; no figure is written in French.)
    expect(enHtml).not.toMatch(/chiffre de l’article|milliards de dollars|Md\$/);
  });

  it('links each edition to the other, and both links lead somewhere', async () => {
    const [fr, en] = result.editions;
    const frHtml = await readFile(fr!.htmlPath, 'utf8');
    const enHtml = await readFile(en!.htmlPath, 'utf8');
    expect(frHtml).toContain('<a href="en/index.html" hreflang="en" lang="en">English</a>');
    expect(enHtml).toContain('<a href="../index.html" hreflang="fr" lang="fr">Français</a>');
    expect(frHtml).toContain('<link rel="alternate" hreflang="en" href="en/index.html">');
    expect(await exists(path.resolve(path.dirname(fr!.htmlPath), 'en/index.html'))).toBe(true);
    expect(await exists(path.resolve(path.dirname(en!.htmlPath), '../index.html'))).toBe(true);
  });

  it('follows an edit of one fact in both editions', async () => {
    const q = await project();
    await editFile(path.join(q.data, 'facts.csv'), (csv) => setFactValue(csv, 'tether.net_profit.2024', '21400000000'));
    const edited = await build(buildOptions(q));
    const [fr, en] = await Promise.all(edited.editions.map((edition) => readFile(edition.htmlPath, 'utf8')));
    expect(fr).toContain(`21,4${nbsp}milliards de dollars`);
    expect(en).toContain(`$21.4${nbsp}billion`);
    expect(`${fr}${en}`).not.toContain('13,7');
    expect(en).not.toContain('$13.7');
  });
});

describe('choosing editions', () => {
  it('--lang fr builds the French edition alone; --lang en the English one under en/', async () => {
    const p = await project();
    const fr = await build(buildOptions(p, { langs: ['fr'] }));
    expect(fr.editions.map((edition) => edition.lang)).toEqual(['fr']);
    expect(await exists(path.join(p.out, 'en'))).toBe(false);
    // Alone, an edition links to no other.
    expect(await readFile(fr.htmlPath, 'utf8')).not.toContain('class="editions"');
    const en = await build(buildOptions(p, { langs: ['en'] }));
    expect(en.editions.map((edition) => path.relative(p.out, edition.htmlPath))).toEqual([path.join('en', 'index.html')]);
    // The French edition built before is left in place, and the English one links to it.
    expect(await exists(path.join(p.out, 'index.html'))).toBe(true);
    expect(await readFile(en.htmlPath, 'utf8')).toContain('<a href="../index.html" hreflang="fr" lang="fr">Français</a>');
  });

  it('an edition the deck does not have is a usage error naming those it has', async () => {
    const p = await project();
    const error = await buildError(buildOptions(p, { langs: ['de'] }));
    expect((error as DatadeckError).code).toBe('usage');
    expect((error as Error).message).toContain('the deck has no de edition (it has fr, en');
  });
});

describe('translations that do not match the deck', () => {

  it('a missing translation names the translation file and line, the slide and the field, and where the original is', async () => {
    const p = await project();
    const file = path.join(p.data, 'translations', 'en.yaml');
    await editFile(file, (text) => text.replace(/  hook:\n((?: {4}.*\n| {6}.*\n)*?) {4}notes: >-\n {6}.*\n {6}.*\n/, '  hook:\n$1'));
    const text = await readFile(file, 'utf8');
    expect(text).not.toContain('Everything that follows hinges');
    const error = await buildError(buildOptions(p));
    expect(error).toBeInstanceOf(DataErrors);
    const deck = await readFile(path.join(p.data, 'deck.yaml'), 'utf8');
    expect((error as DataErrors).problems).toEqual([
      expect.objectContaining({
        file: expect.stringMatching(/data\/translations\/en\.yaml$/),
        line: lineOf(text, '  hook:') + 1,
        field: 'slide 2 "hook", field notes',
        message: expect.stringMatching(new RegExp(`^slide 2 "hook", field notes: no English translation \\(the original is at .*data/deck\\.yaml:${lineOf(deck, '    notes: >-\n      L’article arrondit')}\\)$`)),
      }),
    ]);
  });

  it('a translated slide, fact or chart the deck does not have is an error too, at its line', async () => {
    const p = await project();
    const file = path.join(p.data, 'translations', 'en.yaml');
    await editFile(file, (text) => text.replace('slides:\n', 'slides:\n  gone:\n    title: A slide that was deleted\n').replace('facts:\n', 'facts:\n  nobody.knows:\n    label: Nothing\n'));
    const text = await readFile(file, 'utf8');
    const error = await buildError(buildOptions(p));
    const messages = (error as DataErrors).problems.map((problem) => `${problem.line}: ${problem.message}`);
    expect(messages).toEqual(expect.arrayContaining([
      `${lineOf(text, '  gone:')}: slides.gone: no slide has this id in deck.yaml`,
      `${lineOf(text, '  nobody.knows:')}: facts.nobody.knows: no fact has this id in facts.csv`,
    ]));
  });

  it('a bad figure reference in the English text is located in en.yaml, not in deck.yaml', async () => {
    const p = await project();
    const file = path.join(p.data, 'translations', 'en.yaml');
    await editFile(file, (text) => text.replace('made {{fact "tether.net_profit.2024"}}. To size', 'made {{fact "tether.net_profitt.2024"}}. To size'));
    const error = await buildError(buildOptions(p));
    const text = await readFile(file, 'utf8');
    expect((error as DataErrors).problems).toEqual([
      expect.objectContaining({ file: expect.stringMatching(/translations\/en\.yaml$/), line: lineOf(text, 'profitt'), message: 'unknown fact "tether.net_profitt.2024"; did you mean "tether.net_profit.2024"?' }),
    ]);
  });
});

describe('a deck of its own', () => {
  it('an unknown role is located and lists the roles theme.yaml declares', async () => {
    const p = await project();
    await editFile(path.join(p.data, 'charts.yaml'), (text) => text.replace('label: Perte d’OpenAI, role: openai', 'label: Perte d’OpenAI, role: opneai'));
    const error = await buildError(buildOptions(p, { langs: ['fr'] }));
    const charts = await readFile(path.join(p.data, 'charts.yaml'), 'utf8');
    expect((error as DataErrors).problems).toEqual([
      expect.objectContaining({
        line: charts.slice(0, charts.indexOf('role: opneai')).split('\n').length,
        field: 'profit_vs_losses.bars[1].role',
        message: 'chart "profit_vs_losses", bars[1].role: unknown role "opneai"; did you mean "openai"? (theme.yaml declares: anthropic, highlight, lab, neutral, openai, tether)',
      }),
    ]);
  });

  it('renaming the companies and their colours is an edit of data/ alone', async () => {
    const p = await project();
    const rename = (text: string): string => text.replace(/\btether\b(?=[,'\s}:])/g, 'acme').replace(/role: openai\b/g, 'role: globex').replace(/^ {2}openai:/m, '  globex:');
    for (const file of ['theme.yaml', 'charts.yaml', 'deck.yaml']) await editFile(path.join(p.data, file), rename);
    await editFile(path.join(p.data, 'theme.yaml'), (text) => text.replace("accent: '#00856f'", "accent: '#7a1fa2'"));
    const result = await build(buildOptions(p, { langs: ['fr'] }));
    const html = await readFile(result.htmlPath, 'utf8');
    expect(html).toContain('class="column role-acme"');
    expect(html).toContain('class="column role-globex"');
    const palette = await readFile(path.join(p.out, 'assets', 'palette.css'), 'utf8');
    expect(palette).toContain('--accent: #7a1fa2;');
    expect(palette).toContain('.role-acme { --role: var(--role-acme);');
    expect(html).toContain('"categoryRoles":["acme","globex"');
  });
});

describe('every translated field reaches the English deck', () => {
  /** A translated field: where it is, the deck's own words and the translation's. */
  interface FieldPair { where: string; own: string; translated: string }

  /** Every field of the translation beside the original it translates, from the deck's sources as loaded. */
  function fieldPairs(data: LoadedData, words: TranslationSource): FieldPair[] {
    const pairs: FieldPair[] = [];
    const add = (where: string, own: unknown, translated: unknown): void => {
      if (typeof own === 'string' && typeof translated === 'string') pairs.push({ where, own, translated });
      else if (Array.isArray(own) && Array.isArray(translated)) own.forEach((item, i) => add(`${where}[${i}]`, item, translated[i]));
    };
    for (const field of ['title', 'subtitle', 'author', 'sources_title'] as const) add(field, data.deck[field], words[field]);
    for (const slide of data.deck.slides) {
      const translated = words.slides[slide.id ?? ''];
      if (!translated) continue;
      for (const field of ['kicker', 'title', 'subtitle', 'byline', 'number_caption', 'quote', 'attribution', 'notes', 'text', 'items'] as const) add(`slides.${slide.id}.${field}`, slide[field], translated[field]);
      slide.columns?.forEach((column, i) => {
        add(`slides.${slide.id}.columns[${i}].label`, column.label, translated.columns?.[i]?.label);
        add(`slides.${slide.id}.columns[${i}].caption`, column.caption, translated.columns?.[i]?.caption);
      });
    }
    for (const { fact } of data.facts) {
      for (const field of ['label', 'period', 'source_title', 'note'] as const) add(`facts.${fact.id}.${field}`, fact[field], words.facts[fact.id]?.[field]);
    }
    for (const figure of data.derived) for (const field of ['label', 'note'] as const) add(`derived.${figure.id}.${field}`, figure[field], words.derived[figure.id]?.[field]);
    for (const [id, chart] of Object.entries(data.charts)) {
      add(`charts.${id}.title`, chart.title, words.charts[id]?.title);
      add(`charts.${id}.axis`, chart.axis, words.charts[id]?.axis);
      add(`charts.${id}.bars`, (chart.bars ?? []).map((bar) => bar.label), words.charts[id]?.bars);
    }
    return pairs;
  }

  /** Spaces of any kind as one, apostrophes as one, so that typography does not hide a field. */
  const normalise = (text: string): string => text.replace(/[\s\u00a0\u202f]+/g, ' ').replace(/[’']/g, "'").trim();
  /** A page as text: entities decoded, once with its tags (attributes hold chart titles) and once without. */
  function pageText(html: string): string {
    const decode = (text: string): string => text
      .replace(/&#x([0-9a-f]+);/gi, (_, hex: string) => String.fromCodePoint(parseInt(hex, 16)))
      .replace(/&#(\d+);/g, (_, decimal: string) => String.fromCodePoint(Number(decimal)))
      .replace(/&quot;/g, '"').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&nbsp;/g, '\u00a0').replace(/&amp;/g, '&');
    return normalise(`${decode(html)}\n${decode(html.replace(/<[^>]*>/g, ''))}`);
  }
  /** The words of a field between its figures: what the page must show as written. */
  const fragments = (text: string): string[] => text.split(/\{\{[^}]*\}\}/).map(normalise).filter((fragment) => /\p{L}/u.test(fragment));
  const shows = (page: string, text: string): boolean => fragments(text).every((fragment) => page.includes(fragment));

  it('each field the French deck shows, the English deck shows in English, and none in French', async () => {
    const p = await project();
    const result = await build(buildOptions(p, { formats: [] }));
    const [fr, en] = result.editions;
    const problems = new ProblemList();
    const data = (await loadData(p.data, problems))!;
    expect(problems.problems).toEqual([]);
    const words = data.translations.find((translation) => translation.source.lang === 'en')!.source;
    const frPage = pageText(await readFile(fr!.htmlPath, 'utf8'));
    const enPage = pageText(await readFile(en!.htmlPath, 'utf8'));
    const pairs = fieldPairs(data, words);
    // The French deck shows most of them (a sourced fact's note, for one, shows nowhere).
    const shown = pairs.filter((pair) => shows(frPage, pair.own));
    expect(shown.length).toBeGreaterThan(150);
    expect(shown.map((pair) => pair.where)).toEqual(expect.arrayContaining(['title', 'slides.hook.kicker', 'slides.hook.number_caption', 'slides.people.columns[0].label', 'charts.profit_vs_losses.title']));
    expect(shown.filter((pair) => !shows(enPage, pair.translated)).map((pair) => `${pair.where}: "${pair.translated}"`)).toEqual([]);
    const french = shown
      .filter((pair) => normalise(pair.own) !== normalise(pair.translated))
      .map((pair) => ({ ...pair, longest: fragments(pair.own).sort((a, b) => b.length - a.length)[0] ?? '' }))
      .filter((pair) => pair.longest.length >= 8 && !normalise(pair.translated).includes(pair.longest));

    expect(french.length).toBeGreaterThan(100);
    expect(french.filter((pair) => enPage.includes(pair.longest)).map((pair) => `${pair.where}: "${pair.longest}"`)).toEqual([]);
    // A claim's words show nowhere while it holds: the English model carries them.
    const says = en!.model.slides.flatMap((slide) => slide.claims.map((claim) => claim.says));
    for (const [id, claims] of Object.entries(words.slides).map(([slideId, slide]) => [slideId, slide.claims ?? {}] as const)) {
      for (const [check, text] of Object.entries(claims)) expect(says, `slides.${id}.claims["${check}"]`).toContain(text);
    }
  });
});
