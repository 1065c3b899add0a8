// Bundles the browser code (src/client/*.ts) into classic scripts in dist/client/: a deck opened
// from disk (file://) cannot load ES modules. Each entry is one script a page loads; libraries
// the page loads on its own (reveal.js, Chart.js) are only types to it. Run by `npm run compile`,
// after tsc; src/output/assets.ts copies the scripts into each deck.
import { build } from 'esbuild';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../', import.meta.url));
const common = {
  bundle: true,
  format: 'iife',
  target: 'chrome100',
  legalComments: 'inline',
  logLevel: 'warning',
};

await Promise.all([
  // Our own scripts stay readable in a deck's assets/ (they are small).
  build({
    ...common,
    entryPoints: ['charts', 'deck', 'handout', 'dev-client'].map((name) => `${root}src/client/${name}.ts`),
    outdir: `${root}dist/client`,
  }),
  // svgcanvas as the global SVGCanvas, with the fixes Chart.js needs.
  build({
    ...common,
    entryPoints: [`${root}src/client/svgcanvas-entry.ts`],
    globalName: 'SVGCanvas',
    minify: true,
    outfile: `${root}dist/client/svgcanvas.js`,
  }),
]);
