import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { parseEmulatorArguments } from '../../emulator/cli.ts';

const root = path.resolve(import.meta.dirname, '../..');
const children: ChildProcess[] = [];

function runCli(args: string[]): ChildProcess {
  // process.execPath is the Node 24 running vitest, the same one npm scripts use.
  const child = spawn(process.execPath, [path.join(root, 'bin/forcefield.ts'), ...args], { cwd: root });
  children.push(child);
  return child;
}

async function collect(
  child: ChildProcess,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (chunk) => {
    stdout += chunk;
  });
  child.stderr?.on('data', (chunk) => {
    stderr += chunk;
  });
  const [code] = (await once(child, 'exit')) as [number | null];
  return { code, stdout, stderr };
}

afterEach(() => {
  for (const child of children.splice(0)) if (child.exitCode === null) child.kill('SIGKILL');
});

describe('forcefield emulator command', () => {
  it('starts, prints its URL, demo users and app, serves requests and stops on SIGTERM', async () => {
    const child = runCli(['emulator', '--port', '0', '--seed', 'none']);
    let output = '';
    const url = await new Promise<string>((resolve, reject) => {
      child.stdout?.on('data', (chunk) => {
        output += chunk;
        const match = /running at (http:\/\/127\.0\.0\.1:\d+)/.exec(output);
        if (match && output.includes('Press Ctrl+C')) resolve(match[1]);
      });
      child.once('exit', (code) => reject(new Error(`exited early with ${code}: ${output}`)));
    });
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
    const result = await collect(runCli(['emulator', '--seed', 'lots']));
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/Invalid --seed/);
    const unknown = await collect(runCli(['emulator', '--colour', 'blue']));
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/colour/);
    const command = await collect(runCli(['frobnicate']));
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
