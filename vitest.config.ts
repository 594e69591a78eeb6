import { defineConfig } from 'vitest/config';

// Two projects: fast unit tests (fakes, aws-sdk-client-mock, no network) and end-to-end
// tests that run the built CLI against a moto server on loopback.
// The SDK's notice about its future Node 22 floor is noise in test output (see README).
const env = { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' };

export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          env,
          include: ['test/**/*.test.ts'],
          exclude: ['test/e2e/**'],
        },
      },
      {
        test: {
          name: 'e2e',
          env,
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
