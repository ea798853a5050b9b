import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: [
      'e2e/**/*.test.ts',
      'gateway/test/**/*.test.ts',
      'subgraphs/*/test/**/*.test.ts',
      'packages/*/test/**/*.test.ts',
      'schema/test/**/*.test.ts',
      'scripts/test/**/*.test.ts',
    ],
    // Files start real servers and databases: two at a time on a 2-core machine.
    pool: 'forks',
    maxWorkers: 2,
    isolate: false,
    testTimeout: 60_000,
    hookTimeout: 120_000,
    reporters: ['default'],
    // Seeds the demo data set once per run into a template each file clones.
    globalSetup: ['e2e/global-setup.ts'],
  },
});
