import { defineConfig } from 'vitest/config';

// Two projects: fast unit tests (fakes, aws-sdk-client-mock, no network) and end-to-end
// tests that run the built CLI against a moto server on loopback.
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['test/**/*.test.ts'],
          exclude: ['test/e2e/**'],
        },
      },
      {
        test: {
          name: 'e2e',
          include: ['test/e2e/**/*.test.ts'],
          globalSetup: ['test/e2e/moto-global-setup.ts'],
          testTimeout: 60_000,
          hookTimeout: 60_000,
          // One moto server is shared: files run one after another.
          fileParallelism: false,
        },
      },
    ],
  },
});
