/**
 * Messages about a deck's data: each names the file, the line and the field, says what was found
 * and what would be right, and is headed for what it is.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { DataErrors, ProblemList } from '../src/errors.js';
import { loadCatalog } from '../src/i18n/catalog.js';
import { parseBeatText } from '../src/model/text.js';
import { build, type BuildOptions } from '../src/pipeline.js';
import { buildDataErrors, buildOptions } from './support/build.js';
import { runCli } from './support/cli.js';
import { expectProblem, lineOf, shown } from './support/problems.js';
import { editFile, read, scratchProjects, setFactValue, type ScratchProject } from './support/project.js';

const project = scratchProjects();

/** Both editions unless told otherwise, no browser: these tests are about the data. */
const dataErrors = (p: ScratchProject, extra: Partial<BuildOptions> = {}): Promise<DataErrors> => buildDataErrors(buildOptions(p, extra));

describe('headings say what kind of error follows', () => {
  it('a false claim is headed as a false claim, not as a problem in the sources', async () => {
    const p = await project();
    // A loss larger than Tether's profit: the comparisons fail, and nothing else does (a profit below
    // the parts of the profit_parts chart would be invalid data, as it should).
    await editFile(path.join(p.data, 'facts.csv'), (csv) => setFactValue(csv, 'openai.net_loss.2024', '50000000000'));
    const error = await dataErrors(p, { langs: ['fr'] });
    expect(error.code).toBe('falseClaim');
    expect(error.message.split('\n')[0]).toMatch(/^\d+ claims? (is|are) false:$/);
  });

  it('data, overflow and template errors each have their own heading', () => {
    const problem = { file: 'data/deck.yaml', line: 3, message: 'something' };
    expect(new DataErrors([problem]).message.split('\n')[0]).toBe("1 problem in the deck's data:");
    expect(new DataErrors([problem, problem, problem]).message.split('\n')[0]).toBe("3 problems in the deck's data:");
    expect(new DataErrors([problem, problem], 'overflow').message.split('\n')[0]).toBe('2 slides do not fit:');
    expect(new DataErrors([problem], 'overflow').message.split('\n')[0]).toBe('1 slide does not fit:');
    expect(new DataErrors([problem], 'falseClaim').message.split('\n')[0]).toBe('1 claim is false:');
    expect(new DataErrors([problem, problem], 'template').message.split('\n')[0]).toBe('2 problems in the templates:');
    expect(new DataErrors([problem]).message.split('\n')[1]).toBe('  data/deck.yaml:3: something');
  });
});

