/**
 * The render step: each edition's view and deck page, the pages the chosen exports need before the
 * browser opens them (the handout), the theme made self-contained, and every file the deck loads.
 */
import type { Asset } from '../output/assets.js';
import { contentSecurityPolicy, runtimeAssets, speakerViewScriptHashes } from '../output/assets.js';
import { deckPageName } from '../output/names.js';
import { bundleTheme, paletteCss } from '../output/theme.js';
import { exportRow, type ExportFormat } from '../exports/registry.js';
import type { ExportModule, RenderedEdition } from '../exports/export.js';
import type { TemplateSet } from '../render/engine.js';
import { renderPage } from '../render/page.js';
import { buildDeckView, type EditionLink } from '../render/view.js';
import type { LoadedDeck } from './load.js';
import { relativeToCwd } from './options.js';
import type { BuildRun } from './run.js';

/** The rendered pages and what they need, before anything touches the output directory. */
export interface RenderedDeck {
  editions: RenderedEdition[];
  templates: TemplateSet;
  /** Files and folders of the deck's other editions, kept as they were. */
  carried: string[];
  /** Text files of the deck: the theme, the palette, the pages the exports need. */
  files: { path: string; text: string }[];
  assets: Asset[];
  /** The modules of the exports chosen, loaded. */
  exports: Map<ExportFormat, ExportModule>;
}

export async function renderDeck(run: BuildRun, deck: LoadedDeck): Promise<RenderedDeck> {
  const { options } = run;
  const { templates } = deck;
  const exports = new Map(await Promise.all(run.formats.map(async (format) => [format, await exportRow(format).load()] as const)));
  const csp = contentSecurityPolicy(await speakerViewScriptHashes(), { connectToSelf: options.dev ?? false });
  const theme = await bundleTheme(templates.themeFile, relativeToCwd(templates.themeFile), { dirs: deck.folders, display: templates.dirs });
  const editions = deck.editions.map((edition): RenderedEdition => {
    const otherEditions: EditionLink[] = deck.links
      .filter((other) => other.prefix !== edition.prefix)
      .map((other) => ({ lang: other.lang, name: other.name, href: editionHref(edition.prefix, other.prefix) }));
    const view = buildDeckView(edition.model, edition.locale, { otherEditions });
    const pageOptions = { csp, assetBase: edition.prefix === '' ? '' : '../' };
    const html = renderPage(view, templates, { ...pageOptions, extraScripts: options.extraScripts ?? [] });
    return { lang: edition.lang, prefix: edition.prefix, model: edition.model, data: edition.data, view, html, pageOptions };
  });
  const prepared = [...exports.values()].map((module) => module.prepare?.({ editions, templates }) ?? { pages: [], assets: [] });
  run.warnings.push(...new Set([...deck.themeWarnings, ...editions.flatMap((edition) => edition.model.warnings)]));
  return {
    editions,
    templates,
    carried: deck.carried,
    files: [
      { path: 'assets/theme.css', text: theme.css },
      { path: 'assets/palette.css', text: paletteCss(editions[0]!.data.theme) },
      ...prepared.flatMap((made) => made.pages),
    ],
    assets: [...runtimeAssets(), ...theme.assets, ...prepared.flatMap((made) => made.assets), ...(options.extraAssets ?? [])],
    exports,
  };
}

/** Relative link from one edition's page to another's. */
function editionHref(from: string, to: string): string {
  return `${from === '' ? '' : '../'}${to}${deckPageName}`;
}
