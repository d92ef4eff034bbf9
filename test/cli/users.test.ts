import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyPassword } from '../../src/accounts/passwords.ts';
import { collectOutput, type ProcessOutput } from '../support/process-output.ts';
import { openTestStore, STORE_DIALECTS, type TestStore } from '../support/store.ts';

const root = path.resolve(import.meta.dirname, '../..');
const PASSWORD = 'operator passphrase 1';

// Child processes on purpose: the command as an operator runs it, stdin and exit codes included.
// Each child boots Node and may run scrypt, so a loaded 2-core machine needs more than the default.
describe.each(STORE_DIALECTS)('forcefield users on %s', { timeout: 60_000 }, (dialect) => {
  let workDir: string;
  let storage: TestStore;
  let environment: Record<string, string>;

  beforeAll(async () => {
    workDir = mkdtempSync(path.join(tmpdir(), 'forcefield-cli-'));
    // Settings come from the environment only: no .env in the temp working directory, and none
    // of the parent's database settings leak into the child.
    const inherited = Object.fromEntries(
      Object.entries(process.env).filter(
        ([name, value]) => value !== undefined && !/^(DATABASE_URL|PG|FORCEFIELD_|DATA_DIR)/.test(name),
      ),
    ) as Record<string, string>;
    environment = { ...inherited, DATA_DIR: path.join(workDir, 'data'), LOG_LEVEL: 'silent' };
    if (dialect === 'postgres') {
      storage = await openTestStore('postgres');
      environment.DATABASE_URL = storage.options.databaseUrl!;
      // node-postgres reads PGOPTIONS: the child works in this test's schema.
      environment.PGOPTIONS = `-c search_path=${storage.options.postgresSchema}`;
    }
  });

  afterAll(async () => {
    await storage?.dispose();
    rmSync(workDir, { recursive: true, force: true });
  });

  function run(
    args: string[],
    input?: string,
    extraEnvironment: Record<string, string> = {},
  ): Promise<ProcessOutput> {
    const child = spawn(process.execPath, [path.join(root, 'bin/forcefield.ts'), 'users', ...args], {
      cwd: workDir,
      env: { ...environment, ...extraEnvironment },
    });
    return collectOutput(child, { input: input ?? '' });
  }

  async function openStoreOfChild(): Promise<TestStore> {
    if (storage) return { ...storage, dispose: async () => {} };
    return openTestStore('sqlite', path.join(workDir, 'data', 'forcefield.db'));
  }

  it('creates the first admin with the password on stdin, then lists users', async () => {
    const created = await run(['create', '--admin', '--email', 'A@B.co', '--name', 'A B'], `${PASSWORD}\n`);
    expect(created.stderr).toBe('');
    expect(created.code).toBe(0);
    expect(created.stdout).toMatch(/^Created admin a@b\.co \(id [\w-]+\)\.\n$/);

    const member = await run(
      ['create', '--email', 'm@b.co', '--name', 'M', '--password-env', 'NEW_PASSWORD'],
      '',
      {
        NEW_PASSWORD: 'member passphrase',
      },
    );
    expect(member.code).toBe(0);

    const listed = await run(['list']);
    expect(listed.code).toBe(0);
    const lines = listed.stdout.trim().split('\n');
    expect(lines[0]).toMatch(/^EMAIL\s+NAME\s+ROLE\s+STATUS\s+ID$/);
    expect(lines[1]).toMatch(/^a@b\.co\s+A B\s+admin\s+active\s+[\w-]+$/);
    expect(lines[2]).toMatch(/^m@b\.co\s+M\s+member\s+active\s+[\w-]+$/);
    const json = JSON.parse((await run(['list', '--json'])).stdout);
    expect(json.map((user: { email: string }) => user.email)).toEqual(['a@b.co', 'm@b.co']);

    const opened = await openStoreOfChild();
    try {
      const admin = await opened.store.db
        .selectFrom('users')
        .selectAll()
        .where('email', '=', 'a@b.co')
        .executeTakeFirstOrThrow();
      expect(admin.role).toBe('admin');
      // The trailing newline of the piped input is not part of the password.
      expect(await verifyPassword(PASSWORD, admin.password_hash)).toBe(true);
      const audit = await opened.store.db.selectFrom('audit_events').selectAll().execute();
      expect(audit.map((event) => [event.action, event.surface])).toContainEqual(['user.created', 'cli']);
      expect(JSON.stringify(audit)).not.toContain(PASSWORD);
    } finally {
      await opened.dispose();
    }
  });

  it('refuses passwords on the command line, short passwords and duplicate emails', async () => {
    // Independent refusals: the children run side by side (each boots Node).
    const [flag, short, duplicate, missing] = await Promise.all([
      run(['create', '--email', 'x@b.co', '--name', 'X', '--password', PASSWORD]),
      run(['create', '--email', 'x@b.co', '--name', 'X'], 'short\n'),
      run(['create', '--email', 'a@b.co', '--name', 'Again'], `${PASSWORD}\n`),
      run(['create', '--name', 'X'], `${PASSWORD}\n`),
    ]);
    expect(flag.code).toBe(2);
    expect(flag.stderr).toMatch(/not accepted on the command line/);
    expect(short.code).toBe(2);
    expect(short.stderr).toMatch(/at least 10 characters/);
    expect(duplicate.code).not.toBe(0);
    expect(duplicate.stderr).toMatch(/already exists/);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/--email is required/);
  });
});
