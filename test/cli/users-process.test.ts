import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collectOutput, type ProcessOutput } from '../support/process-output.ts';

const root = path.resolve(import.meta.dirname, '../..');
const PASSWORD = 'operator passphrase 1';

// The command as an operator runs it, a child process: stdin, the environment and exit codes.
// users.test.ts covers the command in process on every store. Each child boots Node and may run
// scrypt, so a loaded 2-core machine needs more than the default.
describe('forcefield users as a child process', { timeout: 60_000 }, () => {
  let workDir: string;
  let environment: Record<string, string>;

  beforeAll(() => {
    workDir = mkdtempSync(path.join(tmpdir(), 'forcefield-cli-'));
    // Settings come from the environment only: no .env in the temp working directory, and none
    // of the parent's database settings leak into the child (SQLite in DATA_DIR).
    const inherited = Object.fromEntries(
      Object.entries(process.env).filter(
        ([name, value]) => value !== undefined && !/^(DATABASE_URL|PG|FORCEFIELD_|DATA_DIR)/.test(name),
      ),
    ) as Record<string, string>;
    environment = { ...inherited, DATA_DIR: path.join(workDir, 'data'), LOG_LEVEL: 'silent' };
  });

  afterAll(() => {
    rmSync(workDir, { recursive: true, force: true });
  });

  function run(
    args: string[],
    input: string,
    extraEnvironment: Record<string, string> = {},
  ): Promise<ProcessOutput> {
    const child = spawn(process.execPath, [path.join(root, 'bin/forcefield.ts'), 'users', ...args], {
      cwd: workDir,
      env: { ...environment, ...extraEnvironment },
    });
    return collectOutput(child, { input });
  }

  it('creates users from piped stdin and --password-env, refuses a duplicate with exit code 2, lists them', async () => {
    const created = await run(['create', '--admin', '--email', 'A@B.co', '--name', 'A B'], `${PASSWORD}\n`);
    expect(created.stderr).toBe('');
    expect(created.code).toBe(0);
    expect(created.stdout).toMatch(/^Created admin a@b\.co \(id [\w-]+\)\.\n$/);

    const [member, duplicate] = await Promise.all([
      run(['create', '--email', 'm@b.co', '--name', 'M', '--password-env', 'NEW_PASSWORD'], '', {
        NEW_PASSWORD: 'member passphrase',
      }),
      run(['create', '--email', 'a@b.co', '--name', 'Again'], `${PASSWORD}\n`),
    ]);
    expect(member.code).toBe(0);
    expect(duplicate.code).toBe(2);
    expect(duplicate.stderr).toMatch(/^forcefield: .*already exists/);

    const listed = await run(['list', '--json'], '');
    expect(listed.code).toBe(0);
    expect(JSON.parse(listed.stdout).map((user: { email: string }) => user.email)).toEqual([
      'a@b.co',
      'm@b.co',
    ]);
  });
});
