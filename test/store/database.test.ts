import { describe, expect, it } from 'vitest';
import { migrate } from '../../src/store/database.ts';
import { openTestStore, STORE_DIALECTS } from '../support/store.ts';

describe.each(STORE_DIALECTS)('store on %s', (dialect) => {
  it('migrates, round-trips rows and enforces constraints', async () => {
    const test = await openTestStore(dialect);
    try {
      const { db } = test.store;
      expect(await migrate(test.store)).toEqual([]);
      const now = new Date().toISOString();
      await db
        .insertInto('users')
        .values({
          id: 'u1',
          email: 'a@b.c',
          name: 'A',
          password_hash: 'h',
          role: 'admin',
          created_at: now,
          disabled_at: null,
        })
        .execute();
      const user = await db
        .selectFrom('users')
        .selectAll()
        .where('email', '=', 'a@b.c')
        .executeTakeFirstOrThrow();
      expect(user).toMatchObject({ id: 'u1', role: 'admin', disabled_at: null });
      await expect(
        db
          .insertInto('users')
          .values({
            id: 'u2',
            email: 'a@b.c',
            name: 'B',
            password_hash: 'h',
            role: 'member',
            created_at: now,
            disabled_at: null,
          })
          .execute(),
      ).rejects.toThrow();
      const updated = await db
        .updateTable('users')
        .set({ name: 'Renamed' })
        .where('id', '=', 'u1')
        .returning(['name'])
        .executeTakeFirst();
      expect(updated?.name).toBe('Renamed');
    } finally {
      await test.dispose();
    }
  });
});
