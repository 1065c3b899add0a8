import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import Handlebars from 'handlebars';
import { ProblemList } from '../errors.js';
import type { LayoutContract } from '../model/deck.js';
import { checkParts, layoutContract } from './layout-contract.js';

export type Renderer = (context: object, options?: Handlebars.RuntimeOptions) => string;

/** Templates found in one or more template folders, parsed (so syntax errors surface before any render). */
export interface TemplateSet {
  /** The deck page (deck.hbs) and the handout page (handout.hbs). */
  pages: Record<PageTemplate, Renderer>;
  /** Each layout with its contract: what it needs from a slide and can hold (declared at the top of its template), its file. */
  layouts: ReadonlyMap<string, LayoutContract>;
  /** The theme's stylesheet, resolved through the folders (the first that has one). */
  themeFile: string;
  handoutStyleFile: string;
  /** The folders, most specific first, as shown in messages. */
  dirs: readonly string[];
}

export const pageTemplates = { deck: 'deck.hbs', handout: 'handout.hbs' } as const;
export type PageTemplate = keyof typeof pageTemplates;
const pageFiles: readonly string[] = Object.values(pageTemplates);
export const themeFile = 'theme.css';
/** The handout's own stylesheet, beside the theme. */
export const handoutStyleFile = 'handout.css';

/** An error raised while a template ran, with the template file and line it came from. */
export class TemplateRunError extends Error {
  constructor(readonly file: string, readonly line: number | undefined, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'TemplateRunError';
  }
}

/**
 * Handlebars' runtime errors name no file, and a partial's error surfaces through the page that
 * included it. Each template is wrapped so the innermost one that failed labels the error.
 */
function locatedRenderer(renderer: HandlebarsTemplateDelegate, file: string): Renderer {
  return (context: object, options?: Handlebars.RuntimeOptions) => {
    try {
      return renderer(context, options);
    } catch (error) {
      if (error instanceof TemplateRunError) throw error;
      const message = error instanceof Error ? error.message : String(error);
      // Strict mode ends its messages with " - line:column".
      const located = / - (\d+):\d+$/.exec(message);
      const detail = message.replace(/ - \d+:\d+$/, '').replace(' in [object Object]', '');
      throw new TemplateRunError(file, located ? Number(located[1]) : undefined, detail, { cause: error });
    }
  };
}

async function listTemplates(dir: string): Promise<string[]> {
  try {
    return (await readdir(dir)).filter((name) => name.endsWith('.hbs')).sort();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT' || (error as NodeJS.ErrnoException).code === 'ENOTDIR') return [];
    throw error;
  }
}

/** Handlebars reports "Parse error on line 3:"; surface that line in the file:line form. */
function parseErrorLine(error: unknown): number | undefined {
  const message = error instanceof Error ? error.message : '';
  // "Parse error on line 3:" or, for a mismatched block, "each doesn't match if - 3:5".
  const match = /on line (\d+)/.exec(message) ?? / - (\d+):\d+/.exec(message);
  if (match) return Number(match[1]);
  const located = (error as { lineNumber?: number }).lineNumber;
  return typeof located === 'number' ? located : undefined;
}

interface Found {
  relative: string;
  /** Absolute path of the file that wins (the first folder that has it). */
  file: string;
  display: string;
  source: string | undefined;
}

/**
 * Reads deck.hbs, layouts/*.hbs (one per slide layout, registered as partial "layout-NAME") and
 * partials/*.hbs into an isolated Handlebars environment. Several folders may be given, most
 * specific first: a deck's own `templates/` overrides the package's file by file. Every file is
 * parsed up front so a broken template fails the build with its file and line.
 */
