/**
 * The table of exports (src/exports/registry.ts) is the one list of what a build makes: each row's
 * export is made from it alone, --formats and --help come from it, and so does the README's table.
 */
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createProgram } from '../src/cli.js';
import { exportRows } from '../src/exports/registry.js';
import { build } from '../src/pipeline.js';
import { repoRoot } from './support/project.js';
import { layoutDecks } from './support/layout-deck.js';

const smallDeck = layoutDecks();

describe('the table of exports', () => {
  it("is the README's table: each export's --formats name, its files, and what it is", async () => {
    const readme = await readFile(path.join(repoRoot, 'README.md'), 'utf8');
    const table = readme.slice(readme.indexOf('| `--formats` | file | what it is |'), readme.indexOf('Both PDFs carry'));
    const rows = [...table.matchAll(/^\| `([a-z]+)` \| ([^|]+) \| ([^|]+) \|$/gm)].map((match) => ({
      format: match[1],
      files: [...match[2]!.matchAll(/`([^`]+)`/g)].map((file) => file[1]),
      what: match[3]!.trim(),
    }));
    expect(rows.map(({ format, files }) => ({ format, files }))).toEqual(exportRows.map((row) => ({ format: row.format, files: [...row.files] })));
    rows.forEach((row, index) => expect(row.what.startsWith(exportRows[index]!.summary), row.format).toBe(true));
  });

  it('is what --formats accepts and --help says, export by export', () => {
    const command = createProgram().commands.find((candidate) => candidate.name() === 'build')!;
    const help = command.helpInformation().replace(/\s+/g, ' ');
    for (const row of exportRows) expect(help).toContain(`${row.format} (${row.files[0]}: ${row.summary})`);
    const formats = command.options.find((option) => option.long === '--formats')!;
    expect(formats.parseArg!(exportRows.map((row) => row.format).join(','), undefined)).toEqual(exportRows.map((row) => row.format));
  });

  it("makes each export alone, writing its row's files and no other's, with its own progress line", async () => {
    const deck = await smallDeck({ slides: [{ layout: 'big-number', id: 'big', number: 'a.value', kicker: 'A value' }] });
    for (const row of exportRows) {
      const lines: string[] = [];
      const result = await build({ dataDir: deck.data, templatesDir: deck.templates, outDir: deck.out, formats: [row.format], log: (line) => lines.push(line) });
      const written = (await readdir(deck.out)).filter((name) => !name.startsWith('.') && name !== 'assets');
      expect(written.sort(), row.format).toEqual(['index.html', ...row.files.map((file) => file.replace(/\/$/, ''))].sort());
      expect(result.editions[0]!.files.map((file) => file.format)).toEqual([row.format]);
      expect(lines.filter((line) => line.startsWith(`${row.format} `)), row.format).toEqual([expect.stringContaining(` ${row.files[0]} `)]);
    }
  }, 120_000);
});
