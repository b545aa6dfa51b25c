import { defineConfig } from 'vitest/config';

// Like the main config: the town is in Europe/Berlin, so the tests run far away from it.
process.env.TZ = 'Pacific/Auckland';

export default defineConfig({
  test: {
    name: 'faults',
    include: ['tests/faults/**/*.test.ts'],
    globalSetup: ['tests/faults/setup.ts'],
    // Each file starts its own PostgreSQL server and portal processes and loads the machine:
    // one file at a time, with limits far above what any step needs.
    fileParallelism: false,
    testTimeout: 300_000,
    hookTimeout: 180_000,
  },
});
