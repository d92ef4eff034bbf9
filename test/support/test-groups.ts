/**
 * Which test files run after the others, in the `processes` project. They start child processes
 * (the CLI, the `sf` CLI, a restarted service) or a real browser (the run's one Chromium), so they
 * run once the in-process files are done, four at a time without per-file isolation, with a 60 s
 * test bound. Everything else runs in process on its own SQLite database or PostgreSQL schema, two
 * files at a time, without per-file isolation.
 * `test/architecture/test-groups.test.ts` keeps this list complete.
 */
export const PROCESS_TEST_FILES = [
  // The browser files (test/web/lib holds unit tests of the app's modules: in process).
  'test/web/*.test.ts',
  // The CLI as a child process (users.test.ts and transcript-import-command call the commands in process).
  'test/cli/keys.test.ts',
  'test/cli/mcp.test.ts',
  'test/cli/users-process.test.ts',
  'test/emulator/cli-process.test.ts',
  'test/emulator/data-cli.test.ts',
  'test/emulator/tls.test.ts',
  'test/emulator/sf-cli*.test.ts',
  'test/meetings/send/send-restart.test.ts',
  'test/meetings/send/send-instances.test.ts',
  'test/processes/**/*.test.ts',
];

/** What in a test file's source means it starts processes or a browser. */
export const PROCESS_MARKERS = [
  /node:child_process/,
  /support\/process-output/,
  /support\/sf-cli/,
  /use-web-harness|web-harness/,
  /playwright-core/,
];

/**
 * The longest files, longest first (seconds, four at a time on two cores): they start first in
 * their project, so that none of them starts last and runs alone at the end of the run. Vitest's own
 * order is longest first only once it has timed a run (node_modules/.vite); on a clean clone it
 * runs the largest files first, and sf-cli (short, slow) came last.
 */
export const LONG_FILES_FIRST = [
  'test/processes/two-instances-under-faults.test.ts', // 30–40 s
  'test/emulator/sf-cli.test.ts', // 25–40 s: 12 cold starts of `sf`
  'test/meetings/send/send-restart.test.ts', // 20–35 s: service restarts
  'test/web/agent-chat.test.ts',
  'test/web/phone-layout.test.ts',
  'test/web/agent-editor.test.ts',
  'test/processes/refresh-two-processes.test.ts',
  'test/processes/demo-persistence.test.ts',
  'test/web/send-keyboard.test.ts',
  'test/web/model-providers.test.ts',
];
