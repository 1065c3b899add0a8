import os from 'node:os';
import { defineConfig } from 'vitest/config';

// As many test files at once as the machine has cores (DATADECK_TEST_WORKERS to choose): the
// browser tests wait on Chromium, LibreOffice and npm for much of their time. Measured on 2 cores
// before the background-export tests: one file at a time 639 s, two at once 535 s.
const workers = Number(process.env.DATADECK_TEST_WORKERS) || Math.max(1, os.availableParallelism());

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    fileParallelism: workers > 1,
    maxWorkers: workers,
    testTimeout: 90_000,
    hookTimeout: 90_000,
  },
});