describe('an unknown name is told the close one it most likely meant', () => {
  it('fact ids in text, number, columns, charts, claims and derived expressions; chart ids, layouts, roles', async () => {
    const p = await project();
    const deck = path.join(p.data, 'deck.yaml');
    await editFile(deck, (text) => text
      .replace('layout: big-number', 'layout: big-numbr')
      .replace('number: tether.net_profit.2024', 'number: tether.net_profit.2042')
      .replace('a gagné {{fact "tether.net_profit.2024"}}', 'a gagné {{fact "tether.net_proft.2024"}}')
      .replace('- check: labs.combined_loss.2024 < tether.net_profit.2024', '- check: labs.combined_los.2024 < tether.net_profit.2024')
      .replace('chart: per_person', 'chart: per_persons'));
    await editFile(path.join(p.data, 'charts.yaml'), (text) => text.replace('fact: openai.net_loss.2024, label: Perte d’OpenAI, role: openai', 'fact: openai.net_loss.202, label: Perte d’OpenAI, role: opena'));
    await editFile(path.join(p.data, 'derived.yaml'), (text) => text.replace('expr: tether.net_profit.2024 / tether.staff', 'expr: tether.net_profit.2024 / tether.staf'));
    const text = await read(deck);
    const charts = await read(path.join(p.data, 'charts.yaml'));
    const derived = await read(path.join(p.data, 'derived.yaml'));
    const { problems } = await dataErrors(p, { langs: ['fr'] });
    expectProblem(problems, { file: 'data/deck.yaml', line: lineOf(text, 'layout: big-numbr'), message: 'unknown layout "big-numbr" (templates exist for: big-number, bullets, chart, comparison, quote, section, sources, table, title); did you mean "big-number"?' });
    expectProblem(problems, { file: 'data/deck.yaml', line: lineOf(text, 'number: tether.net_profit.2042'), message: 'unknown fact "tether.net_profit.2042"; did you mean "tether.net_profit.2024"?' });
    expectProblem(problems, { file: 'data/deck.yaml', line: lineOf(text, 'net_proft'), message: 'unknown fact "tether.net_proft.2024"; did you mean "tether.net_profit.2024"?' });
    expectProblem(problems, { file: 'data/deck.yaml', line: lineOf(text, 'labs.combined_los.2024 <'), message: 'uses unknown fact "labs.combined_los.2024" (did you mean "labs.combined_loss.2024"?)' });
    expectProblem(problems, { file: 'data/deck.yaml', line: lineOf(text, 'chart: per_persons'), message: 'unknown chart "per_persons" (charts.yaml defines: profit_vs_losses, per_person, ai_bets, ai_money, profit_parts, tbill_rates); did you mean "per_person"?' });
    expectProblem(problems, { file: 'data/charts.yaml', line: lineOf(charts, 'openai.net_loss.202,'), message: 'chart "profit_vs_losses", bars[1].fact: unknown fact "openai.net_loss.202"; did you mean "openai.net_loss.2024"?' });
    expectProblem(problems, { file: 'data/charts.yaml', line: lineOf(charts, 'openai.net_loss.202,'), message: 'chart "profit_vs_losses", bars[1].role: unknown role "opena"; did you mean "openai"?' });
    expectProblem(problems, { file: 'data/derived.yaml', line: lineOf(derived, 'tether.staf'), message: 'figure "tether.profit_per_employee.2024": expression "tether.net_profit.2024 / tether.staf" uses unknown fact "tether.staf"; did you mean "tether.staff"?' });
  });

  it('units, statuses, columns and unknown fields of every YAML file', async () => {
    const p = await project();
    await editFile(path.join(p.data, 'facts.csv'), (csv) => csv.replace(',USD,2024,Bénéfice net de Tether,', ',usd,2024,Bénéfice net de Tether,').replace(',sourced,', ',sorced,'));
    await editFile(path.join(p.data, 'deck.yaml'), (text) => text.replace('kicker: Tether, en 2024', 'kiker: Tether, en 2024'));
    await editFile(path.join(p.data, 'charts.yaml'), (text) => text.replace('orientation: vertical', 'orientation: verticl'));
    await editFile(path.join(p.data, 'derived.yaml'), (text) => text.replace('expr: tether.net_profit.2024 / tether.staff', 'exp: tether.net_profit.2024 / tether.staff'));
    const { problems } = await dataErrors(p, { langs: ['fr'] });
    const messages = problems.map(shown);
    expect(messages).toContainEqual(expect.stringMatching(/^data\/facts\.csv:2:\d+: unit "usd" is not a known unit \(expected one of USD, EUR, .*\); did you mean "USD"\?/));
    expect(messages).toContainEqual(expect.stringMatching(/^data\/facts\.csv:\d+:\d+: status "sorced" is not a known status \(expected one of sourced, article-only, corrected\); did you mean "sourced"\?/));
    expect(messages).toContainEqual(expect.stringMatching(/^data\/deck\.yaml:\d+:5: slides\[1\]: unknown field "kiker"; did you mean "kicker"\?$/));
    expect(messages).toContainEqual(expect.stringMatching(/^data\/charts\.yaml:\d+:\d+: chart "profit_vs_losses", orientation: "verticl" is not one of vertical, horizontal; did you mean "vertical"\?$/));
    expect(messages).toContainEqual(expect.stringMatching(/^data\/derived\.yaml:\d+:\d+: figure "tether.profit_per_employee.2024": unknown field "exp"; did you mean "expr"\?$/));

    const header = await project();
    await editFile(path.join(header.data, 'facts.csv'), (csv) => csv.replace('id,value,unit,period,label,', 'id,value,unit,period,lable,'));
    expect((await dataErrors(header, { langs: ['fr'] })).problems.map((problem) => problem.message)).toContainEqual('unknown column "lable" (expected id, value, unit, period, label, source_title, source_url, article_value, status, note); did you mean "label"?');
  });

  it('ids of a translation the deck does not have, and nothing when no name is close', async () => {
    const p = await project();
    const file = path.join(p.data, 'translations', 'en.yaml');
    await editFile(file, (text) => text.replace('\n  hook:\n', '\n  hoook:\n').replace('\ncharts:\n', '\ncharts:\n  per_persn: { title: x }\n  elsewhere: { title: y }\n'));
    const text = await read(file);
    const { problems } = await dataErrors(p, { langs: ['en'] });
    expectProblem(problems, { file: 'data/translations/en.yaml', line: lineOf(text, 'hoook:'), message: 'slides.hoook: no slide has this id in deck.yaml; did you mean "hook"?' });
    expectProblem(problems, { file: 'data/translations/en.yaml', line: lineOf(text, 'per_persn:'), message: 'charts.per_persn: no chart has this id in charts.yaml; did you mean "per_person"?' });
    const far = problems.find((problem) => problem.message.startsWith('charts.elsewhere:'));
    expect(far?.message).toBe('charts.elsewhere: no chart has this id in charts.yaml');
  });
});

