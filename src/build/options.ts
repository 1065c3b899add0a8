/** What a build is asked to do, and the defaults the CLI, the dev server and build() share. */
import { existsSync, realpathSync } from 'node:fs';
import path from 'node:path';
import { packageRoot, type Asset } from '../output/assets.js';
import { browserFormats, exportFormats, type ExportFormat } from '../exports/registry.js';
import type { Printer } from '../print/printer.js';

/** The package's own templates: a deck's templates folder overrides them file by file. */
export const packageTemplatesDir = path.join(packageRoot, 'templates');

/** Bound on every browser step (launch, load, print), in milliseconds. */
export const defaultTimeoutMs = 60_000;

export interface BuildOptions {
  dataDir: string;
  /** The deck's own templates, laid over the package's (absent or missing: the package's alone). */
  templatesDir?: string | undefined;
  outDir: string;
  /** The exports to make besides each edition's deck page (default: all of them). */
  formats?: readonly ExportFormat[];
  /** false: no export that needs the browser (what --no-pdf says); ignored when formats is given. */
  pdf?: boolean;
  /** Report slides whose content reaches beyond them as warnings instead of failing. */
  allowOverflow?: boolean;
  /** The browser to print with; a build makes (and closes) its own when not given one. */
  printer?: Printer;
  /** Editions to build, by language ('all', the default, builds the deck's language and every translation). */
  langs?: 'all' | readonly string[];
  allowFalseClaims?: boolean;
  /** Bound on every browser step (launch, load, print), in milliseconds. */
  timeoutMs?: number;
  /** One line per finished stage. */
  log?: (line: string) => void;
  /** Scripts added to each page after the deck's own (the dev server's reload client), relative to the deck's root. */
  extraScripts?: readonly string[];
  /** Extra files to place in the deck (the dev server's reload client). */
  extraAssets?: readonly Asset[];
  /** Served by the dev server: the page may also talk back to its own origin (live reload). */
  dev?: boolean;
  /** Make every export again, even those the previous build made from the same slides and assets. */
  force?: boolean;
  /** Files of the previous output kept when this build does not make them (the dev server's exports, each edition's manifest of them). */
  carryOver?: readonly string[];
  /** Files of an export already made for this build by its caller (the dev server's PDFs), by their path in the deck: kept, not made again. */
  made?: ReadonlyMap<string, Uint8Array>;
  /** Every slide of this build was measured already (by the dev server, in the print view of its PDFs): the exports do not measure them again. */
  measured?: boolean;
  /** Asked between exports: true stops the build (the dev server's exports of a build a newer save replaces). */
  cancelled?: () => boolean;
}

/** Which exports: --formats, or every one; --no-pdf leaves out those that need the browser. */
export function chosenFormats(options: Pick<BuildOptions, 'formats' | 'pdf'>): ExportFormat[] {
  if (options.formats) return exportFormats.filter((format) => options.formats!.includes(format));
  return options.pdf === false ? exportFormats.filter((format) => !browserFormats.includes(format)) : [...exportFormats];
}

/** The template folders to read, most specific first: the deck's (when it has one), then the package's. */
export function templateFolders(templatesDir: string | undefined): string[] {
  const real = (dir: string): string => {
    try {
      return realpathSync(dir);
    } catch {
      return path.resolve(dir);
    }
  };
  const folders = templatesDir && existsSync(templatesDir) ? [path.resolve(templatesDir), packageTemplatesDir] : [packageTemplatesDir];
  return folders.filter((dir, index) => folders.findIndex((other) => real(other) === real(dir)) === index);
}

/** A path as messages show it: relative to where datadeck runs, when it is below. */
export function relativeToCwd(dir: string): string {
  const relative = path.relative(process.cwd(), dir);
  return relative === '' ? '.' : relative.startsWith('..') ? dir : relative;
}
