/**
 * What each export of the last build was made from, so that a build remakes only what changed: a
 * manifest in the output folder names, for every file an export wrote, a key (a hash of what it
 * was made from: the edition's page, or one slide as the browser laid it out, the deck's assets,
 * datadeck's own code) and the hash of the file's bytes. A file whose key is unchanged is taken
 * from the previous deck as it is (a hard link), once its bytes are checked against the manifest:
 * a missing, changed or unreadable file, or a damaged manifest, is made again.
 */
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { copyFile, link, mkdir, readFile, readdir, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { packageRoot, type Asset } from '../output/assets.js';
import type { Staging } from '../output/write.js';

/** An edition's manifest, in its folder (a build of other editions carries it over with the edition's files). */
export const manifestName = '.datadeck-exports.json';

interface Entry {
  key: string;
  /** sha256 of the file's bytes. */
  sha: string;
  /** What the export said while making it, said again when it is reused. */
  warnings?: string[];
}

interface Manifest {
  version: 1;
  /** By file, relative to the deck's root (en/png/03-scale.png). */
  files: Record<string, Entry>;
}

export interface ExportCache {
  /** A key for what a file is made from: these parts, with the deck's assets and datadeck's code. */
  key(...parts: readonly string[]): string;
  /**
   * The file of the previous deck made from `key`, put into the staged deck and checked; its
   * size, or undefined when it must be made (none, another key, missing or changed bytes).
   */
  reuse(file: string, key: string): Promise<{ bytes: number; warnings: string[] } | undefined>;
  /** A file just made into the staged deck from `key`, remembered for the next build. */
  made(file: string, key: string, warnings?: readonly string[]): Promise<void>;
  /** Every file of a folder made from `key` (an edition's pictures), when each of them is there and whole. */
  reuseFolder(folder: string, key: string): Promise<{ bytes: number; warnings: string[] } | undefined>;
  /** The files this build put in a folder, made or reused, remembered as made from `key`. */
  madeFolder(folder: string, key: string): void;
  /** Files of an edition that did not pass the check: not remembered, so made again next time. */
  forget(prefix: string): void;
  /** Writes the manifest of what this build holds into the staged deck, for each edition but those whose manifest is carried over as it is. */
  write(carried?: readonly string[]): Promise<void>;
}

/**
 * Whether the deck in `outDir` says what its exports were made from: a build may then reuse them
 * all, and starts the browser only once it knows that it needs it.
 */
export function mayReuseExports(outDir: string, force: boolean): boolean {
  return !force && existsSync(path.join(outDir, manifestName));
}

const sha256 = (data: string | Uint8Array): string => createHash('sha256').update(data).digest('hex');

let codeHash: Promise<string> | undefined;

/** datadeck's version and its code as installed (a changed generator makes every export again). */
function generatorHash(): Promise<string> {
  codeHash ??= (async () => {
    const code = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
    const listing = await readdir(code, { recursive: true }).catch(() => [] as string[]);
    const stamps = await Promise.all(listing.sort().map(async (file) => {
      const info = await stat(path.join(code, file)).catch(() => undefined);
      return info?.isFile() ? `${file} ${info.size} ${info.mtimeMs}` : '';
    }));
    const manifest = await readFile(path.join(packageRoot, 'package.json'), 'utf8').catch(() => '');
    return sha256(`${manifest}\n${stamps.join('\n')}`);
  })();
  return codeHash;
}

/** The files a manifest lists in a folder, and a hash of their names and bytes' hashes. */
const filesUnder = (manifest: Manifest, folder: string): string[] => Object.keys(manifest.files).filter((file) => file.startsWith(`${folder}/`) && file !== `${folder}/`).sort();
const listSha = (manifest: Manifest, files: readonly string[]): string => sha256(files.map((file) => `${file} ${manifest.files[file]!.sha}`).join('\n'));

async function readManifest(outDir: string, prefixes: readonly string[]): Promise<Manifest> {
  const files: Record<string, Entry> = {};
  for (const prefix of prefixes) {
    try {
      const parsed = JSON.parse(await readFile(path.join(outDir, `${prefix}${manifestName}`), 'utf8')) as Partial<Manifest>;
      if (parsed.version === 1 && parsed.files && typeof parsed.files === 'object') Object.assign(files, parsed.files);
    } catch {
      // None, or damaged: the edition's exports are made again.
    }
  }
  return { version: 1, files };
}

/**
 * The cache of one build: the previous deck's manifest (none with `force`), and what the deck's
 * assets and shared text files hash to.
 */
export async function openExportCache(options: { outDir: string; stage: Staging; force: boolean; prefixes: readonly string[]; assets: readonly Asset[]; files: readonly { path: string; text: string }[] }): Promise<ExportCache> {
  const { outDir, stage } = options;
  const previous = options.force ? { version: 1 as const, files: {} } : await readManifest(outDir, options.prefixes);
  const assetBytes = await Promise.all([...options.assets].sort((a, b) => a.to.localeCompare(b.to)).map(async (asset) => `${asset.to} ${sha256(await readFile(asset.from))}`));
  const shared = sha256([await generatorHash(), ...assetBytes, ...options.files.map((file) => `${file.path} ${sha256(file.text)}`)].join('\n'));
  const next: Manifest = { version: 1, files: {} };
  const forgotten = new Set<string>();
  const inStage = (file: string): string => path.join(stage.dir, file);
  const reuse: ExportCache['reuse'] = async (file, key) => {
    const entry = previous.files[file];
    if (!entry || entry.key !== key) return undefined;
    const target = inStage(file);
    try {
      await mkdir(path.dirname(target), { recursive: true });
      // Never written through: a staged file may be a hard link to the deck in place.
      await rm(target, { force: true });
      await link(path.join(outDir, file), target).catch(() => copyFile(path.join(outDir, file), target));
      const bytes = await readFile(target);
      if (sha256(bytes) !== entry.sha) throw new Error('changed');
      next.files[file] = entry;
      return { bytes: bytes.byteLength, warnings: entry.warnings ?? [] };
    } catch {
      await rm(target, { force: true });
      return undefined;
    }
  };
  return {
    key: (...parts) => sha256([shared, ...parts.map(sha256)].join('\n')),
    reuse,
    async made(file, key, warnings = []) {
      next.files[file] = { key, sha: sha256(await readFile(inStage(file))), ...(warnings.length > 0 ? { warnings: [...warnings] } : {}) };
    },
    async reuseFolder(folder, key) {
      const entry = previous.files[`${folder}/`];
      if (!entry || entry.key !== key) return undefined;
      const files = filesUnder(previous, folder);
      if (listSha(previous, files) !== entry.sha) return undefined;
      let bytes = 0;
      for (const file of files) {
        const reused = await reuse(file, previous.files[file]!.key);
        if (!reused) {
          // Made again one by one: none of them stays a link to the previous deck's file.
          await Promise.all(files.map((linked) => rm(inStage(linked), { force: true })));
          for (const linked of files) delete next.files[linked];
          return undefined;
        }
        bytes += reused.bytes;
      }
      next.files[`${folder}/`] = entry;
      return { bytes, warnings: entry.warnings ?? [] };
    },
    madeFolder(folder, key) {
      next.files[`${folder}/`] = { key, sha: listSha(next, filesUnder(next, folder)) };
    },
    forget: (prefix) => void forgotten.add(prefix),
    async write(carried = []) {
      // An edition's files are under its folder ('' for the deck's own language: the longest that holds the file).
      const editionOf = (file: string): string => options.prefixes.filter((prefix) => file.startsWith(prefix)).sort((a, b) => b.length - a.length)[0] ?? '';
      for (const prefix of options.prefixes.filter((candidate) => !forgotten.has(candidate) && !carried.includes(`${candidate}${manifestName}`))) {
        const kept = Object.entries(next.files).filter(([file]) => editionOf(file) === prefix).sort(([a], [b]) => a.localeCompare(b));
        await stage.writeText(`${prefix}${manifestName}`, `${JSON.stringify({ version: 1, files: Object.fromEntries(kept) }, null, 1)}\n`);
      }
    },
  };
}
