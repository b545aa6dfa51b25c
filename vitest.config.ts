import { defineConfig } from 'vitest/config';

// Dates must come out right whatever zone the server runs in: the town is in Europe/Berlin,
// so the tests run far away from it, and any code that forgets the town's zone fails.
process.env.TZ = 'Pacific/Auckland';

export default defineConfig({
  test: {
    testTimeout: 30_000,
    hookTimeout: 120_000,
    projects: [
      {
        test: {
          name: 'unit',
          include: ['tests/unit/**/*.test.ts'],
          globalSetup: ['tests/setup/database-template.ts'],
        },
      },
      {
        test: {
          name: 'http',
          include: ['tests/http/**/*.test.ts'],
          globalSetup: ['tests/setup/http-server.ts'],
          // One server for the whole project; files run one after another against it.
          fileParallelism: false,
        },
      },
    ],
  },
});
