/**
 * The package a user installs: `npm pack` of a clean copy of the repository (its prepack
 * compiles), then installs of that tarball in empty folders, with a HOME and an npm cache of their
 * own and a registry on localhost that serves the lockfile's packages from the machine's npm cache
 * (test/npm-registry.ts): nothing of the repository around, nothing from the network.
 */
import { execFile, execFileSync, spawn } from 'node:child_process';
import { copyFileSync, mkdirSync, statSync, symlinkSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, readdir, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot } from './support/project.js';
import { startRegistry, type LocalRegistry } from './npm-registry.js';

const work = await mkdtemp(path.join(os.tmpdir(), 'datadeck-package-'));
const source = path.join(work, 'source');
const packed = path.join(work, 'packed');
const home = path.join(work, 'home');
const globalPrefix = path.join(work, 'global');
let registry: LocalRegistry | undefined;

interface Packed {
  filename: string;
  size: number;
  unpackedSize: number;
  entryCount: number;
  files: { path: string; size: number }[];
}
let datadeck: Packed;
let create: Packed;

afterAll(async () => {
  await registry?.close();
  await rm(work, { recursive: true, force: true });
});

interface Run {
  code: number;
  stdout: string;
  stderr: string;
  seconds: number;
}

/** The environment of a user's shell: no npm_* variables of the test's own `npm test`, no repository on PATH. */
function userEnv(): NodeJS.ProcessEnv {
  const kept = Object.entries(process.env).filter(([key]) => !/^npm_/i.test(key) && key !== 'INIT_CWD');
  const pathDirs = (process.env.PATH ?? '').split(path.delimiter).filter((dir) => dir && !dir.includes('node_modules'));
  return {
    ...Object.fromEntries(kept),
    HOME: home,
    PATH: [path.join(globalPrefix, 'bin'), path.dirname(process.execPath), ...pathDirs].join(path.delimiter),
    npm_config_cache: path.join(work, 'npm-cache'),
    npm_config_userconfig: path.join(home, '.npmrc'),
    npm_config_globalconfig: path.join(work, 'no-global-npmrc'),
    npm_config_registry: registry?.url ?? 'http://127.0.0.1:9/',
    npm_config_update_notifier: 'false',
    npm_config_fund: 'false',
    npm_config_audit: 'false',
    npm_config_yes: 'true',
    NO_PROXY: '127.0.0.1,localhost',
  };
}

function run(command: string, args: readonly string[], cwd: string, env: NodeJS.ProcessEnv = userEnv()): Promise<Run> {
  const started = performance.now();
  return new Promise((resolve) => {
    execFile(command, args, { cwd, env, timeout: 240_000, maxBuffer: 32 * 1024 * 1024 }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : -1) : 0;
      resolve({ code, stdout, stderr: `${stderr}${registry && registry.misses.length > 0 ? `\n(registry had no ${registry.misses.join(', ')})` : ''}`, seconds: (performance.now() - started) / 1000 });
    });
  });
}

/** A copy of the repository as a clean checkout has it (tracked and new files, nothing ignored: no dist/). */
function copySources(): void {
  const files = execFileSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], { cwd: repoRoot, encoding: 'utf8' }).split('\0').filter(Boolean);
  for (const file of files) {
    const from = path.join(repoRoot, file);
    if (!statSync(from, { throwIfNoEntry: false })?.isFile()) continue;
    mkdirSync(path.dirname(path.join(source, file)), { recursive: true });
    copyFileSync(from, path.join(source, file));
  }
}

async function pack(args: readonly string[]): Promise<Packed> {
  const packing = await run('npm', ['pack', '--json', '--pack-destination', packed, ...args], source);
  expect(packing.code, packing.stderr).toBe(0);
  const [result] = JSON.parse(packing.stdout.slice(packing.stdout.indexOf('['))) as Packed[];
  return result!;
}

