/**
 * The deck model (src/model/): derived figures and their expressions, figure references in text,
 * claims checked against the figures, the article's own figures beside the deck's. A mistake is a
 * located problem, never a crash, and never a wrong figure on a slide. Tests that need only a fact
 * or two build a small deck of their own (support/small-deck.ts); the others edit the default deck.
 */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { DataErrors, ProblemList, type DataProblem } from '../src/errors.js';
import { loadData } from '../src/data/load.js';
import { buildDeckModel } from '../src/model/deck.js';
import { loadTemplates } from '../src/render/engine.js';
import { build } from '../src/pipeline.js';
import { buildDataErrors, buildOptions, frenchOptions } from './support/build.js';
import { endsWithFile, expectOnlyProblem, expectProblem, lineOf } from './support/problems.js';
import { editFile, read, scratchProjects } from './support/project.js';
import { smallDecks } from './support/small-deck.js';

const project = scratchProjects();
const smallDeck = smallDecks();

describe('derived.yaml expressions', () => {
  const derived = (id: string, expr: string): string => `\n- id: ${id}\n  label: Figure ${id}\n  unit: USD\n  expr: ${expr}\n`;

  /** A small deck of one fact, tether.staff, whose derived.yaml is these entries. */
  async function derivedErrors(...entries: string[]): Promise<{ problems: readonly DataProblem[]; text: string }> {
    const p = await smallDeck({ facts: [{ id: 'tether.staff', value: 150, unit: 'people' }], derived: entries.join('') });
    const error = await buildDataErrors(buildOptions(p));
    return { problems: error.problems, text: await read(path.join(p.data, 'derived.yaml')) };
  }

  it('an unknown id is located at the expression', async () => {
    const { problems, text } = await derivedErrors(derived('bad.unknown', 'tether.staff + nobody.knows'));
    expectOnlyProblem(problems, { file: 'data/derived.yaml', line: lineOf(text, 'expr: tether.staff + nobody.knows'), field: 'bad.unknown.expr', message: 'expression "tether.staff + nobody.knows" uses unknown fact "nobody.knows"' });
  });

  it('a cycle is reported once, at the expression that closes it, with the path', async () => {
    const { problems, text } = await derivedErrors(derived('cycle.a', 'cycle.b + 1'), derived('cycle.b', 'cycle.a * 2'));
    expectOnlyProblem(problems, { file: 'data/derived.yaml', line: lineOf(text, 'expr: cycle.b + 1'), field: 'cycle.a.expr', message: '"cycle.a" depends on itself (cycle.a -> cycle.b -> cycle.a)' });
  });

  it('a syntax error names the character', async () => {
    const { problems, text } = await derivedErrors(derived('bad.syntax', 'tether.staff + * 2'));
    expectOnlyProblem(problems, { file: 'data/derived.yaml', line: lineOf(text, 'expr: tether.staff + * 2'), field: 'bad.syntax.expr', message: 'expression "tether.staff + * 2": unexpected "*" at character 16' });
  });

  it('division by zero is an error, not Infinity', async () => {
    const { problems, text } = await derivedErrors(derived('bad.zero', 'tether.staff / (tether.staff - tether.staff)'));
    expectOnlyProblem(problems, { file: 'data/derived.yaml', line: lineOf(text, 'expr: tether.staff / (tether.staff'), field: 'bad.zero.expr', message: 'division by zero' });
  });

  it('a figure that fails to compute is reported once, not again as an "unknown fact" wherever it is used', async () => {
    // labs.combined_loss.2024 is on a chart, in a claim and in notes; it exists, it just cannot be computed.
    const p = await project();
    const file = path.join(p.data, 'derived.yaml');
    await editFile(file, (text) => text.replace('expr: openai.net_loss.2024 + anthropic.net_loss.2024', 'expr: openai.net_loss.2024 / 0'));
    const error = await buildDataErrors(frenchOptions(p));
    expectProblem(error.problems, { file: 'data/derived.yaml', line: lineOf(await read(file), 'expr: openai.net_loss.2024 / 0'), field: 'labs.combined_loss.2024.expr', message: 'division by zero' });
    const misleading = error.problems.filter((problem) => problem.message.includes('unknown fact "labs.combined_loss.2024"'));
    expect(misleading, JSON.stringify(misleading, null, 2)).toEqual([]);
  });

  it('an expression that overflows (1e400) is not a finite number', async () => {
    // Quoted: unquoted, YAML itself reads 1e400 as a number (Infinity) and the schema wants text.
    const { problems, text } = await derivedErrors(derived('bad.huge', '"1e400"'));
    expectOnlyProblem(problems, { file: 'data/derived.yaml', line: lineOf(text, 'expr: "1e400"'), field: 'bad.huge.expr', message: 'gives Infinity, not a finite number' });
  });
});

