#!/usr/bin/env node
// Runs the compiled CLI: plain JavaScript starts in a fraction of the time a TypeScript loader takes.
import { existsSync } from 'node:fs';

const entry = new URL('../dist/cli.js', import.meta.url);
if (!existsSync(entry)) {
  process.stderr.write('datadeck is not compiled yet: run `npm run compile` (scripts/setup.sh does it).\n');
  process.exit(1);
}
const { main } = await import(entry.href);
await main(process.argv);
