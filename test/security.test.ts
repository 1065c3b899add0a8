/**
 * What a deck publishes and what the preview serves: nothing from outside the deck's own folders.
 * A theme's url() may name only files of the template folders (or of one package's folder), and
 * the dev server serves nothing whose real path lies outside the deck, symbolic links included.
 */
import { mkdir, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { request } from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPreviewServer, type PreviewServer } from '../src/dev/http.js';
import { DataErrors } from '../src/errors.js';
import { build, type BuildOptions } from '../src/pipeline.js';
import { buildDataErrors } from './support/build.js';
import { editFile, exists, scratchProjects, type ScratchProject } from './support/project.js';

const project = scratchProjects();
const optionsFor = (p: ScratchProject): BuildOptions => ({ dataDir: p.data, templatesDir: p.templates, outDir: p.out, formats: [] });

const dataErrors = (p: ScratchProject): Promise<DataErrors> => buildDataErrors(optionsFor(p));

/** Appends rules to the deck's theme.css; returns the line each rule landed on. */
async function addRules(p: ScratchProject, rules: string[]): Promise<number[]> {
  const file = path.join(p.templates, 'theme.css');
  const before = (await readFile(file, 'utf8')).split('\n').length;
  await editFile(file, (css) => `${css}\n${rules.join('\n')}\n`);
  return rules.map((_, index) => before + 1 + index);
}

describe("a theme's url() names only files of the template folders", () => {
  it('refuses a file elsewhere on the machine, beside the templates, or out of a package, each at its line', async () => {
    const p = await project();
    await writeFile(path.join(p.root, 'secret.txt'), 'not for publication\n');
    await mkdir(path.join(p.templates, 'img'));
    // A link inside the templates folder that leads out of it.
    await symlink(path.join(p.root, 'secret.txt'), path.join(p.templates, 'img', 'leak.png'));
    const rules = [
      ".a { background: url('/etc/hostname'); }",
      ".b { background: url('../secret.txt'); }",
      ".c { background: url('~puppeteer-core/../../package.json'); }",
      ".d { background: url(img/leak.png); }",
      ".e { background: url('~../../etc/hostname'); }",
    ];
    const lines = await addRules(p, rules);
    const error = await dataErrors(p);
    expect(error.code).toBe('template');
    const found = error.problems.map((problem) => ({ file: path.basename(problem.file), line: problem.line, message: problem.message }));
    const at = (index: number): { file: string; line: number } => ({ file: 'theme.css', line: lines[index]! });
    expect(found).toEqual([
      { ...at(0), message: expect.stringMatching(/^url\(\/etc\/hostname\) names \/etc\/hostname, outside the template folders \(.*\): every file the theme names is published with the deck/) },
      { ...at(1), message: expect.stringMatching(new RegExp(`^url\\(\\.\\./secret\\.txt\\) names ${path.join(p.root, 'secret.txt').replace(/[.]/g, '\\.')}, outside the template folders`)) },
      { ...at(2), message: expect.stringMatching(/^url\(~puppeteer-core\/\.\.\/\.\.\/package\.json\) names \S+package\.json, outside the package puppeteer-core's own folder/) },
      { ...at(3), message: expect.stringMatching(/^url\(img\/leak\.png\) names \S+leak\.png, outside the template folders .*\(it is a symbolic link to \S+secret\.txt\)$/) },
      { ...at(4), message: 'url(~../../etc/hostname): ".." is not a package name (write ~package/path/in/it)' },
    ]);
    // Nothing was published: no deck at all.
    expect(await exists(p.out)).toBe(false);
  });

  it('still copies files of the templates folder (a link within it included) and of a package', async () => {
    const p = await project();
    await mkdir(path.join(p.templates, 'img'));
    await writeFile(path.join(p.templates, 'img', 'paper.svg'), '<svg xmlns="http://www.w3.org/2000/svg" width="4" height="4"/>\n');
    await symlink('paper.svg', path.join(p.templates, 'img', 'alias.svg'));
    await addRules(p, [".a { background: url('img/paper.svg'); }", '.b { background: url("img/alias.svg"); }']);
    await build(optionsFor(p));
    const css = await readFile(path.join(p.out, 'assets', 'theme.css'), 'utf8');
    expect(css).toContain(".a { background: url('files/paper.svg'); }");
    expect(css).toContain(".b { background: url('files/alias.svg'); }");
    expect(css).toMatch(/url\('fonts\/source-serif-4-latin-700-normal\.woff2'\)/);
    expect(await readFile(path.join(p.out, 'assets', 'files', 'alias.svg'), 'utf8')).toContain('<svg');
  });
});

/** A raw GET that keeps the path exactly as written. */
function rawGet(url: string, rawPath: string): Promise<{ status: number; body: string }> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    request({ hostname, port, path: rawPath, method: 'GET' }, (response) => {
      let body = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => { body += chunk; });
      response.on('end', () => resolve({ status: response.statusCode ?? 0, body }));
    }).on('error', reject).end();
  });
}

