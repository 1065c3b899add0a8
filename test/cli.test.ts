/** The command line as a user meets it: options refused with a sentence, editions left alone, help that names every export. */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { exportFileNames, exportFormats, printedFormats } from '../src/outputs.js';
import { repoRoot, scratchProjects } from './helpers.js';

const cli = path.join(repoRoot, 'bin', 'datadeck.js');
const scratch = scratchProjects();

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

function runCli(args: readonly string[], cwd: string): Promise<Run> {
  return new Promise((resolve) => {
    execFile('node', [cli, ...args], { cwd, timeout: 120_000 }, (error, stdout, stderr) => {
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : -1) : 0, stdout, stderr });
    });
  });
}

/** The files a successful build's last line lists, resolved against where it ran. */
function listedFiles(run: Run, cwd: string): string[] {
  const line = run.stdout.split('\n').find((text) => text.startsWith('built '));
  if (!line) throw new Error(`no "built" line in:\n${run.stdout}`);
  const list = line.slice(line.indexOf(': ') + 2).replace(/\s*\(.*\)\s*$/, '');
  return list.split(', ').map((file) => path.resolve(cwd, file));
}

describe('--formats and --no-pdf', () => {
  it('refuses an empty --formats (exit 64) and leaves the previous exports in place', async () => {
    const project = await scratch();
    const first = await runCli(['build', '--formats', 'html'], project.root);
    expect(first.code, first.stderr).toBe(0);
    for (const value of ['', ',,', ' , ']) {
      const run = await runCli(['build', '--formats', value], project.root);
      expect(run.code, `--formats '${value}'`).toBe(64);
      expect(run.stderr).toMatch(/names no export.*--formats none/);
      expect(existsSync(path.join(project.out, 'deck.html'))).toBe(true);
      expect(existsSync(path.join(project.out, 'en', 'deck.html'))).toBe(true);
    }
  });

  it('refuses --no-pdf beside --formats (exit 64), in either order', async () => {
    const project = await scratch();
    for (const args of [['--formats', 'png', '--no-pdf'], ['--no-pdf', '--formats', 'html']]) {
      const run = await runCli(['build', ...args], project.root);
      expect(run.code, args.join(' ')).toBe(64);
      expect(run.stderr).toMatch(/--no-pdf.*cannot be used with.*--formats/);
      expect(existsSync(project.out)).toBe(false);
    }
  });

  it('build --help names every export, and --no-pdf the ones that need the browser', async () => {
    const run = await runCli(['build', '--help'], repoRoot);
    expect(run.code).toBe(0);
    const help = run.stdout.replace(/\s+/g, ' ');
    const description = help.slice(0, help.indexOf('Options:'));
    for (const format of exportFormats) expect(description).toContain(exportFileNames[format]);
    const noPdf = /--no-pdf (.*?) -h, --help/.exec(help)?.[1] ?? '';
    for (const format of printedFormats) expect(noPdf).toContain(exportFileNames[format]);
    expect(noPdf).not.toContain(exportFileNames.html);
  });
});

describe('--lang', () => {
  it('refuses a --lang that names no edition (empty, a comma, a space) with exit 64 and the editions the deck has', async () => {
    const project = await scratch();
    for (const value of ['', ',', ' ']) {
      const run = await runCli(['build', '--formats', 'none', '--lang', value], project.root);
      expect(run.code, `--lang '${value}': ${run.stderr}`).toBe(64);
      expect(run.stderr).toMatch(/--lang names no edition: the deck has fr, en/);
      expect(run.stderr).not.toMatch(/TypeError|unexpected/);
    }
  });
});
