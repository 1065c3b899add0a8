/**
 * The YAML files (deck.yaml, charts.yaml, derived.yaml...) as the loader reads them
 * (src/data/yaml.ts, schema.ts): malformed YAML, unknown fields and names, each located at the
 * line (and column) where it is written.
 */
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ProblemList } from '../src/errors.js';
import { parseYamlFile } from '../src/data/yaml.js';
import { buildDataErrors, frenchOptions } from './support/build.js';
import { expectOnlyProblem, expectProblem, lineOf } from './support/problems.js';
import { editFile, read, scratchProjects } from './support/project.js';

const project = scratchProjects();

describe('YAML sources', () => {
  it('a duplicate key is malformed YAML at its line and column', async () => {
    const p = await project();
    const file = path.join(p.data, 'deck.yaml');
    await editFile(file, (text) => text.replace('    kicker: Tether, en 2024\n', '    kicker: Tether, en 2024\n    kicker: again\n'));
    const error = await buildDataErrors(frenchOptions(p));
    expectOnlyProblem(error.problems, { file: 'data/deck.yaml', line: lineOf(await read(file), 'kicker: again'), column: 5, message: 'malformed YAML: Map keys must be unique' });
  });

  it('French " : " in a plain value is malformed YAML at its line, with a quoting hint', async () => {
    const p = await project();
    const file = path.join(p.data, 'deck.yaml');
    await editFile(file, (text) => text.replace('text: Et pas pour quelques projets de façade.', 'text: Et pas : pour quelques projets de façade.'));
    const error = await buildDataErrors(frenchOptions(p));
    const line = lineOf(await read(file), 'text: Et pas : pour');
    expect(error.problems.length).toBeGreaterThan(0);
    for (const problem of error.problems) expect(problem.line).toBe(line);
    expectProblem(error.problems, { file: 'data/deck.yaml', line, message: '(text containing ": " must be quoted or written as a block with >-)' });
  });

  it('a tab used as indentation is malformed YAML at its line', () => {
    const problems = new ProblemList();
    expect(parseYamlFile('title: a\nslides:\n  - layout: title\n\ttitle: x\n', 'data/deck.yaml', problems)).toBeUndefined();
    expectProblem(problems.problems, { file: 'data/deck.yaml', line: 4, column: 1, message: 'malformed YAML: Tabs are not allowed as indentation' });
  });

  it('an unknown field in a slide is reported at the line of that field, naming it', async () => {
    const p = await project();
    const file = path.join(p.data, 'deck.yaml');
    await editFile(file, (text) => text.replace('  - layout: title\n', '  - layout: title\n    bogus: 1\n'));
    const error = await buildDataErrors(frenchOptions(p));
    expectOnlyProblem(error.problems, { file: 'data/deck.yaml', line: lineOf(await read(file), 'bogus: 1'), field: 'slides[0].bogus', message: 'slides[0]: unknown field "bogus"' });
  });

  it('an unknown layout is located at the layout value and lists the templates', async () => {
    const p = await project();
    const file = path.join(p.data, 'deck.yaml');
    await editFile(file, (text) => text.replace('layout: section\n    id: ai', 'layout: sectoin\n    id: ai'));
    const error = await buildDataErrors(frenchOptions(p));
    expectOnlyProblem(error.problems, { file: 'data/deck.yaml', line: lineOf(await read(file), 'layout: sectoin'), column: 13, field: 'slides[7].layout', message: 'unknown layout "sectoin" (templates exist for: big-number, bullets, chart, comparison, quote, section, sources, table, title)' });
  });

  it('an unknown chart is located at the chart value and lists the charts', async () => {
    const p = await project();
    const file = path.join(p.data, 'deck.yaml');
    await editFile(file, (text) => text.replace('chart: per_person\n', 'chart: per_persons\n'));
    const error = await buildDataErrors(frenchOptions(p));
    expectOnlyProblem(error.problems, { file: 'data/deck.yaml', line: lineOf(await read(file), 'chart: per_persons'), field: 'slides[4].chart', message: 'unknown chart "per_persons" (charts.yaml defines: profit_vs_losses, per_person, ai_bets, ai_money, profit_parts, tbill_rates)' });
  });

  it('a chart bar naming an unknown fact is located in charts.yaml', async () => {
    const p = await project();
    const file = path.join(p.data, 'charts.yaml');
    await editFile(file, (text) => text.replace('{ fact: openai.net_loss.2024, label', '{ fact: openai.net_loss.2042, label'));
    const error = await buildDataErrors(frenchOptions(p));
    expectOnlyProblem(error.problems, { file: 'data/charts.yaml', line: lineOf(await read(file), 'openai.net_loss.2042'), field: 'profit_vs_losses.bars[1].fact', message: 'unknown fact "openai.net_loss.2042"' });
  });
});

describe('the YAML, derived figures and expressions a user can write', () => {
  it('a YAML alias bomb is one located problem, not a crash', async () => {
    const p = await project();
    const bomb = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'];
    for (const [prev, name] of [['a', 'b'], ['b', 'c'], ['c', 'd'], ['d', 'e'], ['e', 'f'], ['f', 'g'], ['g', 'h']] as const) bomb.push(`${name}: &${name} [${Array(9).fill(`*${prev}`).join(',')}]`);
    await writeFile(path.join(p.data, 'charts.yaml'), `${bomb.join('\n')}\n`);
    const error = await buildDataErrors(frenchOptions(p));
    expectOnlyProblem(error.problems, { file: 'data/charts.yaml', line: 2, message: 'malformed YAML: its aliases (*name) expand into too many values' });
  });
});