describe('derived.yaml and charts.yaml name the figure or chart, the value given and what is allowed', () => {
  it('a bad unit, an empty label and a bad orientation', async () => {
    const p = await project();
    await editFile(path.join(p.data, 'derived.yaml'), (text) => text.replace('  unit: USD\n  expr: openai.net_loss.2024', '  unit: dollars\n  expr: openai.net_loss.2024').replace('label: Bénéfice de Tether par employé', "label: ''"));
    await editFile(path.join(p.data, 'charts.yaml'), (text) => text.replace('orientation: horizontal', 'orientation: sideways'));
    const derived = await read(path.join(p.data, 'derived.yaml'));
    const charts = await read(path.join(p.data, 'charts.yaml'));
    const { problems } = await dataErrors(p, { langs: ['fr'] });
    expectProblem(problems, { file: 'data/derived.yaml', line: lineOf(derived, 'unit: dollars'), message: 'figure "labs.combined_loss.2024", unit: "dollars" is not a known unit (expected one of USD, EUR, people, year, rank, count, ratio, percent, fraction, tokens, words_per_minute; a deck declares its own in units.yaml)' });
    expectProblem(problems, { file: 'data/derived.yaml', line: lineOf(derived, "label: ''"), message: 'figure "tether.profit_per_employee.2024", label: is empty' });
    expectProblem(problems, { file: 'data/charts.yaml', line: lineOf(charts, 'orientation: sideways'), message: 'chart "per_person", orientation: "sideways" is not one of vertical, horizontal' });
  });

  it('an id that is not one, and a number where text belongs', async () => {
    const p = await project();
    await editFile(path.join(p.data, 'charts.yaml'), (text) => text.replace('\nper_person:\n', '\nPer-Person:\n  title: x\n  bars: [{ fact: tether.staff, label: y }]\nper_person:\n'));
    await editFile(path.join(p.data, 'derived.yaml'), (text) => text.replace('label: Bénéfice de Tether par employé', 'label: 2024'));
    await editFile(path.join(p.data, 'theme.yaml'), (text) => text.replace('roles:\n', "roles:\n  Bad_Role: '#123456'\n"));
    const { problems } = await dataErrors(p, { langs: ['fr'] });
    const charts = await read(path.join(p.data, 'charts.yaml'));
    expect(problems.map(shown).sort()).toEqual([
      `data/charts.yaml:${lineOf(charts, 'Per-Person')}:1: chart "Per-Person": the key "Per-Person" is not a valid id (lower-case words joined by dots, e.g. acme.revenue.2024)`,
      `data/derived.yaml:${lineOf(await read(path.join(p.data, 'derived.yaml')), 'label: 2024')}:10: figure "tether.profit_per_employee.2024", label: is read as a number (2024), not text: quote it: '2024'`,
      `data/theme.yaml:${lineOf(await read(path.join(p.data, 'theme.yaml')), 'Bad_Role')}:3: roles.Bad_Role: the key "Bad_Role" is not a role name (lower-case letters, digits and dashes)`,
    ]);
  });

  it('a chart mixing units and a derived figure that divides by zero say which', async () => {
    const p = await project();
    await editFile(path.join(p.data, 'charts.yaml'), (text) => text.replace('{ fact: openai.net_loss.2024, label: Perte d’OpenAI, role: openai }', '{ fact: tether.staff, label: Perte d’OpenAI, role: openai }'));
    await editFile(path.join(p.data, 'derived.yaml'), (text) => text.replace('expr: tether.net_profit.2024 / tether.staff', 'expr: tether.net_profit.2024 / (tether.staff - tether.staff)'));
    const { problems } = await dataErrors(p, { langs: ['fr'] });
    expect(problems.map((problem) => problem.message)).toContainEqual(expect.stringMatching(/^chart "profit_vs_losses" mixes units USD and people/));
    expect(problems.map((problem) => problem.message)).toContainEqual(expect.stringMatching(/^figure "tether\.profit_per_employee\.2024": expression ".*": division by zero$/));
  });
});

