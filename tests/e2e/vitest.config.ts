import { defineConfig } from 'vitest/config';

// Like the main config: the town is in Europe/Berlin, so the tests run far away from it.
process.env.TZ = 'Pacific/Auckland';

export default defineConfig({
  test: {
    name: 'e2e',
    include: ['tests/e2e/**/*.test.ts'],
    globalSetup: ['tests/e2e/setup.ts'],
    // One portal and one browser at a time; files run one after another against it.
    fileParallelism: false,
    testTimeout: 60_000,
    hookTimeout: 120_000,
  },
});
