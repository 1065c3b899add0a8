import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import Handlebars from 'handlebars';
import { ProblemList } from '../errors.js';
import { registerHelpers } from './helpers.js';

export type Renderer = (context: object, options?: Handlebars.RuntimeOptions) => string;

/** Templates found in a templates directory, parsed (so syntax errors surface before any render). */
export interface TemplateSet {
  env: typeof Handlebars;
  page: Renderer;
  layouts: ReadonlySet<string>;
  /** The templates directory as shown in messages. */
  dir: string;
}

const pageTemplate = 'deck.hbs';
export const themeFile = 'theme.css';

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
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
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

/**
 * Reads deck.hbs, layouts/*.hbs (one per slide layout, registered as partial "layout-NAME") and
 * partials/*.hbs into an isolated Handlebars environment. Every file is parsed up front so a
 * broken template fails the build with its file and line, not halfway through rendering.
 */
export async function loadTemplates(dir: string, displayDir = dir): Promise<TemplateSet> {
  const [layoutNames, partialNames] = await Promise.all([listTemplates(path.join(dir, 'layouts')), listTemplates(path.join(dir, 'partials'))]);
  const relatives = [...layoutNames.map((name) => path.join('layouts', name)), ...partialNames.map((name) => path.join('partials', name)), pageTemplate];
  const sources = await Promise.all(relatives.map((relative) => readFile(path.join(dir, relative), 'utf8').catch(() => undefined)));
  // Unchanged templates (every rebuild of `datadeck dev` after a data edit) are not compiled again.
  const key = JSON.stringify([displayDir, relatives, sources]);
  const cached = compiledSets.get(dir);
  if (cached?.key === key) return cached.set;

  const env = Handlebars.create();
  registerHelpers(env);
  const problems = new ProblemList();
  const compile = (relative: string): Renderer | undefined => {
    const file = path.join(displayDir, relative);
    const source = sources[relatives.indexOf(relative)];
    if (source === undefined) {
      problems.add({ file, message: 'template not found' });
      return undefined;
    }
    try {
      env.parse(source);
    } catch (error) {
      const line = parseErrorLine(error);
      const detail = error instanceof Error ? error.message.split('\n').filter((l) => l.trim() !== '').pop() ?? '' : String(error);
      problems.add({ file, ...(line !== undefined ? { line } : {}), message: `template does not compile: ${detail}` });
      return undefined;
    }
    // strict: a misspelled variable ({{titel}}) is an error naming its line, not an empty string.
    return locatedRenderer(env.compile(source, { noEscape: false, knownHelpersOnly: false, preventIndent: true, strict: true }), file);
  };

  const layouts = new Set<string>();
  for (const name of layoutNames) {
    const renderer = compile(path.join('layouts', name));
    const layout = name.replace(/\.hbs$/, '');
    if (renderer) env.registerPartial(`layout-${layout}`, renderer);
    layouts.add(layout);
  }
  for (const name of partialNames) {
    const renderer = compile(path.join('partials', name));
    if (renderer) env.registerPartial(name.replace(/\.hbs$/, ''), renderer);
  }
  const page = compile(pageTemplate);
  // The theme is copied into every deck; without it the build would fail only when writing.
  await stat(path.join(dir, themeFile)).catch(() => problems.add({ file: path.join(displayDir, themeFile), message: 'template not found (the deck\'s stylesheet)' }));
  problems.throwIfAny('template');
  const set: TemplateSet = { env, page: page!, layouts, dir: displayDir };
  compiledSets.set(dir, { key, set });
  return set;
}

const compiledSets = new Map<string, { key: string; set: TemplateSet }>();
