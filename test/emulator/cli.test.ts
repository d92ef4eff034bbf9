import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { parseEmulatorArguments } from '../../emulator/cli.ts';
import { collectOutput, emulatorReady } from '../support/process-output.ts';

const root = path.resolve(import.meta.dirname, '../..');
const children: ChildProcess[] = [];

function runCli(args: string[]): ChildProcess {
  // process.execPath is the Node 24 running vitest, the same one npm scripts use.
  const child = spawn(process.execPath, [path.join(root, 'bin/forcefield.ts'), ...args], { cwd: root });
  children.push(child);
  return child;
}

afterEach(() => {
  for (const child of children.splice(0)) if (child.exitCode === null) child.kill('SIGKILL');
});

describe('forcefield emulator command', () => {
  it('starts, prints its URL, demo users and app, serves requests and stops on SIGTERM', async () => {
    const child = runCli(['emulator', '--port', '0', '--seed', 'none']);
    const { url, output } = await emulatorReady(child);
    expect(output).toContain('alice@acme.demo');
    expect(output).toContain('bob@acme.demo');
    expect(output).toContain('carol@acme.demo');
    expect(output).toContain('forcefield-demo-secret');
    const response = await fetch(`${url}/services/data`);
    expect(response.status).toBe(200);
    child.kill('SIGTERM');
    const [code] = (await once(child, 'exit')) as [number | null];
    expect(code).toBe(0);
  });

  it('refuses bad options with a clear message and exit code 2', async () => {
    const result = await collectOutput(runCli(['emulator', '--seed', 'lots']));
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/Invalid --seed/);
    const unknown = await collectOutput(runCli(['emulator', '--colour', 'blue']));
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/colour/);
    const command = await collectOutput(runCli(['frobnicate']));
    expect(command.code).toBe(2);
    expect(command.stderr).toMatch(/unknown command 'frobnicate'/);
  });

  it('parses options with defaults', () => {
    expect(parseEmulatorArguments([])).toEqual({
      port: 4100,
      host: '127.0.0.1',
      seed: 'demo',
      sessionTimeout: 7200,
    });
    expect(
      parseEmulatorArguments(['--port', '0', '--session-timeout', '600', '--seed', 'none']),
    ).toMatchObject({
      port: 0,
      seed: 'none',
      sessionTimeout: 600,
    });
    expect(parseEmulatorArguments(['--help'])).toBe('help');
    expect(() => parseEmulatorArguments(['--port', '70000'])).toThrow(/Invalid --port/);
    expect(() => parseEmulatorArguments(['--session-timeout', 'soon'])).toThrow(/Invalid --session-timeout/);
  });
});
