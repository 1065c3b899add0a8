import { it } from 'vitest';
import { readFile, writeFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { DataErrors } from '../src/errors.js';
import { build } from '../src/pipeline.js';
import { scratchProject, editFile } from './helpers.js';

async function tryBuild(p: { data: string; templates: string; out: string }) {
  try { await build({ dataDir: p.data, templatesDir: p.templates, outDir: p.out, pdf: false }); console.log('OK'); } catch (e) { if (e instanceof DataErrors) console.log(e.code, JSON.stringify(e.problems)); else console.log('OTHER', (e as Error).name, (e as Error).message); }
}
it('probe', async () => {
  const p = await scratchProject();
  const d = (f: string) => path.join(p.data, f);
  const t = (f: string) => path.join(p.templates, f);
  const snap = async (f: string) => readFile(f, 'utf8');
  const deck = await snap(d('deck.yaml'));
  await writeFile(d('deck.yaml'), deck.replace('locale: fr-FR', 'locale: not a locale'));
  console.log('locale'); await tryBuild(p);
  await writeFile(d('deck.yaml'), deck.replace('locale: fr-FR', 'locale: xx'));
  console.log('locale xx'); await tryBuild(p);
  await writeFile(d('deck.yaml'), deck.replace('lang: fr', 'lang: \'"><script>alert(1)</script>\''));
  console.log('lang'); await tryBuild(p);
  console.log((await snap(path.join(p.out, 'index.html'))).slice(0, 200));
  await writeFile(d('deck.yaml'), deck);
  const quote = await snap(t('layouts/quote.hbs'));
  await writeFile(t('layouts/quote.hbs'), quote.replace('{{/if}}', ''));
  console.log('tpl syntax'); await tryBuild(p);
  await writeFile(t('layouts/quote.hbs'), 'line1\nline2\n{{#if x}}\n{{/each}}\n');
  console.log('tpl syntax2'); await tryBuild(p);
  await writeFile(t('layouts/quote.hbs'), 'line1\nline2\n{{foo bar=}}\n');
  console.log('tpl syntax3'); await tryBuild(p);
  await writeFile(t('layouts/quote.hbs'), quote);
  const foot = await snap(t('partials/footnote.hbs'));
  await rm(t('partials/footnote.hbs'));
  console.log('missing partial'); await tryBuild(p);
  await writeFile(t('partials/footnote.hbs'), foot);
  const dh = await snap(t('deck.hbs'));
  await rm(t('deck.hbs'));
  console.log('missing deck.hbs'); await tryBuild(p);
  await writeFile(t('deck.hbs'), dh);
  await rm(t('layouts/quote.hbs'));
  console.log('missing layout used'); await tryBuild(p);
  await writeFile(t('layouts/quote.hbs'), quote);
  await rm(t('layouts/sources.hbs'));
  console.log('missing sources layout'); await tryBuild(p);
  await writeFile(t('layouts/sources.hbs'), 'x');
  await rm(d('charts.yaml'));
  console.log('missing charts'); await tryBuild(p);
  await p.cleanup();
});
