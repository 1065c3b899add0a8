import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Command, InvalidArgumentError, Option } from 'commander';
import { DatadeckError, DataErrors, ExitCode } from './errors.js';
import { build, defaultTimeoutMs } from './pipeline.js';
import { packageRoot } from './output/assets.js';

const version = (JSON.parse(readFileSync(path.join(packageRoot, 'package.json'), 'utf8')) as { version: string }).version;

function positiveInteger(value: string): number {
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed <= 0) throw new InvalidArgumentError('expected a positive whole number');
  return parsed;
}

interface BuildFlags {
  data: string;
  templates: string;
  out: string;
  pdf: boolean;
  allowFalseClaims: boolean;
  timeout: number;
}

const sharedOptions = (command: Command): Command =>
  command
    .option('--data <dir>', 'data directory (facts.csv, derived.yaml, charts.yaml, deck.yaml)', 'data')
    .option('--templates <dir>', 'Handlebars templates and theme', 'templates')
    .option('--out <dir>', 'output directory for index.html, assets and deck.pdf', 'slides')
    .option('--allow-false-claims', 'report false claims as warnings and mark their slides, instead of failing', false)
    .addOption(new Option('--timeout <ms>', 'bound on each browser step').argParser(positiveInteger).default(defaultTimeoutMs));

function reportFailure(error: unknown, outDir: string): number {
  const kept = `${outDir}/ was left as it was.`;
  if (error instanceof DataErrors) {
    process.stderr.write(`${error.message}\n${kept}\n`);
    return error.exitCode;
  }
  if (error instanceof DatadeckError) {
    process.stderr.write(`error: ${error.message}\n${kept}\n`);
    return error.exitCode;
  }
  process.stderr.write(`unexpected error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n${kept}\n`);
  return ExitCode.generic;
}

export async function runBuild(flags: BuildFlags): Promise<number> {
  const started = performance.now();
  try {
    const result = await build({
      dataDir: path.resolve(flags.data),
      templatesDir: path.resolve(flags.templates),
      outDir: path.resolve(flags.out),
      pdf: flags.pdf,
      allowFalseClaims: flags.allowFalseClaims,
      timeoutMs: flags.timeout,
      log: (line) => process.stdout.write(`${line}\n`),
    });
    for (const warning of result.warnings) process.stderr.write(`warning: ${warning}\n`);
    const outputs = [result.htmlPath, result.pdfPath].filter(Boolean).map((file) => path.relative(process.cwd(), file!));
    process.stdout.write(`built ${result.slideCount} slides in ${(performance.now() - started).toFixed(0)} ms: ${outputs.join(', ')}\n`);
    return ExitCode.ok;
  } catch (error) {
    return reportFailure(error, flags.out);
  }
}

export function createProgram(): Command {
  const program = new Command('datadeck')
    .description('Builds a reveal.js deck and its PDF handout from a sourced dataset.')
    .version(version)
    .showHelpAfterError()
    .exitOverride();
  sharedOptions(program.command('build', { isDefault: true }).description('build slides/index.html and slides/deck.pdf'))
    .option('--no-pdf', 'skip printing the PDF')
    .action(async (flags: BuildFlags) => {
      process.exitCode = await runBuild(flags);
    });
  sharedOptions(program.command('dev').description('build, serve on localhost and rebuild on every change'))
    .option('--port <port>', 'port to listen on (default: a free one)', positiveInteger)
    .option('--host <host>', 'interface to listen on', '127.0.0.1')
    .option('--open', 'open the deck in the system browser', false)
    .option('--no-pdf', 'do not re-print the PDF on change')
    .action(async (flags: BuildFlags & { port?: number; host: string; open: boolean }) => {
      const { runDev } = await import('./dev/server.js');
      process.exitCode = await runDev(flags);
    });
  return program;
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
