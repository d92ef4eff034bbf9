import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { Kysely, PostgresDialect, SqliteDialect } from 'kysely';
import { type Migration, type MigrationProvider, Migrator } from 'kysely/migration';
import pg from 'pg';
import * as initial from './migrations/0001-initial.ts';
import * as meetings from './migrations/0002-meetings.ts';
import * as agents from './migrations/0003-agents.ts';
import * as agentInstances from './migrations/0004-agent-instances.ts';
import * as meetingTranscripts from './migrations/0009-meeting-transcripts.ts';
import type { Database } from './schema.ts';
import { NodeSqliteDatabase } from './sqlite-adapter.ts';

export type DialectName = 'sqlite' | 'postgres';

export interface Store {
  db: Kysely<Database>;
  dialect: DialectName;
  /** The PostgreSQL schema the store was opened in, if one was given (tests). */
  schema?: string;
  close(): Promise<void>;
}

export interface StoreOptions {
  /** PostgreSQL connection string; when absent, SQLite. */
  databaseUrl?: string;
  /** SQLite file path, or ':memory:'. */
  sqlitePath?: string;
  /** Isolate tests that share one PostgreSQL database: every table lives in this schema. */
  postgresSchema?: string;
}

/** Every migration, in order. Static imports: the set is part of the build, not read from disk. */
const MIGRATIONS: Record<string, Migration> = {
  '0001-initial': initial,
  '0002-meetings': meetings,
  '0003-agents': agents,
  '0004-agent-instances': agentInstances,
  '0009-meeting-transcripts': meetingTranscripts,
};

const provider: MigrationProvider = { getMigrations: async () => MIGRATIONS };

function quoteIdentifier(name: string): string {
  if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`Invalid schema name: ${name}`);
  return `"${name}"`;
}

export function openStore(options: StoreOptions): Store {
  if (options.databaseUrl) {
    const schema = options.postgresSchema;
    const pool = new pg.Pool({
      connectionString: options.databaseUrl,
      max: 10,
      // Each connection works inside the test's schema when one is given.
      ...(schema ? { options: `-c search_path=${quoteIdentifier(schema)}` } : {}),
    });
    const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
    return { db, dialect: 'postgres', schema, close: () => db.destroy() };
  }
  const file = options.sqlitePath ?? ':memory:';
  if (file !== ':memory:') mkdirSync(path.dirname(file), { recursive: true });
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: new NodeSqliteDatabase(file) }) });
  return { db, dialect: 'sqlite', close: () => db.destroy() };
}

/** Applies every pending migration; throws with the failing migration's name on error. */
export async function migrate(store: Store): Promise<string[]> {
  // Named explicitly: without it Kysely takes another schema's migration tables for this one's
  // (PostgreSQL tests run side by side in one database) and then fails to lock.
  const migrator = new Migrator({
    db: store.db,
    provider,
    ...(store.schema ? { migrationTableSchema: store.schema } : {}),
  });
  const { error, results } = await migrator.migrateToLatest();
  const failed = results?.find((result) => result.status === 'Error');
  if (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new Error(`Migration ${failed?.migrationName ?? ''} failed: ${reason}`);
  }
  return (results ?? [])
    .filter((result) => result.status === 'Success')
    .map((result) => result.migrationName);
}
