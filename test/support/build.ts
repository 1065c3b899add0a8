/** Builds of a scratch project, without the browser unless told, and the errors they must end in. */
import { expect } from 'vitest';
import { DataErrors } from '../../src/errors.js';
import { build, type BuildOptions } from '../../src/pipeline.js';
import { findBrowser } from '../../src/print/browser.js';
import type { ScratchProject } from './project.js';

/** A build of a project's data and templates into its out folder: every edition, no export that needs the browser. */
export function buildOptions(p: Pick<ScratchProject, 'data' | 'templates' | 'out'>, extra: Partial<BuildOptions> = {}): BuildOptions {
  return { dataDir: p.data, templatesDir: p.templates, outDir: p.out, pdf: false, ...extra };
}

/**
 * The French edition alone, no browser: for tests that break the default deck's data, where each
 * gap in the English translation would be one more problem.
 */
export function frenchOptions(p: Pick<ScratchProject, 'data' | 'templates' | 'out'>, extra: Partial<BuildOptions> = {}): BuildOptions {
  return buildOptions(p, { langs: ['fr'], ...extra });
}

/** The build's rejection; fails the test if the build succeeds. */
export async function buildError(options: BuildOptions): Promise<unknown> {
  const outcome = await build(options).then(
    () => ({ ok: true as const }),
    (error: unknown) => ({ ok: false as const, error }),
  );
  if (outcome.ok) throw new Error('expected the build to fail, but it succeeded');
  return outcome.error;
}

/** The build's rejection, which must be a DataErrors (located problems), not a crash. */
export async function buildDataErrors(options: BuildOptions): Promise<DataErrors> {
  const error = await buildError(options);
  expect(error, `expected DataErrors, got ${String(error)}`).toBeInstanceOf(DataErrors);
  return error as DataErrors;
}

/** The browser a build here finds (a headless shell first): for a test's fake browser script to run in the end. */
export async function buildBrowser(): Promise<string> {
  return (await findBrowser()).executablePath;
}
