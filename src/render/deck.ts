import type { DeckModel } from '../model/deck.js';
import { DataErrors } from '../errors.js';
import { TemplateRunError, type TemplateSet } from './engine.js';

export interface PageOptions {
  /** Content-Security-Policy for the page: the deck may load only its own files. */
  csp: string;
  /** Extra script files (relative to the deck) loaded after the deck's own, e.g. the dev client. */
  extraScripts?: readonly string[];
}

export function renderDeck(model: DeckModel, templates: TemplateSet, options: PageOptions): string {
  try {
    return templates.page({ ...model, csp: options.csp, extraScripts: options.extraScripts ?? [] });
  } catch (error) {
    // Handlebars finds a missing partial or variable only while rendering; it is still the templates' fault.
    if (error instanceof TemplateRunError) {
      throw new DataErrors([{ file: error.file, ...(error.line !== undefined ? { line: error.line } : {}), message: `template error while rendering: ${error.message}` }], 'template');
    }
    const message = error instanceof Error ? error.message : String(error);
    throw new DataErrors([{ file: templates.dir, message: `template error while rendering: ${message}` }], 'template');
  }
}
