import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { FORCEFIELD_COMMANDS } from '../../bin/commands.ts';
import { parseEmulatorArguments } from '../../emulator/cli.ts';
import { processIo } from '../../src/cli/cli-io.ts';
import { runCli } from '../../src/cli/commands.ts';

/** `forcefield …args` in process, as bin/forcefield.ts runs it: the exit code and what it printed. */
async function run(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const io = {
    ...processIo(),
    stdin: Readable.from([]),
    stdout: { write: (text: string) => (stdout += text) },
    stderr: { write: (text: string) => (stderr += text) },
  };
  const code = await runCli(FORCEFIELD_COMMANDS, args, io);
  return { code, stdout, stderr };
}

// cli-process.test.ts starts the command as a child process.
describe('forcefield emulator command', () => {
  it('refuses bad options with a clear message and exit code 2', async () => {
    const result = await run(['emulator', '--seed', 'lots']);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/Invalid --seed/);
    const unknown = await run(['emulator', '--colour', 'blue']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/colour/);
    const command = await run(['frobnicate']);
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
