import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { DatadeckError, ExitCode } from './errors.js';
import { moduleDir, packageRoot } from './output/assets.js';
import { deckFolderAbove } from './paths.js';
import { findBrowser, puppeteerCacheDir, type FoundBrowser } from './print/browser.js';

/** One line of `datadeck doctor`: what a build will use, or what is missing and how to get it. */
export interface Finding {
  label: string;
  text: string;
  /** The exit code a missing piece stands for; absent when the build can run without it. */
  failure?: number;
}

/** The Node versions datadeck supports and is tested on (package.json's engines, the CI's two Nodes). */
export const supportedNode = { text: '20.19+, 22 and 24', tested: '20 and 24' };

export function checkNode(version: string = process.versions.node): Finding {
  const [major = 0, minor = 0] = version.split('.').map(Number);
  const label = 'node';
  if (major < 20 || (major === 20 && minor < 19)) {
    return { label, text: `v${version} is too old: datadeck needs Node ${supportedNode.text} (nodejs.org, or your version manager: nvm install 24)`, failure: ExitCode.usage };
  }
  if (major === 20 || major === 22 || major === 24) return { label, text: `v${version} (supported: Node ${supportedNode.text}; tested on ${supportedNode.tested})` };
  return { label, text: `v${version} (not one datadeck is tested on, ${supportedNode.tested}: it should work; Node ${supportedNode.text} are supported)` };
}

/** The first line a program prints for `--version`, if it prints one within a few seconds. */
function versionOf(executable: string): Promise<{ version?: string; problem?: string }> {
  return new Promise((resolve) => {
    execFile(executable, ['--version'], { timeout: 15_000, windowsHide: true }, (error, stdout, stderr) => {
      const version = stdout.split('\n').map((line) => line.trim()).find(Boolean);
      if (version) return resolve({ version });
      // Debian's chromium launcher prints a harmless shell complaint on stderr: skip such lines.
      const said = stderr.split('\n').map((line) => line.trim()).filter((line) => line && !/unexpected operator/.test(line)).pop();
      resolve(error ? { problem: said ?? error.message.split('\n')[0] } : {});
    });
  });
}

const foundVia: Record<FoundBrowser['via'], (env: NodeJS.ProcessEnv) => string> = {
  PUPPETEER_EXECUTABLE_PATH: () => 'from PUPPETEER_EXECUTABLE_PATH',
  system: () => 'installed on this system',
  puppeteer: (env) => `downloaded by Puppeteer, in ${puppeteerCacheDir(env)}`,
};

export async function checkBrowser(env: NodeJS.ProcessEnv = process.env): Promise<Finding> {
  const label = 'browser';
  let found: FoundBrowser;
  try {
    found = await findBrowser(env);
  } catch (error) {
    if (error instanceof DatadeckError) return { label, text: `missing. ${error.message}`, failure: error.exitCode };
    throw error;
  }
  const { version, problem } = await versionOf(found.executablePath);
  const where = `${found.executablePath} (${foundVia[found.via](env)})`;
  if (problem) return { label, text: `${where} does not start: ${problem}. Install another, or point PUPPETEER_EXECUTABLE_PATH at a Chrome or Chromium that runs.`, failure: ExitCode.browserFailed };
  return { label, text: `${version ?? 'a Chrome or Chromium (it prints no version)'}, at ${where}` };
}

/** LibreOffice's command where its installers put it. */
function libreOfficePath(env: NodeJS.ProcessEnv): string | undefined {
  const dirs = (env.PATH ?? env.Path ?? '').split(path.delimiter).filter(Boolean);
  const onPath = ['soffice', 'libreoffice'].flatMap((name) => dirs.map((dir) => path.join(dir, process.platform === 'win32' ? `${name}.exe` : name)));
  const apps = ['/Applications/LibreOffice.app/Contents/MacOS/soffice', 'C:\\Program Files\\LibreOffice\\program\\soffice.exe'];
  return [...onPath, ...apps].find((candidate) => existsSync(candidate));
}

export async function checkLibreOffice(env: NodeJS.ProcessEnv = process.env): Promise<Finding> {
  const label = 'libreoffice';
  const why = 'optional: only to open deck.pptx and see it as a PowerPoint user would; builds do not need it';
  const soffice = libreOfficePath(env);
  if (!soffice) return { label, text: `not found (${why}; libreoffice.org, or your system's package)` };
  const { version } = await versionOf(soffice);
  return { label, text: `${version ?? 'LibreOffice'}, at ${soffice} (${why})` };
}

/** The fonts of datadeck's own theme: the npm packages they come from, and whether their files are there. */
export function checkFonts(): Finding {
  const label = 'fonts';
  const css = readFileSync(path.join(packageRoot, 'templates', 'theme.css'), 'utf8');
  const faces = [...css.matchAll(/@font-face\s*\{([^}]*)\}/g)].map((match) => match[1]!);
  const families = [...new Set(faces.map((face) => /font-family:\s*'([^']+)'/.exec(face)?.[1]).filter((family): family is string => Boolean(family)))];
  const files = faces.flatMap((face) => [...face.matchAll(/url\('~((?:@[^/']+\/)?[^/']+)\/([^']+)'\)/g)].map((match) => ({ name: match[1]!, file: match[2]! })));
  const packages = new Map<string, string>();
  const missing: string[] = [];
  for (const { name, file } of files) {
    let dir: string;
    try {
      dir = moduleDir(name);
    } catch {
      missing.push(name);
      continue;
    }
    packages.set(name, (JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8')) as { version: string }).version);
    if (!existsSync(path.join(dir, file))) missing.push(`~${name}/${file}`);
  }
  const from = [...packages].map(([name, version]) => `${name} ${version}`).join(', ');
  if (missing.length > 0) return { label, text: `missing ${missing.join(', ')}: reinstall datadeck (npm install datadeck) to get the theme's fonts back`, failure: ExitCode.template };
  return { label, text: `${families.join(', ')}: installed with datadeck (npm packages ${from}), copied into each deck; nothing to install` };
}

export function checkDeck(dataFlag: string, cwd: string = process.cwd()): Finding {
  const label = 'deck';
  const dir = path.resolve(cwd, dataFlag);
  if (existsSync(path.join(dir, 'deck.yaml'))) return { label, text: dir };
  const above = dataFlag === 'data' ? deckFolderAbove(cwd) : undefined;
  const text = above
    ? `no ${dataFlag}/ here; the deck in ${above} builds from that folder (cd ${above})`
    : `no deck here (${path.join(dir, 'deck.yaml')} not found${dataFlag === 'data' ? ', nor in a folder above' : ''}): \`datadeck init my-deck\` starts one`;
  return { label, text, failure: ExitCode.usage };
}

/** Every check, one line each, then whether a build can run here; the exit code is the first failure's. */
export async function doctor(options: { data: string; env?: NodeJS.ProcessEnv; log: (line: string) => void }): Promise<number> {
  const env = options.env ?? process.env;
  const findings = [checkNode(), await checkBrowser(env), await checkLibreOffice(env), checkFonts(), checkDeck(options.data)];
  const width = Math.max(...findings.map((finding) => finding.label.length)) + 2;
  for (const finding of findings) options.log(`${`${finding.label}:`.padEnd(width)}${finding.text}`);
  const failed = findings.filter((finding) => finding.failure !== undefined);
  if (failed.length === 0) {
    options.log('a build can run here: datadeck build');
    return ExitCode.ok;
  }
  options.log(`a build cannot run here: see ${failed.map((finding) => finding.label).join(', ')} above`);
  return failed[0]!.failure!;
}
