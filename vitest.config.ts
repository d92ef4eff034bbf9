import path from 'node:path';
import { defineConfig } from 'vitest/config';
import { LongFilesFirstSequencer } from './test/support/sequencer.ts';
import { PROCESS_TEST_FILES } from './test/support/test-groups.ts';
import { TEST_PASSWORD_HASH_COST } from './test/support/test-password-cost.ts';

// Node's on-disk compile cache for the run's Node processes that inherit the environment (the test
// workers and the `forcefield` children they start; the `sf` CLI gets an environment of its own and
// gained nothing from it). A cold `forcefield` start compiled ~2 s of JavaScript; with the cache
// about 1 s. Node checks each file's content against the cache.
process.env.NODE_COMPILE_CACHE ??= path.resolve(import.meta.dirname, 'node_modules/.cache/node-compile');
// The test cost of password hashes for the run's child processes too (test-password-cost.ts): a
// demo start hashed its demo logins, and every login in a child verified, at production's cost.
process.env.PASSWORD_HASH_COST ??= TEST_PASSWORD_HASH_COST;

export default defineConfig({
  test: {
    // Builds the web app (dist/web) once when it is missing or older than web/: the browser tests use it.
    // With DATABASE_URL, the run works in a PostgreSQL database of its own, dropped at the end
    // (test/support/postgres-run-database.ts).
    globalSetup: ['test/web/support/build-web-app.ts', 'test/support/postgres-run-database.ts'],
    testTimeout: 20_000,
    hookTimeout: 60_000,
    reporters: ['default', './test/support/summary-reporter.ts'],
    // The longest files start first in their project, timed runs or not (test-groups.ts).
    sequence: { sequencer: LongFilesFirstSequencer },
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
          // One Chromium for the run's browser files (each gets a fresh context on it).
          globalSetup: ['test/web/support/chromium-server.ts'],
          // After the others, four at a time: one file waits on its children or Chromium while
          // another computes. Alone on this 2-core machine the group took 2 min 13 s two at a time
          // (cores partly idle) and 1 min 50 s – 2 min four at a time (cores about 90% busy); 0
          // failures in 24 runs. Not isolated, like the in-process project: re-importing the
          // service's modules per file was about a third of this project's time. Files keep no
          // module state (each builds its own emulator, service, browser context).
          maxWorkers: 4,
          isolate: false,
          // Each starts processes (node, Chromium) whose start-up time grows with the machine's load:
          // a bound for a hang, not a speed check.
          testTimeout: 60_000,
          sequence: { groupOrder: 1 },
        },
      },
    ],
  },
});
