import { defineConfig } from 'vitest/config';
import { PROCESS_TEST_FILES } from './test/support/test-groups.ts';

export default defineConfig({
  test: {
    // Builds the web app (dist/web) once when it is missing or older than web/: the browser tests use it.
    globalSetup: ['test/web/support/build-web-app.ts'],
    testTimeout: 20_000,
    hookTimeout: 60_000,
    reporters: ['default', './test/support/summary-reporter.ts'],
    projects: [
      {
        extends: true,
        test: {
          name: 'in-process',
          include: ['test/**/*.test.ts'],
          exclude: PROCESS_TEST_FILES,
          // Two files at a time: each works on its own SQLite database or PostgreSQL schema.
          maxWorkers: 2,
          // Each worker imports the service's modules once and runs file after file on them:
          // re-importing them per file was a third of the suite's time. The files share no state
          // but what they build themselves (their own store, emulator, service).
          isolate: false,
          sequence: { groupOrder: 0 },
        },
      },
      {
        extends: true,
        test: {
          name: 'processes',
          include: PROCESS_TEST_FILES,
          // After the others. Two at a time: every file listens on port 0 and works on its own data
          // directory, database or schema. Files follow one another in a worker without isolation,
          // so each worker launches Chromium once (test/web/support/chromium.ts); every browser
          // test file still gets a fresh browser context.
          maxWorkers: 2,
          isolate: false,
          sequence: { groupOrder: 1 },
        },
      },
    ],
  },
});
