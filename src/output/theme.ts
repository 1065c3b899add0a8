import { readFile, realpath, stat } from 'node:fs/promises';
import path from 'node:path';
import { ProblemList, type DataProblem } from '../errors.js';
import { defaultRole, type ThemeSource } from '../data/schema.js';
import { isInsideOrEqual } from '../paths.js';
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

/** A folder as the file system knows it (symbolic links resolved), or as written when it cannot be read. */
const realFolder = (dir: string): Promise<string> => realpath(dir).catch(() => path.resolve(dir));

/** npm's rule for a package name: `~../../etc` names no package. */
const packageName = /^(@[a-z0-9-~][a-z0-9-._~]*\/)?[a-z0-9-~][a-z0-9-._~]*$/;

/** The folders a url() may name files in, as the file system knows them and as messages show them. */
export interface ThemeFolders {
  dirs: readonly string[];
  display: readonly string[];
}

/**
 * The file a url() of the stylesheet names, or why it may not be used. Whatever it names is
 * published with the deck, so it must lie inside the template folders (a relative url) or inside
 * the named package's own folder (`~package/path`) once `..` and symbolic links are resolved.
 */
async function referencedFile(reference: string, themeFile: string, templates: ThemeFolders): Promise<{ file: string } | { problem: string }> {
  let from: string;
  let folders: readonly string[] = templates.dirs;
  let what = `the template folders (${templates.display.join(', ')})`;
  if (reference.startsWith('~')) {
    const spec = reference.slice(1);
    const parts = spec.split('/');
    const name = spec.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0]!;
    const rest = parts.slice(spec.startsWith('@') ? 2 : 1).join('/');
    if (!packageName.test(name) || name === '.' || name === '..') return { problem: `url(${reference}): "${name}" is not a package name (write ~package/path/in/it)` };
    let packageDir: string;
    try {
      packageDir = moduleDir(name);
    } catch {
      return { problem: `url(${reference}): the package ${name} is not installed (npm install ${name})` };
    }
    from = path.resolve(packageDir, rest.split(/[?#]/)[0]!);
    folders = [packageDir];
    what = `the package ${name}'s own folder (${packageDir})`;
  } else {
    from = path.resolve(path.dirname(themeFile), reference.split(/[?#]/)[0]!);
  }
  const outside = `url(${reference}) names ${from}, outside ${what}: every file the theme names is published with the deck, so it must lie there`;
  if (!folders.some((folder) => isInsideOrEqual(from, folder))) return { problem: outside };
  if (!(await isFile(from))) return { problem: `url(${reference}): no such file (${from})` };
  // A symbolic link inside the folders may still lead anywhere: where it really leads decides.
  const [real, ...realFolders] = await Promise.all([realpath(from), ...folders.map(realFolder)]);
  if (!realFolders.some((folder) => isInsideOrEqual(real!, folder))) return { problem: `${outside} (it is a symbolic link to ${real})` };
  return { file: from };
}

/**
 * The theme stylesheet made self-contained: each url() is a file of the template folders
 * (relative to the stylesheet) or of an installed npm package (`~package/path`, as webpack's
 * css-loader reads it); it is copied into the deck and the url rewritten. A url that names a file
 * elsewhere is refused (see referencedFile), as is one that leaves the machine: the deck must
 * work offline.
 */
export async function bundleTheme(themeFile: string, displayFile: string, templates: ThemeFolders): Promise<BundledTheme> {
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
    const found = await referencedFile(reference, themeFile, templates);
    if ('problem' in found) {
      problems.add({ ...where, message: found.problem });
      continue;
    }
    const from = found.file;
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
