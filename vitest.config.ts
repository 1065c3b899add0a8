import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Browser tests share one machine's two cores; run files one after another. (Two at once
    // halves the time but made two chart tests fail under that load on Node 24: see issue 18's note.)
    fileParallelism: false,
    testTimeout: 90_000,
    hookTimeout: 90_000,
  },
});
