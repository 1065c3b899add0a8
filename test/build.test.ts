/**
 * The default deck built end to end, as a reader and a presenter meet it: the PDF's pages, charts
 * drawn for paper and on screen, no network request, the speaker view offline, an edit in data/
 * followed everywhere; the CLI's progress and exit codes; tools that drive reveal.js from outside.
 */
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { parse as parseCsv } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { build, type BuildResult } from '../src/pipeline.js';
import { launchBrowser, type BrowserSession } from '../src/print/browser.js';
import { speakerViewScriptHashes } from '../src/output/assets.js';
import { frenchOptions } from './support/build.js';
import { runCli } from './support/cli.js';
import { pdfPageCount, pdfText } from './support/pdf.js';
import { editFile, scratchProject, setFactValue } from './support/project.js';
import { smallDecks } from './support/small-deck.js';

const smallDeck = smallDecks();
const nbsp = '\u00a0';

function sections(html: string): string[] {
  return html.split(/<section class="slide /).slice(1);
}

describe('building the Tether deck end to end', () => {
  let project: Awaited<ReturnType<typeof scratchProject>>;
  let result: BuildResult;
  let html: string;
  let browser: BrowserSession;

  beforeAll(async () => {
    project = await scratchProject();
    const lines: string[] = [];
    result = await build({ dataDir: project.data, templatesDir: project.templates, outDir: project.out, formats: ['pdf'], langs: ['fr'], log: (line) => lines.push(line) });
    html = await readFile(path.join(project.out, 'index.html'), 'utf8');
    expect(lines.map((line) => line.split(/\s+/)[0])).toEqual(['load', 'render', 'write', 'check', 'pdf']);
    browser = await launchBrowser({ timeoutMs: 30_000 });
  });
  afterAll(async () => {
    await browser?.close();
    await project?.cleanup();
  });

  it('writes one <section> per slide, the sources slides last', () => {
    expect(sections(html)).toHaveLength(result.slideCount);
    expect(result.slideCount).toBeGreaterThanOrEqual(18);
    expect(sections(html).at(-1)).toContain('layout-sources');
  });

  it('links each source marker to the sources slide that lists it', () => {
    const anchors = new Set([...html.matchAll(/<section class="slide layout-sources"[^>]* id="([^"]+)"/g)].map((match) => match[1]));
    expect(anchors.size).toBeGreaterThan(1);
    // Plain #id links: reveal.js follows them, and so does a PDF viewer (#/id makes no PDF link).
    const links = [...html.matchAll(/href="#([^"/]+)">\[(\d+)\]/g)];
    expect(links.length).toBeGreaterThan(20);
    for (const [, anchor, number] of links) {
      expect(anchors, anchor).toContain(anchor);
      const page = sections(html).find((section) => section.includes(`id="${anchor}"`))!;
      expect(page, `[${number}] on ${anchor}`).toMatch(new RegExp(`start="(\\d+)"`));
      const start = Number(/start="(\d+)"/.exec(page)![1]);
      const count = (page.match(/<li class="source /g) ?? []).length;
      expect(Number(number)).toBeGreaterThanOrEqual(start);
      expect(Number(number)).toBeLessThan(start + count);
    }
  });

  it('lists every cited article-only fact on the sources slides, labelled as the article\'s unverified figure', async () => {
    const facts = parseCsv(await readFile(path.join(project.data, 'facts.csv'), 'utf8'), { columns: true }) as { id: string; label: string; status: string }[];
    const articleOnly = facts.filter((fact) => fact.status === 'article-only');
    expect(articleOnly.length).toBeGreaterThan(3);
    const entries = sections(html).filter((section) => section.startsWith('layout-sources')).flatMap((section) => section.split('<li class="source ').slice(1));
    expect(entries).toHaveLength(result.model.citations.length);
    for (const fact of articleOnly) {
      const entry = entries.find((item) => item.includes(`<strong>${fact.label.replace(/&/g, '&amp;')}</strong>`));
      expect(entry, fact.id).toBeDefined();
      expect(entry!.startsWith('status-article-only'), fact.id).toBe(true);
      expect(entry, fact.id).toMatch(/<em class="status"[^>]*>chiffre de l’article, non vérifié<\/em>/);
    }
    // Sourced facts carry no such label.
    const sourced = entries.filter((item) => item.startsWith('status-sourced'));
    expect(sourced.length).toBeGreaterThan(10);
    for (const item of sourced) expect(item).not.toContain('non vérifié');
  });

  it('shows the hook figure, formatted in French, on the hook slide', () => {
    const hook = sections(html).find((section) => section.includes('id="hook"'))!;
    expect(hook).toContain(`13,7${nbsp}milliards de dollars`);
    expect(hook).toContain('data-figure="tether.net_profit.2024"');
  });

  it('loads nothing from off the machine and carries a Content-Security-Policy', async () => {
    // rel="alternate" names the other editions, loaded only if the reader follows the link.
    const references = [...html.matchAll(/<(?:script|link|img|iframe)\b(?![^>]*rel="alternate")[^>]*\b(?:src|href)="([^"]+)"/g)].map((match) => match[1]!);
    expect(references.length).toBeGreaterThan(4);
    for (const reference of references) expect(reference, reference).toMatch(/^assets\//);
    const csp = /<meta http-equiv="Content-Security-Policy" content="([^"]+)">/.exec(html)?.[1]?.replace(/&#x27;/g, "'").replace(/&#x3D;/g, '=');
    const hashes = (await speakerViewScriptHashes()).join(' ');
    expect(hashes).toMatch(/^('sha256-[A-Za-z0-9+/=]+' ?)+$/);
    // The whole policy, every directive: widening any of them (https:, 'unsafe-eval', a host) fails here.
    expect(csp).toBe([
      "default-src 'none'",
      `script-src 'self' ${hashes}`,
      "style-src 'self' 'unsafe-inline'",
      "font-src 'self'",
      "img-src 'self' data:",
      "frame-src 'self'",
      "connect-src 'none'",
      "base-uri 'none'",
      "form-action 'none'",
    ].join('; '));
    // Source links (<a href>) may point anywhere; nothing the page loads may.
    expect(html).not.toMatch(/https?:\/\/[^"\s)]*\.(js|mjs|css|woff2?|ttf|otf)\b/);
    for (const file of ['assets/theme.css', 'assets/palette.css']) expect(readFileSync(path.join(project.out, file), 'utf8'), file).not.toMatch(/url\(\s*['"]?(https?:)?\/\//);
  });

  it('prints one PDF page per slide with the key figures, accents and euro sign', async () => {
    const pdf = path.join(project.out, 'deck.pdf');
    expect(await pdfPageCount(pdf)).toBe(result.slideCount);
    const text = await pdfText(pdf);
    for (const expected of ['13,7', 'Md$', '135', 'Tether', 'décentralisation', 'M€', 'Sources']) expect(text).toContain(expected);
    // The hook slide is page 2 and holds its figure (not spilled onto another page).
    expect(await pdfText(pdf, 2)).toContain('13,7');
  });

  it('draws every chart for paper as a vector drawing with its labels as text, and makes no network request', async () => {
    const page = await browser.browser.newPage();
    const requests: string[] = [];
    page.on('request', (request) => requests.push(request.url()));
    const violations: string[] = [];
    page.on('console', (message) => { if (/Content.Security.Policy|Refused/i.test(message.text())) violations.push(message.text()); });
    await page.goto(`${pathToFileURL(path.join(project.out, 'index.html')).href}?print-pdf`, { waitUntil: 'load' });
    await page.waitForFunction(() => window.datadeckChartsDrawn === true);
    const drawings = await page.$$eval('svg[data-chart]', (svgs) =>
      svgs.map((svg) => ({
        id: svg.getAttribute('data-chart'),
        label: svg.getAttribute('aria-label'),
        shapes: svg.querySelectorAll('path, rect').length,
        texts: [...svg.querySelectorAll('text')].map((text) => text.textContent),
        spec: JSON.parse(svg.closest('figure')!.querySelector('script[data-chart-spec]')!.textContent!) as { labels: string[]; series: { valueLabels: string[] }[] },
      })),
    );
    expect(drawings.map((chart) => chart.id).sort()).toEqual(['ai_bets', 'ai_money', 'per_person', 'profit_parts', 'profit_vs_losses', 'tbill_rates']);
    expect(await page.$$('canvas[data-chart]')).toHaveLength(0);
    for (const chart of drawings) {
      expect(chart.shapes, chart.id!).toBeGreaterThan(chart.spec.labels.length);
      for (const text of [...chart.spec.labels, ...chart.spec.series.flatMap((series) => series.valueLabels)]) expect(chart.texts, `${chart.id}: ${text}`).toContain(text);
      expect(chart.label).toMatch(/\d/);
    }
    expect(requests.filter((url) => !url.startsWith('file://'))).toEqual([]);
    expect(violations).toEqual([]);
    await page.close();
  });

  it('draws a chart on screen on a canvas when its slide shows (non-blank)', async () => {
    const page = await browser.browser.newPage();
    await page.goto(`${pathToFileURL(path.join(project.out, 'index.html')).href}#/scale`, { waitUntil: 'load' });
    await page.waitForSelector('#scale canvas[data-chart-drawn="true"]', { timeout: 10_000 });
    const share = await page.$eval('#scale canvas[data-chart]', (canvas) => {
      const { data } = (canvas as HTMLCanvasElement).getContext('2d')!.getImageData(0, 0, (canvas as HTMLCanvasElement).width, (canvas as HTMLCanvasElement).height);
      let painted = 0;
      for (let i = 3; i < data.length; i += 4) if (data[i]! > 0) painted += 1;
      return painted / (data.length / 4);
    });
    expect(share).toBeGreaterThan(0.02);
    await page.close();
  });

  it('opens the speaker view offline with the notes of the current slide', async () => {
    const page = await browser.browser.newPage();
    await page.goto(`${pathToFileURL(path.join(project.out, 'index.html')).href}#/hook`, { waitUntil: 'load' });
    const popupTarget = browser.browser.waitForTarget((target) => target.opener() === page.target());
    await page.keyboard.press('s');
    const popup = (await (await popupTarget).page())!;
    // A sentence of the slide's own notes (not of a fact's caveat, also shown there).
    await popup.waitForFunction(() => (document.querySelector('.speaker-controls-notes .value')?.textContent ?? '').includes('Tout ce qui suit dépend de ce chiffre.'), { timeout: 15_000 });
    expect(await popup.$('#current-slide iframe')).not.toBeNull();
    await popup.close();
    await page.close();
  });

  it('follows an edit of tether.net_profit.2024 on the hook slide, the chart and derived figures', async () => {
    await editFile(path.join(project.data, 'facts.csv'), (csv) => setFactValue(csv, 'tether.net_profit.2024', '21400000000'));
    const edited = await build({ dataDir: project.data, templatesDir: project.templates, outDir: project.out, pdf: false });
    const editedHtml = await readFile(path.join(project.out, 'index.html'), 'utf8');
    const hook = sections(editedHtml).find((section) => section.includes('id="hook"'))!;
    expect(hook).toContain(`21,4${nbsp}milliards de dollars`);
    expect(hook).not.toContain('13,7');
    const chart = sections(editedHtml).find((section) => section.includes('data-chart="profit_vs_losses"'))!;
    expect(chart).toContain(`21,4${nbsp}Md$`);
    const perPerson = edited.model.figures.get('tether.profit_per_employee.2024')!;
    expect(perPerson.value).toBeCloseTo(21.4e9 / 150);
    const people = sections(editedHtml).find((section) => section.includes('id="people"'))!;
    expect(people).toContain('>116<'); // (21.4e9 / 150) / (3.7e9 / 3000) = 115.7
    expect(edited.slideCount).toBe(result.slideCount);
  });
});

describe('the CLI', () => {
  it('prints help and version', async () => {
    const help = await runCli(['build', '--help']);
    expect(help.code, help.stderr).toBe(0);
    for (const flag of ['--data', '--templates', '--out', '--no-pdf', '--allow-false-claims', '--timeout']) expect(help.stdout).toContain(flag);
    const version = await runCli(['--version']);
    expect(version.code, version.stderr).toBe(0);
    expect(version.stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
  });

  it('builds with progress lines and exits 0; bad data exits non-zero naming file and line', async () => {
    const project = await scratchProject();
    try {
      const ok = await runCli(['build', '--data', project.data, '--templates', project.templates, '--out', project.out, '--no-pdf']);
      expect(ok.code, ok.stderr).toBe(0);
      expect(ok.stdout).toMatch(/^load\s+\d+ ms/m);
      expect(ok.stdout).toMatch(/^render\s+\d+ ms/m);
      expect(ok.stdout).toMatch(/built \d+ slides/);
      await editFile(path.join(project.data, 'facts.csv'), (csv) => setFactValue(csv, 'tether.staff', 'cent cinquante'));
      const failed = await runCli(['build', '--data', project.data, '--templates', project.templates, '--out', project.out, '--no-pdf']);
      expect(failed.code).toBe(2);
      expect(failed.stderr).toMatch(/facts\.csv:7:14: value "cent cinquante" is not a number/);
      expect(failed.stderr).toContain('was left as it was');
    } finally {
      await project.cleanup();
    }
  });

  it("prefers a system's headless shell to its full browser (the same engine, lighter to start and print with) and drives it in Puppeteer's shell mode", async () => {
    const { headlessModeOf, systemBrowserPaths } = await import('../src/print/browser.js');
    const paths = systemBrowserPaths({ PATH: '/usr/local/bin:/usr/bin' }, 'linux');
    const at = (file: string): number => paths.indexOf(file);
    expect(at('/usr/bin/chromium-headless-shell')).toBeGreaterThanOrEqual(0);
    expect(at('/usr/bin/chromium-headless-shell')).toBeLessThan(at('/usr/local/bin/chromium'));
    expect(at('/usr/local/bin/chrome-headless-shell')).toBeLessThan(at('/usr/bin/chromium'));
    expect(headlessModeOf('/usr/bin/chromium-headless-shell')).toBe('shell');
    expect(headlessModeOf('/home/me/.cache/puppeteer/chrome-headless-shell/linux-131.0.6778.85/chrome-headless-shell-linux64/chrome-headless-shell')).toBe('shell');
    expect(headlessModeOf('/usr/bin/chromium')).toBe(true);
    expect(headlessModeOf('C:\\Program Files\\Google\\Chrome\\Application\\chrome.exe')).toBe(true);
  });

  it("takes Debian's headless shell itself, not the script its command is (a script that does not exec would be the process Puppeteer kills)", async () => {
    const { findBrowser } = await import('../src/print/browser.js');
    const dir = await mkdtemp(path.join(os.tmpdir(), 'datadeck-wrapped-'));
    try {
      const binary = path.join(dir, 'lib', 'chromium-headless-shell');
      await mkdir(path.dirname(binary));
      await writeFile(binary, '', { mode: 0o755 });
      // As Debian's chromium-headless-shell package writes /usr/bin/chromium-headless-shell.
      const command = path.join(dir, 'chromium-headless-shell');
      await writeFile(command, `#!/bin/sh -e\n\n${binary} "$@"\n`, { mode: 0o755 });
      expect(await findBrowser({}, [command])).toEqual({ executablePath: binary, via: 'system' });
      // A full browser's script (Debian's chromium sets its flags, then execs) is run as it is.
      const chromium = path.join(dir, 'chromium');
      await writeFile(chromium, `#!/bin/sh\nexec ${binary} "$@"\n`, { mode: 0o755 });
      expect(await findBrowser({}, [chromium])).toEqual({ executablePath: chromium, via: 'system' });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('names the fix when no browser can be found', async () => {
    const { findBrowser } = await import('../src/print/browser.js');
    await expect(findBrowser({ PUPPETEER_EXECUTABLE_PATH: '/nonexistent/chrome' }, [])).rejects.toThrow(/does not exist/);
    // No system browser: Puppeteer's own is used when present, and named in the error when not.
    const ownBrowser = path.join(os.tmpdir(), `datadeck-fake-chrome-${process.pid}`);
    await writeFile(ownBrowser, '#!/bin/sh\n', { mode: 0o755 });
    try {
      expect(await findBrowser({}, ['/nonexistent/chromium'], async () => ownBrowser)).toEqual({ executablePath: ownBrowser, via: 'puppeteer' });
    } finally {
      await rm(ownBrowser);
    }
    const missing = findBrowser({}, ['/nonexistent/chromium'], async () => '/nonexistent-cache/chrome/linux-1/chrome');
    await expect(missing).rejects.toThrow(/npx puppeteer@[\d.]+ browsers install chrome-headless-shell.*PUPPETEER_EXECUTABLE_PATH.*Looked for \/nonexistent\/chromium and in Puppeteer's cache/);
  });
});

describe('the deck works with tools that drive reveal.js from outside', () => {
  it('initialises the global Reveal, and DeckTape (with the system Chromium) exports one page per slide', async () => {
    // A few slides, a chart among them (what could fail to draw), then the sources slide the build adds.
    const p = await smallDeck({
      facts: [{ id: 'a.fact', value: 13_700_000_000 }, { id: 'b.fact', value: 5_000_000_000 }],
      charts: { pair: { title: 'Deux chiffres', bars: [{ fact: 'a.fact', label: 'A' }, { fact: 'b.fact', label: 'B' }] } },
      slides: [
        { layout: 'title', id: 'opening', title: 'Petit deck' },
        { layout: 'big-number', id: 'figure', kicker: 'Un chiffre', number: 'a.fact', number_caption: 'en une année.' },
        { layout: 'chart', id: 'bars', kicker: 'Graphique', title: 'Deux chiffres', chart: 'pair' },
      ],
    });
    const result = await build(frenchOptions(p));
    expect(result.slideCount).toBe(4);
    const session = await launchBrowser({ timeoutMs: 20_000 });
    try {
      const page = await session.browser.newPage();
      await page.goto(pathToFileURL(result.htmlPath).href, { waitUntil: 'load' });
      await page.waitForFunction(() => (window as unknown as { Reveal?: { isReady?: () => boolean } }).Reveal?.isReady?.() === true, { timeout: 10_000 });
      expect(await page.evaluate(() => (window as unknown as { Reveal: { getTotalSlides: () => number } }).Reveal.getTotalSlides())).toBe(result.slideCount);
    } finally {
      await session.close();
    }
    const pdf = path.join(p.root, 'decktape.pdf');
    const chromeArgs = ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'].map((arg) => `--chrome-arg=${arg}`);
    const decktape = path.join(process.cwd(), 'node_modules', '.bin', 'decktape');
    const { stdout } = await promisify(execFile)(decktape, ['reveal', '--chrome-path', '/usr/bin/chromium', ...chromeArgs, '--pause', '50', pathToFileURL(result.htmlPath).href, pdf], { timeout: 90_000 });
    expect(stdout).toContain(`Printed ${result.slideCount} slides`);
    expect(await pdfPageCount(pdf)).toBe(result.slideCount);
    expect(await pdfText(pdf, 2, 'plain')).toContain('13,7');
  }, 120_000);
});