beforeAll(async () => {
  copySources();
  symlinkSync(path.join(repoRoot, 'node_modules'), path.join(source, 'node_modules'));
  await mkdir(packed, { recursive: true });
  await mkdir(home, { recursive: true });
  datadeck = await pack([]);
  create = await pack(['--workspace', 'packages/create-datadeck']);
  const npmCache = execFileSync('npm', ['config', 'get', 'cache'], { encoding: 'utf8', env: { ...process.env, npm_config_cache: undefined } }).trim();
  registry = await startRegistry({ lockfile: path.join(repoRoot, 'package-lock.json'), npmCache, packed: [datadeck.filename, create.filename].map((file) => path.join(packed, file)) });
}, 300_000);

const allowed = [/^package\.json$/, /^README\.md$/, /^LICENSE$/, /^bin\/datadeck\.js$/, /^dist\/.+\.js$/, /^templates\/.+\.(hbs|css)$/, /^locales\/[\w-]+\.yaml$/, /^starter\/(en|fr)\/data\/.+\.(csv|yaml)$/];

describe('npm pack', () => {
  it('makes a datadeck tarball of what a user runs and nothing else', async () => {
    const files = datadeck.files.map((file) => file.path);
    console.log(`datadeck tarball: ${datadeck.entryCount} files, ${(datadeck.size / 1024).toFixed(0)} KB packed, ${(datadeck.unpackedSize / 1024).toFixed(0)} KB unpacked`);
    for (const needed of ['bin/datadeck.js', 'dist/cli.js', 'dist/doctor.js', 'dist/client/svgcanvas.js', 'dist/client/charts.js', 'dist/client/deck.js', 'dist/client/handout.js', 'templates/deck.hbs', 'templates/theme.css', 'locales/en.yaml', 'locales/fr.yaml', 'starter/en/data/deck.yaml', 'starter/fr/data/translations/en.yaml', 'LICENSE', 'README.md']) {
      expect(files).toContain(needed);
    }
    // No tests, fixtures, benchmarks, scripts, TypeScript sources, source maps or the repository's own deck.
    expect(files.filter((file) => !allowed.some((pattern) => pattern.test(file)))).toEqual([]);
    const manifest = JSON.parse(await readFile(path.join(source, 'package.json'), 'utf8')) as Record<string, unknown>;
    expect(manifest.private).toBeUndefined();
    expect(manifest).toMatchObject({ license: 'MIT', bin: { datadeck: 'bin/datadeck.js' }, engines: { node: expect.stringMatching(/20\.19/) }, repository: { type: 'git' }, scripts: { prepack: expect.stringContaining('npm run compile') } });
    expect(manifest.keywords).toEqual(expect.arrayContaining(['slides', 'reveal.js']));
    expect(manifest.dependencies).toHaveProperty('puppeteer-core');
    expect(manifest.dependencies).not.toHaveProperty('puppeteer');
  });

  it('makes a create-datadeck tarball with the starter decks, of the same version', () => {
    const files = create.files.map((file) => file.path).sort();
    console.log(`create-datadeck tarball: ${create.entryCount} files, ${(create.size / 1024).toFixed(0)} KB packed`);
    expect(files).toEqual(expect.arrayContaining(['index.js', 'package.json', 'README.md', 'LICENSE', 'starter/en/data/deck.yaml', 'starter/en/data/translations/fr.yaml', 'starter/fr/data/deck.yaml', 'starter/fr/data/translations/en.yaml']));
    expect(files.filter((file) => !/^(index\.js|package\.json|README\.md|LICENSE|starter\/(en|fr)\/data\/.+\.(csv|yaml))$/.test(file))).toEqual([]);
    expect(create.filename).toBe(datadeck.filename.replace(/^datadeck-/, 'create-datadeck-'));
  });
});

async function exists(file: string): Promise<boolean> {
  return stat(file).then(() => true, () => false);
}

