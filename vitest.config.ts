import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Starts DynamoDB Local and s3rver once per run; tests isolate themselves by unique table/bucket names.
    globalSetup: ['test/setup/globalSetup.ts'],
    environment: 'node',
    // Handlers log one JSON line per event; tests keep warnings and errors only.
    env: { LOG_LEVEL: 'silent' },
    testTimeout: 60_000,
    hookTimeout: 60_000,
    teardownTimeout: 30_000,
    // 2-core machine, and DynamoDB Local's JVM needs CPU too: child processes (more robust than
    // threads with native/AWS SDK code), at most two at a time.
    pool: 'forks',
    maxWorkers: 2,
  },
});
