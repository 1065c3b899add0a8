import { spawn } from 'node:child_process';
import { existsSync, readFileSync, realpathSync } from 'node:fs';
import path from 'node:path';
import { Command, InvalidArgumentError, Option } from 'commander';
import { DatadeckError, DataErrors, ExitCode } from './errors.js';
import { chosenFormats, defaultTimeoutMs, type BuildOptions } from './build/options.js';
import { browserFormats, exportFile, exportFilesList, exportFormats, exportRows, type ExportFormat } from './exports/registry.js';
import { deckPageName } from './output/names.js';
import type { Printer } from './print/printer.js';
import { packageRoot } from './output/assets.js';
import { deckFolderAbove } from './paths.js';

const version = (JSON.parse(readFileSync(path.join(packageRoot, 'package.json'), 'utf8')) as { version: string }).version;

function formatList(value: string): ExportFormat[] {
  // "none": the deck page alone, no export.
  if (value.trim() === 'none') return [];
  const asked = value.split(',').map((item) => item.trim()).filter(Boolean);
  // An empty list read as "no exports" would delete the previous ones: only "none" says that.
  if (asked.length === 0) throw new InvalidArgumentError(`names no export (expected some of ${exportFormats.join(', ')}; --formats none builds the deck page alone)`);
  const unknown = asked.filter((item) => !(exportFormats as readonly string[]).includes(item));
  if (unknown.length > 0) throw new InvalidArgumentError(`unknown format ${unknown.join(', ')} (expected some of ${exportFormats.join(', ')})`);
  return asked as ExportFormat[];
}

/** Node's timers hold at most 2^31-1 ms (about 24.8 days); a longer one would fire at once. */
const maxTimeoutMs = 2 ** 31 - 1;

function timeoutMs(value: string): number {
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed <= 0) throw new InvalidArgumentError('expected a positive whole number of milliseconds');
  if (parsed > maxTimeoutMs) throw new InvalidArgumentError(`expected at most ${maxTimeoutMs} ms (about 24 days)`);
  return parsed;
}

function port(value: string): number {
  const parsed = Number(value);
  if (!/^\d+$/.test(value.trim()) || !Number.isInteger(parsed) || parsed < 1 || parsed > 65535) {
    throw new InvalidArgumentError('expected a port number from 1 to 65535 (leave --port out for a free one)');
  }
  return parsed;
}

interface BuildFlags {
  data: string;
  templates?: string;
  lang: string;
  formats?: ExportFormat[];
  allowOverflow: boolean;
  out: string;
  pdf: boolean;
  allowFalseClaims: boolean;
  timeout: number;
  force?: boolean;
}

const sharedOptions = (command: Command): Command =>
  command
    .option('--data <dir>', 'data directory (facts.csv, derived.yaml, charts.yaml, deck.yaml)', 'data')
    .option('--templates <dir>', 'your templates and theme, laid over the built-in ones file by file (default: ./templates when it exists)')
    .option('--lang <lang>', 'edition to build: a language of the deck (fr, en...) or all', 'all')
    .option('--out <dir>', 'output directory for index.html, its assets and exports', 'slides')
    .option('--allow-false-claims', 'report false claims as warnings and mark their slides, instead of failing', false)
    .option('--allow-overflow', 'report slides whose content does not fit as warnings, instead of failing', false)
    .addOption(new Option('--timeout <ms>', 'bound on each browser step').argParser(timeoutMs).default(defaultTimeoutMs));

/** Which exports a build makes, or dev keeps fresh: the registry's. */
const exportOptions = (command: Command, verb: string): Command =>
  command
    .addOption(new Option('--formats <list>', `exports to ${verb}, comma-separated, or none (default: all): ${exportRows.map((row) => `${row.format} (${row.files[0]}: ${row.summary})`).join(', ')}`).argParser(formatList))
    // Beside --formats it would be ignored or contradict it: --formats already says every export made.
    .addOption(new Option('--no-pdf', `skip every export that needs the browser (${exportFilesList(browserFormats)})`).conflicts('formats'));

