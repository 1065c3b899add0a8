/**
 * Templates (src/render/engine.ts, page.ts, src/output/theme.ts): a deck's own templates laid over
 * the package's, and every mistake in them (syntax, a missing file or partial, a misspelled
 * variable, a theme that reaches for the network) said with the file and line, never a crash.
 */
import { rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { DataErrors, ProblemList } from '../src/errors.js';
import { loadData } from '../src/data/load.js';
import { buildDeckModel } from '../src/model/deck.js';
import { loadTemplates } from '../src/render/engine.js';
import { renderPage } from '../src/render/page.js';
import { buildDeckView } from '../src/render/view.js';
import { build } from '../src/pipeline.js';
import { buildDataErrors, buildError, frenchOptions } from './support/build.js';
import { expectNoStackTrace, runCli } from './support/cli.js';
import { localeOf } from './support/locale.js';
import { endsWithFile, expectOnlyProblem } from './support/problems.js';
import { editFile, read, scratchProjects } from './support/project.js';

const project = scratchProjects();

describe('templates', () => {
  async function templateErrors(templatesDir: string): Promise<DataErrors> {
    const error = await loadTemplates([templatesDir], ['templates']).then(() => undefined, (e: unknown) => e);
    expect(error).toBeInstanceOf(DataErrors);
    expect((error as DataErrors).code).toBe('template');
    return error as DataErrors;
  }

  it('a missing deck.hbs is a template error naming the file', async () => {
    const p = await project();
    await rm(path.join(p.templates, 'deck.hbs'));
    const error = await templateErrors(p.templates);
    expect(error.exitCode).toBe(4);
    expect(error.problems).toEqual([{ file: path.join('templates', 'deck.hbs'), message: 'template not found' }]);
  });

  it('a syntax error is reported with file and line', async () => {
    const p = await project();
    await writeFile(path.join(p.templates, 'layouts', 'quote.hbs'), 'line one\nline two\n{{rich quote bar=}}\n');
    const error = await templateErrors(p.templates);
    expectOnlyProblem(error.problems, { file: 'templates/layouts/quote.hbs', line: 3, message: 'template does not compile' });
  });

  it('a mismatched block close is reported with its line', async () => {
    const p = await project();
    await writeFile(path.join(p.templates, 'layouts', 'quote.hbs'), 'line one\nline two\n{{#if quote}}\n{{/each}}\n');
    const error = await templateErrors(p.templates);
    expect(error.problems).toHaveLength(1);
    const problem = error.problems[0]!;
    expect(endsWithFile(problem.file, 'templates/layouts/quote.hbs')).toBe(true);
    expect(problem.message).toContain("if doesn't match each");
    expect([3, 4]).toContain(problem.line);
  });

  it('a partial that exists nowhere is a template error naming the template that asks for it, not a crash while rendering', async () => {
    const p = await project();
    await editFile(path.join(p.templates, 'layouts', 'quote.hbs'), (text) => `${text}{{> nowhere}}\n`);
    const error = await buildError(frenchOptions(p));
    expect(error, `expected DataErrors, got ${String(error)}`).toBeInstanceOf(DataErrors);
    expect((error as DataErrors).code).toBe('template');
    expect((error as DataErrors).problems).toHaveLength(1);
    expect(endsWithFile((error as DataErrors).problems[0]!.file, 'templates/layouts/quote.hbs')).toBe(true);
    expect((error as DataErrors).problems[0]!.message).toContain('The partial nowhere could not be found');
  });

  it('templates without a sources layout: a located problem, not a crash while rendering', async () => {
    const p = await project();
    await rm(path.join(p.templates, 'layouts', 'sources.hbs'));
    // This folder alone, without the package's templates beneath it.
    const templates = await loadTemplates([p.templates], ['templates']);
    const problems = new ProblemList();
    const data = await loadData(p.data, problems, 'data');
    const model = buildDeckModel(data!, { layouts: templates.layouts });
    const view = buildDeckView(model, await localeOf('fr', 'fr-FR'));
    let thrown: unknown;
    try {
      renderPage(view, templates, { csp: '', assetBase: '' });
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(DataErrors);
    expect((thrown as DataErrors).problems[0]!.message).toContain('no layouts/sources.hbs');
  });

  it('a deck\'s templates folder overrides the package\'s file by file', async () => {
    const p = await project();
    const { mkdir } = await import('node:fs/promises');
    const mine = path.join(p.root, 'my-templates');
    await mkdir(path.join(mine, 'layouts'), { recursive: true });
    await writeFile(path.join(mine, 'layouts', 'quote.hbs'), '{{!-- requires: quote --}}\n<blockquote class="my-quote">{{quote}}</blockquote>\n');
    const result = await build(frenchOptions(p, { templatesDir: mine }));
    const html = await read(result.htmlPath);
    expect(html).toContain('<blockquote class="my-quote">');
    // Everything else is the package's: the other layouts, the page, the theme.
    expect(html).toContain('class="big-number"');
    expect(await read(path.join(p.out, 'assets', 'theme.css'))).toContain('--chart-tick-size');
  });
});

describe('templates and output: a located message where a crash was', () => {
  it('a templates folder with no theme.css anywhere is a template error naming the file', async () => {
    const p = await project();
    await rm(path.join(p.templates, 'theme.css'));
    const error = await loadTemplates([p.templates], ['templates']).then(() => undefined, (thrown: unknown) => thrown);
    expect(error).toBeInstanceOf(DataErrors);
    expect((error as DataErrors).problems).toEqual([{ file: path.join('templates', 'theme.css'), message: "template not found (the deck's stylesheet)" }]);
  });

  it('a theme that loads a file from the network, or one that is not there, is exit 4 naming the line', async () => {
    const p = await project();
    await editFile(path.join(p.templates, 'theme.css'), (text) => `${text}\n@import url('https://fonts.example.com/serif.css');\n.x { background: url('missing.png'); }\n`);
    const run = await runCli(['build', '--no-pdf', '--data', p.data, '--templates', p.templates, '--out', p.out]);
    expect(run.code).toBe(4);
    const lines = (await read(path.join(p.templates, 'theme.css'))).split('\n');
    expect(run.stderr).toContain(`theme.css:${lines.findIndex((line) => line.includes('fonts.example.com')) + 1}: url(https://fonts.example.com/serif.css) loads a file from the network`);
    expect(run.stderr).toContain(`theme.css:${lines.findIndex((line) => line.includes('missing.png')) + 1}: url(missing.png): no such file`);
    expectNoStackTrace(run);
  });

  it('an error raised while a layout runs names the layout file', async () => {
    const p = await project();
    await writeFile(path.join(p.templates, 'layouts', 'quote.hbs'), '<p>{{quote}}</p>\n{{#each}}{{/each}}\n');
    const error = await buildDataErrors(frenchOptions(p));
    expect(error.code).toBe('template');
    // A helper's error carries no line in Handlebars; the file is what the user needs first.
    expect(error.problems).toHaveLength(1);
    expect(endsWithFile(error.problems[0]!.file, 'templates/layouts/quote.hbs')).toBe(true);
    expect(error.problems[0]!.message).toContain('Must pass iterator to #each');
  });

  it('a misspelled variable in a layout is an error naming file and line (Handlebars strict mode), not an empty string', async () => {
    const p = await project();
    await editFile(path.join(p.templates, 'layouts', 'section.hbs'), (text) => text.replace('{{title}}', '{{title}}{{titel}}'));
    const error = await buildDataErrors(frenchOptions(p));
    expect(error.code).toBe('template');
    expectOnlyProblem(error.problems, { file: 'templates/layouts/section.hbs', line: 3, message: '"titel" not defined' });
  });
});
