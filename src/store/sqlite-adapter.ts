import { DatabaseSync, type SQLInputValue, type StatementSync } from 'node:sqlite';
import type { SqliteDatabase, SqliteStatement } from 'kysely';

/**
 * Adapts Node's built-in `node:sqlite` to the interface Kysely's SqliteDialect expects (the
 * better-sqlite3 shape), so the embedded store needs no native add-on.
 */
function toSqliteValue(value: unknown): SQLInputValue {
  if (value === undefined) return null;
  if (typeof value === 'boolean') return value ? 1 : 0;
  if (value instanceof Date) return value.toISOString();
  return value as SQLInputValue;
}

class StatementAdapter implements SqliteStatement {
  readonly #statement: StatementSync;
  readonly reader: boolean;

  constructor(statement: StatementSync) {
    this.#statement = statement;
    // A statement that yields columns is a reader (SELECT, or anything with RETURNING).
    this.reader = statement.columns().length > 0;
  }

  all(parameters: ReadonlyArray<unknown>): unknown[] {
    return this.#statement.all(...parameters.map(toSqliteValue));
  }

  run(parameters: ReadonlyArray<unknown>): { changes: number | bigint; lastInsertRowid: number | bigint } {
    const result = this.#statement.run(...parameters.map(toSqliteValue));
    return { changes: result.changes, lastInsertRowid: result.lastInsertRowid };
  }

  iterate(parameters: ReadonlyArray<unknown>): IterableIterator<unknown> {
    return this.#statement.iterate(...parameters.map(toSqliteValue));
  }
}

/** Prepared statements kept per SQL text: Kysely prepares every query anew, and preparing costs. */
const STATEMENT_CACHE_SIZE = 500;

/** SQLite's `synchronous` setting: FULL syncs the disk at every commit, NORMAL at checkpoints. */
export type SqliteSynchronous = 'FULL' | 'NORMAL';

export class NodeSqliteDatabase implements SqliteDatabase {
  readonly #database: DatabaseSync;
  readonly #statements = new Map<string, StatementAdapter>();

  constructor(path: string, options: { synchronous?: SqliteSynchronous } = {}) {
    const synchronous = options.synchronous ?? 'FULL';
    // Spelled out rather than interpolated from outside: a PRAGMA takes no parameters.
    if (synchronous !== 'FULL' && synchronous !== 'NORMAL') {
      throw new Error(`Invalid SQLite synchronous setting: ${String(synchronous)} (FULL or NORMAL)`);
    }
    this.#database = new DatabaseSync(path);
    this.#database.exec(
      `PRAGMA journal_mode = WAL; PRAGMA synchronous = ${synchronous}; PRAGMA foreign_keys = ON; PRAGMA busy_timeout = 5000;`,
    );
  }

  prepare(sql: string): SqliteStatement {
    // Kysely opens transactions with a plain (deferred) `begin`. Across processes on one file, a
    // deferred transaction that reads and then writes fails at once with "database is locked" when
    // another process wrote in between (the busy timeout cannot help it: its snapshot is stale).
    // An immediate one takes the write lock first, waits for another writer (busy_timeout), and
    // then reads what that writer committed — e.g. the tokens another process just refreshed.
    const text = /^\s*begin\s*;?\s*$/i.test(sql) ? 'begin immediate' : sql;
    const cached = this.#statements.get(text);
    if (cached) {
      // Most recently used last: the first entry is the one to evict.
      this.#statements.delete(text);
      this.#statements.set(text, cached);
      return cached;
    }
    const statement = new StatementAdapter(this.#database.prepare(text));
    this.#statements.set(text, statement);
    if (this.#statements.size > STATEMENT_CACHE_SIZE) {
      this.#statements.delete(this.#statements.keys().next().value as string);
    }
    return statement;
  }

  close(): void {
    this.#statements.clear();
    this.#database.close();
  }
}
