/**
 * create-datadeck (`npm init datadeck DIR`), run from the repository: the deck it writes is the one
 * `datadeck init` writes, in a project of its own. test/package.test.ts runs it from its tarball.
 */
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { repoRoot, snapshotDir } from './support/project.js';

const create = path.join(repoRoot, 'packages', 'create-datadeck', 'index.js');
const cli = path.join(repoRoot, 'bin', 'datadeck.js');
const work = await mkdtemp(path.join(os.tmpdir(), 'datadeck-create-'));
afterAll(() => rm(work, { recursive: true, force: true }));

function run(script: string, args: readonly string[], cwd = work): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    // stdin is not a terminal here, as in CI: nothing may be asked.
    execFile(process.execPath, [script, ...args], { cwd, timeout: 60_000 }, (error, stdout, stderr) => {
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : -1) : 0, stdout, stderr });
    });
  });
}

describe('create-datadeck', () => {
  for (const lang of ['en', 'fr']) {
    it(`writes the ${lang} starter deck datadeck init writes, a package.json that builds it, and a .gitignore`, async () => {
      const made = await run(create, [`Deck ${lang}`, '--lang', lang]);
      expect(made.code, made.stderr).toBe(0);
      const dir = path.join(work, `Deck ${lang}`);
      expect((await readdir(dir)).sort()).toEqual(['.gitignore', 'data', 'package.json']);
      expect(made.stdout).toContain(`next:\n  cd 'Deck ${lang}'\n  npm install\n  npm run dev`);
      const manifest = JSON.parse(await readFile(path.join(dir, 'package.json'), 'utf8')) as Record<string, unknown>;
      const { version } = JSON.parse(await readFile(path.join(repoRoot, 'package.json'), 'utf8')) as { version: string };
      expect(manifest).toEqual({
        name: `deck-${lang}`,
        private: true,
        description: expect.any(String),
        scripts: { build: 'datadeck build', dev: 'datadeck dev', doctor: 'datadeck doctor' },
        dependencies: { datadeck: `^${version}` },
      });
      expect((await readFile(path.join(dir, '.gitignore'), 'utf8')).split('\n')).toEqual(expect.arrayContaining(['slides/', 'node_modules/']));

      const initDir = path.join(work, `init-${lang}`);
      const init = await run(cli, ['init', initDir, '--lang', lang]);
      expect(init.code, init.stderr).toBe(0);
      expect(await snapshotDir(path.join(dir, 'data'))).toEqual(await snapshotDir(path.join(initDir, 'data')));
    });
  }

  it('asks nothing: a missing folder, a second folder, an unknown option or language is a usage error (64)', async () => {
    const none = await run(create, []);
    expect(none.code).toBe(64);
    expect(none.stderr).toContain('name the folder for the new deck: usage: npm init datadeck DIR [-- --lang en|fr] [--force]');
    expect((await run(create, ['a', 'b'])).code).toBe(64);
    const option = await run(create, ['c', '--template', 'x']);
    expect(option.code).toBe(64);
    expect(option.stderr).toMatch(/Unknown option '--template'/);
    const lang = await run(create, ['d', '--lang', 'de']);
    expect(lang.code).toBe(64);
    expect(lang.stderr).toContain('--lang de: the starter deck is written in en and fr');
  });

  it('refuses a folder that is not empty, and with --force adds the deck to the package.json there', async () => {
    const dir = path.join(work, 'talks');
    await mkdir(dir);
    await writeFile(path.join(dir, 'package.json'), JSON.stringify({ name: 'talks', version: '2.0.0', scripts: { build: 'make' }, dependencies: { lodash: '^4' } }));
    const refused = await run(create, ['talks']);
    expect(refused.code).toBe(64);
    expect(refused.stderr).toContain('talks is not empty (it holds package.json): choose a new or empty folder, or add --force');
    const forced = await run(create, ['talks', '--force']);
    expect(forced.code, forced.stderr).toBe(0);
    expect(JSON.parse(await readFile(path.join(dir, 'package.json'), 'utf8'))).toMatchObject({
      name: 'talks',
      version: '2.0.0',
      scripts: { build: 'make', dev: 'datadeck dev', doctor: 'datadeck doctor' },
      dependencies: { lodash: '^4', datadeck: expect.stringMatching(/^\^\d/) },
    });
  });
});
