import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Builds the web app (dist/web) once when it is missing or older than web/: the browser tests use it.
    globalSetup: ['test/web/support/build-web-app.ts'],
    // Vitest's default is one worker per core minus one: a single worker on a 2-core machine. Much
    // of this suite waits (a browser, child processes, the emulator over HTTP), so two files at a
    // time finish sooner; more than two starve the child-process tests of CPU on such a machine.
    maxWorkers: 2,
    testTimeout: 20_000,
    hookTimeout: 60_000,
    reporters: ['default', './test/support/summary-reporter.ts'],
  },
});
