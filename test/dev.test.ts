/**
 * `datadeck dev` (src/dev/): a rebuild on each save, the slides swapped in place or the page reloaded,
 * errors shown over the last good deck, the PDFs printed again; and whatever happens around it
 * (data/ replaced, a port in use, a first build that fails, Ctrl-C).
 */
import { request } from 'node:http';
import path from 'node:path';
import { mkdir, readFile, readdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDevServer, type DevEvent, type DevServer } from '../src/dev/server.js';
import { build } from '../src/pipeline.js';
import { launchBrowser, type BrowserSession } from '../src/print/browser.js';
import { expectNoStackTrace, runCli, startCli } from './support/cli.js';
import { pdfPageCount, pdfPagePixels, pdfText, pixelsNear } from './support/pdf.js';
import { readPptx } from './support/pptx-reader.js';
import { processesMentioning } from './support/processes.js';
import { editFile, exists, read, scratchProject, scratchProjects, setFactValue } from './support/project.js';
import { smallDeck, smallDecks, twoEditionDeck } from './support/small-deck.js';

const scratch = scratchProjects();

function nextEvent(server: DevServer, kind: DevEvent['kind']): Promise<DevEvent> {
  return new Promise((resolve) => {
    const listener = (event: DevEvent): void => {
      if (event.kind !== kind) return;
      server.events.off('build', listener);
      resolve(event);
    };
    server.events.on('build', listener);
  });
}

/** The next event that matches: a build's outcome, good or bad, so a test fails on an error instead of timing out. */
function nextMatching(server: DevServer, matches: (event: DevEvent) => boolean): Promise<DevEvent> {
  return new Promise((resolve) => {
    const listener = (event: DevEvent): void => {
      if (!matches(event)) return;
      server.events.off('build', listener);
      resolve(event);
    };
    server.events.on('build', listener);
  });
}
const outcome = (server: DevServer): Promise<DevEvent> => nextMatching(server, (event) => event.kind === 'html' || event.kind === 'error');
const printed = (server: DevServer, lang: string): Promise<DevEvent> => nextMatching(server, (event) => event.kind === 'pdf' && event.lang === lang);

/** Pixels of a PDF page within a small distance of a colour. */
async function pixelsOf(pdf: string, page: number, hex: string): Promise<number> {
  return pixelsNear(await pdfPagePixels(pdf, page, 40), hex, 30);
}

/** A raw GET that keeps the path exactly as written (no client-side normalisation of ".."). */
function rawStatus(url: string, rawPath: string, headers: Record<string, string> = {}): Promise<number> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    request({ hostname, port, path: rawPath, method: 'GET', headers }, (response) => {
      response.resume();
      resolve(response.statusCode ?? 0);
    }).on('error', reject).end();
  });
}

