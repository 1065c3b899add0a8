/**
 * A deck's own colours are held to WCAG AA against the paper they are written on: a role's figure
 * colour and the accent, checked at build time against the theme stylesheet's --paper (and the
 * handout's page), each failure located in theme.yaml with its ratio and a shade that passes.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { converter, wcagContrast } from 'culori';
import { describe, expect, it } from 'vitest';
import { type DataProblem } from '../src/errors.js';
import { build, type BuildOptions } from '../src/pipeline.js';
import { launchBrowser } from '../src/print/browser.js';
import { buildDataErrors } from './support/build.js';
import { lineIn } from './support/problems.js';
import { editFile, repoRoot, scratchProjects, type ScratchProject } from './support/project.js';

const project = scratchProjects();
const optionsFor = (p: ScratchProject): BuildOptions => ({ dataDir: p.data, templatesDir: p.templates, outDir: p.out, formats: [], langs: ['fr'] });
const paper = '#fbfaf7';
const oklch = converter('oklch');

async function problemsOf(p: ScratchProject): Promise<DataProblem[]> {
  const error = await buildDataErrors(optionsFor(p));
  expect(error.exitCode).toBe(2);
  return [...error.problems];
}

/** The colour a message proposes, checked to be the same hue, darker (or lighter), and passing. */
function proposed(message: string, pattern: RegExp, original: string, ground: string, ratio: number): string {
  const hex = pattern.exec(message)?.[1];
  expect(hex, message).toBeDefined();
  expect(wcagContrast(hex!, ground)).toBeGreaterThanOrEqual(ratio);
  // Not a colour that passes by far: the nearest shade, a step short of it fails.
  expect(wcagContrast(hex!, ground)).toBeLessThan(ratio + 0.15);
  const [from, to] = [oklch(original)!, oklch(hex!)!];
  if ((from.c ?? 0) > 0.02) expect(Math.abs((to.h ?? 0) - (from.h ?? 0))).toBeLessThan(4);
  return hex!;
}

