import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { ProblemList, type DataProblem } from '../errors.js';
import { defaultRole, type ThemeSource } from '../data/schema.js';
import { moduleDir, type Asset } from './assets.js';

export interface BundledTheme {
  /** theme.css with every url() pointing at a file inside the deck. */
  css: string;
  /** The files those urls name, to copy into the deck. */
  assets: Asset[];
}

const fontExtensions = new Set(['.woff2', '.woff', '.ttf', '.otf']);

function lineOf(text: string, index: number): number {
  return text.slice(0, index).split('\n').length;
}

async function isFile(file: string): Promise<boolean> {
  return stat(file).then((info) => info.isFile(), () => false);
}

/**
 * The theme stylesheet made self-contained: each url() is a file of the templates folder
 * (relative) or of an installed npm package (`~package/path`, as webpack's css-loader reads it);
 * it is copied into the deck and the url rewritten. A url that leaves the machine is refused:
 * the deck must work offline.
 */
export async function bundleTheme(themeFile: string, displayFile: string): Promise<BundledTheme> {
  const source = await readFile(themeFile, 'utf8');
  const problems = new ProblemList();
  const assets: Asset[] = [];
  const targets = new Map<string, string>();
  const replacements: { start: number; end: number; text: string }[] = [];
  // Comments blanked out (keeping their line breaks, so lines still count) before looking for urls.
  const code = source.replace(/\/\*[\s\S]*?\*\//g, (comment) => comment.replace(/[^\n]/g, ' '));
  for (const match of code.matchAll(/url\(\s*(['"]?)([^'")]+?)\1\s*\)/g)) {
    const reference = match[2]!.trim();
    const where: DataProblem = { file: displayFile, line: lineOf(source, match.index), message: '' };
    if (reference.startsWith('data:') || reference.startsWith('#')) continue;
    if (/^([a-z][a-z0-9+.-]*:|\/\/)/i.test(reference)) {
      problems.add({ ...where, message: `url(${reference}) loads a file from the network; a deck works offline: put the file in the templates folder and point at it` });
      continue;
    }
    let from: string;
    if (reference.startsWith('~')) {
      const spec = reference.slice(1);
      const parts = spec.split('/');
      const name = spec.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0]!;
      const rest = parts.slice(spec.startsWith('@') ? 2 : 1).join('/');
      try {
        from = path.join(moduleDir(name), rest);
      } catch {
        problems.add({ ...where, message: `url(${reference}): the package ${name} is not installed (npm install ${name})` });
        continue;
      }
    } else {
      from = path.resolve(path.dirname(themeFile), reference.split(/[?#]/)[0]!);
    }
    if (!(await isFile(from))) {
      problems.add({ ...where, message: `url(${reference}): no such file (${from})` });
      continue;
    }
    let target = targets.get(from);
    if (!target) {
      const folder = fontExtensions.has(path.extname(from).toLowerCase()) ? 'fonts' : 'files';
      const base = path.basename(from);
      const taken = new Set(targets.values());
      target = `${folder}/${base}`;
      for (let n = 2; taken.has(target); n += 1) target = `${folder}/${n}-${base}`;
      targets.set(from, target);
      assets.push({ from, to: `assets/${target}` });
    }
    replacements.push({ start: match.index, end: match.index + match[0].length, text: `url('${target}')` });
  }
  problems.throwIfAny('template');
  let css = source;
  for (const { start, end, text } of replacements.reverse()) css = css.slice(0, start) + text + css.slice(end);
  return { css, assets };
}

/**
 * The deck's own colours as custom properties, read by theme.css and by the chart script: the
 * accent, and for each role its colour and the colour of figures written in it.
 */
export function paletteCss(theme: ThemeSource): string {
  const lines = ['/* Generated from data/theme.yaml: the deck\'s accent and the colour of each role. */', ':root {'];
  if (theme.accent) lines.push(`  --accent: ${theme.accent};`);
  const roles = Object.entries(theme.roles);
  for (const [role, { colour, text }] of roles) {
    lines.push(`  --role-${role}: ${colour};`);
    lines.push(`  --role-${role}-text: ${text ?? colour};`);
  }
  lines.push('}');
  for (const role of new Set([defaultRole, ...roles.map(([role]) => role)])) {
    lines.push(`.role-${role} { --role: var(--role-${role}); --role-text: var(--role-${role}-text); }`);
  }
  return `${lines.join('\n')}\n`;
}