interface DevFlags extends BuildFlags {
  port?: number;
  host: string;
  open: boolean;
}

function openInBrowser(url: string): void {
  const command = process.platform === 'darwin' ? 'open' : process.platform === 'win32' ? 'cmd' : 'xdg-open';
  const args = process.platform === 'win32' ? ['/c', 'start', '', url] : [url];
  spawn(command, args, { detached: true, stdio: 'ignore' }).on('error', () => undefined).unref();
}

async function runDev(flags: DevFlags): Promise<number> {
  // Loaded only for `dev`: a plain build needs neither the watcher nor the server.
  const { startDevServer } = await import('./dev/server.js');
  let server: Awaited<ReturnType<typeof startDevServer>>;
  try {
    server = await startDevServer({ ...pipelineOptions(flags), ...(flags.port !== undefined ? { port: flags.port } : {}), host: flags.host });
  } catch (error) {
    return reportFailure(error, flags.out);
  }
  const pdf = chosenFormats(flags).includes('pdf') ? ` (PDF at ${server.url}${exportFile('pdf')})` : '';
  print(`serving ${flags.out}/ at ${server.url}${pdf}; watching ${flags.data}/${flags.templates ? ` and ${flags.templates}/` : ''}. Ctrl-C stops.`);
  if (flags.open) openInBrowser(server.url);
  await new Promise<void>((resolve) => {
    const stop = (): void => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      print('stopping: watcher, server and browser');
      void server.close().then(resolve);
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
  return ExitCode.ok;
}

/** Stack traces are for bugs in datadeck, and only on request: users get one located line. */
const debugging = (): boolean => /(^|,)\s*(datadeck|\*|1|true)\s*(,|$)/i.test(process.env.DEBUG ?? '');

function reportFailure(error: unknown, outDir: string): number {
  const kept = error instanceof DatadeckError && error.outputState ? error.outputState : `${outDir}/ was left as it was.`;
  if (debugging() && error instanceof Error && error.stack) process.stderr.write(`${error.stack}\n`);
  if (error instanceof DataErrors) {
    process.stderr.write(`${error.message}\n${kept}\n`);
    return error.exitCode;
  }
  if (error instanceof DatadeckError) {
    process.stderr.write(`error: ${error.message}\n${kept}\n`);
    return error.exitCode;
  }
  const message = error instanceof Error ? error.message : String(error);
  process.stderr.write(`unexpected error: ${message}\n${kept}\n${debugging() ? '' : 'This is a bug in datadeck; run again with DEBUG=datadeck for the stack trace and report it.\n'}`);
  return ExitCode.generic;
}

const print = (line: string): void => void process.stdout.write(`${line}\n`);

/** --templates names a folder that must exist; without it, ./templates is used when there is one. */
function templatesFlag(flag: string | undefined): string {
  if (flag !== undefined && !existsSync(flag)) throw new DatadeckError('usage', `--templates ${flag}: no such folder (leave --templates out to use the built-in templates, or ./templates when it exists)`);
  return path.resolve(flag ?? 'templates');
}

/** --data names a folder that must exist; without it, ./data, and a user in a sub-folder of a deck is told where the deck is. */
function dataFlag(flag: string): string {
  const dir = path.resolve(flag);
  if (existsSync(dir)) return dir;
  if (flag !== 'data') throw new DatadeckError('usage', `--data ${flag}: no such folder (--data names the folder that holds the deck's facts.csv and deck.yaml)`);
  const deck = deckFolderAbove(process.cwd());
  const where = deck
    ? `run from the deck's folder (${shellQuote(deck)}) or pass --data ${shellQuote(path.join(deck, 'data'))}`
    : "run from the deck's folder (the one that holds data/), pass --data, or start a deck with `datadeck init DIR`";
  throw new DatadeckError('usage', `no data/ folder here (looked for ${['facts.csv', 'deck.yaml'].map((file) => `./data/${file}`).join(', ')}… in ${process.cwd()}); ${where}`);
}

/** The pipeline's options from the flags both commands share. */
function pipelineOptions(flags: BuildFlags): Pick<BuildOptions, 'dataDir' | 'templatesDir' | 'outDir' | 'pdf' | 'formats' | 'allowFalseClaims' | 'allowOverflow' | 'timeoutMs' | 'log' | 'langs'> {
  return {
    dataDir: dataFlag(flags.data),
    templatesDir: templatesFlag(flags.templates),
    langs: flags.lang.trim() === 'all' ? 'all' : flags.lang.split(',').map((lang) => lang.trim()).filter(Boolean),
    outDir: path.resolve(flags.out),
    pdf: flags.pdf,
    ...(flags.formats ? { formats: flags.formats } : {}),
    allowOverflow: flags.allowOverflow,
    allowFalseClaims: flags.allowFalseClaims,
    timeoutMs: flags.timeout,
    log: print,
  };
}

/** Ctrl-C exits through process.exit, so exit handlers remove the staging folder and browser profile. */
function exitOnInterrupt(): () => void {
  const interrupt = (): never => process.exit(130);
  process.once('SIGINT', interrupt);
  process.once('SIGTERM', interrupt);
  return () => {
    process.off('SIGINT', interrupt);
    process.off('SIGTERM', interrupt);
  };
}

export async function runBuild(flags: BuildFlags): Promise<number> {
  const started = performance.now();
  const restoreSignals = exitOnInterrupt();
  let printer: Printer | undefined;
  try {
    const options = pipelineOptions(flags);
    // Chromium starts on the other core while this one loads the rest of datadeck: the browser,
    // not the code, is what a build waits for.
    const formats = options.formats ?? (options.pdf === false ? [] : exportFormats);
    if (formats.some((format) => browserFormats.includes(format))) {
      const { createPrinter } = await import('./print/printer.js');
      printer = createPrinter({ timeoutMs: options.timeoutMs ?? defaultTimeoutMs });
      // A deck whose exports may all be reused starts the browser only once an export needs it.
      const { mayReuseExports } = await import('./build/cache.js');
      if (!mayReuseExports(options.outDir, flags.force ?? false)) {
        // Puppeteer first, so Chromium is spawned before the main thread turns to the rest.
        await import('puppeteer-core');
        printer.warm();
      }
    }
    const { build } = await import('./pipeline.js');
    const result = await build({ ...options, force: flags.force ?? false, ...(printer ? { printer } : {}) });
    for (const warning of result.warnings) process.stderr.write(`warning: ${warning}\n`);
    const made = result.editions.flatMap((edition) => [edition.htmlPath, ...edition.files.map((file) => (file.format === 'png' ? `${file.path}/` : file.path))]);
    // Another build may have swapped its own deck in since: list only what is there.
    const listed = made.filter((file) => existsSync(file)).map((file) => path.relative(process.cwd(), file));
    const gone = made.length - listed.length;
    const since = gone > 0 ? ` (another build writing ${flags.out}/ has since replaced ${gone} of the files this one made)` : '';
    const slides = result.editions.map((edition) => `${edition.slideCount} slides (${edition.lang})`).join(' + ');
    process.stdout.write(`built ${slides} in ${(performance.now() - started).toFixed(0)} ms: ${listed.join(', ')}${since}\n`);
    return ExitCode.ok;
  } catch (error) {
    return reportFailure(error, flags.out);
  } finally {
    await printer?.close({ quick: true });
    restoreSignals();
  }
}

export function createProgram(): Command {
  const program = new Command('datadeck')
    .description('Builds a reveal.js deck and its PDF handout from a sourced dataset.')
    .version(version)
    .showHelpAfterError()
    .exitOverride();
  exportOptions(sharedOptions(program.command('build', { isDefault: true }).description(`build slides/${deckPageName} and its exports: ${exportFilesList()}`)), 'make')
    .option('--force', 'make every export again, even those made from unchanged slides by the previous build', false)
    .action(async (flags: BuildFlags) => {
      process.exitCode = await runBuild(flags);
    });
  exportOptions(sharedOptions(program.command('dev').description('build, serve on localhost and rebuild on every change, then make every export again in the background')), 'keep fresh')
    .option('--port <port>', 'port to listen on (default: a free one)', port)
    .option('--host <host>', 'interface to listen on', '127.0.0.1')
    .option('--open', 'open the deck in the system browser', false)
    .action(async (flags: DevFlags) => {
      process.exitCode = await runDev(flags);
    });
  program
    .command('init')
    .description('start a new deck: write a small sourced starter deck into DIR/data, with its translation into the other language (en or fr)')
    .argument('<dir>', 'folder for the new deck (created if missing; must be empty unless --force)')
    .option('--lang <lang>', 'language of the deck: en (with data/translations/fr.yaml) or fr (with data/translations/en.yaml)', 'en')
    .option('--force', 'write into a folder that is not empty (starter files of the same name are replaced)', false)
    .action(async (dir: string, flags: InitFlags) => {
      process.exitCode = await runInit(dir, flags);
    });
  program
    .command('doctor')
    .description('check what a build needs, one line each: Node, the browser, LibreOffice (optional), the fonts, the deck; exit 0 when a build can run')
    .option('--data <dir>', 'data directory of the deck to look for', 'data')
    .action(async (flags: { data: string }) => {
      const { doctor } = await import('./doctor.js');
      process.exitCode = await doctor({ data: flags.data, log: print });
    });
  return program;
}

interface InitFlags {
  force: boolean;
  lang: string;
}

/** A word as a POSIX shell reads it back unchanged: bare when it is safe, else in single quotes. */
export function shellQuote(word: string): string {
  return /^[\w./:@%+=,-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}

/**
 * How the user runs this datadeck, for the commands init suggests: `datadeck` when it is on PATH
 * (a global install), `npx datadeck` from a project that depends on it, else node and the script.
 */
function datadeckCommand(env: NodeJS.ProcessEnv = process.env): string {
  const bin = path.join(packageRoot, 'bin', 'datadeck.js');
  const installed = packageRoot.split(path.sep).includes('node_modules');
  // npx puts the project's node_modules/.bin on PATH for this run only.
  if (installed && env.npm_command === 'exec') return 'npx datadeck';
  const sameFile = (file: string): boolean => {
    try {
      return realpathSync(file) === realpathSync(bin);
    } catch {
      return false;
    }
  };
  const onPath = (env.PATH ?? '').split(path.delimiter).filter(Boolean).some((dir) => sameFile(path.join(dir, 'datadeck')) || (process.platform === 'win32' && installed && existsSync(path.join(dir, 'datadeck.cmd'))));
  if (onPath) return 'datadeck';
  return installed ? 'npx datadeck' : `node ${shellQuote(bin)}`;
}

async function runInit(dir: string, flags: InitFlags): Promise<number> {
  const { initDeck } = await import('./init.js');
  try {
    const { created, replaced } = await initDeck(dir, flags);
    const cli = datadeckCommand();
    if (created.length > 0) print(`created ${created.map((file) => path.join(dir, file)).join(', ')}`);
    if (replaced.length > 0) print(`replaced ${replaced.map((file) => path.join(dir, file)).join(', ')}`);
    print(`next: cd ${shellQuote(dir)} && ${cli} build   (or \`${cli} dev\` to see every save at once)`);
    return ExitCode.ok;
  } catch (error) {
    if (error instanceof DatadeckError) {
      process.stderr.write(`error: ${error.message}\n`);
      return error.exitCode;
    }
    throw error;
  }
}

export async function main(argv: string[]): Promise<void> {
  try {
    await createProgram().parseAsync(argv);
  } catch (error) {
    const code = (error as { exitCode?: number; code?: string }).exitCode;
    const commanderCode = (error as { code?: string }).code;
    if (commanderCode === 'commander.helpDisplayed' || commanderCode === 'commander.version' || commanderCode === 'commander.help') {
      process.exitCode = 0;
      return;
    }
    process.exitCode = code && code !== 0 ? ExitCode.usage : ExitCode.generic;
  }
}
