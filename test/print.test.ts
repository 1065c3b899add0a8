import { chmod, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { afterEach, describe, expect, it } from 'vitest';
import { DatadeckError } from '../src/errors.js';
import { build } from '../src/pipeline.js';
import { editFile, scratchProject, snapshotDir } from './helpers.js';

describe('printing safely', () => {
  let project: Awaited<ReturnType<typeof scratchProject>> | undefined;
  const saved = process.env.PUPPETEER_EXECUTABLE_PATH;
  afterEach(async () => {
    if (saved === undefined) delete process.env.PUPPETEER_EXECUTABLE_PATH;
    else process.env.PUPPETEER_EXECUTABLE_PATH = saved;
    await project?.cleanup();
    project = undefined;
  });

  it('blocks and reports every request that leaves the deck while printing', async () => {
    project = await scratchProject();
    // A template (not data: data cannot make markup) that reaches for the network.
    await editFile(path.join(project.templates, 'layouts', 'title.hbs'), (text) => `${text}\n<img src="https://example.invalid/tracker.png" alt="">\n`);
    const result = await build({ dataDir: project.data, templatesDir: project.templates, outDir: project.out, pdf: true });
    expect(result.warnings.filter((warning) => warning.includes('https://example.invalid/tracker.png'))).toHaveLength(1);
    expect(result.warnings.join('\n')).toMatch(/blocked a request outside the deck while printing: https:\/\/example\.invalid\/tracker\.png/);
  });

  /** A previous good deck, and PUPPETEER_EXECUTABLE_PATH pointing at a fake browser running `script`. */
  async function withFakeBrowser(script: string): Promise<{ before: Record<string, string>; rebuild: (timeoutMs: number) => Promise<unknown> }> {
    project = await scratchProject();
    const options = { dataDir: project.data, templatesDir: project.templates, outDir: project.out };
    await build({ ...options, pdf: false });
    const before = await snapshotDir(project.out);
    const fake = path.join(project.root, 'fake-chrome');
    await writeFile(fake, `#!/bin/sh\n${script}\n`);
    await chmod(fake, 0o755);
    process.env.PUPPETEER_EXECUTABLE_PATH = fake;
    return { before, rebuild: (timeoutMs) => build({ ...options, pdf: true, timeoutMs }).then(() => undefined, (error: unknown) => error) };
  }

  it('gives a clear error within the timeout when the browser hangs, and keeps the previous deck', async () => {
    const { before, rebuild } = await withFakeBrowser('exec sleep 30');
    const started = performance.now();
    const failure = await rebuild(1500);
    expect(performance.now() - started).toBeLessThan(15_000);
    expect(failure).toBeInstanceOf(DatadeckError);
    expect((failure as DatadeckError).code).toBe('browserFailed');
    expect((failure as Error).message).toMatch(/did not start within 1500 ms/);
    expect(await snapshotDir(project!.out)).toEqual(before);
  });

  it('reports a browser that crashes at start, and keeps the previous deck', async () => {
    const { before, rebuild } = await withFakeBrowser('echo "simulated crash" >&2\nexit 3');
    const failure = await rebuild(5000);
    expect((failure as DatadeckError).code).toBe('browserFailed');
    expect(await snapshotDir(project!.out)).toEqual(before);
    expect(await readFile(path.join(project!.out, 'index.html'), 'utf8')).toContain('<section');
  });
});

describe('the output directory', () => {
  it('refuses to replace a directory holding the sources or foreign files, and touches nothing', async () => {
    const project = await scratchProject();
    try {
      const options = { dataDir: project.data, templatesDir: project.templates, pdf: false };
      await expect(build({ ...options, outDir: project.root })).rejects.toThrow(/refusing to write the deck to .*: it holds/);
      const foreign = path.join(project.root, 'notes');
      await writeFile(path.join(project.root, 'keep.txt'), 'x');
      await import('node:fs/promises').then((fs) => fs.mkdir(foreign));
      await writeFile(path.join(foreign, 'precious.txt'), 'mine');
      const before = await snapshotDir(foreign);
      const failure = await build({ ...options, outDir: foreign }).then(() => undefined, (error: unknown) => error);
      expect((failure as DatadeckError).code).toBe('usage');
      expect((failure as Error).message).toMatch(/not made by datadeck .* precious\.txt/);
      expect(await snapshotDir(foreign)).toEqual(before);
      expect(await snapshotDir(project.data)).not.toEqual({});
    } finally {
      await project.cleanup();
    }
  });

  it('writes a deck readable by others (not the private mode of a temporary directory)', async () => {
    const project = await scratchProject();
    try {
      await build({ dataDir: project.data, templatesDir: project.templates, outDir: project.out, pdf: false });
      const { stat } = await import('node:fs/promises');
      expect((await stat(project.out)).mode & 0o055).toBe(0o055 & ~process.umask());
      // A second build replaces the first: the marker says it is ours.
      await build({ dataDir: project.data, templatesDir: project.templates, outDir: project.out, pdf: false });
    } finally {
      await project.cleanup();
    }
  });
});

describe('an interrupted build', () => {
  it('leaves no staging directory and no browser profile behind, and the previous deck as it was', async () => {
    const { spawn, execFileSync } = await import('node:child_process');
    const { readdir } = await import('node:fs/promises');
    const os = await import('node:os');
    const profiles = async (): Promise<string[]> => (await readdir(os.tmpdir())).filter((name) => name.startsWith('datadeck-chromium-'));
    const project = await scratchProject();
    try {
      await build({ dataDir: project.data, templatesDir: project.templates, outDir: project.out, pdf: false });
      const before = await snapshotDir(project.out);
      const profilesBefore = await profiles();
      const child = spawn('node', [path.join(process.cwd(), 'bin', 'datadeck.js'), 'build', '--data', project.data, '--templates', project.templates, '--out', project.out], { stdio: ['ignore', 'pipe', 'pipe'] });
      let output = '';
      child.stdout.on('data', (chunk: Buffer) => { output += chunk.toString(); });
      // Interrupt once the deck is staged and the browser is printing.
      for (let i = 0; i < 200 && !/^write /m.test(output); i += 1) await new Promise((resolve) => setTimeout(resolve, 25));
      expect(output).toMatch(/^write /m);
      const exited = new Promise((resolve) => child.on('exit', resolve));
      child.kill('SIGINT');
      await exited;
      const leftovers = (await readdir(project.root)).filter((name) => name.startsWith('.slides-'));
      expect(leftovers).toEqual([]);
      expect((await profiles()).filter((name) => !profilesBefore.includes(name))).toEqual([]);
      expect(await snapshotDir(project.out)).toEqual(before);
      expect(execFileSync('ps', ['-eo', 'args'], { encoding: 'utf8' })).not.toContain(project.root);
    } finally {
      await project.cleanup();
    }
  });
});
