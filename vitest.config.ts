import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/global-setup.ts'],
    setupFiles: ['test/setup-env.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // Two cores: the CDK synth tests and DynamoDB Local compete; more workers only add contention.
    poolOptions: { forks: { maxForks: 2, minForks: 1 } },
  },
});