describe("YAML's traps are explained as YAML's", () => {
  it('an unquoted colour is a comment: the value is empty, and needs quotes', async () => {
    const p = await project();
    await editFile(path.join(p.data, 'theme.yaml'), (text) => text.replace("  lab: '#b3263a'", '  lab: #b3263a'));
    const theme = await read(path.join(p.data, 'theme.yaml'));
    const { problems } = await dataErrors(p, { langs: ['fr'] });
    expect(problems.map(shown)).toEqual([`data/theme.yaml:${lineOf(theme, 'lab: #')}:8: roles.lab: is empty: in YAML a # starts a comment, so #b3263a was read as one; quote the colour: '#b3263a'`]);
  });

  it('a plain value starting with # in a text field, and a bullet with " : " read as a mapping', async () => {
    const p = await project();
    const deck = path.join(p.data, 'deck.yaml');
    await editFile(deck, (text) => text.replace('kicker: Tether, en 2024', 'kicker: #1 des stablecoins'));
    const items = /items:\n(\s+)- (.*)\n/.exec(await read(deck))!;
    await editFile(deck, (text) => text.replace(`items:\n${items[1]}- ${items[2]}\n`, `items:\n${items[1]}- ${items[2]}\n${items[1]}- Un chiffre : 13 milliards\n`));
    const text = await read(deck);
    const { problems } = await dataErrors(p, { langs: ['fr'] });
    expectProblem(problems, { file: 'data/deck.yaml', line: lineOf(text, 'kicker: #1'), message: "slides[1].kicker: is empty: in YAML a # starts a comment, so #1 des stablecoins was read as one; quote the value: '#1 des stablecoins'" });
    expectProblem(problems, { file: 'data/deck.yaml', line: lineOf(text, 'Un chiffre : 13'), message: /^slides\[\d+\]\.items\[1\]: is a mapping, not text: in YAML ": " inside a plain value starts a key; quote the text or write it as a block with >-$/ });
    expect(problems).toHaveLength(2);
  });

  it('the same in a translation', async () => {
    const p = await project();
    const file = path.join(p.data, 'translations', 'en.yaml');
    await editFile(file, (text) => text.replace('kicker: Tether, in 2024', 'kicker: # Tether, in 2024'));
    const { problems } = await dataErrors(p, { langs: ['en'] });
    expectProblem(problems, { file: 'data/translations/en.yaml', line: lineOf(await read(file), 'kicker: #'), message: "slides.hook.kicker: is empty: in YAML a # starts a comment, so # Tether, in 2024 was read as one; quote the value: '# Tether, in 2024'" });
  });
});

