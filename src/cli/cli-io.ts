import type { Config } from '../core/config.ts';
import { loadConfig } from '../core/config.ts';
import { openConfiguredStore } from '../store/configured-store.ts';
import type { Store } from '../store/database.ts';

/**
 * What a `forcefield` command reads and writes besides its arguments: the process's own streams,
 * environment and configuration when run as a command (`processIo`); a test passes its own, to
 * run a command in process and read what it printed.
 */
export interface CliIo {
  stdin: NodeJS.ReadStream | (NodeJS.ReadableStream & { isTTY?: false });
  stdout: { write(text: string): unknown };
  stderr: { write(text: string): unknown };
  /** Where --password-env and similar options read a named variable. */
  env: Record<string, string | undefined>;
  /** The configuration (`.env` in the working directory, then the environment). */
  loadConfig(): Config;
  /** The configured database. */
  openStore(config: Config): Store;
}

/** The running process's streams, environment and configuration. */
export function processIo(): CliIo {
  return {
    stdin: process.stdin,
    stdout: process.stdout,
    stderr: process.stderr,
    env: process.env,
    loadConfig: () => loadConfig(),
    openStore: openConfiguredStore,
  };
}
