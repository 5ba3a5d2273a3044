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
      // just under what the suite reached (lines 92.5 %, statements 89.7 %, functions 90.0 %, branches 79.2 %)
      thresholds: { lines: 92, statements: 89, functions: 89, branches: 78 },
    },
  },
});
