/** One printer for a build or a session: the browser launched once, reused, replaced after a crash. */
import { describe, expect, it } from 'vitest';
import { build } from '../src/pipeline.js';
import { createPrinter } from '../src/print/printer.js';
import { scratchProject } from './support/project.js';

describe('the printer', () => {
  it('prints several builds with one browser, replaces it once when it is killed, and closes it', async () => {
    const project = await scratchProject();
    const restarts: string[] = [];
    const printer = createPrinter({ timeoutMs: 30_000, onRestart: (reason) => restarts.push(reason) });
    try {
      // force: each build prints (an unchanged deck's PDF would otherwise be reused, without the browser).
      const options = { dataDir: project.data, templatesDir: project.templates, outDir: project.out, formats: ['pdf'] as const, langs: ['fr'], printer, force: true };
      await build({ ...options, formats: [...options.formats] });
      const first = (await printer.session()).browser.process()!.pid;
      await build({ ...options, formats: [...options.formats] });
      expect((await printer.session()).browser.process()!.pid).toBe(first);
      expect(restarts).toEqual([]);

      // Chromium dies between two builds (killed, out of memory): the next build still prints.
      process.kill(first!, 'SIGKILL');
      await new Promise((resolve) => setTimeout(resolve, 300));
      const result = await build({ ...options, formats: [...options.formats] });
      expect(result.pdfBytes).toBeGreaterThan(0);
      const second = (await printer.session()).browser.process()!.pid;
      expect(second).not.toBe(first);
      expect(restarts).toHaveLength(1);
    } finally {
      const session = await printer.session();
      await printer.close({ quick: true });
      expect(session.browser.process()!.exitCode !== null || session.browser.process()!.signalCode !== null).toBe(true);
      await project.cleanup();
    }
  });
});