describe('claims and beat text', () => {
  const trueClaim = '- tether.profit_per_employee.2024 > openai.revenue_per_employee.2024';
  const falseClaim = '- tether.profit_per_employee.2024 < openai.revenue_per_employee.2024';

  it('a false claim fails with code falseClaim, naming the slide and the values', async () => {
    const p = await project();
    const file = path.join(p.data, 'deck.yaml');
    await editFile(file, (text) => text.replace(trueClaim, falseClaim));
    const error = await buildDataErrors(frenchOptions(p));
    expect(error.code).toBe('falseClaim');
    expect(error.exitCode).toBe(3);
    expectOnlyProblem(error.problems, {
      file: 'data/deck.yaml',
      line: lineOf(await read(file), falseClaim),
      message: 'slide 5 "Par tête, l’écart est vertigineux": 9.1e7 < 1.2e6 is false (claim: tether.profit_per_employee.2024 < openai.revenue_per_employee.2024)',
    });
  });

  it('with allowFalseClaims the false claim is a warning and shows (escaped) in the speaker notes', async () => {
    const p = await project();
    const file = path.join(p.data, 'deck.yaml');
    await editFile(file, (text) => text.replace(trueClaim, falseClaim));
    const result = await build(frenchOptions(p, { allowFalseClaims: true }));
    const line = lineOf(await read(file), falseClaim);
    const warning = result.warnings.find((w) => w.includes('9.1e7 < 1.2e6 is false'));
    expect(warning).toBeDefined();
    expect(endsWithFile(warning!.split(':')[0]!, 'data/deck.yaml')).toBe(true);
    expect(warning).toContain(`deck.yaml:${line}: slide 5 "Par tête, l’écart est vertigineux"`);
    expect(warning).toContain('(allowed by --allow-false-claims)');
    const html = await read(result.htmlPath);
    expect(html).toContain('tether.profit_per_employee.2024 &lt; openai.revenue_per_employee.2024 (9.1e7 &lt; 1.2e6)');
  });

  it('{{constructor}} in beat text is an error at that field', async () => {
    const p = await project();
    const file = path.join(p.data, 'deck.yaml');
    await editFile(file, (text) => text.replace('text: Et pas pour quelques projets de façade.', 'text: Et {{constructor}} pas {{__proto__}}'));
    const error = await buildDataErrors(frenchOptions(p));
    expectOnlyProblem(error.problems, { file: 'data/deck.yaml', line: lineOf(await read(file), 'text: Et {{constructor}}'), field: 'slides[7].text', message: '"{{constructor}}" is not a figure reference (write {{fact \'some.id\'}}' });
  });

  it('{{#each}} and other Handlebars syntax in beat text are errors, in every text field', async () => {
    const p = await project();
    const file = path.join(p.data, 'deck.yaml');
    await editFile(file, (text) => text
      .replace('text: Commencez par maîtriser la planche à billets.', 'text: "{{#each slides}}{{this}}{{/each}}"')
      .replace('attribution: TechFlow', 'attribution: "{{{fact \\"tether.staff\\"}}}"')
      .replace('    kicker: Tether, en 2024', '    kicker: "{{> footnote}}"'));
    const error = await buildDataErrors(frenchOptions(p));
    const text = await read(file);
    expect(error.problems).toHaveLength(3);
    expectProblem(error.problems, { file: 'data/deck.yaml', line: lineOf(text, 'text: "{{#each slides}}'), field: 'slides[20].text', message: '"{{#each slides}}" is not a figure reference' });
    expectProblem(error.problems, { file: 'data/deck.yaml', line: lineOf(text, 'attribution: "{{{fact'), field: 'slides[18].attribution', message: 'is not a figure reference' });
    expectProblem(error.problems, { file: 'data/deck.yaml', line: lineOf(text, 'kicker: "{{> footnote}}"'), field: 'slides[1].kicker', message: '"{{> footnote}}" is not a figure reference' });
  });

  it('a claim calling constructor() is a located expression error, not a crash', async () => {
    // Regression: `name in functions` was true for Object.prototype members, and parsing crashed with a TypeError.
    const p = await project();
    const file = path.join(p.data, 'deck.yaml');
    await editFile(file, (text) => text.replace(trueClaim, '- constructor(1) > 0'));
    const error = await buildDataErrors(frenchOptions(p));
    expectOnlyProblem(error.problems, { file: 'data/deck.yaml', line: lineOf(await read(file), '- constructor(1) > 0'), field: 'slides[4].claims[0]', message: 'unknown function "constructor"' });
  });

  it('an invalid locale in deck.yaml is a located problem, not a RangeError from Intl', async () => {
    const p = await project();
    const file = path.join(p.data, 'deck.yaml');
    await editFile(file, (text) => text.replace('locale: fr-FR', 'locale: not a locale'));
    const error = await buildDataErrors(frenchOptions(p));
    expectProblem(error.problems, { file: 'data/deck.yaml', line: lineOf(await read(file), 'locale: not a locale'), message: 'locale' });
  });
});

