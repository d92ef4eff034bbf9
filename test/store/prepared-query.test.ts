import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { preparedInsert, preparedQuery } from '../../src/store/prepared-query.ts';
import type { UsersTable } from '../../src/store/schema.ts';
import { openTestStore, STORE_DIALECTS, type TestStore } from '../support/store.ts';

const insertUser = preparedInsert<'users', UsersTable>('users', [
  'id',
  'email',
  'name',
  'password_hash',
  'role',
  'created_at',
  'disabled_at',
]);
const userByEmail = preparedQuery(1, (db, email: string) =>
  db.selectFrom('users').select(['id', 'name']).where('email', '=', email),
);
const rename = preparedQuery(2, (db, id: string, name: string) =>
  db.updateTable('users').set({ name }).where('id', '=', id).where('role', '=', 'member'),
);

describe.each(STORE_DIALECTS)('prepared queries on %s', (dialect) => {
  let test: TestStore;
  beforeAll(async () => {
    test = await openTestStore(dialect);
  });
  afterAll(async () => {
    await test.dispose();
  });

  const user = (id: string, email: string, name: string, role: 'admin' | 'member'): UsersTable => ({
    id,
    email,
    name,
    password_hash: 'h',
    role,
    created_at: new Date(0).toISOString(),
    disabled_at: null,
  });

  it('runs the statement compiled once with each call’s values, bound as parameters', async () => {
    const { db } = test.store;
    await insertUser.execute(db, user('u1', 'a@example.com', "O'Brien; drop table users", 'member'));
    await insertUser.execute(db, user('u2', 'b@example.com', 'Bea', 'admin'));
    expect(await userByEmail.takeFirst(db, 'a@example.com')).toEqual({
      id: 'u1',
      name: "O'Brien; drop table users",
    });
    expect(await userByEmail.takeFirst(db, 'b@example.com')).toEqual({ id: 'u2', name: 'Bea' });
    expect(await userByEmail.takeFirst(db, "a@example.com' or '1'='1")).toBeUndefined();
    // What Kysely itself reads back is the same.
    const stored = await db.selectFrom('users').selectAll().orderBy('id').execute();
    expect(stored).toEqual([
      user('u1', 'a@example.com', "O'Brien; drop table users", 'member'),
      user('u2', 'b@example.com', 'Bea', 'admin'),
    ]);
  });

  it('answers how many rows a write changed, constants of the query included', async () => {
    const { db } = test.store;
    expect(Number((await rename.execute(db, 'u1', 'Ann')).numAffectedRows)).toBe(1);
    // u2 is an admin: the query's own constant ('member') still applies.
    expect(Number((await rename.execute(db, 'u2', 'Bob')).numAffectedRows)).toBe(0);
    expect((await userByEmail.takeFirst(db, 'b@example.com'))?.name).toBe('Bea');
  });

  it('runs inside a transaction, which rolls it back with the rest', async () => {
    const { db } = test.store;
    await expect(
      db.transaction().execute(async (transaction) => {
        await rename.execute(transaction, 'u1', 'Rolled back');
        throw new Error('abort');
      }),
    ).rejects.toThrow('abort');
    expect((await userByEmail.takeFirst(db, 'a@example.com'))?.name).toBe('Ann');
  });

  it('refuses a query that binds none of its values', async () => {
    const unbound = preparedQuery(1, (db, _email: string) => db.selectFrom('users').select('id'));
    await expect(unbound.execute(test.store.db, 'x')).rejects.toThrow('binds none of its values');
  });
});
