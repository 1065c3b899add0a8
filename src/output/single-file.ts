import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { isInsideOrEqual } from '../paths.js';

const mimeTypes: Record<string, string> = {
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
  '.ttf': 'font/ttf',
  '.otf': 'font/otf',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.svg': 'image/svg+xml',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
};

const sha256 = (text: string): string => `'sha256-${createHash('sha256').update(text).digest('base64')}'`;

/** A stylesheet with every url() of a file inside the deck turned into a data: URI. */
async function inlineCss(css: string, cssFile: string, deckDir: string): Promise<string> {
  const replacements = await Promise.all(
    [...css.matchAll(/url\(\s*(['"]?)([^'")]+?)\1\s*\)/g)].map(async (match) => {
      const reference = match[2]!;
      if (/^([a-z][a-z0-9+.-]*:|\/\/|#)/i.test(reference)) return undefined;
      const file = path.resolve(path.dirname(cssFile), reference.split(/[?#]/)[0]!);
      if (!isInsideOrEqual(file, deckDir)) return undefined;
      const bytes = await readFile(file).catch(() => undefined);
      if (!bytes) return undefined;
      const type = mimeTypes[path.extname(file).toLowerCase()] ?? 'application/octet-stream';
      return { from: match[0], to: `url('data:${type};base64,${bytes.toString('base64')}')` };
    }),
  );
  let result = css;
  for (const replacement of replacements) if (replacement) result = result.replace(replacement.from, replacement.to);
  return result;
}

/**
 * One edition as a single file that works with no folder beside it and no network (an e-mail
 * attachment): its stylesheets, fonts and scripts inlined, its Content-Security-Policy allowing
 * exactly those inline scripts by hash, plus the speaker view's. The page given has no link to
 * the other editions: alone, the file could not reach them.
 */
export async function singleFileDeck(html: string, pageFile: string, deckDir: string, speakerViewHashes: readonly string[]): Promise<string> {
  const pageDir = path.dirname(pageFile);
  const local = (reference: string): string | undefined => {
    if (/^([a-z][a-z0-9+.-]*:|\/\/|#)/i.test(reference)) return undefined;
    const file = path.resolve(pageDir, reference.split(/[?#]/)[0]!);
    return isInsideOrEqual(file, deckDir) ? file : undefined;
  };
  let result = html;
  const scriptHashes: string[] = [];
  for (const match of html.matchAll(/<link rel="stylesheet" href="([^"]+)">/g)) {
    const file = local(match[1]!);
    if (!file) continue;
    const css = await inlineCss(await readFile(file, 'utf8'), file, deckDir);
    result = result.replace(match[0], () => `<style>\n${css.replace(/<\/style/gi, '<\\/style')}\n</style>`);
  }
  for (const match of html.matchAll(/<script src="([^"]+)"><\/script>/g)) {
    const file = local(match[1]!);
    if (!file) continue;
    // A script holding "</script" would end the element early; "<\/script" means the same in JavaScript strings.
    const code = (await readFile(file, 'utf8')).replace(/<\/script/gi, '<\\/script');
    scriptHashes.push(sha256(code));
    result = result.replace(match[0], () => `<script>${code}</script>`);
  }
  const csp = [
    "default-src 'none'",
    `script-src ${[...new Set([...scriptHashes, ...speakerViewHashes])].join(' ')}`,
    "style-src 'unsafe-inline'",
    'font-src data:',
    'img-src data:',
    "frame-src 'self'",
    "connect-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
  ].join('; ');
  return result.replace(/<meta http-equiv="Content-Security-Policy" content="[^"]*">/, () => `<meta http-equiv="Content-Security-Policy" content="${csp.replace(/'/g, '&#x27;')}">`);
}
