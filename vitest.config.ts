import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Two files at once: most of a browser test is waiting (Chromium, LibreOffice, npm), so two
    // share a 2-core machine well; each test keeps its own temporary folder and browser, and
    // the tests that count processes look for their own only.
    fileParallelism: true,
    maxWorkers: 2,
    testTimeout: 90_000,
    hookTimeout: 90_000,
  },
});
