import { DataErrors } from '../errors.js';
import { TemplateRunError, type PageTemplate, type TemplateSet } from './engine.js';
import type { DeckView } from './view.js';

export interface PageOptions {
  /** Content-Security-Policy for the page: the deck may load only its own files. */
  csp: string;
  /** Path from the page to the deck's root ('' for the default edition, '../' for others). */
  assetBase: string;
  /** Extra script files (relative to the deck's root) loaded after the deck's own, e.g. the dev client. */
  extraScripts?: readonly string[];
}

/** A page of the deck (the deck itself, or its handout): the view through its template and the layouts. */
export function renderPage(view: DeckView, templates: TemplateSet, options: PageOptions, page: PageTemplate = 'deck'): string {
  if (view.slides.some((slide) => slide.kind === 'sources') && !templates.layouts.has('sources')) {
    throw new DataErrors([{ file: templates.dirs[0]!, message: 'the deck cites facts but the templates have no layouts/sources.hbs to list them' }], 'template');
  }
  try {
    return templates.pages[page]({ ...view, csp: options.csp, assetBase: options.assetBase, extraScripts: (options.extraScripts ?? []).map((script) => `${options.assetBase}${script}`) });
  } catch (error) {
    // Handlebars finds a missing partial or variable only while rendering; it is still the templates' fault.
    if (error instanceof TemplateRunError) {
      throw new DataErrors([{ file: error.file, ...(error.line !== undefined ? { line: error.line } : {}), message: `template error while rendering: ${error.message}` }], 'template');
    }
    const message = error instanceof Error ? error.message : String(error);
    throw new DataErrors([{ file: templates.dirs[0]!, message: `template error while rendering: ${message}` }], 'template');
  }
}
