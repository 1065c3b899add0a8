/**
 * The generator's own words, per language: catalogues complete and valid, a deck's overrides and
 * a new language added by a file, and a generator that names no deck in its code.
 */
import { readFile, readdir, writeFile, mkdir } from 'node:fs/promises';
import path from 'node:path';
import { parse as parseCsv } from 'csv-parse/sync';
import { parse as parseYaml } from 'yaml';
import { describe, expect, it } from 'vitest';
import { ProblemList } from '../src/errors.js';
import { availableLanguages, catalogSchema, loadCatalog, packageLocalesDir } from '../src/i18n/catalog.js';
import { build } from '../src/pipeline.js';
import { DataErrors } from '../src/errors.js';
import { dataDir, editFile, repoRoot, scratchProjects } from './support/project.js';

const project = scratchProjects();

/** Every key of a nested object, as dotted paths. */
function keyPaths(value: unknown, prefix = ''): string[] {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return [prefix];
  return Object.entries(value).flatMap(([key, inner]) => keyPaths(inner, prefix ? `${prefix}.${key}` : key));
}

describe('the catalogues', () => {
  it('exist for French and English, and every language has every key the schema asks for', async () => {
    const languages = await availableLanguages();
    expect(languages).toEqual(expect.arrayContaining(['en', 'fr']));
    const reference = keyPaths(parseYaml(await readFile(path.join(packageLocalesDir, 'en.yaml'), 'utf8'))).sort();
    const required = keyPaths(catalogSchema.parse(parseYaml(await readFile(path.join(packageLocalesDir, 'en.yaml'), 'utf8')))).sort();
    expect(reference).toEqual(required);
    for (const lang of languages) {
      const keys = keyPaths(parseYaml(await readFile(path.join(packageLocalesDir, `${lang}.yaml`), 'utf8'))).sort();
      expect(keys, lang).toEqual(reference);
      const problems = new ProblemList();
      expect(await loadCatalog(lang, lang === 'fr' ? 'fr-FR' : 'en-US', { problems }), lang).toBeDefined();
      expect(problems.problems, lang).toEqual([]);
    }
  });

  it('every message formats in every language with the arguments the generator passes', async () => {
    const args = { label: 'L', value: 'V', note: 'N', check: 'a < b', values: '1 < 2', title: 'T', bars: 'B', page: 2, pages: 3, language: 'X', number: 4 };
    for (const lang of await availableLanguages()) {
      const catalog = (await loadCatalog(lang, 'en-US', { problems: new ProblemList() }))!;
      for (const key of Object.keys(catalog.source.words) as (keyof typeof catalog.source.words)[]) {
        const text = catalog.message(key, args);
        expect(text, `${lang} words.${key}`).not.toMatch(/[{}]/);
      }
      for (const unit of Object.keys(catalog.source.figures) as (keyof typeof catalog.source.figures)[]) {
        for (const style of ['long', 'short', 'number'] as const) {
          const text = catalog.figure(unit, style, { number: '1', scaled: '1 x', short: '1x', scale: 'billion', count: 1, value: 1, percent: '1%', sign: '' });
          expect(text, `${lang} figures.${unit}.${style}`).toMatch(/1/);
        }
      }
    }
  });

  it('a message that does not parse, or a missing key, is located in the catalogue that has it', async () => {
    const p = await project();
    const locales = path.join(p.data, 'locales');
    await mkdir(locales);
    await writeFile(path.join(locales, 'fr.yaml'), 'words:\n  sources_title: "{oops"\n');
    const problems = new ProblemList();
    expect(await loadCatalog('fr', 'fr-FR', { deckLocalesDir: locales, displayDeckLocalesDir: 'data/locales', problems })).toBeUndefined();
    expect(problems.problems).toEqual([expect.objectContaining({ file: path.join('data', 'locales', 'fr.yaml'), line: 2, message: expect.stringContaining('words.sources_title: not a valid ICU message') })]);

    // A language of its own, all in the deck's folder, with a key missing.
    const en = parseYaml(await readFile(path.join(packageLocalesDir, 'en.yaml'), 'utf8')) as { words: Record<string, string> };
    delete en.words.footnote_sources;
    await writeFile(path.join(locales, 'xx.yaml'), JSON.stringify(en));
    const missing = new ProblemList();
    await loadCatalog('xx', 'en-US', { deckLocalesDir: locales, displayDeckLocalesDir: 'data/locales', problems: missing });
    expect(missing.problems.map((problem) => `${problem.file}: ${problem.message}`)).toEqual([expect.stringMatching(/data\/locales\/xx\.yaml: words\.footnote_sources: is missing/)]);
  });

  it('a deck overrides one word in its own data/locales/, and the rest stays the package\'s', async () => {
    const p = await project();
    await mkdir(path.join(p.data, 'locales'));
    await writeFile(path.join(p.data, 'locales', 'fr.yaml'), 'words:\n  footnote_sources: "D’après :"\n');
    const result = await build({ dataDir: p.data, templatesDir: p.templates, outDir: p.out, pdf: false, langs: ['fr'] });
    const html = await readFile(result.htmlPath, 'utf8');
    expect(html).toContain('<span class="footnote-sources">D’après\u00a0: <a');
    expect(html).toContain('chiffre de l’article, non vérifié');
  });

  it('a language datadeck does not speak is an error that says how to add it; a catalogue file adds it', async () => {
    const p = await project();
    await editFile(path.join(p.data, 'deck.yaml'), (text) => text.replace('lang: fr\nlocale: fr-FR', 'lang: de\nlocale: de-DE'));
    const error = await build({ dataDir: p.data, templatesDir: p.templates, outDir: p.out, pdf: false, langs: ['de'] }).then(() => undefined, (thrown: unknown) => thrown);
    expect(error).toBeInstanceOf(DataErrors);
    expect((error as DataErrors).problems.map((problem) => problem.message).join('\n')).toMatch(/no catalogue for language "de": datadeck speaks en, fr\. Add one by copying locales\/en\.yaml to locales\/de\.yaml/);

    // German words for the generator, from the deck's own folder: the deck builds, in German.
    const de = (await readFile(path.join(packageLocalesDir, 'en.yaml'), 'utf8')).replace('language: English', 'language: Deutsch').replace('footnote_sources: "Sources:"', 'footnote_sources: "Quellen:"');
    await mkdir(path.join(p.data, 'locales'));
    await writeFile(path.join(p.data, 'locales', 'de.yaml'), de);
    const result = await build({ dataDir: p.data, templatesDir: p.templates, outDir: p.out, pdf: false, langs: ['de'] });
    const html = await readFile(result.htmlPath, 'utf8');
    expect(html).toContain('<html lang="de">');
    expect(html).toContain('Quellen:');
    // German number formatting from Intl: a decimal comma.
    expect(html).toContain('13,7');
  });
});

