import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { SCHEMA_DROP_LOCK_KEY } from '../../src/store/database.ts';
import { openTestStore } from '../support/store.ts';

const databaseUrl = process.env.DATABASE_URL;

/** Whether a session waits for (not holds) the schema-drop lock. */
async function someoneWaits(client: pg.Client): Promise<boolean> {
  const { rows } = await client.query(
    `SELECT count(*)::int AS waiting FROM pg_locks
      WHERE locktype = 'advisory' AND NOT granted AND objid = ($1::bigint & 4294967295)::oid`,
    [SCHEMA_DROP_LOCK_KEY],
  );
  return rows[0].waiting > 0;
}

// Kysely's migrator reads every schema's catalog; a test suite dropping its schema in that moment
// failed another suite's migration ("schema … does not exist") when two files ran side by side.
describe.runIf(databaseUrl)('dropping a test schema on postgres', () => {
  it('waits until no migration is reading the catalog', async () => {
    const test = await openTestStore('postgres');
    const migrating = new pg.Client({ connectionString: databaseUrl });
    await migrating.connect();
    try {
      // As `migrate` does while it runs.
      await migrating.query('SELECT pg_advisory_lock_shared($1)', [SCHEMA_DROP_LOCK_KEY]);
      let dropped = false;
      const disposal = test.dispose().then(() => {
        dropped = true;
      });
      while (!(await someoneWaits(migrating))) await new Promise((resolve) => setImmediate(resolve));
      const schemas = await migrating.query('SELECT 1 FROM pg_namespace WHERE nspname = $1', [
        test.options.postgresSchema,
      ]);
      expect(schemas.rowCount).toBe(1);
      expect(dropped).toBe(false);

      await migrating.query('SELECT pg_advisory_unlock_shared($1)', [SCHEMA_DROP_LOCK_KEY]);
      await disposal;
      const after = await migrating.query('SELECT 1 FROM pg_namespace WHERE nspname = $1', [
        test.options.postgresSchema,
      ]);
      expect(after.rowCount).toBe(0);
    } finally {
      await migrating.end();
    }
  });
});
