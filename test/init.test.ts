/** `datadeck init DIR`: a starter deck that builds from its own folder with the package's templates. */
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli, startCli } from './support/cli.js';

const scratch: string[] = [];
afterAll(async () => {
  await Promise.all(scratch.map((dir) => rm(dir, { recursive: true, force: true })));
});
async function emptyFolder(): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'datadeck-init-'));
  scratch.push(dir);
  return dir;
}

describe('datadeck init', () => {
  it('writes a starter deck, says what it created, and the deck builds from its own folder (HTML and PDF)', async () => {
    const parent = await emptyFolder();
    const made = await runCli(['init', 'moon'], { cwd: parent });
    expect(made.code, made.stderr).toBe(0);
    const dir = path.join(parent, 'moon');
    for (const file of ['facts.csv', 'derived.yaml', 'charts.yaml', 'deck.yaml', 'theme.yaml']) {
      expect(made.stdout).toContain(path.join('moon', 'data', file));
    }
    expect((await readdir(path.join(dir, 'data'))).sort()).toEqual(['charts.yaml', 'deck.yaml', 'derived.yaml', 'facts.csv', 'theme.yaml', 'translations']);
    expect(await readdir(path.join(dir, 'data', 'translations'))).toEqual(['fr.yaml']);
    expect(made.stdout).toMatch(/next: cd moon && node .*bin\/datadeck\.js build/);

    const built = await runCli(['build'], { cwd: dir });
    expect(built.code, built.stderr).toBe(0);
    expect(built.stdout).toMatch(/built 9 slides \(en\) \+ 9 slides \(fr\)/);
    const html = await readFile(path.join(dir, 'slides', 'index.html'), 'utf8');
    // A title, a big number, charts, a comparison, a table, a claim checked, a sources slide.
    for (const layout of ['title', 'big-number', 'chart', 'comparison', 'table', 'sources']) expect(html).toContain(`layout-${layout}`);
    // Bars and a line over the years, drawn from the facts' periods.
    const types = [...html.matchAll(/data-chart-spec="[^"]+">([^<]*)</g)].map((match) => (JSON.parse(match[1]!) as { type: string; labels: string[] }));
    expect(types.map((spec) => spec.type).sort()).toEqual(['bar', 'line']);
    expect(types.find((spec) => spec.type === 'line')!.labels).toEqual(['1969', '1970', '1971', '1972']);
    expect(html).toMatch(/<table[^>]*>[\s\S]*1969[\s\S]*<\/table>/);
    expect(html).toContain('$257\u00a0billion');
    expect((await readFile(path.join(dir, 'slides', 'deck.pdf'))).subarray(0, 5).toString()).toBe('%PDF-');
    expect(await readdir(dir)).not.toContain('templates');
  });

  it('uses the deck\'s own templates/ when it has one, layout by layout', async () => {
    const parent = await emptyFolder();
    await runCli(['init', 'deck'], { cwd: parent });
    const dir = path.join(parent, 'deck');
    await mkdir(path.join(dir, 'templates', 'layouts'), { recursive: true });
    await writeFile(path.join(dir, 'templates', 'layouts', 'title.hbs'), '{{!-- requires: title --}}\n<h1 class="my-title">{{title}}</h1>\n');
    const built = await runCli(['build', '--no-pdf'], { cwd: dir });
    expect(built.code, built.stderr).toBe(0);
    const html = await readFile(path.join(dir, 'slides', 'index.html'), 'utf8');
    expect(html).toContain('<h1 class="my-title">Apollo in numbers</h1>');
    expect(html).toContain('class="big-number"');
  });

  it('refuses a folder that is not empty, unless --force', async () => {
    const dir = await emptyFolder();
    await writeFile(path.join(dir, 'notes.md'), 'mine\n');
    const refused = await runCli(['init', dir], { cwd: os.tmpdir() });
    expect(refused.code).toBe(64);
    expect(refused.stderr).toMatch(/is not empty \(it holds notes\.md\).*--force/);
    expect(await readdir(dir)).toEqual(['notes.md']);
    const forced = await runCli(['init', dir, '--force'], { cwd: os.tmpdir() });
    expect(forced.code, forced.stderr).toBe(0);
    expect((await readdir(dir)).sort()).toEqual(['.gitignore', 'data', 'notes.md']);
    expect(await readFile(path.join(dir, 'notes.md'), 'utf8')).toBe('mine\n');
  });

  it('--lang fr writes a French deck with its English edition, and both editions build cleanly, PDFs measured', async () => {
    const parent = await emptyFolder();
    const made = await runCli(['init', 'lune', '--lang', 'fr'], { cwd: parent });
    expect(made.code, made.stderr).toBe(0);
    const dir = path.join(parent, 'lune');
    expect(made.stdout).toContain(path.join('lune', 'data', 'translations', 'en.yaml'));
    expect(await readFile(path.join(dir, 'data', 'deck.yaml'), 'utf8')).toMatch(/^lang: fr$/m);
    const built = await runCli(['build', '--formats', 'pdf'], { cwd: dir });
    expect(built.code, built.stderr).toBe(0);
    // No warning: no slide that does not fit, no figure unused.
    expect(built.stderr).toBe('');
    expect(built.stdout).toMatch(/built 9 slides \(fr\) \+ 9 slides \(en\)/);
    expect(built.stdout).toMatch(/check .* 18 slides measured, all fit/);
    const french = await readFile(path.join(dir, 'slides', 'index.html'), 'utf8');
    expect(french).toContain('<html lang="fr">');
    expect(french).toContain('257\u00a0milliards de dollars');
    expect(await readFile(path.join(dir, 'slides', 'en', 'index.html'), 'utf8')).toContain('$257\u00a0billion');
    for (const pdf of ['deck.pdf', 'en/deck.pdf']) expect((await readFile(path.join(dir, 'slides', pdf))).subarray(0, 5).toString()).toBe('%PDF-');
  });

  it('the French starter and the English one say the same, word for word, in each language', async () => {
    const parent = await emptyFolder();
    for (const lang of ['en', 'fr']) {
      expect((await runCli(['init', lang, '--lang', lang], { cwd: parent })).code).toBe(0);
      const built = await runCli(['build', '--formats', 'none'], { cwd: path.join(parent, lang) });
      expect(built.code, built.stderr).toBe(0);
    }
    const slidesOf = async (page: string): Promise<string> => {
      const html = await readFile(path.join(parent, page), 'utf8');
      return html.slice(html.indexOf('<div class="slides">'), html.indexOf('<script'));
    };
    // Each starter's translation is the other starter's own words: the slides (text, figures,
    // notes, sources, charts) are the same, whichever language the deck was started in.
    expect(await slidesOf('fr/slides/index.html')).toBe(await slidesOf('en/slides/fr/index.html'));
    expect(await slidesOf('en/slides/index.html')).toBe(await slidesOf('fr/slides/en/index.html'));
    expect(await slidesOf('fr/slides/index.html')).toContain('Apollo en chiffres');
    expect(await slidesOf('fr/slides/en/index.html')).toContain('Apollo in numbers');
  });

  it('quotes a folder with spaces or quotes in its "next" line, as the shell needs it', async () => {
    const parent = await emptyFolder();
    const made = await runCli(['init', "it's my deck"], { cwd: parent });
    expect(made.code, made.stderr).toBe(0);
    const next = /^next: (cd .* build)\s/m.exec(made.stdout)?.[1];
    expect(next, made.stdout).toMatch(/^cd 'it'\\''s my deck' && node /);
    const built = await new Promise<number>((resolve) => {
      execFile('sh', ['-c', `${next} --formats none`], { cwd: parent, timeout: 60_000 }, (error) => resolve(error ? Number(error.code) : 0));
    });
    expect(built).toBe(0);
    expect(await readdir(path.join(parent, "it's my deck", 'slides'))).toContain('index.html');
  });

  it('--force says which files it replaced, apart from those it created', async () => {
    const dir = await emptyFolder();
    expect((await runCli(['init', dir], { cwd: os.tmpdir() })).code).toBe(0);
    await rm(path.join(dir, 'data', 'theme.yaml'));
    const forced = await runCli(['init', dir, '--force'], { cwd: os.tmpdir() });
    expect(forced.code, forced.stderr).toBe(0);
    const created = /^created (.*)$/m.exec(forced.stdout)?.[1] ?? '';
    const replaced = /^replaced (.*)$/m.exec(forced.stdout)?.[1] ?? '';
    expect(created.split(', ')).toEqual([path.join(dir, 'data', 'theme.yaml')]);
    expect(replaced.split(', ')).toEqual(expect.arrayContaining([path.join(dir, 'data', 'deck.yaml'), path.join(dir, 'data', 'translations', 'fr.yaml')]));
    expect(replaced).not.toContain('theme.yaml');
  });

  it('build from a sub-folder of a deck says where it looked and names the deck\'s folder (exit 64)', async () => {
    const parent = await emptyFolder();
    await runCli(['init', 'deck'], { cwd: parent });
    const inside = path.join(parent, 'deck', 'notes');
    await mkdir(inside);
    for (const cwd of [inside, path.join(parent, 'deck', 'data')]) {
      const run = await runCli(['build'], { cwd });
      expect(run.code, run.stderr).toBe(64);
      expect(run.stderr).toContain(`no data/ folder here (looked for ./data/facts.csv, ./data/deck.yaml… in ${cwd})`);
      expect(run.stderr).toContain(`run from the deck's folder (${path.join(parent, 'deck')}) or pass --data ${path.join(parent, 'deck', 'data')}`);
    }
    const nowhere = await runCli(['build'], { cwd: parent });
    expect(nowhere.code).toBe(64);
    expect(nowhere.stderr).toMatch(/no data\/ folder here .*datadeck init DIR/);
  });

  it('datadeck dev works from the deck\'s folder too', async () => {
    const parent = await emptyFolder();
    await runCli(['init', 'live'], { cwd: parent });
    const cli = startCli(['dev', '--no-pdf'], { cwd: path.join(parent, 'live') });
    try {
      const url = (await cli.waitFor(/serving \S+ at (http:\/\/127\.0\.0\.1:\d+\/)/, 10_000).catch(() => undefined))?.[1];
      expect(url, cli.output()).toBeDefined();
      const page = await (await fetch(url!)).text();
      expect(page).toContain('Apollo in numbers');
    } finally {
      cli.child.kill('SIGINT');
      await cli.exited;
    }
  });
});