describe('the dev server serves nothing whose real path is outside the deck', () => {
  let root: string;
  let servers: PreviewServer[] = [];
  const serve = async (outDir: string): Promise<string> => {
    const server = await startPreviewServer({ outDir, port: 0, host: '127.0.0.1', clientScript: path.join(root, 'client.js'), state: () => ({ build: 1, fullSince: 1, errors: [] }) });
    servers.push(server);
    return server.url;
  };

  beforeAll(async () => {
    root = await mkdtemp(path.join(os.tmpdir(), 'datadeck-serve-'));
    const deck = path.join(root, 'slides');
    await mkdir(path.join(deck, 'assets'), { recursive: true });
    await writeFile(path.join(deck, 'index.html'), '<!doctype html><title>deck</title>\n');
    await writeFile(path.join(deck, 'assets', 'theme.css'), 'body { color: black; }\n');
    await writeFile(path.join(root, 'secret.txt'), 'not for the preview\n');
    await symlink('/etc', path.join(deck, 'etcdir'));
    await symlink(path.join(root, 'secret.txt'), path.join(deck, 'secret.txt'));
    // Found by the static server's own fallbacks: /host is /host.html, /outside/ is /outside/index.html.
    await symlink('/etc/hostname', path.join(deck, 'host.html'));
    await mkdir(path.join(root, 'elsewhere'));
    await writeFile(path.join(root, 'elsewhere', 'index.html'), 'not for the preview\n');
    await symlink(path.join(root, 'elsewhere'), path.join(deck, 'outside'));
    // Links that stay inside the deck are fine.
    await symlink('index.html', path.join(deck, 'alias.html'));
    await symlink('assets', path.join(deck, 'styles'));
    // --out may itself be a link to the deck.
    await symlink(deck, path.join(root, 'linked'));
  });
  afterAll(async () => {
    await Promise.all(servers.map((server) => server.close()));
    servers = [];
    await rm(root, { recursive: true, force: true });
  });

  it('refuses links that lead out of the deck, whatever path reaches them', async () => {
    for (const folder of ['slides', 'linked']) {
      const url = await serve(path.join(root, folder));
      for (const attempt of ['/etcdir/passwd', '/etcdir/hostname', '/secret.txt', '/host', '/host.html', '/outside/', '/outside/index.html', '/etcdir%2Fpasswd', '/%65tcdir/passwd']) {
        const response = await rawGet(url, attempt);
        expect(response.status, `${folder}${attempt}`).toBe(403);
        expect(response.body).not.toMatch(/root:|not for the preview/);
      }
    }
  });

  it('serves the deck, and links that stay inside it', async () => {
    for (const folder of ['slides', 'linked']) {
      const url = await serve(path.join(root, folder));
      expect((await rawGet(url, '/index.html')).status).toBe(200);
      expect((await rawGet(url, '/alias.html')).body).toContain('<title>deck</title>');
      expect((await rawGet(url, '/styles/theme.css')).body).toContain('color: black');
      expect((await rawGet(url, '/missing.html')).status).toBe(404);
    }
  });
});