describe('datadeck dev', () => {
  let project: Awaited<ReturnType<typeof scratchProject>>;
  let server: DevServer;
  let browser: BrowserSession;

  beforeAll(async () => {
    project = await scratchProject();
    // The PDFs alone: the other exports made in the background are the subject of their own describe below.
    server = await startDevServer({ dataDir: project.data, templatesDir: project.templates, outDir: project.out, formats: ['pdf'] });
    await server.idle();
    browser = await launchBrowser({ timeoutMs: 30_000 });
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await project?.cleanup();
  });

  it('serves the deck and refuses paths outside it', async () => {
    expect(await rawStatus(server.url, '/')).toBe(200);
    expect(await rawStatus(server.url, '/deck.pdf')).toBe(200);
    for (const attempt of ['/../package.json', '/%2e%2e/package.json', '/..%2fpackage.json', '/assets/..%2f..%2fpackage.json', '/%2E%2E%2F%2E%2E%2Fpackage.json']) {
      // 403 from datadeck's own check, not a 404 from the static server's normalisation.
      expect(await rawStatus(server.url, attempt), attempt).toBe(403);
    }
    // DNS rebinding: a foreign name pointing at 127.0.0.1 is refused.
    expect(await rawStatus(server.url, '/', { host: `attacker.example:${new URL(server.url).port}` })).toBe(403);
    expect(await rawStatus(server.url, '/', { host: `localhost:${new URL(server.url).port}` })).toBe(200);
  });

  it('reloads open tabs on the same slide after an edit, re-prints the PDF, and overlays errors until fixed', async () => {
    const page = await browser.browser.newPage();
    await page.goto(`${server.url}#/hook`, { waitUntil: 'load' });
    await page.waitForFunction(() => window.datadeckDev !== undefined);
    const hookText = (): Promise<string> => page.$eval('#hook .big-number', (element) => element.textContent ?? '');
    expect(await hookText()).toContain('13,7');
    const pdfBefore = await readFile(path.join(project.out, 'deck.pdf'));

    const html = nextEvent(server, 'html');
    const pdf = nextEvent(server, 'pdf');
    await editFile(path.join(project.data, 'facts.csv'), (csv) => setFactValue(csv, 'tether.net_profit.2024', '21400000000'));
    await html;
    await page.waitForFunction(() => document.querySelector('#hook .big-number')?.textContent?.includes('21,4'), { timeout: 15_000 });
    expect(await page.evaluate(() => window.location.hash)).toBe('#/hook');
    // reveal.js marks the slide it shows once it has initialised after the reload.
    await page.waitForFunction(() => document.querySelector('section.present') !== null);
    expect(await page.evaluate(() => document.querySelector('section.present')?.id)).toBe('hook');
    const printed = await pdf;
    // The print tab kept from the last build took the new slides in place: no page load.
    expect(printed.kind === 'pdf' && printed.how).toBe('slides swapped in place');
    const pdfAfter = await readFile(path.join(project.out, 'deck.pdf'));
    expect(pdfAfter.equals(pdfBefore)).toBe(false);
    // The re-printed PDF holds the new figure (bytes always differ: two prints differ in their dates).
    const hookPage = await pdfText(path.join(project.out, 'deck.pdf'), 2, 'plain');
    expect(hookPage).toContain('21,4');
    expect(hookPage).not.toContain('13,7');
    const served = Buffer.from(await (await fetch(new URL('deck.pdf', server.url))).arrayBuffer());
    expect(served.equals(pdfAfter)).toBe(true);

    const failed = nextEvent(server, 'error');
    await editFile(path.join(project.data, 'facts.csv'), (csv) => setFactValue(csv, 'tether.net_profit.2024', 'beaucoup'));
    const error = await failed;
    expect(error.kind === 'error' && error.errors.join('\n')).toMatch(/facts\.csv:2:24: value "beaucoup" is not a number/);
    await page.waitForSelector('#datadeck-error-overlay', { timeout: 15_000 });
    expect(await page.$eval('#datadeck-error-overlay', (element) => element.textContent)).toContain('facts.csv:2');
    expect(await hookText()).toContain('21,4');
    expect(await readFile(path.join(project.out, 'index.html'), 'utf8')).toContain('21,4');

    const fixed = nextEvent(server, 'html');
    await editFile(path.join(project.data, 'facts.csv'), (csv) => setFactValue(csv, 'tether.net_profit.2024', '13700000000'));
    await fixed;
    await page.waitForFunction(() => !document.querySelector('#datadeck-error-overlay') && document.querySelector('#hook .big-number')?.textContent?.includes('13,7'), { timeout: 15_000 });
    await page.close();
    await server.idle();
  });

  it('swaps slides in place for a data edit and reloads the page for a theme edit', async () => {
    await server.idle();
    const page = await browser.browser.newPage();
    await page.goto(`${server.url}#/people`, { waitUntil: 'load' });
    await page.waitForFunction(() => window.datadeckDev !== undefined);
    const mark = (): Promise<void> => page.evaluate(() => { (window as unknown as { marker: boolean }).marker = true; });
    const marked = (): Promise<boolean> => page.evaluate(() => (window as unknown as { marker?: boolean }).marker === true);
    await mark();

    const dataBuilt = nextEvent(server, 'html');
    await editFile(path.join(project.data, 'facts.csv'), (csv) => setFactValue(csv, 'tether.staff', '120'));
    await dataBuilt;
    await page.waitForFunction(() => document.querySelector('#people .column-figure')?.textContent?.trim() === '120', { timeout: 15_000 });
    expect(await marked()).toBe(true);
    expect(await page.evaluate(() => document.querySelector('section.present')?.id)).toBe('people');

    const themeBuilt = nextEvent(server, 'html');
    await editFile(path.join(project.templates, 'theme.css'), (css) => `${css}\n.kicker { letter-spacing: 0.2em; }\n`);
    await themeBuilt;
    await page.waitForFunction(() => (window as unknown as { marker?: boolean }).marker === undefined && document.querySelector('section.present') !== null, { timeout: 15_000 });
    expect(await page.evaluate(() => getComputedStyle(document.querySelector('#people .kicker')!).letterSpacing)).toBe('4.4px');
    expect(await page.evaluate(() => document.querySelector('section.present')?.id)).toBe('people');
    await page.close();
  });

  it('shows a slide that does not fit in the error overlay, and keeps the last PDF', async () => {
    await server.idle();
    const page = await browser.browser.newPage();
    await page.goto(`${server.url}#/data`, { waitUntil: 'load' });
    await page.waitForFunction(() => window.datadeckDev !== undefined);
    const pdfBefore = await readFile(path.join(project.out, 'deck.pdf'));
    const deck = path.join(project.data, 'deck.yaml');
    const original = await readFile(deck, 'utf8');
    const overflow = nextEvent(server, 'error');
    // A bullet far too long (the English edition, translated apart, still fits).
    await writeFile(deck, original.replace('      - Les données d’entraînement d’OpenAI et d’Anthropic, elles, restent fermées.\n', `      - Les données d’entraînement d’OpenAI et d’Anthropic, elles, restent fermées.${' Et cette phrase continue, encore et encore, pour voir la diapositive déborder de son cadre.'.repeat(5)}\n`));
    const error = await overflow;
    expect(error.kind === 'error' && error.errors.join('\n')).toMatch(/deck\.yaml:\d+:\d+: slide 10 "QVAC Genesis, ouvert et gratuit" \(fr\) does not fit/);
    await page.waitForFunction(() => (document.querySelector('#datadeck-error-overlay')?.textContent ?? '').includes('does not fit'), { timeout: 15_000 });
    expect((await readFile(path.join(project.out, 'deck.pdf'))).equals(pdfBefore)).toBe(true);
    const fixed = nextEvent(server, 'pdf');
    await writeFile(deck, original);
    await fixed;
    await page.waitForFunction(() => !document.querySelector('#datadeck-error-overlay'), { timeout: 15_000 });
    await page.close();
  });

  it('builds a burst of quick saves once, with the last value', async () => {
    await server.idle();
    const built: number[] = [];
    const listener = (event: DevEvent): void => { if (event.kind === 'html') built.push(event.build); };
    server.events.on('build', listener);
    const facts = path.join(project.data, 'facts.csv');
    const original = await readFile(facts, 'utf8');
    for (const value of ['14100000000', '14200000000', '14300000000', '14400000000', '14500000000']) {
      await writeFile(facts, setFactValue(original, 'tether.net_profit.2024', value));
    }
    // Let the watcher see the last write, then wait for every queued build.
    await new Promise((resolve) => setTimeout(resolve, 300));
    await server.idle();
    server.events.off('build', listener);
    expect(built.length).toBeGreaterThanOrEqual(1);
    expect(built.length).toBeLessThan(5);
    expect(await readFile(path.join(project.out, 'index.html'), 'utf8')).toContain('14,5');
  });

  it('drops an edition whose translation goes away and adds one that comes, without a restart', async () => {
    await server.idle();
    const page = await browser.browser.newPage();
    await page.goto(server.url, { waitUntil: 'load' });
    await page.waitForFunction(() => window.datadeckDev !== undefined);
    const englishLink = (): Promise<boolean> => page.evaluate(() => document.querySelector('.editions a[hreflang="en"]') !== null);
    expect(await englishLink()).toBe(true);
    const translation = path.join(project.data, 'translations', 'en.yaml');
    const away = path.join(project.root, 'en.yaml');

    let built = outcome(server);
    await rename(translation, away);
    let event = await built;
    expect(event.kind === 'error' ? event.errors : []).toEqual([]);
    expect(event.kind === 'html' && event.result.editions.map((edition) => edition.lang)).toEqual(['fr']);
    expect(await exists(path.join(project.out, 'en'))).toBe(false);
    expect(await rawStatus(server.url, '/en/index.html')).toBe(404);
    // The open tab reloads: its corner no longer links to an edition that is gone.
    await page.waitForFunction(() => document.querySelector('section.present') !== null && document.querySelector('.editions a[hreflang="en"]') === null, { timeout: 15_000 });
    // And later saves build as usual.
    built = outcome(server);
    await editFile(path.join(project.data, 'facts.csv'), (csv) => setFactValue(csv, 'tether.net_profit.2024', '13800000000'));
    event = await built;
    expect(event.kind === 'error' ? event.errors : []).toEqual([]);

    await server.idle();
    built = outcome(server);
    const english = printed(server, 'en');
    await rename(away, translation);
    event = await built;
    expect(event.kind === 'html' && event.result.editions.map((edition) => edition.lang)).toEqual(['fr', 'en']);
    await english;
    expect(await rawStatus(server.url, '/en/index.html')).toBe(200);
    expect(await pdfText(path.join(project.out, 'en', 'deck.pdf'), 2, 'plain')).toContain('$13.8');
    await page.waitForFunction(() => document.querySelector('.editions a[hreflang="en"]') !== null, { timeout: 15_000 });
    await page.close();
    await server.idle();
  });

  it('brings a colour edit of theme.yaml to open tabs and to the re-printed PDF', async () => {
    await server.idle();
    const page = await browser.browser.newPage();
    await page.goto(`${server.url}#/people`, { waitUntil: 'load' });
    await page.waitForFunction(() => window.datadeckDev !== undefined && document.querySelector('section.present') !== null);
    const figureColour = (): Promise<string> => page.evaluate(() => getComputedStyle(document.querySelector('#people .role-tether .column-figure')!).color);
    expect(await figureColour()).toBe('rgb(0, 133, 111)');
    const purple = '#6a1b9a';
    const built = outcome(server);
    const french = printed(server, 'fr');
    await editFile(path.join(project.data, 'theme.yaml'), (yaml) => yaml.replace("tether: '#00856f'", `tether: '${purple}'`));
    const event = await built;
    expect(event.kind === 'error' ? event.errors : []).toEqual([]);
    await page.waitForFunction(() => getComputedStyle(document.querySelector('#people .role-tether .column-figure')!).color === 'rgb(106, 27, 154)', { timeout: 15_000 });
    // Reloaded on the slide it showed.
    await page.waitForFunction(() => document.querySelector('section.present') !== null, { timeout: 15_000 });
    expect(await page.evaluate(() => document.querySelector('section.present')?.id)).toBe('people');
    await french;
    const people = event.kind === 'html' ? event.result.editions[0]!.view.slides.findIndex((slide) => slide.id === 'people') + 1 : 0;
    // The column's rule and its figure, in the new colour, on the PDF's page of that slide.
    expect(await pixelsOf(path.join(project.out, 'deck.pdf'), people, purple)).toBeGreaterThan(200);
    await page.close();
  });
});

