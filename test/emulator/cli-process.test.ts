import { spawn } from 'node:child_process';
import { once } from 'node:events';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { emulatorReady } from '../support/process-output.ts';

const root = path.resolve(import.meta.dirname, '../..');
let child: ReturnType<typeof spawn> | undefined;

afterEach(() => {
  if (child && child.exitCode === null) child.kill('SIGKILL');
  child = undefined;
});

// The emulator command as an operator runs it, a child process; cli.test.ts checks its options in process.
describe('forcefield emulator command as a child process', () => {
  it('starts, prints its URL, demo users and app, serves requests and stops on SIGTERM', async () => {
    // process.execPath is the Node 24 running vitest, the same one npm scripts use.
    child = spawn(
      process.execPath,
      [path.join(root, 'bin/forcefield.ts'), 'emulator', '--port', '0', '--seed', 'none'],
      {
        cwd: root,
      },
    );
    const exited = once(child, 'exit') as Promise<[number | null]>;
    const { url, output } = await emulatorReady(child);
    expect(output).toContain('alice@acme.demo');
    expect(output).toContain('bob@acme.demo');
    expect(output).toContain('carol@acme.demo');
    expect(output).toContain('forcefield-demo-secret');
    const response = await fetch(`${url}/services/data`);
    expect(response.status).toBe(200);
    child.kill('SIGTERM');
    const [code] = await exited;
    expect(code).toBe(0);
  });
});
