/**
 * Printing (src/print/): the PDF made safely (no request leaves the deck, a hanging or crashing
 * browser is an error within the timeout, the previous deck kept), an interrupted build that leaves
 * nothing behind, and charts drawn for paper, however late and on however many slides.
 */
import { chmod, cp, readFile, writeFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { DatadeckError } from '../src/errors.js';
import { build } from '../src/pipeline.js';
import { buildOptions } from './support/build.js';
import { startCli } from './support/cli.js';
import { barHeight, pdfPagePixels } from './support/pdf.js';
import { browserProfiles } from './support/processes.js';
import { editFile, read, scratchProject, setFactValue, snapshotDir, type ScratchProject } from './support/project.js';
import { smallDecks, twoEditionDeck, type SmallDeckSpec } from './support/small-deck.js';

const smallDeck = smallDecks();

/** A small deck with templates of its own (a copy of the package's), for a test to edit. */
async function smallDeckWithTemplates(spec: SmallDeckSpec): Promise<ScratchProject> {
  const deck = await smallDeck(spec);
  const templates = path.join(deck.root, 'templates');
  await cp(deck.templates, templates, { recursive: true });
  return { ...deck, templates };
}

/** Colours of the bars' roles: the default deck's, each told apart on paper. */
const barRoles = { first: '#00856f', second: '#3d4650', third: '#c2562f', fourth: '#b3263a' };
/** A title, then a chart of four bars of different heights, each in its role's colour. */
const fourBars: SmallDeckSpec = {
  facts: [
    { id: 'a.fact', value: 13_700_000_000, label: 'Chiffre A' },
    { id: 'b.fact', value: 5_000_000_000, label: 'Chiffre B' },
    { id: 'c.fact', value: 5_300_000_000, label: 'Chiffre C' },
    { id: 'd.fact', value: 10_300_000_000, label: 'Chiffre D' },
  ],
  charts: {
    bars: {
      title: 'Quatre chiffres',
      bars: [{ fact: 'a.fact', label: 'A', role: 'first' }, { fact: 'b.fact', label: 'B', role: 'second' }, { fact: 'c.fact', label: 'C', role: 'third' }, { fact: 'd.fact', label: 'D', role: 'fourth' }],
    },
  },
  slides: [
    { layout: 'title', id: 'opening', title: 'Petit deck' },
    { layout: 'chart', id: 'bars', kicker: 'Graphique', title: 'Quatre chiffres', chart: 'bars' },
  ],
  theme: { roles: barRoles },
};

describe('printing safely', () => {
  let project: Awaited<ReturnType<typeof scratchProject>> | undefined;
  const saved = process.env.PUPPETEER_EXECUTABLE_PATH;
  afterEach(async () => {
    if (saved === undefined) delete process.env.PUPPETEER_EXECUTABLE_PATH;
    else process.env.PUPPETEER_EXECUTABLE_PATH = saved;
    await project?.cleanup();
    project = undefined;
  });

  it('stops every request that leaves the deck while printing, even without the page\'s CSP, and reports it', async () => {
    // Two editions: the title slide, printed in each, asks twice; the warning says it once.
    project = await smallDeckWithTemplates(twoEditionDeck());
    // A real server on this machine: the request must never reach it.
    const hits: string[] = [];
    const server = createServer((request, response) => {
      hits.push(request.url ?? '');
      response.writeHead(200, { 'content-type': 'image/png' }).end();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const tracker = `http://127.0.0.1:${(server.address() as AddressInfo).port}/tracker.png`;
    try {
      // A template (not data: data cannot make markup) that reaches for the network, and the
      // Content-Security-Policy taken out, so only the printer's own blocking stands in the way.
      await editFile(path.join(project.templates, 'layouts', 'title.hbs'), (text) => `${text}\n<img src="${tracker}" alt="">\n`);
      await editFile(path.join(project.templates, 'deck.hbs'), (text) => text.replace(/^\s*<meta http-equiv="Content-Security-Policy"[^>]*>\n/m, ''));
      const result = await build({ dataDir: project.data, templatesDir: project.templates, outDir: project.out, formats: ['pdf'] });
      expect(await readFile(path.join(project.out, 'index.html'), 'utf8')).not.toContain('Content-Security-Policy');
      expect(hits).toEqual([]);
      expect(result.warnings.filter((warning) => warning === `blocked a request outside the deck while printing: ${tracker}`)).toHaveLength(1);
    } finally {
      server.close();
    }
  });

  /** A previous good deck, and PUPPETEER_EXECUTABLE_PATH pointing at a fake browser running `script`. */
  async function withFakeBrowser(script: string): Promise<{ before: Record<string, string>; rebuild: (timeoutMs: number) => Promise<unknown> }> {
    project = await scratchProject();
    const options = { dataDir: project.data, templatesDir: project.templates, outDir: project.out };
    await build({ ...options, pdf: false });
    const before = await snapshotDir(project.out);
    // The rebuild has something new to write: an early write of it would show.
    await editFile(path.join(project.data, 'facts.csv'), (csv) => setFactValue(csv, 'tether.net_profit.2024', '21400000000'));
    const fake = path.join(project.root, 'fake-chrome');
    await writeFile(fake, `#!/bin/sh\n${script}\n`);
    await chmod(fake, 0o755);
    process.env.PUPPETEER_EXECUTABLE_PATH = fake;
    return { before, rebuild: (timeoutMs) => build({ ...options, formats: ['pdf'], timeoutMs }).then(() => undefined, (error: unknown) => error) };
  }

  it('gives a clear error within the timeout when the browser hangs, and keeps the previous deck', async () => {
    const { before, rebuild } = await withFakeBrowser('exec sleep 30');
    const started = performance.now();
    const failure = await rebuild(1500);
    // Asked its version, then launched: each step within the timeout (a build once waited 10 s for the version first).
    expect(performance.now() - started).toBeLessThan(8_000);
    expect(failure).toBeInstanceOf(DatadeckError);
    expect((failure as DatadeckError).code).toBe('browserFailed');
    expect((failure as Error).message).toMatch(/did not start within 1500 ms/);
    expect(await snapshotDir(project!.out)).toEqual(before);
    expect(await readFile(path.join(project!.out, 'index.html'), 'utf8')).not.toMatch(/21,4\s*(milliards|Md)/); // the edited profit ("4.21,4.22" in a chart's data is not it)
  });

  it('keeps the previous deck when printing itself fails after a data edit (charts that never draw)', async () => {
    project = await smallDeckWithTemplates(fourBars);
    const options = { dataDir: project.data, templatesDir: project.templates, outDir: project.out };
    await build({ ...options, pdf: false });
    const before = await snapshotDir(project.out);
    await editFile(path.join(project.data, 'facts.csv'), (csv) => setFactValue(csv, 'a.fact', '21400000000'));
    // Without the deck script no chart ever announces itself: the print step times out.
    await editFile(path.join(project.templates, 'deck.hbs'), (text) => text.replace('<script src="{{assetBase}}assets/deck.js"></script>', ''));
    const failure = await build({ ...options, formats: ['pdf'], timeoutMs: 3000 }).then(() => undefined, (error: unknown) => error);
    expect((failure as DatadeckError).code).toBe('browserFailed');
    expect((failure as Error).message).toMatch(/Printing failed while waiting for the print view and charts/);
    expect(await snapshotDir(project.out)).toEqual(before);
  });

  it('reports a browser that crashes at start, and keeps the previous deck', async () => {
    const { before, rebuild } = await withFakeBrowser('echo "simulated crash" >&2\nexit 3');
    const failure = await rebuild(5000);
    expect((failure as DatadeckError).code).toBe('browserFailed');
    expect(await snapshotDir(project!.out)).toEqual(before);
    const html = await readFile(path.join(project!.out, 'index.html'), 'utf8');
    expect(html).toContain('13,7');
    expect(html).not.toMatch(/21,4\s*(milliards|Md)/);
  });
});

describe('the output directory', () => {
  it('refuses to replace a directory holding the sources or foreign files, and touches nothing', async () => {
    const project = await scratchProject();
    try {
      const options = { dataDir: project.data, templatesDir: project.templates, pdf: false };
      await expect(build({ ...options, outDir: project.root })).rejects.toThrow(/refusing to write the deck to .*: it holds/);
      const foreign = path.join(project.root, 'notes');
      await writeFile(path.join(project.root, 'keep.txt'), 'x');
      await import('node:fs/promises').then((fs) => fs.mkdir(foreign));
      await writeFile(path.join(foreign, 'precious.txt'), 'mine');
      const before = await snapshotDir(foreign);
      const failure = await build({ ...options, outDir: foreign }).then(() => undefined, (error: unknown) => error);
      expect((failure as DatadeckError).code).toBe('usage');
      expect((failure as Error).message).toMatch(/not made by datadeck .* precious\.txt/);
      expect(await snapshotDir(foreign)).toEqual(before);
      expect(await snapshotDir(project.data)).not.toEqual({});
    } finally {
      await project.cleanup();
    }
  });

  it('writes a deck readable by others (not the private mode of a temporary directory)', async () => {
    const project = await scratchProject();
    try {
      await build({ dataDir: project.data, templatesDir: project.templates, outDir: project.out, pdf: false });
      const { stat } = await import('node:fs/promises');
      expect((await stat(project.out)).mode & 0o055).toBe(0o055 & ~process.umask());
      // A second build replaces the first: the marker says it is ours.
      await build({ dataDir: project.data, templatesDir: project.templates, outDir: project.out, pdf: false });
    } finally {
      await project.cleanup();
    }
  });
});

describe('an interrupted build', () => {
  it('leaves no staging directory and no browser profile behind, and the previous deck as it was', async () => {
    const { execFileSync } = await import('node:child_process');
    const { readdir } = await import('node:fs/promises');
    const project = await scratchProject();
    try {
      await build({ dataDir: project.data, templatesDir: project.templates, outDir: project.out, pdf: false });
      const before = await snapshotDir(project.out);
      const cli = startCli(['build', '--data', project.data, '--templates', project.templates, '--out', project.out]);
      // Interrupt once the deck is staged and the browser is printing.
      await cli.waitFor(/^write /m, 60_000).catch(() => undefined);
      expect(cli.output()).toMatch(/^write /m);
      cli.child.kill('SIGINT');
      await cli.exited;
      const leftovers = (await readdir(project.root)).filter((name) => name.startsWith('.slides-'));
      expect(leftovers).toEqual([]);
      expect(await browserProfiles(undefined, cli.child.pid)).toEqual([]);
      expect(await snapshotDir(project.out)).toEqual(before);
      expect(execFileSync('ps', ['-eo', 'args'], { encoding: 'utf8' })).not.toContain(project.root);
    } finally {
      await project.cleanup();
    }
  });
});

describe('charts in the PDF', () => {
  it('waits for a chart that draws late, and draws each bar at a height proportional to its fact', async () => {
    const project = await smallDeckWithTemplates(fourBars);
    // Chart.js made slow: every chart appears 1 s after the deck asks for it.
    const lateScript = path.join(project.root, 'late-charts.js');
    await writeFile(lateScript, `(function () {
  var RealChart = window.Chart;
  function LateChart(canvas, config) { setTimeout(function () { new RealChart(canvas, config); }, 1000); }
  LateChart.prototype = RealChart.prototype;
  Object.assign(LateChart, RealChart);
  window.Chart = LateChart;
})();\n`);
    // Loaded between Chart.js and the deck script, which draws the charts as soon as reveal.js is ready.
    await editFile(path.join(project.templates, 'deck.hbs'), (text) => text.replace('<script src="{{assetBase}}assets/deck.js"></script>', '<script src="{{assetBase}}assets/late-charts.js"></script>\n  <script src="{{assetBase}}assets/deck.js"></script>'));
    const result = await build({
      dataDir: project.data, templatesDir: project.templates, outDir: project.out, formats: ['pdf'], timeoutMs: 20_000,
      extraAssets: [{ from: lateScript, to: 'assets/late-charts.js' }],
    });
    expect(await readFile(path.join(project.out, 'assets', 'late-charts.js'), 'utf8')).toContain('LateChart');
    const facts = result.model.figures;
    const chartPage = result.model.slides.findIndex((slide) => slide.chart?.id === 'bars') + 1;
    expect(chartPage).toBe(2);
    const image = await pdfPagePixels(result.pdfPath!, chartPage, 96);
    const bars = [
      { role: 'first', colour: barRoles.first, value: facts.get('a.fact')!.value },
      { role: 'second', colour: barRoles.second, value: facts.get('b.fact')!.value },
      { role: 'third', colour: barRoles.third, value: facts.get('c.fact')!.value },
      { role: 'fourth', colour: barRoles.fourth, value: facts.get('d.fact')!.value },
    ].map((bar) => ({ ...bar, pixels: barHeight(image, bar.colour) }));
    const tallest = bars[0]!;
    expect(tallest.pixels, 'the tallest bar is drawn').toBeGreaterThan(100);
    for (const bar of bars) {
      // Within 2% of the tallest bar: a pixel or two of anti-aliasing, never a wrong bar.
      expect(Math.abs(bar.pixels / tallest.pixels - bar.value / tallest.value), `${bar.role}: ${bar.pixels} px of ${tallest.pixels}`).toBeLessThan(0.02);
    }
  });
});

describe('a chart shown on two slides', () => {
  it('is drawn on both, and the PDF is printed (no wait for a canvas that never draws)', async () => {
    const p = await smallDeck({
      facts: [{ id: 'a.staff', value: 150, unit: 'people' }, { id: 'b.staff', value: 3000, unit: 'people' }],
      charts: { per_person: { title: 'Par employé', bars: [{ fact: 'a.staff', label: 'A' }, { fact: 'b.staff', label: 'B' }] } },
      slides: [
        { layout: 'chart', id: 'people', title: 'Les équipes', chart: 'per_person' },
        { layout: 'chart', id: 'recap', title: 'Rappel', chart: 'per_person' },
      ],
    });
    const result = await build(buildOptions(p, { formats: ['pdf'], timeoutMs: 15_000 }));
    expect(result.pdfBytes).toBeGreaterThan(0);
    const html = await read(result.htmlPath);
    expect(html.match(/data-chart="per_person"/g)).toHaveLength(2);
    const { launchBrowser } = await import('../src/print/browser.js');
    const session = await launchBrowser({ timeoutMs: 15_000 });
    try {
      const page = await session.browser.newPage();
      await page.goto(`${pathToFileURL(result.htmlPath).href}?print-pdf`, { waitUntil: 'load' });
      await page.waitForFunction(() => window.datadeckChartsDrawn === true, { timeout: 10_000 });
      // On paper each chart is an SVG drawing that took its canvas's place.
      expect(await page.$$eval('svg[data-chart="per_person"]', (drawings) => drawings.map((drawing) => drawing.getAttribute('data-chart-drawn')))).toEqual(['true', 'true']);
    } finally {
      await session.close();
    }
  });
});