describe("a deck's colours are checked against the paper they are written on", () => {
  it('refuses a role too faint to read, and the paper colour itself, naming the line, the ratio and a text colour that passes', async () => {
    const p = await project();
    const theme = path.join(p.data, 'theme.yaml');
    await editFile(theme, (yaml) => `${yaml}  gold: '#ffd700'\n  blank: '${paper}'\n  pale: { colour: '#d49a00', text: '#e0b000' }\n`);
    const problems = await problemsOf(p);
    expect(problems.map((problem) => [path.basename(problem.file), problem.line, problem.field])).toEqual([
      ['theme.yaml', await lineIn(theme, 'gold:'), 'roles.gold'],
      ['theme.yaml', await lineIn(theme, 'blank:'), 'roles.blank'],
      ['theme.yaml', await lineIn(theme, 'pale:'), 'roles.pale.text'],
    ]);
    const [gold, blank, pale] = problems.map((problem) => problem.message);
    expect(gold).toMatch(/^roles\.gold: #ffd700 is too faint to read: on the slides' paper \(#fbfaf7\) it has a contrast of 1\.34:1, below the 3:1 WCAG AA asks of large text \(the comparison columns' figures\)/);
    expect(blank).toContain('a contrast of 1:1');
    expect(pale).toMatch(/^roles\.pale\.text: #e0b000 .* a contrast of 1\.9\d:1/);
    // Each proposes the same hue, darkened until it passes, as the value to write.
    proposed(gold!, /gold: \{ colour: '#ffd700', text: '(#[0-9a-f]{6})' \}$/, '#ffd700', paper, 3);
    proposed(pale!, /pale: \{ colour: '#d49a00', text: '(#[0-9a-f]{6})' \}$/, '#e0b000', paper, 3);
  });

  it('takes the proposed colour: the deck builds, and an independent audit (axe-core) finds the figures readable', async () => {
    const p = await project();
    const theme = path.join(p.data, 'theme.yaml');
    // The first column of the "people" slide is in the tether role.
    await editFile(theme, (yaml) => yaml.replace("tether: '#00856f'", "tether: '#ffd700'").replace("accent: '#00856f'", "accent: '#e0a000'"));
    const problems = await problemsOf(p);
    const role = problems.find((problem) => problem.field === 'roles.tether')!;
    const accent = problems.find((problem) => problem.field === 'accent')!;
    expect(accent.line).toBe(await lineIn(theme, 'accent:'));
    // The accent also writes the handout cover's small kicker, on the handout's white page: 4.5:1 there.
    expect(accent.message).toMatch(/on the handout's page \(#ffffff\) it has a contrast of 2\.28:1, below the 4\.5:1 WCAG AA asks of text/);
    const text = proposed(role.message, /tether: \{ colour: '#ffd700', text: '(#[0-9a-f]{6})' \}$/, '#ffd700', paper, 3);
    const darker = proposed(accent.message, /accent: '(#[0-9a-f]{6})'$/, '#e0a000', '#ffffff', 4.5);
    await editFile(theme, (yaml) => yaml.replace("tether: '#ffd700'", `tether: { colour: '#ffd700', text: '${text}' }`).replace("accent: '#e0a000'", `accent: '${darker}'`));
    await build(optionsFor(p));

    const axe = await readFile(path.join(repoRoot, 'node_modules', 'axe-core', 'axe.min.js'), 'utf8');
    const session = await launchBrowser({ timeoutMs: 30_000 });
    try {
      const page = await session.browser.newPage();
      await page.setViewport({ width: 1280, height: 720 });
      for (const slide of ['people', 'hook']) {
        await page.goto(`${pathToFileURL(path.join(p.out, 'index.html')).href}#/${slide}`, { waitUntil: 'load' });
        await page.waitForFunction((id: string) => document.querySelector('section.present')?.id === id, { timeout: 10_000 }, slide);
        // The audit reads colours as drawn: not half way through the slide's fade-in.
        await page.waitForFunction(() => getComputedStyle(document.querySelector('section.present')!).opacity === '1', { timeout: 10_000 });
        await page.evaluate(axe);
        const audit = await page.evaluate(async (id: string) => {
          const axeApi = (window as unknown as { axe: { run(context: Element, options: object): Promise<{ violations: { id: string }[]; passes: { id: string; nodes: unknown[] }[] }> } }).axe;
          const result = await axeApi.run(document.getElementById(id)!, { runOnly: { type: 'rule', values: ['color-contrast'] } });
          return { violations: result.violations.map((violation) => violation.id), checked: result.passes.reduce((sum, rule) => sum + rule.nodes.length, 0) };
        }, slide);
        expect(audit.violations, slide).toEqual([]);
        expect(audit.checked, slide).toBeGreaterThan(0);
      }
      // The audit judged the proposed colour: the figure is written in it.
      const rgb = converter('rgb')(text)!;
      expect(await page.evaluate(() => getComputedStyle(document.querySelector('#people .role-tether .column-figure')!).color)).toBe(`rgb(${[rgb.r, rgb.g, rgb.b].map((channel) => Math.round(channel * 255)).join(', ')})`);
    } finally {
      await session.close();
    }
  });

  it("reads the paper from the deck's own stylesheet: on a dark paper, dark roles fail and lighter shades are proposed", async () => {
    const p = await project();
    const css = path.join(p.templates, 'theme.css');
    await editFile(css, (text) => `${text}\n:root { --paper: #14171a; --ink: #f2f0ea; }\n`);
    const problems = await problemsOf(p);
    const dark = '#14171a';
    expect(problems.map((problem) => problem.field)).toEqual(['roles.openai', 'roles.lab', '--role-neutral-text']);
    const openai = problems[0]!;
    expect(openai.message).toContain("on the slides' paper (#14171a) it has a contrast of 1.87:1");
    const lighter = proposed(openai.message, /openai: \{ colour: '#3d4650', text: '(#[0-9a-f]{6})' \}$/, '#3d4650', dark, 3);
    expect(oklch(lighter)!.l).toBeGreaterThan(oklch('#3d4650')!.l);
    // The neutral role is the stylesheet's own: its line there.
    const neutral = problems[2]!;
    expect([path.basename(neutral.file), neutral.line]).toEqual(['theme.css', await lineIn(css, '--role-neutral-text:')]);
    expect(neutral.message).toMatch(/neutral: \{ colour: '#9aa3ad', text: '#[0-9a-f]{6}' \} in data\/theme\.yaml$/);
  });

  it('says so when it cannot read the paper, rather than passing in silence', async () => {
    const p = await project();
    const css = path.join(p.templates, 'theme.css');
    await editFile(css, (text) => text.replace('--paper: #fbfaf7;', '--paper: color-mix(in srgb, white 97%, black);'));
    await editFile(path.join(p.data, 'theme.yaml'), (yaml) => `${yaml}  gold: '#ffd700'\n`);
    const result = await build(optionsFor(p));
    const line = await lineIn(css, '--paper:');
    expect(result.warnings.join('\n')).toMatch(new RegExp(`^the contrast of the deck's colours is not checked: its --paper \\(color-mix\\(in srgb, white 97%, black\\), \\S*theme\\.css:${line}\\) is not a colour datadeck can read$`, 'm'));
  });

  it('builds the default deck and the starter decks, whose colours pass', async () => {
    const p = await project();
    await expect(build(optionsFor(p))).resolves.toBeDefined();
    for (const lang of ['en', 'fr']) {
      const starter = await project();
      const result = await build({ ...optionsFor(starter), dataDir: path.join(repoRoot, 'starter', lang, 'data'), langs: 'all' });
      expect(result.warnings.filter((warning) => /contrast/.test(warning))).toEqual([]);
    }
  });
});