export async function loadTemplates(dirs: readonly string[], displayDirs: readonly string[] = dirs): Promise<TemplateSet> {
  const folders = dirs.map((dir, index) => ({ dir, display: displayDirs[index] ?? dir }));
  const names = async (sub: string): Promise<string[]> => [...new Set((await Promise.all(folders.map(({ dir }) => listTemplates(path.join(dir, sub))))).flat())].sort();
  const [layoutNames, partialNames] = await Promise.all([names('layouts'), names('partials')]);
  const relatives = [...layoutNames.map((name) => path.join('layouts', name)), ...partialNames.map((name) => path.join('partials', name)), ...pageFiles];
  const found: Found[] = await Promise.all(
    relatives.map(async (relative) => {
      for (const { dir, display } of folders) {
        const file = path.join(dir, relative);
        const source = await readFile(file, 'utf8').catch(() => undefined);
        if (source !== undefined) return { relative, file, display: path.join(display, relative), source };
      }
      return { relative, file: path.join(folders[0]!.dir, relative), display: path.join(folders[0]!.display, relative), source: undefined };
    }),
  );
  const firstWith = async (name: string): Promise<{ file: string; display: string } | undefined> => {
    for (const { dir, display } of folders) {
      const file = path.join(dir, name);
      if (await readFile(file).then(() => true, () => false)) return { file, display: path.join(display, name) };
    }
    return undefined;
  };
  const [theme, handoutStyle] = await Promise.all([firstWith(themeFile), firstWith(handoutStyleFile)]);
  // Unchanged templates (every rebuild of `datadeck dev` after a data edit) are not compiled again.
  const key = JSON.stringify([found.map(({ display, source }) => [display, source]), theme?.file, handoutStyle?.file]);
  const cacheKey = dirs.join('\0');
  const cached = compiledSets.get(cacheKey);
  if (cached?.key === key) return cached.set;

  const env = Handlebars.create();
  const problems = new ProblemList();
  const compile = ({ display, source }: Found): Renderer | undefined => {
    if (source === undefined) {
      problems.add({ file: display, message: 'template not found' });
      return undefined;
    }
    try {
      env.parse(source);
    } catch (error) {
      const line = parseErrorLine(error);
      const detail = error instanceof Error ? error.message.split('\n').filter((l) => l.trim() !== '').pop() ?? '' : String(error);
      problems.add({ file: display, ...(line !== undefined ? { line } : {}), message: `template does not compile: ${detail}` });
      return undefined;
    }
    checkParts(source, display, problems);
    // strict: a misspelled variable ({{titel}}) is an error naming its line, not an empty string.
    return locatedRenderer(env.compile(source, { noEscape: false, knownHelpersOnly: false, preventIndent: true, strict: true }), display);
  };

  const layouts = new Map<string, LayoutContract>();
  for (const entry of found) {
    if (pageFiles.includes(entry.relative)) continue;
    const renderer = compile(entry);
    if (entry.relative.startsWith('layouts')) {
      const layout = path.basename(entry.relative, '.hbs');
      if (renderer) env.registerPartial(`layout-${layout}`, renderer);
      layouts.set(layout, entry.source === undefined ? { requires: [], file: entry.display } : layoutContract(entry.source, entry.display, problems));
    } else if (entry.relative.startsWith('partials')) {
      if (renderer) env.registerPartial(path.basename(entry.relative, '.hbs'), renderer);
    }
  }
  const pages = Object.fromEntries(
    Object.entries(pageTemplates).map(([name, file]) => [name, compile(found.find((entry) => entry.relative === file)!)]),
  ) as Record<PageTemplate, Renderer | undefined>;
  // The theme is copied into every deck; without it the build would fail only when writing.
  if (!theme) problems.add({ file: path.join(folders[0]!.display, themeFile), message: 'template not found (the deck\'s stylesheet)' });
  if (!handoutStyle) problems.add({ file: path.join(folders[0]!.display, handoutStyleFile), message: 'template not found (the handout\'s stylesheet)' });
  problems.throwIfAny('template');
  const set: TemplateSet = { pages: pages as Record<PageTemplate, Renderer>, layouts, themeFile: theme!.file, handoutStyleFile: handoutStyle!.file, dirs: folders.map(({ display }) => display) };
  compiledSets.set(cacheKey, { key, set });
  return set;
}

const compiledSets = new Map<string, { key: string; set: TemplateSet }>();
