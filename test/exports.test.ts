/**
 * The exports of one build, for each edition: the slides PDF and the handout (metadata, outline,
 * tags, links, fonts, vector charts), one PNG per slide, the deck as one self-contained file; and
 * the checks that come with them: slides that do not fit, and an accessibility audit (axe-core).
 */
import { copyFile, mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { PDFArray, PDFDict, PDFDocument, PDFHexString, PDFName, PDFString, type PDFRef } from 'pdf-lib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DataErrors } from '../src/errors.js';
import { build, type BuildResult } from '../src/pipeline.js';
import { launchBrowser, type BrowserSession } from '../src/print/browser.js';
import { pdfFonts, pdfImages, pdfInfo, pdfText } from './support/pdf.js';
import { editFile, repoRoot, scratchProjects, snapshotDir, type ScratchProject } from './support/project.js';

/** A PDF's text in the order it was written, every run of white space one space. */
const readingText = async (file: string, first?: number, last?: number): Promise<string> =>
  (await pdfText(file, first ? { first, last: last ?? first } : undefined, 'raw')).replace(/[\s\u00a0\u202f]+/g, ' ');

/** The outline's titles and the 0-based pages they open, read back with pdf-lib. */
async function outlineOf(file: string): Promise<{ title: string; page: number }[]> {
  const doc = await PDFDocument.load(await readFile(file));
  const pages = doc.getPages().map((page) => page.ref.toString());
  const outlines = doc.catalog.lookup(PDFName.of('Outlines'), PDFDict);
  const entries: { title: string; page: number }[] = [];
  let ref = outlines.get(PDFName.of('First')) as PDFRef | undefined;
  while (ref) {
    const item = doc.context.lookup(ref, PDFDict);
    const title = (item.lookup(PDFName.of('Title')) as PDFHexString | PDFString).decodeText();
    const destination = item.lookup(PDFName.of('Dest'), PDFArray);
    entries.push({ title, page: pages.indexOf(destination.get(0).toString()) });
    ref = item.get(PDFName.of('Next')) as PDFRef | undefined;
  }
  return entries;
}

/** Each page's link annotations: internal ones as the page they open, external ones as their URI. */
async function linksOf(file: string): Promise<{ page: number; to: number | string }[]> {
  const doc = await PDFDocument.load(await readFile(file));
  const pages = doc.getPages();
  const refs = pages.map((page) => page.ref.toString());
  const names = new Map<string, number>();
  // Chromium writes named destinations in the catalog's /Dests dictionary.
  const dests = doc.catalog.lookupMaybe(PDFName.of('Dests'), PDFDict);
  for (const [key, value] of dests?.entries() ?? []) {
    const array = doc.context.lookup(value, PDFArray) ?? (doc.context.lookup(value, PDFDict).lookup(PDFName.of('D'), PDFArray));
    names.set(key.decodeText(), refs.indexOf(array.get(0).toString()));
  }
  const links: { page: number; to: number | string }[] = [];
  pages.forEach((page, index) => {
    const annots = page.node.lookupMaybe(PDFName.of('Annots'), PDFArray);
    for (let i = 0; i < (annots?.size() ?? 0); i += 1) {
      const annot = annots!.lookup(i, PDFDict);
      const action = annot.lookupMaybe(PDFName.of('A'), PDFDict);
      const uri = action?.lookup(PDFName.of('URI')) as PDFString | PDFHexString | undefined;
      if (uri) links.push({ page: index, to: uri.decodeText() });
      const dest = annot.get(PDFName.of('Dest')) ?? action?.get(PDFName.of('D'));
      if (dest instanceof PDFName) links.push({ page: index, to: names.get(dest.decodeText()) ?? -1 });
      else if (dest) {
        const value = doc.context.lookup(dest);
        if (value instanceof PDFArray) links.push({ page: index, to: refs.indexOf(value.get(0).toString()) });
        else if (value instanceof PDFString || value instanceof PDFHexString) links.push({ page: index, to: names.get(value.decodeText()) ?? -1 });
      }
    }
  });
  return links;
}

const scratch = scratchProjects();

describe('every export of both editions, from one build', () => {
  let project: ScratchProject;
  let result: BuildResult;
  const lines: string[] = [];

  beforeAll(async () => {
    project = await scratch();
    result = await build({ dataDir: project.data, templatesDir: project.templates, outDir: project.out, pdf: true, log: (line) => lines.push(line) });
  }, 120_000);

  it('writes deck.pdf, handout.pdf, png/, deck.html and deck.pptx for each edition, each export on a progress line with its time and size', async () => {
    for (const edition of result.editions) {
      const folder = path.join(project.out, edition.prefix);
      const files = await readdir(folder);
      for (const file of ['index.html', 'deck.pdf', 'handout.pdf', 'deck.html', 'png', 'deck.pptx']) expect(files, edition.lang).toContain(file);
      expect(edition.files.map((file) => file.format).sort()).toEqual(['handout', 'html', 'pdf', 'png', 'pptx']);
    }
    for (const [stage, file] of [['pdf', 'deck.pdf'], ['handout', 'handout.pdf'], ['png', 'png/'], ['html', 'deck.html'], ['pptx', 'deck.pptx']] as const) {
      const line = lines.find((text) => text.startsWith(`${stage} `));
      expect(line, stage).toMatch(new RegExp(`^${stage}\\s+\\d+ ms\\s+${file.replace('.', '\\.')} \\d+(\\.\\d)? [KM]B, en/${file.replace('.', '\\.')} \\d+(\\.\\d)? [KM]B`));
    }
    expect(lines.find((text) => text.startsWith('check '))).toMatch(/52 slides measured, all fit/);
  });

  it('both PDFs carry title, author, subject and language, are tagged, and embed every font', async () => {
    for (const edition of result.editions) {
      for (const name of ['deck.pdf', 'handout.pdf']) {
        const file = path.join(project.out, edition.prefix, name);
        const info = await pdfInfo(file);
        expect(info.Title, file).toBe(edition.view.title);
        expect(info.Author).toBe(edition.view.author);
        expect(info.Subject).toBe(edition.view.subtitle);
        expect(info.Tagged).toBe('yes');
        const doc = await PDFDocument.load(await readFile(file));
        expect((doc.catalog.lookup(PDFName.of('Lang')) as PDFString | PDFHexString).decodeText()).toBe(edition.model.locale);
        const fonts = await pdfFonts(file);
        expect(fonts.length).toBeGreaterThan(2);
        for (const font of fonts) expect(font, file).toMatch(/\s+yes\s+yes\s+(yes|no)\s+\d+\s+\d+\s*$/);
      }
    }
  });

  it('the slides PDF has an outline entry per slide, its charts as vector drawings with their text, links to its sources pages', async () => {
    const [fr, en] = result.editions;
    const file = fr!.pdfPath!;
    expect(await outlineOf(file)).toEqual(fr!.view.slides.map((slide, page) => ({ title: slide.heading, page })));
    expect((await outlineOf(en!.pdfPath!)).map((entry) => entry.title)).toContain('A handful of staff');
    expect(await pdfImages(file)).toEqual([]);
    const chartPage = fr!.model.slides.findIndex((slide) => slide.id === 'scale') + 1;
    const text = await readingText(file, chartPage);
    for (const label of ['Bénéfice de Tether', 'Perte d’OpenAI', 'Pertes cumulées', '13,7 Md$', '10 Md$', 'milliards de dollars']) expect(text).toContain(label);
    const links = await linksOf(file);
    const sourcesPages = fr!.view.slides.flatMap((slide, page) => (slide.sources ? [page] : []));
    const internal = links.filter((link) => typeof link.to === 'number');
    expect(internal.length).toBeGreaterThan(20);
    for (const link of internal) expect(sourcesPages, JSON.stringify(link)).toContain(link.to);
    expect(links.filter((link) => typeof link.to === 'string' && String(link.to).startsWith('https://')).length).toBeGreaterThan(15);
  });

  it('the handout: A4 portrait, a cover with contents, each slide with its notes and sources, page numbers, every source at the end', async () => {
    const [fr] = result.editions;
    const file = path.join(project.out, 'handout.pdf');
    const info = await pdfInfo(file);
    expect(info['Page size']).toMatch(/\(A4\)/);
    const pages = Number(info.Pages);
    const content = fr!.view.slides.filter((slide) => !slide.sources);
    // One or two slides a page, a cover and the sources: between half and all of the slides, plus a few.
    expect(pages).toBeGreaterThanOrEqual(Math.ceil(content.length / 2) + 2);
    expect(pages).toBeLessThanOrEqual(content.length + 4);
    const cover = await readingText(file, 1);
    expect(cover).toMatch(/document d’accompagnement/i);
    expect(cover).toContain('Sommaire');
    expect(cover).toMatch(/Diapositive 2 · Tether, en 2024 p\. 2/);
    const all = await readingText(file);
    for (const slide of content) expect(all, slide.handoutLabel).toContain(`${slide.handoutLabel} · ${slide.heading}`.replace(/[\s\u00a0]+/g, ' '));
    // The hook slide's own notes, and the sources of its figures.
    expect(all).toContain('Tout ce qui suit dépend de ce chiffre.');
    expect(all).toContain('The Coin Academy, résultats annuels 2024 de Tether');
    for (let page = 2; page <= pages; page += 1) expect(await readingText(file, page)).toContain(`Dans l’IA, un Tether qui ne manque pas d’argent ${page} / ${pages}`);
    // Every cited fact once in the closing list, the last one on the last pages.
    const last = fr!.model.citations.at(-1)!;
    expect(await readingText(file, pages - 1, pages)).toContain(last.label.replace(/ (?=[:;?!»])/g, ' '));
    // A chart's figures as a table beside its slide.
    expect(all).toMatch(/Série Valeur Bénéfice de Tether 13,7 milliards de dollars Perte d’OpenAI 5 milliards de dollars/);
    // Outline: a bookmark per slide, opening the page its card starts on; links from [n] to the sources.
    const outline = await outlineOf(file);
    expect(outline.map((entry) => entry.title)).toEqual([...content.map((slide) => `${slide.handoutLabel} · ${slide.heading}`), fr!.view.sourcesTitle]);
    for (const entry of outline) expect(await readingText(file, entry.page + 1)).toContain(entry.title.replace(/[\s\u00a0]+/g, ' '));
    const links = await linksOf(file);
    expect(links.filter((link) => typeof link.to === 'number' && link.to >= pages - 3).length).toBeGreaterThan(20);
    expect(await pdfImages(file)).toEqual([]);
  });

  it('one 1920x1080 PNG per slide, named by number and anchor', async () => {
    for (const edition of result.editions) {
      const folder = path.join(project.out, edition.prefix, 'png');
      const files = (await readdir(folder)).sort();
      expect(files).toEqual(edition.view.slides.map((slide, index) => `${String(index + 1).padStart(2, '0')}-${slide.id}.png`));
      for (const name of [files[0]!, files.at(-1)!]) {
        const header = (await readFile(path.join(folder, name))).subarray(0, 24);
        expect(header.subarray(1, 4).toString()).toBe('PNG');
        expect([header.readUInt32BE(16), header.readUInt32BE(20)]).toEqual([1920, 1080]);
      }
    }
  });

  describe('deck.html, the whole deck in one file', () => {
    let browser: BrowserSession;
    beforeAll(async () => {
      browser = await launchBrowser({ timeoutMs: 30_000 });
    });
    afterAll(async () => {
      await browser?.close();
    });

    it('loads nothing but itself: no file beside it, no network, charts drawn, speaker view allowed by its policy', async () => {
      const html = await readFile(path.join(project.out, 'deck.html'), 'utf8');
      const markup = html.replace(/<script>[\s\S]*?<\/script>/g, '<script></script>');
      expect(markup.match(/<script><\/script>/g)!.length).toBeGreaterThanOrEqual(5);
      // (rel="alternate" names the other edition, loaded only if followed.)
      expect(markup).not.toMatch(/<(script|link|img)\b(?![^>]*rel="alternate")[^>]*\b(src|href)="(?!data:|#)[^"]*"/i);
      const alone = await mkdtemp(path.join(os.tmpdir(), 'datadeck-attachment-'));
      try {
        await copyFile(path.join(project.out, 'deck.html'), path.join(alone, 'deck.html'));
        const page = await browser.browser.newPage();
        const requests: string[] = [];
        const problems: string[] = [];
        page.on('request', (request) => requests.push(request.url()));
        page.on('console', (message) => { if (message.type() === 'error') problems.push(message.text()); });
        page.on('pageerror', (error) => problems.push(String(error)));
        await page.goto(`${pathToFileURL(path.join(alone, 'deck.html')).href}#/scale`, { waitUntil: 'load' });
        await page.waitForFunction(() => (window as unknown as { Reveal?: { isReady(): boolean } }).Reveal?.isReady() === true, { timeout: 10_000 });
        await page.waitForSelector('#scale canvas[data-chart-drawn="true"]', { timeout: 10_000 });
        expect(await page.evaluate(() => document.fonts.check('700 20px "Source Serif 4"'))).toBe(true);
        expect(requests.filter((url) => !url.startsWith('data:') && !url.endsWith('/deck.html') && !url.includes('/deck.html#'))).toEqual([]);
        expect(problems).toEqual([]);
        await page.close();
      } finally {
        await rm(alone, { recursive: true, force: true });
      }
    });
  });

  it('passes an accessibility audit (axe-core, WCAG 2.1 A and AA) on every slide of every edition, and on the handouts', async () => {
    const axe = await readFile(path.join(repoRoot, 'node_modules', 'axe-core', 'axe.min.js'), 'utf8');
    const session = await launchBrowser({ timeoutMs: 30_000 });
    try {
      for (const edition of result.editions) {
        for (const [pagePath, ready] of [[`${edition.prefix}index.html?print-pdf`, 'window.datadeckPdfReady === true && window.datadeckChartsDrawn === true'], [`${edition.prefix}handout.html`, 'window.datadeckHandoutReady === true']] as const) {
          const page = await session.browser.newPage();
          await page.setViewport({ width: 1280, height: 720 });
          await page.evaluateOnNewDocument(() => document.addEventListener('pdf-ready', () => { (window as { datadeckPdfReady?: boolean }).datadeckPdfReady = true; }));
          await page.goto(pathToFileURL(path.join(project.out, pagePath.split('?')[0]!)).href + (pagePath.includes('?') ? `?${pagePath.split('?')[1]}` : ''), { waitUntil: 'load' });
          await page.waitForFunction(ready, { timeout: 20_000 });
          // Every slide laid out at once and exposed, as on paper.
          await page.evaluate(() => document.querySelectorAll('.reveal .slides section').forEach((section) => { section.removeAttribute('aria-hidden'); section.removeAttribute('hidden'); }));
          // Evaluated through the DevTools protocol, which the page's Content-Security-Policy does not govern.
          await page.evaluate(axe);
          const violations = await page.evaluate(async () => {
            const result = await (window as unknown as { axe: { run(context: Document, options: object): Promise<{ violations: { id: string; nodes: { target: string[] }[] }[] }> } }).axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] }, resultTypes: ['violations'] });
            return result.violations.map((violation) => `${violation.id}: ${violation.nodes.slice(0, 3).map((node) => node.target.join(' ')).join(', ')} (${violation.nodes.length})`);
          });
          expect(violations, pagePath).toEqual([]);
          if (!pagePath.includes('handout')) {
            // Each chart also has its data as a table, for screen readers, visually hidden on the slide.
            const tables = await page.$$eval('figure.chart table.chart-table', (found) => found.map((table) => ({ rows: table.querySelectorAll('tbody tr').length, hidden: getComputedStyle(table.parentElement!).clipPath })));
            expect(tables).toHaveLength(6);
            for (const table of tables) {
              expect(table.rows).toBeGreaterThan(1);
              expect(table.hidden).toBe('inset(50%)');
            }
          }
          await page.close();
        }
      }
    } finally {
      await session.close();
    }
  });
});