describe('keys JavaScript gives a meaning of its own', () => {
  const proto = '"__proto__" cannot be a key';

  it('__proto__ is refused where it is written: roles, charts, every part of a translation, locales', async () => {
    const p = await project();
    await editFile(path.join(p.data, 'theme.yaml'), (text) => text.replace('roles:\n', "roles:\n  __proto__: '#123456'\n"));
    await editFile(path.join(p.data, 'charts.yaml'), (text) => text.replace('\nper_person:\n', '\n__proto__:\n  title: x\n  bars: [{ fact: tether.staff, label: y }]\nper_person:\n'));
    const translation = path.join(p.data, 'translations', 'en.yaml');
    await editFile(translation, (text) => text
      .replace('\nslides:\n', '\n__proto__: { title: x }\nslides:\n  __proto__: { title: x }\n')
      .replace('\nfacts:\n', '\nfacts:\n  __proto__: { label: x }\n')
      .replace('\nderived:\n', '\nderived:\n  __proto__: { label: x }\n')
      .replace('\ncharts:\n', '\ncharts:\n  __proto__: { title: x }\n'));
    const { problems } = await dataErrors(p);
    const theme = await read(path.join(p.data, 'theme.yaml'));
    const charts = await read(path.join(p.data, 'charts.yaml'));
    const words = await read(translation);
    expectProblem(problems, { file: 'data/theme.yaml', line: lineOf(theme, '__proto__'), column: 3, message: proto });
    expectProblem(problems, { file: 'data/charts.yaml', line: lineOf(charts, '__proto__'), column: 1, message: proto });
    const lines = words.split('\n').flatMap((line, index) => (line.includes('__proto__') ? [index + 1] : []));
    expect(lines).toHaveLength(5);
    for (const line of lines) expectProblem(problems, { file: 'data/translations/en.yaml', line, message: proto });
    // The catalogue is read once the data is clean: the same refusal, from its own file.
    const q = await project();
    await mkdir(path.join(q.data, 'locales'));
    await writeFile(path.join(q.data, 'locales', 'fr.yaml'), 'words:\n  __proto__: { footnote_sources: x }\n');
    expect((await dataErrors(q, { langs: ['fr'] })).problems.map(shown)).toEqual([`data/locales/fr.yaml:2:3: words: ${proto} (JavaScript reserves the name, and the entry would be lost); rename it`]);
  });

  it('a slide or a chart called "constructor" or "toString" is one like any other', async () => {
    const p = await project();
    await editFile(path.join(p.data, 'deck.yaml'), (text) => text.replace('    id: hook\n', '    id: constructor\n'));
    const translation = path.join(p.data, 'translations', 'en.yaml');
    await editFile(translation, (text) => text.replace('\n  hook:\n', '\n  hooks:\n').replace('\ncharts:\n', '\ncharts:\n  toString: { title: x }\n  constructor: { title: y }\n'));
    const words = await read(translation);
    const { problems } = await dataErrors(p, { langs: ['en'] });
    expect(problems.map(shown).sort()).toEqual([
      expect.stringMatching(/^data\/translations\/en\.yaml:\d+:3: slide 2 "constructor": no English translation \(the original is at .*deck\.yaml:\d+\)$/),
      `data/translations/en.yaml:${lineOf(words, 'constructor: { title')}:3: charts.constructor: no chart has this id in charts.yaml`,
      `data/translations/en.yaml:${lineOf(words, 'hooks:')}:3: slides.hooks: no slide has this id in deck.yaml`,
      `data/translations/en.yaml:${lineOf(words, 'toString:')}:3: charts.toString: no chart has this id in charts.yaml`,
    ].sort());
  });
});

