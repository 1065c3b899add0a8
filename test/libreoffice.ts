import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { inflateSync } from 'node:zlib';
import { repoRoot } from './helpers.js';

const run = promisify(execFile);

/** LibreOffice's command, when installed: CI installs it (.ci/run); a user's machine may not have it. */
export const soffice = ['/usr/bin/soffice', '/usr/bin/libreoffice', '/usr/lib/libreoffice/program/soffice'].find((candidate) => existsSync(candidate));

/**
 * A fontconfig setup that adds the deck's web fonts, so LibreOffice draws the .pptx in the fonts
 * the deck uses rather than in whatever it substitutes. LibreOffice embeds fonts into its PDF from
 * SFNT data, so the @fontsource WOFF files are unwrapped to TTF first (WOFF 1.0 is zlib-compressed
 * tables around the same SFNT).
 */
async function deckFonts(dir: string): Promise<string> {
  const fonts = path.join(dir, 'fonts');
  await mkdir(fonts, { recursive: true });
  for (const family of ['source-sans-3', 'source-serif-4']) {
    const files = path.join(repoRoot, 'node_modules', '@fontsource', family, 'files');
    for (const name of await readdir(files)) {
      if (!/-latin-(400|600|700)-(normal|italic)\.woff$/.test(name)) continue;
      await writeFile(path.join(fonts, name.replace(/\.woff$/, '.ttf')), woffToSfnt(await readFile(path.join(files, name))));
    }
  }
  const config = path.join(dir, 'fonts.conf');
  await writeFile(
    config,
    `<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM "fonts.dtd">\n<fontconfig>\n  <include ignore_missing="yes">/etc/fonts/fonts.conf</include>\n  <dir>${fonts}</dir>\n  <cachedir>${path.join(dir, 'cache')}</cachedir>\n</fontconfig>\n`,
  );
  return config;
}

function woffToSfnt(woff: Buffer): Buffer {
  if (woff.toString('ascii', 0, 4) !== 'wOFF') throw new Error('not a WOFF 1.0 file');
  const flavor = woff.readUInt32BE(4);
  const count = woff.readUInt16BE(12);
  const tables = Array.from({ length: count }, (_, i) => {
    const at = 44 + i * 20;
    const offset = woff.readUInt32BE(at + 4);
    const compressed = woff.readUInt32BE(at + 8);
    const length = woff.readUInt32BE(at + 12);
    const raw = woff.subarray(offset, offset + compressed);
    return { tag: woff.toString('ascii', at, at + 4), checksum: woff.readUInt32BE(at + 16), length, data: compressed < length ? inflateSync(raw) : raw };
  });
  let selector = 0;
  while (1 << (selector + 1) <= count) selector++;
  const searchRange = (1 << selector) * 16;
  const padded = (n: number): number => (n + 3) & ~3;
  let offset = 12 + count * 16;
  const sfnt = Buffer.alloc(offset + tables.reduce((sum, table) => sum + padded(table.length), 0));
  sfnt.writeUInt32BE(flavor, 0);
  sfnt.writeUInt16BE(count, 4);
  sfnt.writeUInt16BE(searchRange, 6);
  sfnt.writeUInt16BE(selector, 8);
  sfnt.writeUInt16BE(count * 16 - searchRange, 10);
  tables.forEach((table, i) => {
    const entry = 12 + i * 16;
    sfnt.write(table.tag, entry, 'ascii');
    sfnt.writeUInt32BE(table.checksum, entry + 4);
    sfnt.writeUInt32BE(offset, entry + 8);
    sfnt.writeUInt32BE(table.length, entry + 12);
    table.data.copy(sfnt, offset);
    offset += padded(table.length);
  });
  return sfnt;
}

/** Converts a .pptx to PDF with LibreOffice, in a profile and font setup of its own; returns the PDF's path. */
export async function pptxToPdf(pptx: string, outDir: string): Promise<{ pdf: string; stderr: string }> {
  if (!soffice) throw new Error('LibreOffice (soffice) is not installed: apt-get install libreoffice-impress-nogui');
  const scratch = await mkdtemp(path.join(os.tmpdir(), 'datadeck-lo-'));
  try {
    const fontconfig = await deckFonts(scratch);
    await mkdir(outDir, { recursive: true });
    const { stderr } = await run(
      soffice,
      [`-env:UserInstallation=file://${path.join(scratch, 'profile')}`, '--headless', '--norestore', '--convert-to', 'pdf', '--outdir', outDir, pptx],
      { env: { ...process.env, FONTCONFIG_FILE: fontconfig, HOME: scratch }, timeout: 120_000 },
    );
    return { pdf: path.join(outDir, path.basename(pptx).replace(/\.pptx$/, '.pdf')), stderr };
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}
