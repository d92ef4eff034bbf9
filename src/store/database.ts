import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { Kysely, PostgresDialect, SqliteDialect, sql, type Transaction } from 'kysely';
import { type Migration, type MigrationProvider, Migrator } from 'kysely/migration';
import pg from 'pg';
import * as initial from './migrations/0001-initial.ts';
import * as meetings from './migrations/0002-meetings.ts';
import * as agents from './migrations/0003-agents.ts';
import * as agentInstances from './migrations/0004-agent-instances.ts';
import * as sendResolver from './migrations/0005-send-resolver.ts';
import * as mcpOAuth from './migrations/0007-mcp-oauth.ts';
import * as agentActivityAndProviderKeys from './migrations/0008-agent-activity-and-provider-keys.ts';
import * as meetingTranscripts from './migrations/0009-meeting-transcripts.ts';
import * as approvalExecutions from './migrations/0010-approval-executions.ts';
import * as sendIndex from './migrations/0011-send-index.ts';
import type { Database } from './schema.ts';
import { NodeSqliteDatabase, type SqliteSynchronous } from './sqlite-adapter.ts';

export type DialectName = 'sqlite' | 'postgres';
export type { SqliteSynchronous };

export interface Store {
  db: Kysely<Database>;
  dialect: DialectName;
  /** The PostgreSQL schema the store was opened in, if one was given (tests). */
  schema?: string;
  /** SQLite: its `synchronous` setting (undefined on PostgreSQL). */
  sqliteSynchronous?: SqliteSynchronous;
  /** PostgreSQL: this instance's pool use, for the metrics (undefined on SQLite). */
  poolStats?: () => { total: number; idle: number; waiting: number; max: number };
  close(): Promise<void>;
}

export interface StoreOptions {
  /** PostgreSQL connection string; when absent, SQLite. */
  databaseUrl?: string;
  /** SQLite file path, or ':memory:'. */
  sqlitePath?: string;
  /**
   * SQLite's `synchronous` (SQLITE_SYNCHRONOUS): FULL (default) syncs the disk at every commit;
   * NORMAL only at WAL checkpoints, so a power loss may lose the last commits.
   */
  sqliteSynchronous?: SqliteSynchronous;
  /** Isolate tests that share one PostgreSQL database: every table lives in this schema. */
  postgresSchema?: string;
  /** PostgreSQL pool: most connections, and how long a query waits for one (DATABASE_POOL_*). */
  pool?: { max?: number; acquireTimeoutMs?: number; idleTimeoutMs?: number };
}

/** Every migration, in order. Static imports: the set is part of the build, not read from disk. */
const MIGRATIONS: Record<string, Migration> = {
  '0001-initial': initial,
  '0002-meetings': meetings,
  '0003-agents': agents,
  '0004-agent-instances': agentInstances,
  '0005-send-resolver': sendResolver,
  '0008-agent-activity-and-provider-keys': agentActivityAndProviderKeys,
  '0010-approval-executions': approvalExecutions,
  '0007-mcp-oauth': mcpOAuth,
  '0009-meeting-transcripts': meetingTranscripts,
  '0011-send-index': sendIndex,
};

const provider: MigrationProvider = { getMigrations: async () => MIGRATIONS };

function quoteIdentifier(name: string): string {
  if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`Invalid schema name: ${name}`);
  return `"${name}"`;
}

export function openStore(options: StoreOptions): Store {
  if (options.databaseUrl) {
    const schema = options.postgresSchema;
    const max = options.pool?.max ?? 10;
    const pool = new pg.Pool({
      connectionString: options.databaseUrl,
      max,
      connectionTimeoutMillis: options.pool?.acquireTimeoutMs ?? 0,
      idleTimeoutMillis: options.pool?.idleTimeoutMs ?? 10_000,
      // Each connection works inside the test's schema when one is given.
      ...(schema ? { options: `-c search_path=${quoteIdentifier(schema)}` } : {}),
    });
    const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
    const poolStats = () => ({
      total: pool.totalCount,
      idle: pool.idleCount,
      waiting: pool.waitingCount,
      max,
    });
    return { db, dialect: 'postgres', schema, poolStats, close: () => db.destroy() };
  }
  const file = options.sqlitePath ?? ':memory:';
  if (file !== ':memory:') mkdirSync(path.dirname(file), { recursive: true });
  const sqliteSynchronous = options.sqliteSynchronous ?? 'FULL';
  const database = new NodeSqliteDatabase(file, { synchronous: sqliteSynchronous });
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database }) });
  return { db, dialect: 'sqlite', sqliteSynchronous, close: () => db.destroy() };
}