/** Every export of an edition, as a full build writes it. */
async function expectEveryExport(slides: string): Promise<void> {
  for (const file of ['index.html', 'deck.pdf', 'handout.pdf', 'deck.pptx', 'deck.html']) expect(await exists(path.join(slides, file)), `${slides}/${file}`).toBe(true);
  expect((await readdir(path.join(slides, 'png'))).length).toBeGreaterThan(0);
  expect((await readFile(path.join(slides, 'deck.pdf'))).subarray(0, 5).toString()).toBe('%PDF-');
}

/** `datadeck dev` serves the deck: the page its first line names answers with the deck. */
async function expectDevServes(command: string, args: readonly string[], cwd: string): Promise<void> {
  const child = spawn(command, [...args, 'dev'], { cwd, env: userEnv(), stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  try {
    const url = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`dev did not start: ${output}`)), 120_000);
      const read = (chunk: Buffer): void => {
        output += chunk.toString();
        const served = /serving \S+ at (http:\/\/\S+?\/) /.exec(output);
        if (served) {
          clearTimeout(timer);
          resolve(served[1]!);
        }
      };
      child.stdout.on('data', read);
      child.stderr.on('data', read);
      child.on('exit', (code) => reject(new Error(`dev exited (${code}): ${output}`)));
    });
    const page = await fetch(url);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('layout-title');
  } finally {
    const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
    child.kill('SIGINT');
    expect(await exited).toBe(0);
  }
}

