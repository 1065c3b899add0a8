// Bundles the browser code that comes from npm packages into classic scripts: a deck opened from
// disk (file://) cannot load ES modules. Run by `npm run compile`, after tsc.
import { build } from 'esbuild';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../', import.meta.url));
await build({
  entryPoints: [`${root}src/client/svgcanvas-entry.js`],
  bundle: true,
  format: 'iife',
  globalName: 'SVGCanvas',
  minify: true,
  target: 'chrome100',
  legalComments: 'inline',
  outfile: `${root}dist/client/svgcanvas.js`,
  logLevel: 'warning',
});