/**
 * A transaction whose commit does not wait for the disk to sync. A crash of our process cannot
 * undo it; a power loss (SQLite) or a crash of the PostgreSQL server may. Only for a write that is
 * redone from durable state when lost — a send's completion: its journal row was synced before
 * Salesforce was called, and a row left pending is resolved by looking the record up.
 */
export async function transactionWithoutSync<T>(
  store: Store,
  work: (transaction: Transaction<Database>) => Promise<T>,
): Promise<T> {
  if (store.dialect === 'postgres') {
    return store.db.transaction().execute(async (transaction) => {
      await sql`SET LOCAL synchronous_commit = off`.execute(transaction);
      return work(transaction);
    });
  }
  if (store.sqliteSynchronous !== 'FULL') return store.db.transaction().execute(work);
  // SQLite's setting belongs to the connection and cannot change inside a transaction: it is
  // lowered around this transaction while holding the store's one connection, so no other
  // commit can run under it.
  return store.db.connection().execute(async (connection) => {
    await sql`PRAGMA synchronous = NORMAL`.execute(connection);
    try {
      return await connection.transaction().execute(work);
    } finally {
      await sql`PRAGMA synchronous = FULL`.execute(connection);
    }
  });
}

/**
 * Held shared while migrating and exclusive while a schema is dropped. Kysely's migrator reads the
 * catalog of every schema in the database (pg_get_serial_sequence, has_schema_privilege by name),
 * so a schema dropped by someone else in the middle of that read fails the migration with
 * "schema … does not exist". Tests give each suite its own schema and drop it afterwards.
 */
export const SCHEMA_DROP_LOCK_KEY = 4_190_220_615;

/** Runs `read` (which reads the catalog through the migrator) while no schema can be dropped. */
async function whileNoSchemaIsDropped<T>(store: Store, read: () => Promise<T>): Promise<T> {
  if (store.dialect !== 'postgres') return read();
  return store.db.connection().execute(async (connection) => {
    await sql`select pg_advisory_lock_shared(${SCHEMA_DROP_LOCK_KEY})`.execute(connection);
    try {
      return await read();
    } finally {
      await sql`select pg_advisory_unlock_shared(${SCHEMA_DROP_LOCK_KEY})`.execute(connection);
    }
  });
}

function migratorOf(store: Store): Migrator {
  // Named explicitly: without it Kysely takes another schema's migration tables for this one's
  // (PostgreSQL tests run side by side in one database) and then fails to lock.
  return new Migrator({
    db: store.db,
    provider,
    ...(store.schema ? { migrationTableSchema: store.schema } : {}),
  });
}

/** The migrations this build has that the database has not applied yet, in order. */
export async function pendingMigrations(store: Store): Promise<string[]> {
  const migrations = await whileNoSchemaIsDropped(store, () => migratorOf(store).getMigrations());
  return migrations
    .filter((migration) => migration.executedAt === undefined)
    .map((migration) => migration.name);
}

/** Applies every pending migration; throws with the failing migration's name on error. */
export async function migrate(store: Store): Promise<string[]> {
  const { error, results } = await whileNoSchemaIsDropped(store, () => migratorOf(store).migrateToLatest());
  const failed = results?.find((result) => result.status === 'Error');
  if (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new Error(`Migration ${failed?.migrationName ?? ''} failed: ${reason}`);
  }
  return (results ?? [])
    .filter((result) => result.status === 'Success')
    .map((result) => result.migrationName);
}
