// The starter decks and the licence live at the repository's root (datadeck's `init` writes the
// same decks): copy them in before packing, so this package needs nothing else at run time.
import { cpSync, copyFileSync, rmSync } from 'node:fs';

const root = new URL('../../', import.meta.url);
rmSync(new URL('starter/', import.meta.url), { recursive: true, force: true });
cpSync(new URL('starter/', root), new URL('starter/', import.meta.url), { recursive: true });
copyFileSync(new URL('LICENSE', root), new URL('LICENSE', import.meta.url));