describe('characters no text may hold are refused at load, located', () => {
  it('U+FFFF, U+FFFE, U+FDD0, a lone surrogate and a control character, written or escaped, in every data file', async () => {
    const p = await project();
    const facts = path.join(p.data, 'facts.csv');
    await editFile(facts, (csv) => csv.replace('Bénéfice net de Tether,', 'Bénéfice net\uFFFE de Tether,'));
    const deck = path.join(p.data, 'deck.yaml');
    await editFile(deck, (text) => text.replace('kicker: Tether, en 2024', 'kicker: Tether, en 2024\uFFFF'));
    await editFile(path.join(p.data, 'charts.yaml'), (text) => text.replace('title: Par employé, 2024', 'title: "Par employé, \\uD800 2024"'));
    await editFile(path.join(p.data, 'derived.yaml'), (text) => text.replace('label: Bénéfice de Tether par employé', 'label: "Bénéfice \\x07 de Tether par employé"'));
    const translation = path.join(p.data, 'translations', 'en.yaml');
    await editFile(translation, (text) => text.replace('kicker: Tether, in 2024', 'kicker: "Tether, in \\uFDD0 2024"'));
    const { problems } = await dataErrors(p);
    const csv = await read(facts);
    const factLine = lineOf(csv, '\uFFFE');
    const factColumn = csv.split('\n')[factLine - 1]!.indexOf('\uFFFE') + 1;
    const kicker = (await read(deck)).split('\n').find((line) => line.includes('\uFFFF'))!;
    expect(problems.map(shown).sort()).toEqual([
      `data/charts.yaml:${lineOf(await read(path.join(p.data, 'charts.yaml')), '\\uD800')}:10: chart "per_person", title: holds U+D800, half of a surrogate pair without its other half (no character at all); remove it`,
      `data/deck.yaml:${lineOf(await read(deck), '\uFFFF')}:${kicker.indexOf('\uFFFF') + 1}: slides[1].kicker: holds U+FFFF, a noncharacter (a code point Unicode keeps out of text); remove it`,
      `data/derived.yaml:${lineOf(await read(path.join(p.data, 'derived.yaml')), '\\x07')}:10: figure "tether.profit_per_employee.2024", label: holds U+0007, a control character, which has no place in text; remove it`,
      `data/facts.csv:${factLine}:${factColumn}: label: holds U+FFFE, a noncharacter (a code point Unicode keeps out of text); remove it (column label, id tether.net_profit.2024)`,
      `data/translations/en.yaml:${lineOf(await read(translation), '\\uFDD0')}:13: slides.hook.kicker: holds U+FDD0, a noncharacter (a code point Unicode keeps out of text); remove it`,
    ].sort());
  });

  it('in a key, and in a deck\'s catalogue override', async () => {
    const p = await project();
    await editFile(path.join(p.data, 'theme.yaml'), (text) => text.replace("  lab: '#b3263a'", "  \"lab\\uFFFF\": '#b3263a'"));
    expect((await dataErrors(p, { langs: ['fr'] })).problems.map(shown)).toEqual([expect.stringMatching(/^data\/theme\.yaml:\d+:3: roles: holds U\+FFFF, a noncharacter/)]);
    const q = await project();
    await mkdir(path.join(q.data, 'locales'));
    await writeFile(path.join(q.data, 'locales', 'fr.yaml'), 'words:\n  footnote_sources: "Sources\uFFFF :"\n');
    expect((await dataErrors(q, { langs: ['fr'] })).problems.map(shown)).toEqual(['data/locales/fr.yaml:2:29: words.footnote_sources: holds U+FFFF, a noncharacter (a code point Unicode keeps out of text); remove it']);
  });

  it('an astral noncharacter (U+1FFFF) in a CSV cell that spans lines is located at its own line and column', async () => {
    const { parseFactsCsv } = await import('../src/data/csv.js');
    const problems = new ProblemList();
    const csv = 'id,value,unit,period,label,source_title,source_url,article_value,status,note\na.b,1,USD,2024,"Deux\nlignes \u{1FFFF}",Source,,,sourced,\n';
    parseFactsCsv(csv, 'data/facts.csv', problems);
    expect(problems.problems.map(shown)).toEqual(['data/facts.csv:3:8: label: holds U+1FFFF, a noncharacter (a code point Unicode keeps out of text); remove it (column label, id a.b)']);
  });
});

