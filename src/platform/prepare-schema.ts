import type { Logger } from '../core/logger.ts';
import { migrate, pendingMigrations, type Store } from '../store/database.ts';

/** The database lacks migrations this version needs, and the service was told not to apply them. */
export class SchemaBehindError extends Error {
  readonly pending: string[];

  constructor(pending: string[]) {
    super(
      `The database schema is behind this version of Forcefield (pending migrations: ${pending.join(', ')}). ` +
        'MIGRATE_ON_START is false: run `forcefield migrate` with the same DATABASE_URL, then start again.',
    );
    this.name = 'SchemaBehindError';
    this.pending = pending;
  }
}

/**
 * Brings the schema to this version before anything reads it: applies pending migrations when
 * `migrateOnStart`, else only checks that none is pending (a rolling deploy runs `forcefield
 * migrate` once, before the new instances start, and old instances keep running on the new schema).
 */
export async function prepareSchema({
  store,
  migrateOnStart,
  logger,
}: {
  store: Store;
  migrateOnStart: boolean;
  logger: Logger;
}): Promise<void> {
  if (migrateOnStart) {
    const applied = await migrate(store);
    if (applied.length > 0) logger.info({ migrations: applied }, 'applied database migrations');
    return;
  }
  const pending = await pendingMigrations(store);
  if (pending.length > 0) throw new SchemaBehindError(pending);
}
