/**
 * The command line as a user meets it: options refused with a sentence, editions left alone, help
 * that names every export, and the README's table of the exit codes it can return.
 */
import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { browserFormats, exportFile, exportFormats } from '../src/exports/registry.js';
import { runCli, type CliRun } from './support/cli.js';
import { editFile, repoRoot, scratchProjects, snapshotDir } from './support/project.js';
import { smallDecks, twoEditionDeck } from './support/small-deck.js';

const scratch = scratchProjects();
const smallDeck = smallDecks();

/** The files a successful build's last line lists, resolved against where it ran. */
function listedFiles(run: CliRun, cwd: string): string[] {
  const line = run.stdout.split('\n').find((text) => text.startsWith('built '));
  if (!line) throw new Error(`no "built" line in:\n${run.stdout}`);
  const list = line.slice(line.indexOf(': ') + 2).replace(/\s*\(.*\)\s*$/, '');
  return list.split(', ').map((file) => path.resolve(cwd, file));
}

describe('--formats and --no-pdf', () => {
  it('refuses an empty --formats (exit 64) and leaves the previous exports in place', async () => {
    const project = await scratch();
    const first = await runCli(['build', '--formats', 'html'], { cwd: project.root });
    expect(first.code, first.stderr).toBe(0);
    for (const value of ['', ',,', ' , ']) {
      const run = await runCli(['build', '--formats', value], { cwd: project.root });
      expect(run.code, `--formats '${value}'`).toBe(64);
      expect(run.stderr).toMatch(/names no export.*--formats none/);
      expect(existsSync(path.join(project.out, 'deck.html'))).toBe(true);
      expect(existsSync(path.join(project.out, 'en', 'deck.html'))).toBe(true);
    }
  });

  it('refuses --no-pdf beside --formats (exit 64), in either order', async () => {
    const project = await scratch();
    for (const args of [['--formats', 'png', '--no-pdf'], ['--no-pdf', '--formats', 'html']]) {
      const run = await runCli(['build', ...args], { cwd: project.root });
      expect(run.code, args.join(' ')).toBe(64);
      expect(run.stderr).toMatch(/--no-pdf.*cannot be used with.*--formats/);
      expect(existsSync(project.out)).toBe(false);
    }
  });

  it('build --help names every export, and --no-pdf the ones that need the browser', async () => {
    const run = await runCli(['build', '--help'], { cwd: repoRoot });
    expect(run.code).toBe(0);
    const help = run.stdout.replace(/\s+/g, ' ');
    const description = help.slice(0, help.indexOf('Options:'));
    for (const format of exportFormats) expect(description).toContain(exportFile(format));
    const noPdf = /--no-pdf (.*?) -h, --help/.exec(help)?.[1] ?? '';
    for (const format of browserFormats) expect(noPdf).toContain(exportFile(format));
    expect(noPdf).not.toContain(exportFile('html'));
  });
});

describe('--lang', () => {
  it('refuses a --lang that names no edition (empty, a comma, a space) with exit 64 and the editions the deck has', async () => {
    const project = await scratch();
    for (const value of ['', ',', ' ']) {
      const run = await runCli(['build', '--formats', 'none', '--lang', value], { cwd: project.root });
      expect(run.code, `--lang '${value}': ${run.stderr}`).toBe(64);
      expect(run.stderr).toMatch(/--lang names no edition: the deck has fr, en/);
      expect(run.stderr).not.toMatch(/TypeError|unexpected/);
    }
  });
});

describe('building one edition', () => {
  /** Every file of the deck's French edition (the root, less the English folder), with its bytes. */
  const frenchFiles = async (out: string): Promise<Record<string, string>> =>
    Object.fromEntries(Object.entries(await snapshotDir(out)).filter(([file]) => !file.startsWith(`en${path.sep}`)));

  it('--lang en leaves the French edition as it was, and --lang fr the English one', async () => {
    const project = await smallDeck(twoEditionDeck());
    const all = await runCli(['build', '--formats', 'html,handout'], { cwd: project.root });
    expect(all.code, all.stderr).toBe(0);
    const french = await frenchFiles(project.out);
    expect(Object.keys(french)).toEqual(expect.arrayContaining(['index.html', 'deck.html', 'handout.html', 'handout.pdf', path.join('assets', 'handout.css')]));

    const english = await runCli(['build', '--lang', 'en', '--formats', 'html'], { cwd: project.root });
    expect(english.code, english.stderr).toBe(0);
    expect(await frenchFiles(project.out)).toEqual(french);
    // The English edition is the one rebuilt: only what was asked of it.
    expect(existsSync(path.join(project.out, 'en', 'deck.html'))).toBe(true);
    expect(existsSync(path.join(project.out, 'en', 'handout.pdf'))).toBe(false);
    const englishFiles = Object.entries(await snapshotDir(project.out)).filter(([file]) => file.startsWith(`en${path.sep}`));

    const again = await runCli(['build', '--lang', 'fr', '--formats', 'html'], { cwd: project.root });
    expect(again.code, again.stderr).toBe(0);
    expect(Object.entries(await snapshotDir(project.out)).filter(([file]) => file.startsWith(`en${path.sep}`))).toEqual(englishFiles);
    expect(existsSync(path.join(project.out, 'index.html'))).toBe(true);
    // Each edition still links to the other, and the other is there.
    expect(await readFile(path.join(project.out, 'en', 'index.html'), 'utf8')).toContain('href="../index.html"');
  });

  it('two one-edition builds at once both keep their edition, and each lists only files that exist', async () => {
    const project = await smallDeck(twoEditionDeck());
    for (let round = 0; round < 2; round += 1) {
      const [english, french] = await Promise.all([
        runCli(['build', '--lang', 'en', '--formats', 'html'], { cwd: project.root }),
        runCli(['build', '--lang', 'fr', '--formats', 'html'], { cwd: project.root }),
      ]);
      expect(english.code, english.stderr).toBe(0);
      expect(french.code, french.stderr).toBe(0);
      for (const file of ['index.html', 'deck.html', 'en/index.html', 'en/deck.html']) expect(existsSync(path.join(project.out, file)), file).toBe(true);
      for (const run of [english, french]) {
        for (const file of listedFiles(run, project.root)) expect(existsSync(file), `${file} listed by:\n${run.stdout}`).toBe(true);
      }
    }
  });
});

