import { defineConfig } from 'vitest/config';

/** What every test file shares: node, quiet handler logs, generous timeouts for a loaded 2-core machine. */
const common = {
  environment: 'node' as const,
  // Handlers log one JSON line per event; tests keep warnings and errors only.
  // The AWS SDK's multi-line Node 22 notice is for operators (stated in README and --help), not test output.
  env: { LOG_LEVEL: 'silent', AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
  // Expected error/warn lines are captured and asserted by the tests that cause them; any other fails its test.
  setupFiles: ['test/setup/consoleGuard.ts'],
  testTimeout: 60_000,
  hookTimeout: 60_000,
  teardownTimeout: 30_000,
};

/**
 * Two tiers. `unit`: pure code (model, writers, sanitizer, routing, the synthesized stack); it needs
 * no Java and no servers. `integration`: the pipeline on one DynamoDB Local and one s3rver started
 * per run by globalSetup (tests isolate themselves by table and bucket names), the concurrency
 * guarantees and the browser pages. `npm test` runs both; `npm run test:unit` the first alone.
 */
export default defineConfig({
  test: {
    // 2-core machine, and DynamoDB Local's JVM needs CPU too: child processes (more robust than
    // threads with native/AWS SDK code), at most two at a time.
    pool: 'forks',
    maxWorkers: 2,
    projects: [
      { test: { ...common, name: 'unit', include: ['test/unit/**/*.test.ts'] } },
      {
        test: {
          ...common,
          name: 'integration',
          include: ['test/integration/**/*.test.ts', 'test/concurrency/**/*.test.ts', 'test/browser/**/*.test.ts'],
          globalSetup: ['test/setup/globalSetup.ts'],
          // The Lambda bundles bundling.test.ts builds are loaded by Node itself, as Lambda loads them
          // (and vite does not look for the sources their maps name: they ship without sources content).
          server: { deps: { external: [/cdk-bundle-/] } },
        },
      },
    ],
  },
});
