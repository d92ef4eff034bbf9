/**
 * transactionWithoutSync: a transaction whose commit does not wait for a disk sync (a send's
 * completion), while every other commit keeps the store's setting — also one queued behind it.
 */
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore, type Store, transactionWithoutSync } from '../../src/store/database.ts';
import { openTestStore, STORE_DIALECTS, type TestStore } from '../support/store.ts';

/** What the store's connection says about syncing right now, inside whatever it is running. */
async function syncSetting(executor: Parameters<ReturnType<typeof sql>['execute']>[0], dialect: string) {
  if (dialect === 'postgres') {
    const { rows } = await sql<{ synchronous_commit: string }>`SHOW synchronous_commit`.execute(executor);
    return rows[0].synchronous_commit;
  }
  const { rows } = await sql<{ synchronous: number }>`PRAGMA synchronous`.execute(executor);
  return ({ 1: 'NORMAL', 2: 'FULL' } as Record<number, string>)[rows[0].synchronous];
}

const SYNCED = { sqlite: 'FULL', postgres: 'on' } as const;
const UNSYNCED = { sqlite: 'NORMAL', postgres: 'off' } as const;

describe.each(STORE_DIALECTS)('transactionWithoutSync (%s)', (dialect) => {
  let storage: TestStore;
  let store: Store;
  beforeAll(async () => {
    storage = await openTestStore(dialect);
    store = storage.store;
  });
  afterAll(async () => {
    await storage?.dispose();
  });

  it('commits its writes without a sync, and only its own', async () => {
    expect(await syncSetting(store.db, dialect)).toBe(SYNCED[dialect]);
    let inside: string | undefined;
    // A transaction queued while the unsynced one runs: it must commit under the store's setting.
    let queued: Promise<string | undefined> | undefined;
    await transactionWithoutSync(store, async (transaction) => {
      inside = await syncSetting(transaction, dialect);
      queued = store.db.transaction().execute((other) => syncSetting(other, dialect));
      await transaction
        .insertInto('workspace_settings')
        .values({ key: 'unsynced-test', value: '"kept"', updated_at: new Date(0).toISOString() })
        .execute();
    });
    expect(inside).toBe(UNSYNCED[dialect]);
    expect(await queued).toBe(SYNCED[dialect]);
    expect(await syncSetting(store.db, dialect)).toBe(SYNCED[dialect]);
    const row = await store.db
      .selectFrom('workspace_settings')
      .select('value')
      .where('key', '=', 'unsynced-test')
      .executeTakeFirst();
    expect(row).toEqual({ value: '"kept"' });
  });

  it('rolls back as a whole on failure and puts the setting back', async () => {
    const failure = new Error('refused');
    await expect(
      transactionWithoutSync(store, async (transaction) => {
        await transaction
          .insertInto('workspace_settings')
          .values({ key: 'rolled-back', value: '1', updated_at: new Date(0).toISOString() })
          .execute();
        throw failure;
      }),
    ).rejects.toBe(failure);
    expect(
      await store.db
        .selectFrom('workspace_settings')
        .select('key')
        .where('key', '=', 'rolled-back')
        .execute(),
    ).toEqual([]);
    expect(await syncSetting(store.db, dialect)).toBe(SYNCED[dialect]);
  });
});

it('changes nothing on a SQLite store that is already NORMAL', async () => {
  const store = openStore({ sqlitePath: ':memory:', sqliteSynchronous: 'NORMAL' });
  try {
    const inside = await transactionWithoutSync(store, (transaction) => syncSetting(transaction, 'sqlite'));
    expect(inside).toBe('NORMAL');
    expect(await syncSetting(store.db, 'sqlite')).toBe('NORMAL');
  } finally {
    await store.close();
  }
});
