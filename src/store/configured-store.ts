import path from 'node:path';
import type { Config } from '../core/config.ts';
import { openStore, type Store } from './database.ts';

/** The configured database: PostgreSQL at DATABASE_URL, else SQLite in DATA_DIR. */
export function openConfiguredStore(config: Config): Store {
  const pool = { max: config.DATABASE_POOL_MAX, acquireTimeoutMs: config.DATABASE_POOL_ACQUIRE_TIMEOUT_MS };
  return config.DATABASE_URL
    ? openStore({ databaseUrl: config.DATABASE_URL, pool })
    : openStore({
        sqlitePath: path.resolve(config.DATA_DIR, 'forcefield.db'),
        sqliteSynchronous: config.SQLITE_SYNCHRONOUS,
      });
}