// Keep the model entry point honest for direct callers too (the CLI's dev server uses it).
describe('buildDeckModel called directly', () => {
  it('throws DataErrors with located problems for an unknown fact in slide text', async () => {
    const p = await project();
    const file = path.join(p.data, 'deck.yaml');
    await editFile(file, (text) => text.replace('text: Et pas pour quelques projets de façade.', 'text: Et {{fact "nope.missing"}} pas.'));
    const problems = new ProblemList();
    const data = await loadData(p.data, problems, 'data');
    expect(problems.problems).toEqual([]);
    const templates = await loadTemplates([p.templates], ['templates']);
    let thrown: unknown;
    try {
      buildDeckModel(data!, { layouts: templates.layouts });
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(DataErrors);
    expectOnlyProblem((thrown as DataErrors).problems, { file: 'data/deck.yaml', line: lineOf(await read(file), 'text: Et {{fact "nope.missing"}}'), field: 'slides[7].text', message: 'unknown fact "nope.missing"' });
  });
});

describe('the YAML, derived figures and expressions a user can write', () => {
  it('a chain of 4,000 derived figures listed in reverse order is computed (no recursion limit)', async () => {
    const entries = Array.from({ length: 4000 }, (_, i) => 3999 - i).map((i) => `- id: chain.n${i}\n  label: Maillon ${i}\n  unit: USD\n  expr: ${i === 0 ? 'tether.net_profit.2024' : `chain.n${i - 1}`} + 1\n`);
    const p = await smallDeck({ facts: [{ id: 'tether.net_profit.2024', value: 13_700_000_000 }], derived: entries.join('') });
    const result = await build(buildOptions(p));
    expect(result.model.figures.get('chain.n3999')!.value).toBe(13_700_000_000 + 4000);
  });

  it('an expression of 8,000 terms is a located "too long" problem, not a stack overflow', async () => {
    const p = await smallDeck({
      facts: [{ id: 'tether.staff', value: 150, unit: 'people' }],
      derived: `- id: long.sum\n  label: Somme\n  unit: people\n  expr: ${Array(8000).fill('tether.staff').join(' + ')}\n`,
    });
    const file = path.join(p.data, 'derived.yaml');
    const error = await buildDataErrors(buildOptions(p));
    expectOnlyProblem(error.problems, { file: 'data/derived.yaml', line: lineOf(await read(file), 'expr: tether.staff + tether.staff'), field: 'long.sum.expr', message: 'is too long (15999 symbols, at most 1000)' });
  });
});

describe('slips on the page', () => {
  it('an article_value of 0 in a divisor is not a "division by zero" in the deck\'s own figure: the comparison is dropped, with a warning', async () => {
    const p = await project();
    await editFile(path.join(p.data, 'facts.csv'), (text) => text.replace(/^(tether\.staff,150,people,2024-2025,[^\n]*),150,sourced,/m, '$1,0,sourced,'));
    const result = await build(frenchOptions(p));
    expect(result.model.figures.get('tether.profit_per_employee.2024')!.value).toBeCloseTo(13.7e9 / 150);
    expect(result.model.figures.get('tether.profit_per_employee.2024')!.articleValue).toBeUndefined();
    expect(result.warnings.join('\n')).toMatch(/tether\.profit_per_employee\.2024" with the article's own figures: division by zero/);
  });

  it('an article value that overflows is dropped with a warning, never printed as "∞"', async () => {
    const p = await project();
    await editFile(path.join(p.data, 'facts.csv'), (text) => text
      .replace(/^(openai\.net_loss\.2024,[^\n]*),5000000000,sourced,/m, '$1,1.7e308,sourced,')
      .replace(/^(anthropic\.net_loss\.2024,[^\n]*),5000000000,article-only,/m, '$1,1.7e308,article-only,'));
    await editFile(path.join(p.data, 'deck.yaml'), (text) => text.replace('Pertes cumulées : {{fact "labs.combined_loss.2024"}}', 'Pertes cumulées : {{fact "labs.combined_loss.2024"}} (article : {{article "labs.combined_loss.2024"}})'));
    const result = await build(frenchOptions(p));
    expect(result.model.figures.get('labs.combined_loss.2024')!.articleValue).toBeUndefined();
    expect(result.warnings.join('\n')).toMatch(/labs\.combined_loss\.2024" with the article's own figures gives Infinity/);
    expect(await read(result.htmlPath)).not.toContain('∞');
  });
});