describe('problems in the deck\'s own data', () => {
  it('a typo in a claim\'s fact id is reported first, at its line of deck.yaml, whatever --lang asks', async () => {
    const project = await scratch();
    await editFile(path.join(project.data, 'deck.yaml'), (text) => text.replace('check: productivity.ratio.2024 > 20', 'check: productivity.ratoi.2024 > 20'));
    const line = (await readFile(path.join(project.data, 'deck.yaml'), 'utf8')).split('\n').findIndex((text) => text.includes('productivity.ratoi.2024')) + 1;
    for (const lang of ['all', 'en', 'fr']) {
      const run = await runCli(['build', '--formats', 'none', '--lang', lang], { cwd: project.root });
      expect(run.code, `--lang ${lang}`).toBe(2);
      const problems = run.stderr.split('\n').filter((text) => /^\s+data\//.test(text)).map((text) => text.trim());
      expect(problems[0], `--lang ${lang}:\n${run.stderr}`).toMatch(new RegExp(`^data/deck\\.yaml:${line}:\\d+: claim "productivity\\.ratoi\\.2024 > 20" uses unknown fact "productivity\\.ratoi\\.2024"`));
    }
  });
});

describe('edition folders', () => {
  it('refuses a translation whose folder would be an export\'s (png/), naming the file and line', async () => {
    const project = await scratch();
    const english = await readFile(path.join(project.data, 'translations', 'en.yaml'), 'utf8');
    expect(english).toMatch(/^lang: en$/m);
    await writeFile(path.join(project.data, 'translations', 'png.yaml'), english.replace(/^lang: en$/m, 'lang: png'));
    const line = english.split('\n').findIndex((text) => text === 'lang: en') + 1;
    const run = await runCli(['build', '--formats', 'none'], { cwd: project.root });
    expect(run.code, run.stderr).toBe(2);
    expect(run.stderr).toMatch(new RegExp(`data/translations/png\\.yaml:${line}:\\d+: lang "png" would put this edition in png/`));
    expect(existsSync(project.out)).toBe(false);
  });
});

describe('deck.html, the file that travels alone', () => {
  it('links to nothing that is not inside it or on the web: no edition switcher to a file it travels without', async () => {
    const project = await scratch();
    const run = await runCli(['build', '--formats', 'html'], { cwd: project.root });
    expect(run.code, run.stderr).toBe(0);
    for (const file of ['deck.html', 'en/deck.html']) {
      const markup = (await readFile(path.join(project.out, file), 'utf8')).replace(/<(script|style)\b[^>]*>[\s\S]*?<\/\1>/g, '');
      const references = [...markup.matchAll(/\b(?:href|src)="([^"]*)"/g)].map((match) => match[1]!);
      expect(references.length, file).toBeGreaterThan(10);
      expect(references.filter((reference) => !/^(#|data:|https?:\/\/)/.test(reference)), file).toEqual([]);
    }
    // The deck pages beside it still link the editions to each other.
    expect(await readFile(path.join(project.out, 'index.html'), 'utf8')).toContain('href="en/index.html"');
  });
});

describe('templates and output: a located message where a crash was', () => {
  it('--timeout beyond what a timer can hold is refused at once (exit 64)', async () => {
    const run = await runCli(['build', '--no-pdf', '--timeout', '3000000000']);
    expect(run.code).toBe(64);
    expect(run.stderr).toMatch(/at most 2147483647 ms/);
  });
});

describe('the README', () => {
  it('lists every exit code the CLI can return, and no other', async () => {
    const { ExitCode } = await import('../src/errors.js');
    const readme = await readFile(path.join(repoRoot, 'README.md'), 'utf8');
    const table = readme.slice(readme.indexOf('Exit codes:'), readme.indexOf('A failed build leaves'));
    const documented = [...table.matchAll(/^\| (\d+) \| \S/gm)].map((match) => Number(match[1]));
    expect(documented.sort((a, b) => a - b)).toEqual([...new Set(Object.values(ExitCode))].sort((a, b) => a - b));
  });
});
