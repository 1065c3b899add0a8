/**
 * deck.pptx on a machine without the deck's fonts (most Office machines): the file carries the
 * theme's fonts as PowerPoint embeds them, and where a reader does not use them (Keynote, the
 * LibreOffice 7.4 these tests run) its text shrinks to its box rather than running into other text.
 * Judged by tools we did not write: libeot (the Embedded OpenType reader LibreOffice links) and
 * fontconfig for the embedded fonts, LibreOffice for the conversion, poppler for the word boxes.
 */
import { execFile } from 'node:child_process';
import { copyFile, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import JSZip from 'jszip';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { build } from '../src/pipeline.js';
import { pdfFonts, pdfWordBoxes, type WordBox } from './support/pdf.js';
import { editFile, repoRoot, scratchProjects, type ScratchProject } from './support/project.js';
import { pptxToPdf, soffice } from './support/libreoffice.js';
import { readPptx } from './support/pptx-reader.js';

const run = promisify(execFile);
const scratch = scratchProjects();
const editions = [{ name: 'fr', prefix: '' }, { name: 'en', prefix: 'en' }];

/**
 * Pairs of words drawn over each other: boxes that share some width and more than a fifth of the
 * lower one's height. Lines of one paragraph overlap by their ascent and descent, under a fifth of
 * a word's box; text that runs into other text overlaps far more.
 */
function collisions(pages: WordBox[][]): string[] {
  return pages.flatMap((words, page) => words.flatMap((a, i) => words.slice(i + 1).flatMap((b) => {
    const width = Math.min(a.x1, b.x1) - Math.max(a.x0, b.x0);
    const height = Math.min(a.y1, b.y1) - Math.max(a.y0, b.y0);
    return width > 0.5 && height > 0.2 * Math.min(a.y1 - a.y0, b.y1 - b.y0) ? [`page ${page + 1}: "${a.text}" over "${b.text}"`] : [];
  })));
}

/** The same file, its embedded fonts unlisted: what a reader that does not use them shows. */
async function withoutEmbeddedFonts(pptx: string, out: string): Promise<string> {
  const zip = await JSZip.loadAsync(await readFile(pptx));
  const presentation = await zip.file('ppt/presentation.xml')!.async('string');
  zip.file('ppt/presentation.xml', presentation.replace(/<p:embeddedFontLst>[\s\S]*?<\/p:embeddedFontLst>/, ''));
  await writeFile(out, await zip.generateAsync({ type: 'uint8array', compression: 'DEFLATE' }));
  return out;
}

/** An Embedded OpenType font decoded by libeot, as LibreOffice decodes one: the TrueType data and whether its licence allows editing. */
async function decodeEot(eot: string, ttf: string): Promise<{ editable: boolean }> {
  const script = [
    'import ctypes, sys',
    "lib = ctypes.CDLL('libeot.so.0')",
    'data = open(sys.argv[1], "rb").read()',
    'meta = (ctypes.c_byte * 4096)()',
    'out = ctypes.POINTER(ctypes.c_ubyte)()',
    'size = ctypes.c_uint()',
    'error = lib.EOT2ttf_buffer(data, len(data), meta, ctypes.byref(out), ctypes.byref(size))',
    'if error: sys.exit("libeot error %d" % error)',
    'open(sys.argv[2], "wb").write(ctypes.string_at(out, size.value))',
    'lib.EOTcanLegallyEdit.restype = ctypes.c_bool',
    'print(lib.EOTcanLegallyEdit(meta))',
  ].join('\n');
  const { stdout } = await run('python3', ['-c', script, eot, ttf]);
  return { editable: stdout.trim() === 'True' };
}

describe('deck.pptx without the deck\'s fonts installed', () => {
  let project: ScratchProject;
  /** The theme's fonts as the file names them: headings, body. */
  let themeFonts: string[];

  beforeAll(async () => {
    project = await scratch();
    await build({ dataDir: project.data, templatesDir: project.templates, outDir: project.out, formats: ['pdf', 'pptx'] });
    const theme = await (await readPptx(await readFile(path.join(project.out, 'deck.pptx')))).zip.file('ppt/theme/theme1.xml')!.async('string');
    themeFonts = ['majorFont', 'minorFont'].map((slot) => new RegExp(`<a:${slot}><a:latin typeface="([^"]+)"`).exec(theme)![1]!);
  }, 180_000);

  it('carries the theme\'s fonts as PowerPoint embeds them: an Embedded OpenType part per face, listed in the presentation', async () => {
    expect(themeFonts).toEqual(['Source Serif 4', 'Source Sans 3']);
    for (const { prefix } of editions) {
      const { zip, problems, files } = await readPptx(await readFile(path.join(project.out, prefix, 'deck.pptx')));
      expect(problems).toEqual([]);
      const presentation = await zip.file('ppt/presentation.xml')!.async('string');
      expect(presentation).toMatch(/<p:presentation [^>]*embedTrueTypeFonts="1"/);
      // All characters, so that people can edit the deck: not PowerPoint's "only the characters used".
      expect(presentation).not.toContain('saveSubsetFonts="1"');
      // In the schema's place: after the notes size, before the default text style.
      expect(presentation).toMatch(/<p:notesSz [^>]*\/><p:embeddedFontLst>[\s\S]*<\/p:embeddedFontLst>(?:<p:defaultTextStyle|<\/p:presentation)/);
      const listed = [...presentation.matchAll(/<p:embeddedFont><p:font typeface="([^"]+)"[^>]*\/>((?:<p:\w+ r:id="\w+"\/>)*)<\/p:embeddedFont>/g)].map((match) => ({ typeface: match[1]!, slots: [...match[2]!.matchAll(/<p:(\w+) r:id="(\w+)"/g)].map((slot) => ({ slot: slot[1]!, id: slot[2]! })) }));
      // The theme declares Source Serif 4 in weights 600 and 700 only (no regular face to carry) and Source Sans 3 in 400, 600 and 700.
      expect(listed.map((family) => [family.typeface, family.slots.map((slot) => slot.slot)])).toEqual([['Source Serif 4', ['bold']], ['Source Sans 3', ['regular', 'bold']]]);
      const relations = await zip.file('ppt/_rels/presentation.xml.rels')!.async('string');
      const types = await zip.file('[Content_Types].xml')!.async('string');
      expect(types).toContain('<Default Extension="fntdata" ContentType="application/x-fontdata"/>');
      for (const { typeface, slots } of listed) {
        for (const { id } of slots) {
          const target = new RegExp(`<Relationship Id="${id}" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/font" Target="(fonts/font\\d+\\.fntdata)"/>`).exec(relations)?.[1];
          expect(target, `${typeface} ${id}`).toBeDefined();
          expect(files).toContain(`ppt/${target}`);
          // Embedded OpenType: sizes that add up, its magic number, the family it holds, the TrueType data after the header.
          const eot = Buffer.from(await zip.file(`ppt/${target}`)!.async('uint8array'));
          expect(eot.readUInt32LE(0)).toBe(eot.length);
          expect(eot.readUInt16LE(34)).toBe(0x504c);
          const familyName = eot.subarray(84, 84 + eot.readUInt16LE(82)).toString('utf16le');
          expect(familyName).toBe(typeface);
          expect(eot.readUInt32BE(eot.length - eot.readUInt32LE(4))).toBe(0x00010000);
        }
      }
    }
  });

  it('says which theme font it could not carry, and why', async () => {
    // The body font given as WOFF2 files alone, in the templates folder: no TrueType data to embed.
    const edited = await scratch();
    const fontsource = path.join(repoRoot, 'node_modules', '@fontsource', 'source-sans-3', 'files');
    await editFile(path.join(edited.templates, 'theme.css'), (css) => css.replace(/url\('~@fontsource\/source-sans-3\/files\/([\w-]+\.woff2)'\)/g, (_url, file: string) => `url('${file}')`));
    for (const weight of [400, 600, 700]) await copyFile(path.join(fontsource, `source-sans-3-latin-${weight}-normal.woff2`), path.join(edited.templates, `source-sans-3-latin-${weight}-normal.woff2`));
    const result = await build({ dataDir: edited.data, templatesDir: edited.templates, outDir: edited.out, formats: ['pptx'], langs: ['fr'] });
    expect(result.warnings).toContainEqual(expect.stringMatching(/deck\.pptx does not carry the font Source Sans 3: its files are not TrueType data \(a WOFF2 file needs a \.woff or \.ttf of the same name beside it\)/));
    const presentation = await (await readPptx(await readFile(path.join(edited.out, 'deck.pptx')))).zip.file('ppt/presentation.xml')!.async('string');
    expect([...presentation.matchAll(/<p:font typeface="([^"]+)"/g)].map((match) => match[1])).toEqual(['Source Serif 4']);
  }, 120_000);

  describe.skipIf(!soffice && process.env.DATADECK_REQUIRE_LIBREOFFICE !== '1')('opened by LibreOffice', () => {
    let work: string;
    beforeAll(async () => {
      if (!soffice) throw new Error('DATADECK_REQUIRE_LIBREOFFICE=1 but LibreOffice is not installed: apt-get install libreoffice-impress-nogui');
      work = await mkdtemp(path.join(os.tmpdir(), 'datadeck-pptx-fonts-'));
    });
    afterAll(async () => {
      if (work) await rm(work, { recursive: true, force: true });
    });

    it('keeps every word clear of every other where the fonts are missing and not read from the file, in both editions', async () => {
      const found: string[] = [];
      for (const { name, prefix } of editions) {
        // LibreOffice 7.4 does not read a .pptx's embedded fonts anyway (Keynote neither); unlisting them
        // makes this the substitute's case with any reader.
        const pptx = await withoutEmbeddedFonts(path.join(project.out, prefix, 'deck.pptx'), path.join(work, `${name}-substituted.pptx`));
        const { pdf } = await pptxToPdf(pptx, path.join(work, 'substituted'), 'system');
        // The deck's fonts are absent: LibreOffice drew every word in a substitute.
        const fonts = (await pdfFonts(pdf)).join('\n');
        expect(fonts).not.toMatch(/SourceSerif|SourceSans/);
        found.push(...collisions(await pdfWordBoxes(pdf)).map((pair) => `${name} ${pair}`));
      }
      // Before text shrank to its box: 39 pairs of words drawn over each other in English, 37 in French.
      expect(found).toEqual([]);
    }, 180_000);

    it('gives a reader that uses the embedded fonts the deck\'s own fonts, each word clear of the others', async () => {
      // LibreOffice 7.4 does not use embedded fonts: libeot decodes them and fontconfig serves them,
      // as a reader that honours embedding (PowerPoint) has them.
      const { zip } = await readPptx(await readFile(path.join(project.out, 'en', 'deck.pptx')));
      const folder = path.join(work, 'embedded');
      await mkdir(folder, { recursive: true });
      const faces: string[] = [];
      for (const part of Object.keys(zip.files).filter((name) => name.endsWith('.fntdata'))) {
        const eot = path.join(work, path.basename(part));
        await writeFile(eot, await zip.file(part)!.async('uint8array'));
        const ttf = path.join(folder, path.basename(part).replace(/\.fntdata$/, '.ttf'));
        const { editable } = await decodeEot(eot, ttf);
        expect(editable).toBe(true);
        faces.push((await run('fc-scan', ['--format', '%{family[0]} %{style[0]}', ttf])).stdout);
      }
      expect(faces.sort()).toEqual(['Source Sans 3 Bold', 'Source Sans 3 Regular', 'Source Serif 4 Bold']);
      const { pdf } = await pptxToPdf(path.join(project.out, 'en', 'deck.pptx'), path.join(work, 'embedded-pdf'), { dir: folder });
      const fonts = (await pdfFonts(pdf)).join('\n');
      expect(fonts).toMatch(/SourceSerif4-Bold/);
      expect(fonts).toMatch(/SourceSans3-Regular/);
      expect(collisions(await pdfWordBoxes(pdf))).toEqual([]);
    }, 180_000);
  });
});
