/**
 * The output swap when the file system misbehaves. Removing a folder cannot be made to fail for
 * root by permissions alone, so `rm` is wrapped here and told to fail on the old deck's folder.
 */
import type * as FsPromises from 'node:fs/promises';
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { build } from '../src/pipeline.js';
import { scratchProject } from './support/project.js';

const failing = vi.hoisted(() => ({ previousRemoval: false }));

vi.mock('node:fs/promises', async (importOriginal) => {
  const actual = await importOriginal<typeof FsPromises>();
  const rm: typeof actual.rm = async (target, options) => {
    if (failing.previousRemoval && String(target).endsWith('-previous')) {
      throw Object.assign(new Error(`EBUSY: resource busy or locked, rm '${String(target)}'`), { code: 'EBUSY', path: String(target) });
    }
    return actual.rm(target, options);
  };
  return { ...actual, rm, default: { ...actual, rm } };
});

describe('a swap whose clean-up fails', () => {
  const projects: Awaited<ReturnType<typeof scratchProject>>[] = [];
  afterAll(async () => {
    failing.previousRemoval = false;
    await Promise.all(projects.map((p) => p.cleanup()));
  });

  it('says the new deck is in place and names the folder left behind; the next build removes it', async () => {
    const p = await scratchProject();
    projects.push(p);
    const options = { dataDir: p.data, templatesDir: p.templates, outDir: p.out, pdf: false };
    await build(options);

    failing.previousRemoval = true;
    const result = await build(options);
    failing.previousRemoval = false;
    const warning = result.warnings.find((text) => text.includes('the new deck is in place'));
    expect(warning, result.warnings.join('\n')).toMatch(/the previous one could not be removed: .*\.slides-build-\d+-\w+-previous \(EBUSY/);
    const leftovers = (await readdir(p.root)).filter((name) => name.endsWith('-previous'));
    expect(leftovers).toHaveLength(1);
    expect(warning).toContain(leftovers[0]);

    await build(options);
    expect((await readdir(p.root)).sort()).toEqual(['data', 'slides', 'templates']);
  });
});