describe('datadeck dev from the command line', () => {
  it('serves, prints, and on Ctrl-C stops cleanly with no Chromium left behind', async () => {
    const { execFileSync } = await import('node:child_process');
    const profiles = (): Set<string> =>
      new Set(execFileSync('ps', ['-eo', 'args'], { encoding: 'utf8' }).match(/datadeck-chromium-[A-Za-z0-9]+/g) ?? []);
    // Two editions: the English one is usually still printing when Ctrl-C follows the French PDF.
    const project = await smallDeck(twoEditionDeck());
    try {
      const cli = startCli(['dev', '--data', project.data, '--templates', project.templates, '--out', project.out, '--formats', 'pdf']);
      const [, url] = await cli.waitFor(/serving \S+ at (http:\/\/127\.0\.0\.1:\d+\/)/);
      expect((await fetch(url!)).status).toBe(200);
      await cli.waitFor(/pdf fr \d+ ms/);
      // Its own browser only (profiles are named after the build's pid): other builds may be running on the machine.
      const started = [...profiles()].filter((profile) => profile === `datadeck-chromium-${cli.child.pid}`);
      expect(started.length).toBeGreaterThan(0);
      cli.child.kill('SIGINT');
      expect(await cli.exited).toBe(0);
      expect(cli.output()).toContain('stopping');
      const left = [...profiles()].filter((profile) => started.includes(profile));
      expect(left).toEqual([]);
    } finally {
      await project.cleanup();
    }
  });
});

