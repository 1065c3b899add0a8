/**
 * deck.html: the edition in one file, every script, style and font inlined, with no link to the
 * other editions (it travels without them).
 */
import path from 'node:path';
import { speakerViewScriptHashes } from '../output/assets.js';
import { deckPageName } from '../output/names.js';
import { singleFileDeck } from '../output/single-file.js';
import { renderPage } from '../render/page.js';
import type { ExportContext, Made } from './export.js';
import { exportFile } from './registry.js';

export async function make(context: ExportContext): Promise<Made> {
  const { edition, stage } = context;
  const page = renderPage({ ...edition.view, otherEditions: [] }, context.templates, edition.pageOptions);
  const single = await singleFileDeck(page, path.join(stage.dir, edition.prefix, deckPageName), stage.dir, await speakerViewScriptHashes());
  const file = `${edition.prefix}${exportFile('html')}`;
  await stage.writeText(file, single);
  return { path: file, bytes: Buffer.byteLength(single) };
}
