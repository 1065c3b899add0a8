import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { woffToSfnt } from '../../src/pptx/fonts.js';
import { repoRoot } from './project.js';

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
  return fontSetup(dir, [fonts]);
}

/** A fontconfig file: the system's fonts and those of the folders given, with a cache of its own. */
async function fontSetup(dir: string, folders: string[]): Promise<string> {
  const config = path.join(dir, 'fonts.conf');
  await writeFile(
    config,
    `<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM "fonts.dtd">\n<fontconfig>\n  <include ignore_missing="yes">/etc/fonts/fonts.conf</include>\n${folders.map((folder) => `  <dir>${folder}</dir>\n`).join('')}  <cachedir>${path.join(dir, 'cache')}</cachedir>\n</fontconfig>\n`,
  );
  return config;
}

/**
 * Converts a .pptx to PDF with LibreOffice, in a profile and font setup of its own; returns the
 * PDF's path. Fonts: the deck's added to the system's (as where they are installed), the system's
 * alone (as on most machines: LibreOffice stands in its own), or the system's and the font files
 * of a folder.
 */
export async function pptxToPdf(pptx: string, outDir: string, fonts: 'deck' | 'system' | { dir: string } = 'deck'): Promise<{ pdf: string; stderr: string }> {
  if (!soffice) throw new Error('LibreOffice (soffice) is not installed: apt-get install libreoffice-impress-nogui');
  const scratch = await mkdtemp(path.join(os.tmpdir(), 'datadeck-lo-'));
  try {
    const fontconfig = fonts === 'deck' ? await deckFonts(scratch) : await fontSetup(scratch, fonts === 'system' ? [] : [fonts.dir]);
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
