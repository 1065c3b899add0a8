/**
 * What a build writes (src/output/write.ts): the deck swapped in whole beside the old one, so a
 * failed build leaves the last good deck byte for byte; an --out that is not a deck is refused;
 * builds racing into one folder leave one complete deck; a folder the user may not write to is
 * said so. (A swap whose clean-up fails is in output-write-fs-failure.test.ts: it mocks the file
 * system for its whole file.)
 */
import { lstat, readdir, symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { DataErrors, type DatadeckError } from '../src/errors.js';
import { build } from '../src/pipeline.js';
import { buildError, frenchOptions } from './support/build.js';
import { expectNoStackTrace, runCli } from './support/cli.js';
import { endsWithFile, expectOnlyProblem, lineOf } from './support/problems.js';
import { dataDir, editFile, read, scratchProjects, snapshotDir, type ScratchProject } from './support/project.js';

const project = scratchProjects();

describe('a failed build leaves outDir byte-for-byte unchanged', () => {
  async function failAfterGoodBuild(breakIt: (p: ScratchProject) => Promise<void>): Promise<unknown> {
    const p = await project();
    await build(frenchOptions(p));
    const before = await snapshotDir(p.out);
    expect(Object.keys(before)).toContain('index.html');
    await breakIt(p);
    const error = await buildError(frenchOptions(p));
    expect(await snapshotDir(p.out)).toEqual(before);
    // No staging directory left beside it either.
    expect((await readdir(p.root)).sort()).toEqual(['data', 'slides', 'templates']);
    return error;
  }

  it('after a CSV error', async () => {
    const error = await failAfterGoodBuild((p) => editFile(path.join(p.data, 'facts.csv'), (text) => text.replace('tether.net_profit.2024,13700000000,', 'tether.net_profit.2024,"13700000000,')));
    expect(error).toBeInstanceOf(DataErrors);
    expect((error as DataErrors).problems.some((problem) => endsWithFile(problem.file, 'data/facts.csv') && problem.message.includes('malformed CSV'))).toBe(true);
  });

  it('after a YAML error', async () => {
    const error = await failAfterGoodBuild((p) => editFile(path.join(p.data, 'charts.yaml'), (text) => text.replace('  title: Par employé, 2024', '  title: [Par employé, 2024')));
    expect(error).toBeInstanceOf(DataErrors);
    expect((error as DataErrors).problems[0]!.message).toContain('malformed YAML');
    expect(endsWithFile((error as DataErrors).problems[0]!.file, 'data/charts.yaml')).toBe(true);
  });

  it('after a false claim', async () => {
    const error = await failAfterGoodBuild((p) => editFile(path.join(p.data, 'deck.yaml'), (text) => text.replace('check: productivity.ratio.2024 > 20', 'check: productivity.ratio.2024 > 2000')));
    expect(error).toBeInstanceOf(DataErrors);
    expect((error as DataErrors).code).toBe('falseClaim');
  });

  it('after a template error', async () => {
    const error = await failAfterGoodBuild((p) => writeFile(path.join(p.templates, 'layouts', 'bullets.hbs'), '<ul>\n{{#each items}}\n<li>{{rich this}}</li>\n'));
    expect(error).toBeInstanceOf(DataErrors);
    expect((error as DataErrors).code).toBe('template');
    expect(endsWithFile((error as DataErrors).problems[0]!.file, 'templates/layouts/bullets.hbs')).toBe(true);
  });

  it('after an invalid locale (which would crash Intl while rendering)', async () => {
    const error = await failAfterGoodBuild((p) => editFile(path.join(p.data, 'deck.yaml'), (text) => text.replace('locale: fr-FR', 'locale: not a locale')));
    expect(error).toBeInstanceOf(DataErrors);
    expect((error as DataErrors).code).toBe('invalidData');
    expectOnlyProblem((error as DataErrors).problems, { file: 'data/deck.yaml', line: lineOf(await read(path.join(dataDir, 'deck.yaml')), 'locale: fr-FR'), field: 'locale', message: 'is not a locale this system can format numbers in' });
  });
});

describe('--out never destroys what is not a deck', () => {
  it('refuses an --out that is a file (exit 64) and leaves the file as it was', async () => {
    const p = await project();
    const notes = path.join(p.root, 'notes.md');
    await writeFile(notes, 'my notes\n');
    const run = await runCli(['build', '--no-pdf', '--data', p.data, '--templates', p.templates, '--out', notes]);
    expect(run.code).toBe(64);
    expect(run.stderr).toMatch(/it is a file/);
    expectNoStackTrace(run);
    expect(await read(notes)).toBe('my notes\n');
  });

  it('refuses an --out whose parent is a file (exit 64), with a sentence and no stack trace', async () => {
    const p = await project();
    const notes = path.join(p.root, 'notes.md');
    await writeFile(notes, 'my notes\n');
    const run = await runCli(['build', '--no-pdf', '--data', p.data, '--templates', p.templates, '--out', path.join(notes, 'x')]);
    expect(run.code).toBe(64);
    expect(run.stderr).toMatch(/notes\.md is a file, not a folder/);
    expectNoStackTrace(run);
    expect(await read(notes)).toBe('my notes\n');
  });

  it('refuses an --out inside data/ or templates/, for build and for dev (which would rebuild itself forever)', async () => {
    const p = await project();
    for (const inside of [path.join(p.data, 'slides'), path.join(p.templates, 'out')]) {
      const error = await buildError(frenchOptions(p, { outDir: inside }));
      expect((error as DatadeckError).code, String(error)).toBe('usage');
      expect((error as Error).message).toMatch(/lies inside the (data|templates)/);
    }
    const { startDevServer } = await import('../src/dev/server.js');
    const dev = await startDevServer({ dataDir: p.data, templatesDir: p.templates, outDir: path.join(p.data, 'slides'), pdf: false }).then(
      async (server) => { await server.close(); return undefined; },
      (error: unknown) => error,
    );
    expect((dev as DatadeckError).code).toBe('usage');
    expect(await readdir(p.data)).not.toContain('slides');
  });

  it('follows an --out that is a symlink to a deck: the link stays, its target gets the new deck', async () => {
    const p = await project();
    const target = path.join(p.root, 'decks', 'v1');
    await build(frenchOptions(p, { outDir: target }));
    const link = path.join(p.root, 'current');
    await symlink(target, link);
    await editFile(path.join(p.data, 'facts.csv'), (text) => text.replace('tether.net_profit.2024,13700000000,', 'tether.net_profit.2024,21400000000,'));
    await build(frenchOptions(p, { outDir: link }));
    expect((await lstat(link)).isSymbolicLink()).toBe(true);
    expect(await read(path.join(target, 'index.html'))).toContain('21,4');
    expect(await readdir(path.join(p.root, 'decks'))).toEqual(['v1']);
  });
});

describe('builds racing into one folder', () => {
  it('8 builds at once in one process, three rounds: all succeed, one complete deck, nothing beside it', async () => {
    const p = await project();
    for (let round = 0; round < 3; round += 1) {
      const outcomes = await Promise.allSettled(Array.from({ length: 8 }, () => build(frenchOptions(p))));
      expect(outcomes.filter((outcome) => outcome.status === 'rejected').map((outcome) => String((outcome as PromiseRejectedResult).reason))).toEqual([]);
      expect((await readdir(p.root)).sort()).toEqual(['data', 'slides', 'templates']);
    }
    expect(Object.keys(await snapshotDir(p.out))).toContain('index.html');
  });

  it('8 builds at once leave one complete deck, every build exits 0, and nothing beside it', async () => {
    const p = await project();
    const runs = await Promise.all(Array.from({ length: 8 }, () => runCli(['build', '--no-pdf', '--data', p.data, '--templates', p.templates, '--out', p.out])));
    for (const run of runs) {
      expect(run.code, run.stderr).toBe(0);
      expectNoStackTrace(run);
    }
    expect((await readdir(p.root)).sort()).toEqual(['data', 'slides', 'templates']);
    const deck = await snapshotDir(p.out);
    for (const file of ['index.html', 'assets/deck.js', 'assets/theme.css', 'assets/reveal/reveal.js', '.datadeck']) expect(Object.keys(deck)).toContain(file);
  });

  it('a build that has to wait for another says so', async () => {
    const p = await project();
    await build(frenchOptions(p));
    const { withOutputLock } = await import('../src/output/write.js');
    const lines: string[] = [];
    // Hold the folder as a slow build would, until the other build says it waits (however long
    // it takes a loaded machine to get there), and build meanwhile.
    let release = (): void => undefined;
    const released = new Promise<void>((resolve) => (release = resolve));
    const holding = withOutputLock(p.out, () => released);
    await new Promise((resolve) => setTimeout(resolve, 50));
    const log = (line: string): void => {
      lines.push(line);
      if (/waiting for another build/.test(line)) setTimeout(release, 200);
    };
    const releaseAnyway = setTimeout(release, 60_000);
    await build(frenchOptions(p, { log }));
    clearTimeout(releaseAnyway);
    await holding;
    expect(lines.join('\n')).toMatch(/waiting for another build to finish writing/);
    expect(lines.join('\n')).toMatch(/waited \d+ ms for another build/);
  });

  it('sweeps what a killed build left beside the deck (a -previous folder, a dead build\'s staging folder)', async () => {
    const p = await project();
    await build(frenchOptions(p));
    const { mkdir } = await import('node:fs/promises');
    await mkdir(path.join(p.root, '.slides-build-999999999-abc123-previous'));
    await mkdir(path.join(p.root, '.slides-build-999999999-def456'));
    await build(frenchOptions(p));
    expect((await readdir(p.root)).sort()).toEqual(['data', 'slides', 'templates']);
  });
});

describe('templates and output: a located message where a crash was', () => {
  it('an output folder the user may not write to is exit 7 with the path and the reason', async () => {
    const p = await project();
    const { chmod, mkdir } = await import('node:fs/promises');
    await chmod(p.root, 0o755);
    const locked = path.join(p.root, 'locked');
    await mkdir(locked, { mode: 0o755 });
    const run = await runCli(['build', '--no-pdf', '--data', p.data, '--templates', p.templates, '--out', path.join(locked, 'slides')], { user: 'nobody', cwd: p.root });
    expect(run.code, run.stderr).toBe(7);
    expect(run.stderr).toMatch(/cannot write the deck beside .*: .*locked.*: permission denied \(EACCES\)/);
    expectNoStackTrace(run);
  });
});
