import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // Two cores: keep parallelism modest so engine-heavy suites do not starve each other.
    maxWorkers: 2,
    setupFiles: ['test/helpers/cleanup.ts'],
  },
});
