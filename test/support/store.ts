import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { migrate, openStore, SCHEMA_DROP_LOCK_KEY, type Store } from '../../src/store/database.ts';

export interface TestStore {
  name: 'sqlite' | 'postgres';
  store: Store;
  /** Connection details another process could use to open the same store. */
  options: { databaseUrl?: string; postgresSchema?: string; sqlitePath?: string };
  dispose(): Promise<void>;
}

/** The dialects to run a store test on: SQLite always, PostgreSQL when DATABASE_URL is set. */
export const STORE_DIALECTS: Array<'sqlite' | 'postgres'> = process.env.DATABASE_URL
  ? ['sqlite', 'postgres']
  : ['sqlite'];

/**
 * A fresh, migrated store. PostgreSQL tests each get their own schema in the shared database, so
 * suites can run in parallel and leave nothing behind.
 */
export async function openTestStore(
  dialect: 'sqlite' | 'postgres',
  sqlitePath = ':memory:',
): Promise<TestStore> {
  if (dialect === 'sqlite') {
    const store = openStore({ sqlitePath });
    await migrate(store);
    return { name: 'sqlite', store, options: { sqlitePath }, dispose: () => store.close() };
  }
  const databaseUrl = process.env.DATABASE_URL;
  if (!databaseUrl) throw new Error('DATABASE_URL is not set');
  const schema = `test_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: databaseUrl });
  await admin.connect();
  await admin.query(`CREATE SCHEMA ${schema}`);
  await admin.end();
  const store = openStore({ databaseUrl, postgresSchema: schema });
  await migrate(store);
  return {
    name: 'postgres',
    store,
    options: { databaseUrl, postgresSchema: schema },
    async dispose() {
      await store.close();
      const cleanup = new pg.Client({ connectionString: databaseUrl });
      await cleanup.connect();
      // Waits for every migration in the database to finish: they read all schemas' catalogs.
      await cleanup.query('SELECT pg_advisory_lock($1)', [SCHEMA_DROP_LOCK_KEY]);
      try {
        await cleanup.query(`DROP SCHEMA ${schema} CASCADE`);
      } finally {
        await cleanup.end();
      }
    },
  };
}

/** Every table that holds workspace data, for "this secret is stored nowhere" checks. */
export const STORED_TABLES = [
  'users',
  'groups',
  'group_members',
  'sessions',
  'api_keys',
  'login_attempts',
  'oauth_states',
  'connections',
  'connection_shares',
  'audit_events',
] as const;
