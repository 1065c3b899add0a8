import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import Handlebars from 'handlebars';
import { ProblemList } from '../errors.js';
import { registerHelpers } from './helpers.js';

export type Renderer = (context: object) => string;

/** Templates found in a templates directory, parsed (so syntax errors surface before any render). */
export interface TemplateSet {
  env: typeof Handlebars;
  page: Renderer;
  layouts: ReadonlySet<string>;
  /** The templates directory as shown in messages. */
  dir: string;
}

const pageTemplate = 'deck.hbs';

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
  const env = Handlebars.create();
  registerHelpers(env);
  const problems = new ProblemList();
  const compile = async (relative: string): Promise<Renderer | undefined> => {
    const file = path.join(displayDir, relative);
    let source: string;
    try {
      source = await readFile(path.join(dir, relative), 'utf8');
    } catch {
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
    return env.compile(source, { noEscape: false, knownHelpersOnly: false, preventIndent: true });
  };

  const layouts = new Set<string>();
  for (const name of await listTemplates(path.join(dir, 'layouts'))) {
    const renderer = await compile(path.join('layouts', name));
    const layout = name.replace(/\.hbs$/, '');
    if (renderer) env.registerPartial(`layout-${layout}`, renderer);
    layouts.add(layout);
  }
  for (const name of await listTemplates(path.join(dir, 'partials'))) {
    const renderer = await compile(path.join('partials', name));
    if (renderer) env.registerPartial(name.replace(/\.hbs$/, ''), renderer);
  }
  const page = await compile(pageTemplate);
  problems.throwIfAny('template');
  return { env, page: page!, layouts, dir: displayDir };
}
