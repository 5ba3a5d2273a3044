import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    globalSetup: ['tests/helpers/global-setup.ts'],
    environment: 'node',
    pool: 'forks',
    testTimeout: 20_000,
    hookTimeout: 30_000,
    // npm run test:coverage. Code run by spawned processes (tests/e2e) is not counted.
    coverage: {
      provider: 'v8',
      include: ['core/**/*.ts', 'db/**/*.ts', 'api/**/*.ts', 'bot/**/*.ts', 'workers/**/*.ts'],
      reporter: ['text-summary'],
      // just under what the suite reached (lines 94.0 %, statements 92.0 %, functions 92.8 %, branches 83.8 %)
      thresholds: { lines: 93, statements: 91, functions: 91, branches: 82 },
    },
  },
});
