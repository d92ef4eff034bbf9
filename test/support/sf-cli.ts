import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { collectOutput } from './process-output.ts';

const root = path.resolve(import.meta.dirname, '../..');

/** The official Salesforce CLI from node_modules (an npm devDependency of this project). */
export const SF_BINARY = path.join(root, 'tools/salesforce-cli/node_modules/.bin/sf');

export interface SfResult {
  code: number | null;
  stdout: string;
  stderr: string;
  /** `--json` output, parsed. */
  // biome-ignore lint/suspicious/noExplicitAny: test helper: callers assert on the shape
  json: any;
}

/**
 * Runs `sf` as a child process in its own temporary HOME (its auth files and config live there),
 * with update checks, telemetry and its log file off. Asynchronous, so an in-process emulator keeps answering.
 * The CLI's `#!/usr/bin/env node` finds the Node running the tests first on PATH.
 */
export class SfCli {
  readonly home = mkdtempSync(path.join(tmpdir(), 'forcefield-sf-'));
  readonly cwd = this.home;

  constructor() {
    if (!existsSync(SF_BINARY)) throw new Error(`The Salesforce CLI is missing at ${SF_BINARY}: run npm ci`);
  }

  async run(args: string[], environment: Record<string, string> = {}): Promise<SfResult> {
    const child = spawn(SF_BINARY, [...args, '--json'], {
      cwd: this.cwd,
      env: {
        PATH: `${path.dirname(process.execPath)}${path.delimiter}${process.env.PATH ?? ''}`,
        HOME: this.home,
        SF_DISABLE_AUTOUPDATE: 'true',
        SF_AUTOUPDATE_DISABLE: 'true',
        SF_DISABLE_TELEMETRY: 'true',
        SF_SKIP_NEW_VERSION_CHECK: 'true',
        SF_USE_PROGRESS_BAR: 'false',
        SF_LOG_LEVEL: 'fatal',
        // No log file: sf's logger otherwise starts a worker thread to write it and waits for it to
        // flush at exit (about 0.5 s of every command here).
        SF_DISABLE_LOG_FILE: 'true',
        ...environment,
      },
    });
    const output = await collectOutput(child);
    let json: unknown;
    try {
      json = JSON.parse(output.stdout);
    } catch {
      json = undefined;
    }
    return { ...output, json };
  }

  dispose(): void {
    rmSync(this.home, { recursive: true, force: true });
  }
}
