/**
 * What an export is given and gives back. An export is a format a build makes of an edition
 * (exports/registry.ts lists them); each is a module of this folder with a make() (and, when it
 * needs a page of its own in the deck before the browser opens it, a prepare()).
 */
import type { LoadedData } from '../data/load.js';
import type { DeckModel } from '../model/deck.js';
import type { Asset } from '../output/assets.js';
import type { Staging } from '../output/write.js';
import type { DeckTab } from '../print/tab.js';
import type { TemplateSet } from '../render/engine.js';
import type { PageOptions } from '../render/page.js';
import type { DeckView } from '../render/view.js';

/** An edition of the deck, rendered: what every export is made from. */
export interface RenderedEdition {
  lang: string;
  /** Its folder in the deck: '' for the deck's own language, 'en/' for a translation. */
  prefix: string;
  model: DeckModel;
  data: LoadedData;
  view: DeckView;
  /** The deck page, as written. */
  html: string;
  /** How its pages are rendered (the Content-Security-Policy, the way back to the shared assets). */
  pageOptions: PageOptions;
}

/** The deck as staged, for an export that adds a page to it before anything is printed. */
export interface PrepareContext {
  editions: readonly RenderedEdition[];
  templates: TemplateSet;
}

export interface Prepared {
  /** Pages to write into the deck, relative to its root (en/handout.html). */
  pages: { path: string; text: string }[];
  /** Files they load, copied once for every edition. */
  assets: Asset[];
}

/**
 * Files of the previous build made from the same thing (build/cache.ts), for an export that makes
 * some of its files again and takes the others as they are (the pictures, one per slide).
 */
export interface MadeBefore {
  /** A key for what a file is made from: these parts, with the deck's assets and datadeck's code. */
  key(...parts: readonly string[]): string;
  /** The previous deck's file made from `key`, in the staged deck and checked; undefined: make it. */
  reuse(file: string, key: string): Promise<{ bytes: number; warnings: string[] } | undefined>;
  /** A file just made into the staged deck from `key`. */
  made(file: string, key: string, warnings?: readonly string[]): Promise<void>;
}

/** Everything an export may use to make its files of one edition. */
export interface ExportContext {
  edition: RenderedEdition;
  /** The staged deck: where pages are loaded from and files written. */
  stage: Staging;
  templates: TemplateSet;
  /** Every file the deck loads (the theme's fonts among them). */
  assets: readonly Asset[];
  /**
   * The edition's page in the browser, for an export made there: the slides' print view, every
   * slide measured and readied for paper, or the page the export prepared (the handout).
   */
  tab: DeckTab | undefined;
  /** Runs `work` in a fresh tab of the browser set up for the deck (an export made from a page of its own). */
  newTab<T>(work: (tab: DeckTab) => Promise<T>): Promise<T>;
  /**
   * Lets tabs the build has left idle share this export's work (the pictures): each runs `work`
   * once, in a print view of its own readied as `tab` is, unless `wanted` says no before it opens
   * one. The function it returns withdraws the offer at once and resolves when every helper that
   * started has finished.
   */
  share(work: (tab: DeckTab) => Promise<void>, wanted?: () => boolean): () => Promise<void>;
  /** Each slide's title, for a PDF's outline (from the print view). */
  titles: readonly string[];
  /** The deck's roles, whose colours the theme gives. */
  roles: readonly string[];
  timeoutMs: number;
  /** Something the user should know (a part of a layout the export cannot carry). */
  warn(text: string): void;
  madeBefore: MadeBefore;
}

/** What an export wrote, relative to the deck's root (a folder for the pictures), and its size. */
export interface Made {
  path: string;
  bytes: number;
  /** Of an export made file by file: how many it made, of how many (the others were reused). */
  remade?: { made: number; of: number };
}

export interface ExportModule {
  prepare?(context: PrepareContext): Prepared;
  make(context: ExportContext): Promise<Made>;
}

/** PDF metadata of an edition: its title, author, subject and language. */
export function pdfMetaOf(edition: Pick<RenderedEdition, 'view' | 'model'>): { title: string; author: string; subject: string; language: string } {
  return { title: edition.view.title, author: edition.view.author, subject: edition.view.subtitle, language: edition.model.locale };
}
