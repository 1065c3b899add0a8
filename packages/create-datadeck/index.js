#!/usr/bin/env node
// `npm init datadeck my-deck`: a deck as a small project of its own, with datadeck as its
// dependency. It writes the starter deck `datadeck init` writes (the same files), a package.json
// with `build` and `dev` scripts, and a .gitignore; installing is left to the user's `npm install`.
import { copyFileSync, existsSync, lstatSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { createInterface } from 'node:readline/promises';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const here = path.dirname(fileURLToPath(import.meta.url));
const own = JSON.parse(readFileSync(path.join(here, 'package.json'), 'utf8'));
// Packed, the starter is copied in (prepack.mjs); in the repository it is two folders up.
const starterRoot = [path.join(here, 'starter'), path.join(here, '..', '..', 'starter')].find((dir) => existsSync(dir));
const usage = 'usage: npm init datadeck DIR [-- --lang en|fr] [--force]';
const exitCode = { usage: 64, output: 7 };

class Refusal extends Error {
  constructor(message, code = exitCode.usage) {
    super(message);
    this.code = code;
  }
}

const gitignore = '# Built by datadeck: rebuild with `npm run build`.\nslides/\n.slides-*\n.slides.lock\nnode_modules/\n';

/** A folder name as an npm package name: lower case, no spaces or signs npm refuses. */
function packageName(dir) {
  const name = path.basename(path.resolve(dir)).toLowerCase().replace(/[^a-z0-9._~-]+/g, '-').replace(/^[-._~]+|[-._~]+$/g, '');
  return name.slice(0, 214) || 'deck';
}

function filesUnder(dir, relative = '') {
  return readdirSync(path.join(dir, relative), { withFileTypes: true })
    .sort((a, b) => a.name.localeCompare(b.name))
    .flatMap((entry) => (entry.isDirectory() ? filesUnder(dir, path.join(relative, entry.name)) : [path.join(relative, entry.name)]));
}

/** The project's package.json: a new one, or the deck's scripts and dependency added to the one there (--force). */
function packageJson(file, dir) {
  const scripts = { build: 'datadeck build', dev: 'datadeck dev', doctor: 'datadeck doctor' };
  const dependency = `^${own.version}`;
  if (!existsSync(file)) {
    return { name: packageName(dir), private: true, description: 'A deck made with datadeck: data/ holds its facts, sources and argument.', scripts, dependencies: { datadeck: dependency } };
  }
  const there = JSON.parse(readFileSync(file, 'utf8'));
  return { ...there, scripts: { ...scripts, ...there.scripts }, dependencies: { ...there.dependencies, datadeck: there.dependencies?.datadeck ?? dependency } };
}

function writeDeck(dir, lang, force) {
  const languages = readdirSync(starterRoot, { withFileTypes: true }).filter((entry) => entry.isDirectory()).map((entry) => entry.name).sort();
  if (!languages.includes(lang)) throw new Refusal(`--lang ${lang}: the starter deck is written in ${languages.join(' and ')} (each with the other's translation); start in one of them and add data/translations/${lang}.yaml for ${lang}`);
  const target = path.resolve(dir);
  if (existsSync(target) && !lstatSync(target).isDirectory()) throw new Refusal(`cannot make a deck in ${dir}: it is a file`);
  const existing = existsSync(target) ? readdirSync(target) : [];
  if (existing.length > 0 && !force) {
    throw new Refusal(`${dir} is not empty (it holds ${existing.slice(0, 3).join(', ')}${existing.length > 3 ? '…' : ''}): choose a new or empty folder, or add --force to write the starter files into it (files of the same name are replaced).`);
  }
  const written = [];
  try {
    const starter = path.join(starterRoot, lang, 'data');
    for (const file of filesUnder(starter)) {
      mkdirSync(path.dirname(path.join(target, 'data', file)), { recursive: true });
      copyFileSync(path.join(starter, file), path.join(target, 'data', file));
    }
    written.push('data/');
    const manifest = path.join(target, 'package.json');
    writeFileSync(manifest, `${JSON.stringify(packageJson(manifest, dir), null, 2)}\n`);
    written.push('package.json');
    if (!existsSync(path.join(target, '.gitignore'))) {
      writeFileSync(path.join(target, '.gitignore'), gitignore);
      written.push('.gitignore');
    }
  } catch (error) {
    throw new Refusal(`cannot write the deck into ${dir}: ${error.message}`, exitCode.output);
  }
  return { written, other: languages.find((other) => other !== lang) };
}

/** The folder, from the command line; asked for only when it is missing and someone is there to answer. */
async function folderFrom(positionals) {
  if (positionals.length > 1) throw new Refusal(`one folder only (got ${positionals.join(', ')}); ${usage}`);
  if (positionals[0]) return positionals[0];
  if (!process.stdin.isTTY) throw new Refusal(`name the folder for the new deck: ${usage}`);
  const prompt = createInterface({ input: process.stdin, output: process.stdout });
  const answer = (await prompt.question('Folder for the new deck (my-deck): ')).trim();
  prompt.close();
  return answer || 'my-deck';
}

/** A word as a POSIX shell reads it back unchanged. */
const shellQuote = (word) => (/^[\w./:@%+=,-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`);

async function main() {
  let parsed;
  try {
    parsed = parseArgs({ allowPositionals: true, options: { lang: { type: 'string', default: 'en' }, force: { type: 'boolean', default: false }, help: { type: 'boolean', short: 'h', default: false } } });
  } catch (error) {
    throw new Refusal(`${error.message}; ${usage}`);
  }
  const { values, positionals } = parsed;
  if (values.help) {
    process.stdout.write(`${usage}\nWrites a datadeck project into DIR: data/ (a small sourced deck, in English with its French edition, or --lang fr for the French one with its English edition), package.json (datadeck, and the scripts build, dev and doctor), .gitignore.\n`);
    return 0;
  }
  const dir = await folderFrom(positionals);
  const { written, other } = writeDeck(dir, values.lang, values.force);
  process.stdout.write(`created ${path.join(dir, '')}: ${written.join(', ')} (a deck in ${values.lang}, with its ${other} edition in data/translations/${other}.yaml)\n`);
  process.stdout.write(`next:\n  cd ${shellQuote(dir)}\n  npm install\n  npm run dev     # live preview, rebuilt on every save (npm run build writes slides/ and the PDFs)\n`);
  return 0;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error) => {
    process.stderr.write(`error: ${error instanceof Refusal ? error.message : error.stack}\n`);
    process.exitCode = error instanceof Refusal ? error.code : 1;
  },
);
