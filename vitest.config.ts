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
          sequence: { groupOrder: 0 },
        },
      },
      {
        extends: true,
        test: {
          name: 'processes',
          include: PROCESS_TEST_FILES,
          // One at a time, after the others: child processes and Chromium need the whole machine.
          maxWorkers: 1,
          // Each starts processes (node, Chromium) whose start-up time grows with the machine's load:
          // a bound for a hang, not a speed check.
          testTimeout: 60_000,
          sequence: { groupOrder: 1 },
        },
      },
    ],
  },
});
