/** What every deck a build writes holds by name, whatever its exports (each export names its own files: exports/registry.ts). */

/** An edition's deck page: slides/index.html, slides/en/index.html. */
export const deckPageName = 'index.html';

/** The deck's shared folder (scripts, styles, fonts), beside the deck's own edition. */
export const assetsFolder = 'assets';