describe('datadeck dev, whatever happens around it', () => {
  it('keeps seeing data edits after data/ is replaced (restored from a backup, moved away and back)', async () => {
    const p = await scratch();
    const { cp, rename } = await import('node:fs/promises');
    const server = await startDevServer({ dataDir: p.data, templatesDir: p.templates, outDir: p.out, pdf: false });
    try {
      const backup = path.join(p.root, 'backup');
      await cp(p.data, backup, { recursive: true });
      const replacements: [string, () => Promise<void>][] = [
        ['rm -rf data && cp -r backup data', async () => { await rm(p.data, { recursive: true }); await cp(backup, p.data, { recursive: true }); }],
        ['mv data x && mv x data', async () => { await rename(p.data, path.join(p.root, 'x')); await rename(path.join(p.root, 'x'), p.data); }],
      ];
      let value = 14_000_000_000;
      for (const [what, replace] of replacements) {
        await replace();
        await new Promise((resolve) => setTimeout(resolve, 1500));
        await server.idle();
        for (let edit = 0; edit < 2; edit += 1) {
          value += 100_000_000;
          const built = nextEvent(server, 'html');
          await editFile(path.join(p.data, 'facts.csv'), (text) => text.replace(/^tether\.net_profit\.2024,\d+,/m, `tether.net_profit.2024,${value},`));
          await Promise.race([built, new Promise((_, reject) => setTimeout(() => reject(new Error(`no rebuild after "${what}", edit ${edit + 1}`)), 8000))]);
          await server.idle();
          expect(await read(path.join(p.out, 'index.html')), what).toContain(`${String(value / 1e9).replace('.', ',')}\u00a0milliards`);
        }
      }
    } finally {
      await server.close();
    }
  });

  it('a port in use: exit 8 with a sentence, at once, and no Chromium left running', async () => {
    const p = await scratch();
    const { createServer } = await import('node:net');
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const port = (blocker.address() as import('node:net').AddressInfo).port;
    try {
      // Its own temporary folder: a Chromium it started would have its profile there (others' would not).
      const tmp = path.join(p.root, 'tmp');
      await mkdir(tmp);
      const run = await runCli(['dev', '--data', p.data, '--templates', p.templates, '--out', p.out, '--port', String(port)], { timeoutMs: 20_000, env: { ...process.env, TMPDIR: tmp } });
      expect(run.code, run.stderr).toBe(8);
      expect(run.stderr).toContain(`port ${port} is already in use on 127.0.0.1`);
      expectNoStackTrace(run);
      expect(processesMentioning(tmp)).toEqual([]);
      expect(await readdir(tmp)).toEqual([]);
    } finally {
      blocker.close();
    }
  });

  it('a port out of range is exit 64; an address that is not this machine\'s is exit 8, each with a sentence', async () => {
    const p = await scratch();
    const base = ['dev', '--data', p.data, '--templates', p.templates, '--out', p.out, '--no-pdf'];
    const outOfRange = await runCli([...base, '--port', '70000'], { timeoutMs: 20_000 });
    expect(outOfRange.code).toBe(64);
    expect(outOfRange.stderr).toMatch(/expected a port number from 1 to 65535/);
    const foreign = await runCli([...base, '--host', '203.0.113.7'], { timeoutMs: 20_000 });
    expect(foreign.code, foreign.stderr).toBe(8);
    expect(foreign.stderr).toMatch(/203\.0\.113\.7 is not an address of this machine/);
    expectNoStackTrace(foreign);
    const unknown = await runCli([...base, '--host', 'no-such-host.invalid'], { timeoutMs: 20_000 });
    expect(unknown.code, unknown.stderr).toBe(8);
    expect(unknown.stderr).toMatch(/cannot be resolved/);
    expectNoStackTrace(unknown);
  });

  it('when the first build fails, the tab shows the errors, then the deck once the data is fixed', async () => {
    const p = await scratch();
    const facts = path.join(p.data, 'facts.csv');
    await editFile(facts, (text) => text.replace(/^tether\.net_profit\.2024,\d+,/m, 'tether.net_profit.2024,beaucoup,'));
    const server = await startDevServer({ dataDir: p.data, templatesDir: p.templates, outDir: p.out, pdf: false });
    const { launchBrowser } = await import('../src/print/browser.js');
    const session = await launchBrowser({ timeoutMs: 20_000 });
    try {
      const page = await session.browser.newPage();
      const response = await page.goto(server.url, { waitUntil: 'load' });
      expect(response?.status()).toBe(200);
      await page.waitForSelector('#datadeck-error-overlay', { timeout: 10_000 });
      expect(await page.$eval('#datadeck-error-overlay', (element) => element.textContent)).toMatch(/facts\.csv:2:24: value "beaucoup" is not a number/);
      await editFile(facts, (text) => text.replace('tether.net_profit.2024,beaucoup,', 'tether.net_profit.2024,13700000000,'));
      await page.waitForFunction(() => document.querySelector('section.present') !== null && !document.querySelector('#datadeck-error-overlay'), { timeout: 15_000 });
      expect(await page.$eval('.reveal .slides', (element) => element.textContent ?? '')).toContain('13,7');
    } finally {
      await session.close();
      await server.close();
    }
  });
});

