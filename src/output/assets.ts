import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
/** The package root, from src/output or dist/output alike. */
export const packageRoot = fileURLToPath(new URL('../../', import.meta.url));

/** A package's folder, found the way Node finds it (some packages do not export package.json). */
export function moduleDir(name: string): string {
  const found = (require.resolve.paths(name) ?? []).map((dir) => path.join(dir, name)).find((dir) => existsSync(path.join(dir, 'package.json')));
  if (!found) throw new Error(`package ${name} is not installed: run npm ci`);
  return found;
}

/**
 * One of the deck's own browser scripts (src/client/NAME.ts), bundled by `npm run compile`
 * (scripts/bundle-client.mjs) into a classic script, as a deck opened from disk needs.
 */
export function clientScript(name: 'charts' | 'deck' | 'handout' | 'dev-client' | 'svgcanvas'): string {
  return path.join(packageRoot, 'dist', 'client', `${name}.js`);
}

export interface Asset {
  /** Absolute path of the file to copy. */
  from: string;
  /** Path inside the deck directory. */
  to: string;
}

/**
 * What every deck loads besides its theme, copied from node_modules into the deck so it works
 * from disk with no network: reveal.js and its notes plugin, Chart.js, svgcanvas (charts on
 * paper) and the deck's own scripts.
 */
export function runtimeAssets(): Asset[] {
  const reveal = path.join(moduleDir('reveal.js'), 'dist');
  const chart = path.join(moduleDir('chart.js'), 'dist');
  return [
    { from: path.join(reveal, 'reveal.css'), to: 'assets/reveal/reveal.css' },
    { from: path.join(reveal, 'reveal.js'), to: 'assets/reveal/reveal.js' },
    { from: path.join(reveal, 'plugin', 'notes.js'), to: 'assets/reveal/notes.js' },
    { from: path.join(chart, 'chart.umd.min.js'), to: 'assets/chart.umd.min.js' },
    { from: clientScript('svgcanvas'), to: 'assets/svgcanvas.js' },
    { from: clientScript('charts'), to: 'assets/charts.js' },
    { from: clientScript('deck'), to: 'assets/deck.js' },
  ];
}

/**
 * reveal.js's speaker view is written into an about:blank popup, which inherits the deck's
 * Content-Security-Policy; its inline scripts run only if the policy lists their hashes.
 */
let speakerViewHashes: Promise<string[]> | undefined;
export function speakerViewScriptHashes(): Promise<string[]> {
  // The plugin file does not change while we run; hash it once per process.
  speakerViewHashes ??= hashSpeakerViewScripts();
  return speakerViewHashes;
}

async function hashSpeakerViewScripts(): Promise<string[]> {
  const source = await readFile(path.join(moduleDir('reveal.js'), 'dist', 'plugin', 'notes.js'), 'utf8');
  const start = source.indexOf('document.write(`');
  const end = start < 0 ? -1 : source.indexOf('</html>`)', start);
  if (start < 0 || end < 0) return [];
  const html = source
    .slice(start + 'document.write(`'.length, end + '</html>'.length)
    .replace(/\\([\\`$/])/g, '$1');
  return [...html.matchAll(/<script>([\s\S]*?)<\/script>/g)].map(
    (match) => `'sha256-${createHash('sha256').update(match[1] ?? '').digest('base64')}'`,
  );
}

export function contentSecurityPolicy(scriptHashes: readonly string[], options: { connectToSelf: boolean } = { connectToSelf: false }): string {
  return [
    "default-src 'none'",
    `script-src 'self' ${scriptHashes.join(' ')}`.trim(),
    // reveal.js sets page size and layout through inline style elements.
    "style-src 'self' 'unsafe-inline'",
    "font-src 'self'",
    "img-src 'self' data:",
    "frame-src 'self'",
    options.connectToSelf ? "connect-src 'self'" : "connect-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
  ].join('; ');
}
