/**
 * Only what changed is made again: each export of the previous build made from the same edition
 * page (a picture: the same slide as laid out) and the same assets is taken as it is, checked
 * against each edition's manifest in the output folder; --force remakes everything. Files are counted as
 * remade by their inode (a reused file is a hard link to the previous one).
 */
import { createHash } from 'node:crypto';
import { readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { manifestName } from '../src/build/cache.js';
import { build, type BuildOptions } from '../src/pipeline.js';
import { createPrinter, type Printer } from '../src/print/printer.js';
import { buildBrowser, buildOptions } from './support/build.js';
import { pdfText } from './support/pdf.js';
import { editFile, type ScratchProject } from './support/project.js';
import { runCli } from './support/cli.js';
import { smallDeck, smallDecks, twoEditionDeck } from './support/small-deck.js';

const { facts } = twoEditionDeck();
let project: ScratchProject;
let printer: Printer;

/** Every export file of both editions (one picture per slide), by path in the output folder. */
const exportFiles = ['deck.pdf', 'handout.pdf', 'deck.html', 'deck.pptx', 'en/deck.pdf', 'en/handout.pdf', 'en/deck.html', 'en/deck.pptx'];

async function pictures(out: string): Promise<string[]> {
  return [...(await readdir(path.join(out, 'png'))).map((name) => `png/${name}`), ...(await readdir(path.join(out, 'en', 'png'))).map((name) => `en/png/${name}`)];
}

/** Each export file's inode: a file made again gets a new one. */
async function inodes(out: string): Promise<Map<string, number>> {
  const files = [...exportFiles, ...(await pictures(out))];
  return new Map(await Promise.all(files.map(async (file) => [file, (await stat(path.join(out, file))).ino] as const)));
}

/** The files whose inode changed between two builds. */
function remade(before: Map<string, number>, after: Map<string, number>): string[] {
  return [...after].filter(([file, ino]) => before.get(file) !== ino).map(([file]) => file).sort();
}

const options = (extra: Partial<BuildOptions> = {}): BuildOptions => buildOptions(project, { pdf: true, printer, ...extra });

/** The same data built cold into a folder of its own: what every build must be byte for byte. */
async function coldBuild(): Promise<string> {
  const out = path.join(project.root, `cold-${Date.now()}`);
  await build({ ...options(), outDir: out });
  return out;
}

async function expectSameAsCold(out: string): Promise<void> {
  const cold = await coldBuild();
  expect(await pictures(out)).toEqual(await pictures(cold));
  for (const file of await pictures(cold)) expect((await readFile(path.join(out, file))).equals(await readFile(path.join(cold, file))), file).toBe(true);
  for (const file of ['deck.pdf', 'handout.pdf', 'en/deck.pdf', 'en/handout.pdf']) expect(await pdfText(path.join(out, file)), file).toBe(await pdfText(path.join(cold, file)));
  for (const file of ['deck.html', 'en/deck.html']) expect(await readFile(path.join(out, file), 'utf8'), file).toBe(await readFile(path.join(cold, file), 'utf8'));
  await rm(cold, { recursive: true, force: true });
}

beforeAll(async () => {
  project = await smallDeck(twoEditionDeck());
  printer = createPrinter({ timeoutMs: 60_000 });
  await build(options());
}, 240_000);

afterAll(async () => {
  await printer?.close();
  await project?.cleanup();
});

describe('exports made again only where something changed', () => {
  it('an unchanged deck reuses every export of both editions, and the progress lines say so', async () => {
    const before = await inodes(project.out);
    const lines: string[] = [];
    await build(options({ log: (line) => lines.push(line) }));
    expect(remade(before, await inodes(project.out))).toEqual([]);
    expect(lines.find((line) => line.startsWith('pdf'))).toContain('unchanged, reused');
    expect(JSON.parse(await readFile(path.join(project.out, 'en', manifestName), 'utf8')).files['en/png/02-figure.png']).toBeDefined();
  }, 120_000);

  it('a fact edit re-makes the slides that show it (its slide, the sources), in both editions, and each edition\'s documents; nothing else', async () => {
    const before = await inodes(project.out);
    await editFile(path.join(project.data, 'facts.csv'), (text) => text.replace(/^a\.fact,1200,/m, 'a.fact,1350,'));
    const lines: string[] = [];
    await build(options({ log: (line) => lines.push(line) }));
    expect(remade(before, await inodes(project.out))).toEqual([...exportFiles, 'png/02-figure.png', 'png/04-sources.png', 'en/png/02-figure.png', 'en/png/04-sources.png'].sort());
    expect(lines.find((line) => line.startsWith('png'))).toMatch(/4 of 8 made/);
    await expectSameAsCold(project.out);
  }, 300_000);

  it('a translation edit re-makes that edition alone, and of its pictures the slide edited', async () => {
    const before = await inodes(project.out);
    await editFile(path.join(project.data, 'translations', 'en.yaml'), (text) => text.replace('Two points', 'Two short points'));
    await build(options());
    expect(remade(before, await inodes(project.out))).toEqual(['en/deck.html', 'en/deck.pdf', 'en/deck.pptx', 'en/handout.pdf', 'en/png/03-points.png']);
  }, 300_000);

  it('a damaged or missing file is made again, and a damaged manifest makes everything again', async () => {
    const damaged = 'png/03-points.png';
    const good = await readFile(path.join(project.out, damaged));
    await writeFile(path.join(project.out, damaged), Buffer.from('not a picture'));
    await rm(path.join(project.out, 'en', 'deck.pdf'));
    const partial = await inodesExcept(project.out, 'en/deck.pdf');
    await build(options());
    const after = await inodes(project.out);
    expect(remade(partial, after)).toEqual(['en/deck.pdf', damaged]);
    expect((await readFile(path.join(project.out, damaged))).equals(good)).toBe(true);

    await writeFile(path.join(project.out, manifestName), '{"version": 1, "files": ');
    await writeFile(path.join(project.out, 'en', manifestName), '');
    await build(options());
    expect(remade(after, await inodes(project.out))).toHaveLength(after.size);
  }, 300_000);

  it('--force makes every export again', async () => {
    const before = await inodes(project.out);
    await build(options());
    expect(remade(before, await inodes(project.out))).toEqual([]);
    await build(options({ force: true }));
    expect(remade(before, await inodes(project.out))).toHaveLength(before.size);
  }, 300_000);

  it('two builds at once after an edit both succeed and leave one complete deck, as a cold build makes it', async () => {
    await editFile(path.join(project.data, 'facts.csv'), (text) => text.replace(/^b\.fact,800,/m, 'b.fact,950,'));
    const other = createPrinter({ timeoutMs: 60_000 });
    try {
      await Promise.all([build(options()), build(options({ printer: other }))]);
    } finally {
      await other.close();
    }
    await expectSameAsCold(project.out);
    await expectManifestTrue(project.out);
  }, 300_000);
});

/** Every file the output's manifest lists is there with the bytes it says. */
async function expectManifestTrue(out: string): Promise<void> {
  const manifest = { files: {} as Record<string, { sha: string }> };
  for (const folder of ['', 'en']) Object.assign(manifest.files, (JSON.parse(await readFile(path.join(out, folder, manifestName), 'utf8')) as typeof manifest).files);
  const files = Object.keys(manifest.files).filter((file) => !file.endsWith('/'));
  expect(files.length).toBe(exportFiles.length + (await pictures(out)).length);
  for (const file of files) expect(createHash('sha256').update(await readFile(path.join(out, file))).digest('hex'), file).toBe(manifest.files[file]!.sha);
}

describe('exports in parallel', () => {
  it('makes an edition\'s exports in as many tabs at once as there are cores, loading each edition\'s print view once (the check measures in the tab that prints)', async () => {
    let open = 0;
    let most = 0;
    const printViews: string[] = [];
    const counting: Printer = {
      ...printer,
      withPage: (work) => printer.withPage(async (page, browser) => {
        open += 1;
        most = Math.max(most, open);
        page.on('request', (request) => {
          if (request.isNavigationRequest() && request.url().includes('?print-pdf')) printViews.push(request.url());
        });
        try {
          return await work(page, browser);
        } finally {
          open -= 1;
        }
      }),
    };
    await build(options({ printer: counting, force: true }));
    // Two editions, each a print view and a handout: four tabs' work.
    expect(most).toBe(Math.min(4, os.availableParallelism()));
    expect(printViews.map((url) => url.replace(/^.*?(en\/)?index\.html.*$/, '$1index.html')).sort()).toEqual(['en/index.html', 'index.html']);
  }, 300_000);
});

async function inodesExcept(out: string, missing: string): Promise<Map<string, number>> {
  const files = [...exportFiles.filter((file) => file !== missing), ...(await pictures(out))];
  return new Map(await Promise.all(files.map(async (file) => [file, (await stat(path.join(out, file))).ino] as const)));
}

/**
 * The browser an export was made with is part of what it remembers, and a build that reuses every
 * export never starts the browser. Run from the command line with a browser of our own: a script
 * that says which version it is, notes each start in a log and runs Chromium.
 */
describe('the browser and the cache', () => {
  const decks = smallDecks();
  let deck: ScratchProject;
  let browser: string;
  let starts: string;

  /** The browser says it is `version`; every start is noted in the log. */
  async function browserSaying(version: string): Promise<void> {
    await writeFile(browser, `#!/bin/sh\nfor arg in "$@"; do [ "$arg" = --version ] && { echo "Chromium ${version}"; exit 0; }; done\necho start >> ${JSON.stringify(starts)}\nexec ${JSON.stringify(await buildBrowser())} "$@"\n`, { mode: 0o755 });
    await writeFile(starts, '');
  }
  const runBuild = (): ReturnType<typeof runCli> => runCli(['build', '--data', deck.data, '--out', deck.out], { env: { PUPPETEER_EXECUTABLE_PATH: browser } });
  const started = async (): Promise<number> => (await readFile(starts, 'utf8')).split('\n').filter((line) => line === 'start').length;
  const lineOf = (stdout: string, stage: string): string => stdout.split('\n').find((line) => line.startsWith(`${stage} `)) ?? `no ${stage} line in:\n${stdout}`;

  beforeAll(async () => {
    deck = await decks({ facts, slides: [{ layout: 'title', id: 'opening', title: 'Petit deck' }, { layout: 'big-number', id: 'figure', kicker: 'Un chiffre', number: 'a.fact', number_caption: 'en une année.' }] });
    browser = path.join(deck.root, 'browser.sh');
    starts = path.join(deck.root, 'starts.log');
    await browserSaying('156.0.1.1');
    const first = await runBuild();
    expect(first.code, first.stderr).toBe(0);
  }, 240_000);

  it('a build that reuses every export does not start the browser, and says the previous check stands', async () => {
    await writeFile(starts, '');
    const run = await runBuild();
    expect(run.code, run.stderr).toBe(0);
    for (const stage of ['pdf', 'handout', 'png', 'html', 'pptx']) expect(lineOf(run.stdout, stage)).toMatch(/unchanged, reused$/);
    expect(await started()).toBe(0);
    expect(lineOf(run.stdout, 'check')).toMatch(/not measured again: every export that needs the browser is reused/);
  }, 120_000);

  it('a new version of the browser makes every export made in the browser again', async () => {
    await browserSaying('157.0.2.2');
    const run = await runBuild();
    expect(run.code, run.stderr).toBe(0);
    for (const stage of ['pdf', 'handout', 'png', 'pptx']) expect(lineOf(run.stdout, stage)).not.toMatch(/reused/);
    // Every picture: the title, the figure and the sources slide.
    expect(lineOf(run.stdout, 'png')).toMatch(/3 of 3 made/);
    expect(lineOf(run.stdout, 'html')).toMatch(/unchanged, reused$/);
    expect(await started()).toBeGreaterThan(0);
    const again = await runBuild();
    for (const stage of ['pdf', 'handout', 'png', 'pptx']) expect(lineOf(again.stdout, stage)).toMatch(/unchanged, reused$/);
  }, 240_000);
});