/**
 * After each good build, once its PDFs are on disk, dev makes every other export of every edition
 * in the background with the session's browser, reusing what the export cache allows, and writes
 * the cache's manifest: what `datadeck build` makes from the same data, and what it then reuses.
 */
describe('datadeck dev keeps every export fresh', () => {
  const decks = smallDecks();
  const documents = ['deck.pdf', 'handout.pdf', 'deck.html', 'deck.pptx', 'en/deck.pdf', 'en/handout.pdf', 'en/deck.html', 'en/deck.pptx'];
  const spec = twoEditionDeck();
  let project: Awaited<ReturnType<typeof decks>>;
  let server: DevServer;
  const lines: string[] = [];
  const events: DevEvent[] = [];

  async function pictures(out: string): Promise<string[]> {
    return [...(await readdir(path.join(out, 'png'))).map((name) => `png/${name}`), ...(await readdir(path.join(out, 'en', 'png'))).map((name) => `en/png/${name}`)].sort();
  }
  /** Each export file's inode: a file made again gets a new one, a reused one is a link to the same. */
  async function inodes(out: string): Promise<Map<string, number>> {
    const files = [...documents, ...(await pictures(out))];
    return new Map(await Promise.all(files.map(async (file) => [file, (await stat(path.join(out, file))).ino] as const)));
  }
  const remade = (before: Map<string, number>, after: Map<string, number>): string[] => [...after].filter(([file, ino]) => before.get(file) !== ino).map(([file]) => file).sort();
  /** The 'exports' event of a build (its number, or the next build's). */
  const exportsOf = (build: () => number): Promise<DevEvent> => nextMatching(server, (event) => (event.kind === 'exports' && event.build === build()) || event.kind === 'error' || event.kind === 'exports-error');

  /** What `datadeck build` makes of the same data, cold, compared file by file with the dev session's output. */
  async function expectSameAsBuild(): Promise<void> {
    const cold = path.join(project.root, `cold-${Date.now()}`);
    await build({ dataDir: project.data, templatesDir: project.templates, outDir: cold, pdf: true });
    expect(await pictures(project.out)).toEqual(await pictures(cold));
    for (const file of await pictures(cold)) expect((await readFile(path.join(project.out, file))).equals(await readFile(path.join(cold, file))), file).toBe(true);
    for (const file of ['deck.pdf', 'handout.pdf', 'en/deck.pdf', 'en/handout.pdf']) {
      const pages = await pdfPageCount(path.join(cold, file));
      expect(await pdfPageCount(path.join(project.out, file)), file).toBe(pages);
      for (let page = 1; page <= pages; page += 1) expect(await pdfText(path.join(project.out, file), page), `${file} page ${page}`).toBe(await pdfText(path.join(cold, file), page));
    }
    for (const file of ['deck.html', 'en/deck.html', 'handout.html', 'en/handout.html']) expect(await read(path.join(project.out, file)), file).toBe(await read(path.join(cold, file)));
    for (const file of ['deck.pptx', 'en/deck.pptx']) {
      const slides = async (deck: string): Promise<string[]> => (await readPptx(await readFile(path.join(deck, file)))).slides.map((slide) => slide.xml);
      expect(await slides(project.out), file).toEqual(await slides(cold));
    }
    await rm(cold, { recursive: true, force: true });
  }

  beforeAll(async () => {
    project = await decks(spec);
    server = await startDevServer({ dataDir: project.data, templatesDir: project.templates, outDir: project.out, pdf: true, log: (line) => lines.push(line) });
    server.events.on('build', (event) => events.push(event));
    const first = await exportsOf(() => 1);
    expect(first.kind === 'exports-error' || first.kind === 'error' ? first : undefined).toBeUndefined();
  }, 120_000);
  afterAll(async () => {
    await server?.close();
  });

  it('after a save that changes one fact, every export of both editions is on disk as `datadeck build` makes it, only the pictures of the slides showing the fact taken again', async () => {
    const before = await inodes(project.out);
    let built = 0;
    const html = nextEvent(server, 'html').then((event) => { built = event.kind === 'html' ? event.build : -1; });
    const made = exportsOf(() => built);
    lines.length = 0;
    await editFile(path.join(project.data, 'facts.csv'), (csv) => csv.replace(/^a\.fact,1200,/m, 'a.fact,1350,'));
    await html;
    const event = await made;
    expect(event.kind === 'exports' ? event.remade : event).toEqual(['handout.pdf', 'png/', 'deck.html', 'deck.pptx']);
    expect(remade(before, await inodes(project.out))).toEqual([...documents, 'png/02-figure.png', 'png/04-sources.png', 'en/png/02-figure.png', 'en/png/04-sources.png'].sort());
    expect(lines.find((line) => line.includes('exports'))).toMatch(/^ {9}exports fr\+en \d+\.\d s: handout\.pdf, deck\.html, deck\.pptx remade; png\/ 4 of 8 remade$/);
    await expectSameAsBuild();
  }, 300_000);

  it('a save during the background work leaves the outputs of the newer build only', async () => {
    await server.idle();
    let first = 0;
    let second = 0;
    const seen: DevEvent[] = [];
    const listener = (event: DevEvent): void => void seen.push(event);
    server.events.on('build', listener);
    // The second save lands as soon as the first build's PDFs are on disk: its other exports are under way.
    const firstPrinted = nextEvent(server, 'html').then(async (event) => {
      first = event.kind === 'html' ? event.build : -1;
      await nextMatching(server, (pdf) => pdf.kind === 'pdf' && pdf.build === first && pdf.lang === 'en');
      const html = nextEvent(server, 'html').then((next) => { second = next.kind === 'html' ? next.build : -1; });
      await editFile(path.join(project.data, 'facts.csv'), (csv) => csv.replace(/^b\.fact,900,/m, 'b.fact,950,'));
      await html;
    });
    const made = exportsOf(() => second);
    await editFile(path.join(project.data, 'facts.csv'), (csv) => csv.replace(/^b\.fact,800,/m, 'b.fact,900,'));
    await firstPrinted;
    const event = await made;
    server.events.off('build', listener);
    expect(event.kind).toBe('exports');
    // The older build's exports never land once the newer build is in place.
    const newerAt = seen.findIndex((candidate) => candidate.kind === 'html' && candidate.build === second);
    expect(seen.slice(newerAt).filter((candidate) => candidate.kind === 'exports' && candidate.build === first)).toEqual([]);
    for (const file of ['deck.pdf', 'handout.pdf', 'en/deck.pdf', 'en/handout.pdf']) {
      const text = await pdfText(path.join(project.out, file));
      expect(text, file).toMatch(/950/);
      expect(text, file).not.toMatch(/900/);
    }
    await expectSameAsBuild();
  }, 300_000);

  it('`datadeck build` right after the session reuses every export dev made (nothing rewritten)', async () => {
    await server.close();
    const before = await inodes(project.out);
    const buildLines: string[] = [];
    await build({ dataDir: project.data, templatesDir: project.templates, outDir: project.out, pdf: true, log: (line) => buildLines.push(line) });
    expect(remade(before, await inodes(project.out))).toEqual([]);
    for (const format of ['pdf', 'handout', 'png', 'pptx', 'html']) expect(buildLines.find((line) => line.startsWith(format)), format).toMatch(/unchanged, reused$/);
  }, 300_000);

  it('--formats chooses the exports dev keeps: deck.html alone needs no browser', async () => {
    const p = await decks(spec);
    const cli = startCli(['dev', '--data', p.data, '--out', p.out, '--formats', 'html']);
    try {
      await cli.waitFor(/^ {9}exports fr\+en \d+\.\d s: deck\.html remade$/m, 60_000);
      expect(await exists(path.join(p.out, 'deck.html'))).toBe(true);
      expect(await exists(path.join(p.out, 'en', 'deck.html'))).toBe(true);
      for (const file of ['deck.pdf', 'handout.pdf', 'png', 'en/deck.pptx']) expect(await exists(path.join(p.out, file)), file).toBe(false);
      expect(cli.output()).not.toMatch(/pdf fr/);
    } finally {
      cli.child.kill('SIGINT');
      await cli.exited;
    }
  }, 120_000);
});
