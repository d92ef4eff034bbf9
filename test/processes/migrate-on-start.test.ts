import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { SchemaBehindError } from '../../src/platform/prepare-schema.ts';
import { migrate, openStore, pendingMigrations } from '../../src/store/database.ts';
import { collectOutput } from '../support/process-output.ts';
import { createTestService } from '../support/test-service.ts';

const root = path.resolve(import.meta.dirname, '../..');

describe('MIGRATE_ON_START=false', () => {
  it('refuses to build on a schema that is behind, and starts once `migrate` ran', async () => {
    const store = openStore({ sqlitePath: ':memory:' });
    try {
      const pending = await pendingMigrations(store);
      expect(pending[0]).toBe('0001-initial');
      const refused = createTestService({ store, environment: { MIGRATE_ON_START: 'false' } });
      await expect(refused).rejects.toBeInstanceOf(SchemaBehindError);
      await expect(refused).rejects.toThrow(/pending migrations: 0001-initial.*run `forcefield migrate`/);
      // Nothing was applied by the refused start.
      expect(await pendingMigrations(store)).toEqual(pending);

      expect(await migrate(store)).toEqual(pending);
      const service = await createTestService({ store, environment: { MIGRATE_ON_START: 'false' } });
      expect(await pendingMigrations(store)).toEqual([]);
      expect(service.logs.join('')).not.toContain('applied database migrations');
      await service.stop();
    } finally {
      await store.close();
    }
  });

  it('makes `forcefield start` exit with the reason, and `forcefield migrate` is the deploy step', {
    timeout: 90_000,
  }, async () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'forcefield-migrate-'));
    const environment = {
      PATH: process.env.PATH,
      DATA_DIR: dataDir,
      PORT: '0',
      MIGRATE_ON_START: 'false',
      SALESFORCE_CLIENT_ID: 'migrate-test',
      SALESFORCE_CLIENT_SECRET: 'migrate-test-secret',
    };
    const run = (command: string) =>
      collectOutput(
        spawn(process.execPath, [path.join(root, 'bin/forcefield.ts'), command], {
          cwd: dataDir,
          env: environment,
        }),
      );
    try {
      const refused = await run('start');
      expect(refused.code).toBe(2);
      expect(refused.stderr).toMatch(/database schema is behind.*forcefield migrate/);
      const migrated = await run('migrate');
      expect(migrated.code).toBe(0);
      expect(migrated.stdout).toMatch(/^Applied migrations: 0001-initial/);
      const again = await run('migrate');
      expect(again.stdout).toBe('The database is up to date.\n');
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