describe('slides that do not fit', () => {
  async function overflowing(edit: (text: string) => string): Promise<{ project: ScratchProject; error: unknown; before: Record<string, string> }> {
    const project = await scratch();
    await build({ dataDir: project.data, templatesDir: project.templates, outDir: project.out, pdf: false, langs: ['fr'] });
    const before = await snapshotDir(project.out);
    await editFile(path.join(project.data, 'deck.yaml'), edit);
    const error = await build({ dataDir: project.data, templatesDir: project.templates, outDir: project.out, formats: ['pdf'], langs: ['fr'] }).then(() => undefined, (thrown: unknown) => thrown);
    return { project, error, before };
  }
  const lineOf = (text: string, needle: string): number => text.slice(0, text.indexOf(needle)).split('\n').length;

  it('far too many bullets fail the build (exit 9) naming the slide, how many items fit, the line of the first that does not, and the last deck stays', async () => {
    const more = Array.from({ length: 6 }, (_, i) => `      - Un point de plus, le numéro ${'I'.repeat(i + 1)}, pour remplir la diapositive jusqu’à la faire déborder.`).join('\n');
    const { project, error, before } = await overflowing((text) => text.replace('      - Les données d’entraînement d’OpenAI et d’Anthropic, elles, restent fermées.\n', `      - Les données d’entraînement d’OpenAI et d’Anthropic, elles, restent fermées.\n${more}\n`));
    expect(error).toBeInstanceOf(DataErrors);
    expect((error as DataErrors).code).toBe('overflow');
    expect((error as DataErrors).exitCode).toBe(9);
    const deck = await readFile(path.join(project.data, 'deck.yaml'), 'utf8');
    expect((error as DataErrors).problems).toEqual([
      expect.objectContaining({
        message: expect.stringMatching(/^slide 10 "QVAC Genesis, ouvert et gratuit" \(fr\) does not fit: \d+ of its 10 items fit \(item \d+ ".*…" is the first that does not\); shorten the items or move some to another slide$/),
      }),
    ]);
    const fit = Number(/(\d+) of its 10 items fit/.exec((error as DataErrors).problems[0]!.message)![1]);
    expect(fit).toBeLessThan(10);
    // The items start two lines below the title: the first that does not fit, not the slide's first line.
    expect((error as DataErrors).problems[0]!.line).toBe(lineOf(deck, '    title: QVAC Genesis, ouvert et gratuit') + 2 + fit);
    expect(await snapshotDir(project.out)).toEqual(before);
  });

  it('a title far too long fails too; --allow-overflow makes it a warning and builds', async () => {
    const long = 'Une poignée de salariés face à des milliers d’ingénieurs, de chercheurs et de commerciaux, dans une comparaison qui ne tient pas debout';
    const { project, error } = await overflowing((text) => text.replace('title: Une poignée de salariés', `title: ${long}`));
    expect((error as DataErrors).code).toBe('overflow');
    expect((error as DataErrors).problems[0]!.message).toMatch(/^slide 4 "Une poignée de salariés face/);
    const allowed = await build({ dataDir: project.data, templatesDir: project.templates, outDir: project.out, formats: ['pdf'], langs: ['fr'], allowOverflow: true });
    expect(allowed.warnings.join('\n')).toMatch(/slide 4 "Une poignée de salariés face.*does not fit.*\(allowed by --allow-overflow\)/);
    expect(allowed.pdfBytes).toBeGreaterThan(0);
  });
});