describe('locations an editor can jump to', () => {
  it('a CSV problem is at the character column where its field starts, on the line where it starts', async () => {
    const { parseFactsCsv } = await import('../src/data/csv.js');
    const problems = new ProblemList();
    // The label spans lines 2-3: the status after it starts on line 3, at the 18th character.
    const csv = 'id,value,unit,period,label,source_title,source_url,article_value,status,note\na.b,1,USD,2024,"Deux\nlignes",Source,,,sourcd,\nc.d,deux,USD,2024,L,S,,,sourced,\n';
    parseFactsCsv(csv, 'data/facts.csv', problems);
    expect(problems.problems.map(shown)).toEqual([
      'data/facts.csv:3:18: status "sourcd" is not a known status (expected one of sourced, article-only, corrected); did you mean "sourced"? (column status, id a.b)',
      'data/facts.csv:4:5: value "deux" is not a number (expected a plain number in base units, e.g. 13700000000) (column value, id c.d)',
    ]);
  });

  it('the same in the deck\'s own facts.csv, through a build', async () => {
    const p = await project();
    const facts = path.join(p.data, 'facts.csv');
    await editFile(facts, (csv) => setFactValue(csv, 'tether.staff', 'cent'));
    const line = (await read(facts)).split('\n').findIndex((text) => text.startsWith('tether.staff,')) + 1;
    const { problems } = await dataErrors(p, { langs: ['fr'] });
    expectProblem(problems, { file: 'data/facts.csv', line, column: 'tether.staff,'.length + 1, message: 'value "cent" is not a number' });
  });

  it('a language without a catalogue is located at the lang: line that asks for it', async () => {
    const p = await project();
    await editFile(path.join(p.data, 'deck.yaml'), (text) => text.replace('lang: fr\nlocale: fr-FR', 'lang: xx\nlocale: fr-FR'));
    const deck = await read(path.join(p.data, 'deck.yaml'));
    expect((await dataErrors(p, { langs: ['xx'] })).problems.map(shown)).toEqual([
      `data/deck.yaml:${lineOf(deck, 'lang: xx')}:7: no catalogue for language "xx": datadeck speaks en, fr. Add one by copying locales/en.yaml to locales/xx.yaml and translating it.`,
    ]);

    const q = await project();
    const english = path.join(q.data, 'translations', 'en.yaml');
    await writeFile(path.join(q.data, 'translations', 'zz.yaml'), (await read(english)).replace('lang: en\n', 'lang: zz\n'));
    expect((await dataErrors(q, { langs: ['zz'] })).problems.map(shown)).toEqual([
      `data/translations/zz.yaml:${lineOf(await read(english), 'lang: en')}:7: no catalogue for language "zz": datadeck speaks en, fr. Add one by copying locales/en.yaml to locales/zz.yaml and translating it.`,
    ]);
  });
});

