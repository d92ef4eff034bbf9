import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyPassword } from '../../src/accounts/passwords.ts';
import type { CliIo } from '../../src/cli/cli-io.ts';
import { runCli, SERVICE_COMMANDS } from '../../src/cli/commands.ts';
import { parseConfig } from '../../src/core/config.ts';
import { openConfiguredStore } from '../../src/main.ts';
import { openStore } from '../../src/store/database.ts';
import { openTestStore, STORE_DIALECTS, type TestStore } from '../support/store.ts';

const PASSWORD = 'operator passphrase 1';

// In process, through the same entry as the command (runCli with the users command), with its
// standard input, output and environment given: users-process.test.ts runs it as a child process.
describe.each(STORE_DIALECTS)('forcefield users on %s', (dialect) => {
  let workDir: string;
  let storage: TestStore;

  beforeAll(async () => {
    workDir = mkdtempSync(path.join(tmpdir(), 'forcefield-cli-'));
    if (dialect === 'postgres') storage = await openTestStore('postgres');
  });

  afterAll(async () => {
    await storage?.dispose();
    rmSync(workDir, { recursive: true, force: true });
  });

  /** `forcefield users …args` with `input` on its standard input and `environment` as its environment. */
  async function run(
    args: string[],
    input?: string,
    environment: Record<string, string> = {},
  ): Promise<{ code: number; stdout: string; stderr: string }> {
    let stdout = '';
    let stderr = '';
    const io: CliIo = {
      stdin: Readable.from(input ? [input] : []),
      stdout: { write: (text: string) => (stdout += text) },
      stderr: { write: (text: string) => (stderr += text) },
      env: environment,
      loadConfig: () =>
        parseConfig({
          DATA_DIR: path.join(workDir, 'data'),
          LOG_LEVEL: 'silent',
          DATABASE_URL: storage?.options.databaseUrl,
        }),
      // The test's schema on PostgreSQL (a child process gets it from PGOPTIONS).
      openStore: (config) =>
        config.DATABASE_URL
          ? openStore({ databaseUrl: config.DATABASE_URL, postgresSchema: storage.options.postgresSchema })
          : openConfiguredStore(config),
    };
    const code = await runCli(SERVICE_COMMANDS, ['users', ...args], io);
    return { code, stdout, stderr };
  }

  async function openCommandStore(): Promise<TestStore> {
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

    const opened = await openCommandStore();
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