describe('installed from the tarball, in an empty folder', { timeout: 300_000 }, () => {
  it('npm install -g: init, build with every export, doctor, dev', async () => {
    const install = await run('npm', ['install', '--global', '--prefix', globalPrefix, path.join(packed, datadeck.filename)], work);
    expect(install.code, install.stderr).toBe(0);
    console.log(`npm install -g ./${datadeck.filename}: ${install.seconds.toFixed(1)} s (empty npm cache)`);
    const projects = path.join(work, 'global-user');
    await mkdir(projects);
    const version = await run('datadeck', ['--version'], projects);
    expect(version.stdout.trim()).toBe(datadeck.filename.replace(/^datadeck-(.+)\.tgz$/, '$1'));

    const init = await run('datadeck', ['init', 'my-deck'], projects);
    expect(init.code, init.stderr).toBe(0);
    expect(init.stdout).toContain('next: cd my-deck && datadeck build');
    const deck = path.join(projects, 'my-deck');
    const built = await run('datadeck', ['build'], deck);
    expect(built.code, built.stderr).toBe(0);
    await expectEveryExport(path.join(deck, 'slides'));
    await expectEveryExport(path.join(deck, 'slides', 'fr'));

    const doctor = await run('datadeck', ['doctor'], deck);
    expect(doctor.code, doctor.stdout + doctor.stderr).toBe(0);
    expect(doctor.stdout).toMatch(/^fonts: +Source Serif 4, Source Sans 3: installed with datadeck/m);
    expect(doctor.stdout).toMatch(/^browser: +Chrom/m);
    expect(doctor.stdout).toContain(path.join(deck, 'data'));
    await expectDevServes('datadeck', [], deck);
  });

  it('npm install ./datadeck-X.tgz in a project adds datadeck to its dependencies', async () => {
    // The lockfile only (--package-lock-only): the tarball's dependencies are installed for real by
    // the global install and by the project npm init datadeck makes, where npx runs datadeck
    // (below); one more full install here would add about 15 s of CPU for nothing those do not show.
    const project = path.join(work, 'project');
    await mkdir(project);
    await writeFile(path.join(project, 'package.json'), '{ "name": "talks", "private": true }\n');
    const install = await run('npm', ['install', '--package-lock-only', path.join(packed, datadeck.filename)], project);
    expect(install.code, install.stderr).toBe(0);
    const manifest = JSON.parse(await readFile(path.join(project, 'package.json'), 'utf8')) as { dependencies: Record<string, string> };
    expect(Object.keys(manifest.dependencies)).toEqual(['datadeck']);
    expect(manifest.dependencies.datadeck).toMatch(new RegExp(`^file:.*${datadeck.filename.replace(/\./g, '\\.')}$`));
    const lock = JSON.parse(await readFile(path.join(project, 'package-lock.json'), 'utf8')) as { packages: Record<string, { version?: string }> };
    expect(lock.packages['node_modules/datadeck']?.version).toBe(datadeck.filename.replace(/^datadeck-(.+)\.tgz$/, '$1'));
    expect(lock.packages).toHaveProperty('node_modules/puppeteer-core');
  });

  describe('a project npm init datadeck makes (French, with its English edition), after its npm install', () => {
    const projects = path.join(work, 'create-user');
    const deck = path.join(projects, 'mon-deck');
    let written: string[] = [];

    beforeAll(async () => {
      await mkdir(projects);
      const created = await run('npm', ['init', 'datadeck', 'mon-deck', '--', '--lang', 'fr'], projects);
      expect(created.code, created.stderr).toBe(0);
      console.log(`npm init datadeck: ${created.seconds.toFixed(1)} s`);
      written = (await readdir(deck)).sort();
      const install = await run('npm', ['install'], deck);
      expect(install.code, install.stderr).toBe(0);
      console.log(`npm install in the new project: ${install.seconds.toFixed(1)} s (npm cache already filled by the global install)`);
    }, 300_000);

    it('npm init datadeck writes the deck, a .gitignore and a package.json that depends on datadeck', async () => {
      expect(written).toEqual(['.gitignore', 'data', 'package.json']);
      const manifest = JSON.parse(await readFile(path.join(deck, 'package.json'), 'utf8')) as Record<string, unknown>;
      expect(manifest).toMatchObject({ name: 'mon-deck', private: true, scripts: { build: 'datadeck build', dev: 'datadeck dev' }, dependencies: { datadeck: `^${datadeck.filename.replace(/^datadeck-(.+)\.tgz$/, '$1')}` } });
      expect(await readFile(path.join(deck, '.gitignore'), 'utf8')).toMatch(/^slides\/$/m);
      expect(await readdir(path.join(deck, 'data', 'translations'))).toEqual(['en.yaml']);
    });

    it('builds with npm run build', async () => {
      // Every export from an installed datadeck is the global install's test; here the project's own script and dependency.
      const built = await run('npm', ['run', 'build', '--', '--formats', 'pdf'], deck);
      expect(built.code, built.stderr).toBe(0);
      for (const slides of [path.join(deck, 'slides'), path.join(deck, 'slides', 'en')]) expect((await readFile(path.join(slides, 'deck.pdf'))).subarray(0, 5).toString()).toBe('%PDF-');
      expect(await readFile(path.join(deck, 'slides', 'index.html'), 'utf8')).toMatch(/<html lang="fr"/);
    });

    it('runs datadeck with npx: init, doctor, build', async () => {
      const init = await run('npx', ['datadeck', 'init', 'q3'], deck);
      expect(init.code, init.stderr).toBe(0);
      expect(init.stdout).toContain('next: cd q3 && npx datadeck build');
      const q3 = path.join(deck, 'q3');
      const doctor = await run('npx', ['datadeck', 'doctor'], q3);
      expect(doctor.code, doctor.stdout + doctor.stderr).toBe(0);
      expect(doctor.stdout).toContain(path.join(q3, 'data'));
      // The browser's exports are the build's above; npx here needs none.
      const built = await run('npx', ['datadeck', 'build', '--formats', 'html'], q3);
      expect(built.code, built.stderr).toBe(0);
      expect(await readFile(path.join(q3, 'slides', 'index.html'), 'utf8')).toContain('layout-title');
      // The project's own datadeck ran: npx fetched none into its cache (as it would where no project depends on it).
      const fetched = await readdir(path.join(work, 'npm-cache', '_npx')).catch(() => []);
      for (const dir of fetched) expect(await exists(path.join(work, 'npm-cache', '_npx', dir, 'node_modules', 'datadeck')), `npx fetched datadeck into ${dir}`).toBe(false);
    });
  });
});