describe("a deck's catalogue override is checked against the arguments its message is given", () => {
  it('an argument the message is not given is a located exit 2, naming the arguments it has', async () => {
    const p = await project();
    await mkdir(path.join(p.data, 'locales'));
    await writeFile(path.join(p.data, 'locales', 'fr.yaml'), 'words:\n  footnote_sources: "Sources {x}"\n  caveat_differs: "{label} : {valeur}"\n');
    const { problems, code } = await dataErrors(p, { langs: ['fr'] });
    expect(code).toBe('invalidData');
    expect(problems.map(shown)).toEqual([
      'data/locales/fr.yaml:2:21: words.footnote_sources: uses {x}, but this message is given no arguments',
      'data/locales/fr.yaml:3:19: words.caveat_differs: uses {valeur}, but this message is given {label} (text) and {value} (text)',
    ]);
    const cli = await runCli(['build', '--no-pdf', '--lang', 'fr', '--data', p.data, '--templates', p.templates, '--out', p.out]);
    expect(cli.code).toBe(2);
    expect(cli.stderr).toMatch(/locales\/fr\.yaml:2:21: words\.footnote_sources: uses \{x\}/);
  });

  it('a plural or a number format over text is refused (it printed "b NaN" on the slide); over a number it is fine', async () => {
    const p = await project();
    await mkdir(path.join(p.data, 'locales'));
    await writeFile(path.join(p.data, 'locales', 'fr.yaml'), [
      'words:',
      '  caveat_differs: "{label, plural, one {a} other {b #}} {value}"',
      '  handout_slide: "Diapositive {number, selectordinal, one {#re} other {#e}} ({number, number})"',
      'figures:',
      '  USD:',
      '    short: "{sign}{short, number}$"',
      '',
    ].join('\n'));
    const { problems } = await dataErrors(p, { langs: ['fr'] });
    expect(problems.map(shown)).toEqual([
      expect.stringMatching(/^data\/locales\/fr\.yaml:6:12: figures\.USD\.short: \{short, number\} needs a number, but \{short\} is text .*This message is given \{number\} \(text\), \{scaled\} \(text\), \{short\} \(text\), \{scale\} \(text\), \{count\} \(number\), \{value\} \(number\), \{percent\} \(text\) and \{sign\} \(text\)$/),
      'data/locales/fr.yaml:2:19: words.caveat_differs: {label, plural, …} needs a number, but {label} is text (it would print "NaN"); write {label} as it is, or choose words with {label, select, …}. This message is given {label} (text) and {value} (text)',
    ]);

    // The number of a slide is a number: choosing words by it works, and the deck builds.
    await writeFile(path.join(p.data, 'locales', 'fr.yaml'), 'words:\n  handout_slide: "{number, selectordinal, one {#re} other {#e}} diapositive"\n');
    const clean = new ProblemList();
    const catalog = await loadCatalog('fr', 'fr-FR', { deckLocalesDir: path.join(p.data, 'locales'), problems: clean });
    expect(clean.problems).toEqual([]);
    expect([1, 2].map((number) => catalog!.message('handout_slide', { number }))).toEqual(['1re diapositive', '2e diapositive']);
    await build(buildOptions(p, { langs: ['fr'] }));
  });
});

describe('figure placeholders take single quotes as well as double ones', () => {
  it('parses {{fact \'id\'}}, {{fact \'id\' \'short\'}} and {{article \'id\'}}', () => {
    expect(parseBeatText(`{{fact 'a.b'}} et {{ fact 'a.b' 'short' }}, {{article 'c.d' "number"}}`)).toEqual([
      { kind: 'figure', id: 'a.b', style: 'long', as: 'value' },
      { kind: 'text', text: ' et ' },
      { kind: 'figure', id: 'a.b', style: 'short', as: 'value' },
      { kind: 'text', text: ', ' },
      { kind: 'figure', id: 'c.d', style: 'number', as: 'article' },
    ]);
    expect(() => parseBeatText(`{{fact 'a.b"}}`)).toThrow(/is not a figure reference/);
    expect(() => parseBeatText(`{{fact 'a.b' 'shrot'}}`)).toThrow(/unknown style "shrot" .*did you mean "short"\?/);
  });

  it('a sentence that starts with a figure, quoted in YAML, needs no escaped quotes: the deck is the same', async () => {
    const escaped = await project();
    const single = await project();
    const sentence = (placeholder: string): string => `kicker: "${placeholder} de bénéfice net en 2024"`;
    await editFile(path.join(escaped.data, 'deck.yaml'), (text) => text.replace('kicker: Tether, en 2024', sentence('{{fact \\"tether.net_profit.2024\\" \\"short\\"}}')));
    await editFile(path.join(single.data, 'deck.yaml'), (text) => text.replace('kicker: Tether, en 2024', sentence("{{fact 'tether.net_profit.2024' 'short'}}")));
    const [a, b] = await Promise.all([build(buildOptions(escaped, { langs: ['fr'] })), build(buildOptions(single, { langs: ['fr'] }))]);
    const [htmlA, htmlB] = await Promise.all([read(a.htmlPath), read(b.htmlPath)]);
    expect(htmlA).toMatch(/13,7\s?Md\s?\$ de bénéfice net en 2024/);
    expect(htmlB).toBe(htmlA);
  });
});