describe('the generator knows no deck', () => {
  async function filesUnder(dir: string): Promise<string[]> {
    const entries = await readdir(dir, { recursive: true, withFileTypes: true });
    return entries.filter((entry) => entry.isFile()).map((entry) => path.join(entry.parentPath, entry.name));
  }

  it('src/ and templates/ name no company, person or topic of the default deck', async () => {
    const facts = parseCsv(await readFile(path.join(dataDir, 'facts.csv'), 'utf8'), { columns: true }) as { id: string }[];
    // The deck's subjects, from its own fact ids (tether, openai, northern_data...), and names from its text.
    // Generic words among them ("northern_data", "generative_bionics", "article") are not names.
    const generic = ['data', 'article', 'productivity', 'generative', 'northern'];
    const subjects = new Set(facts.map((fact) => fact.id.split('.')[0]!).flatMap((subject) => [subject, ...subject.split('_')]).filter((word) => word.length >= 4 && !generic.includes(word)));
    subjects.add('northern_data');
    for (const name of ['usdt', 'stablecoin', 'techflow', 'nvidia', 'obama', 'altman', 'amodei', 'copeland', 'treasur']) subjects.add(name);
    expect(subjects).toContain('tether');
    expect(subjects).toContain('openai');
    const pattern = new RegExp(`\\b(${[...subjects].join('|')})`, 'i');
    const offenders: string[] = [];
    for (const file of [...(await filesUnder(path.join(repoRoot, 'src'))), ...(await filesUnder(path.join(repoRoot, 'templates')))]) {
      const text = await readFile(file, 'utf8');
      text.split('\n').forEach((line, index) => {
        if (pattern.test(line)) offenders.push(`${path.relative(repoRoot, file)}:${index + 1}: ${line.trim()}`);
      });
    }
    expect(offenders).toEqual([]);
  });

  it('templates hold no words: every text between tags is a {{value}}, punctuation or space', async () => {
    for (const file of await filesUnder(path.join(repoRoot, 'templates'))) {
      if (!file.endsWith('.hbs')) continue;
      const text = (await readFile(file, 'utf8'))
        .replace(/\{\{!--[\s\S]*?--\}\}/g, '')
        .replace(/\{\{[\s\S]*?\}\}/g, '')
        .replace(/<[^>]*>/g, '');
      expect(text.match(/\p{L}{2,}/gu) ?? [], path.relative(repoRoot, file)).toEqual([]);
    }
  });

  it('no word of the French catalogue is typed into the code', async () => {
    const fr = parseYaml(await readFile(path.join(packageLocalesDir, 'fr.yaml'), 'utf8')) as { words: Record<string, string> };
    const phrases = Object.values(fr.words).flatMap((message) => message.split(/\{[^}]*\}|[:;()]/)).map((part) => part.trim()).filter((part) => part.length >= 8);
    expect(phrases.length).toBeGreaterThan(5);
    for (const file of await filesUnder(path.join(repoRoot, 'src'))) {
      const text = await readFile(file, 'utf8');
      for (const phrase of phrases) expect(text.includes(phrase), `${path.relative(repoRoot, file)} contains "${phrase}"`).toBe(false);
    }
  });
});
