/** Shared by the account suites: a service with one admin from the environment, a member, dumps. */
import { sql } from 'kysely';
import { afterAll, beforeAll, expect } from 'vitest';
import type { Store } from '../../src/store/database.ts';
import { ApiClient } from '../support/api-client.ts';
import { openTestStore, STORED_TABLES, type TestStore } from '../support/store.ts';
import { createTestService, type TestService } from '../support/test-service.ts';

export const ADMIN_EMAIL = 'admin@example.com';
export const ADMIN_PASSWORD = 'correct horse battery';
export const MEMBER_EMAIL = 'member@example.com';
export const MEMBER_PASSWORD = 'member-password-42';

export interface AccountsSetup {
  storage: TestStore;
  test: TestService;
  /** Logged in as the admin. */
  admin: ApiClient;
  dispose(): Promise<void>;
}

/** The service without the demo workspace: its only user is the admin the environment names. */
export async function setUpAccounts(dialect: 'sqlite' | 'postgres'): Promise<AccountsSetup> {
  const storage = await openTestStore(dialect);
  const test = await createTestService({
    store: storage.store,
    salesforce: { embedded: false },
    environment: { FORCEFIELD_ADMIN_EMAIL: ADMIN_EMAIL, FORCEFIELD_ADMIN_PASSWORD: ADMIN_PASSWORD },
  });
  const admin = new ApiClient(test);
  const login = await admin.logIn(ADMIN_EMAIL, ADMIN_PASSWORD);
  if (login.status !== 200) throw new Error(`admin login failed: ${JSON.stringify(login.body)}`);
  return {
    storage,
    test,
    admin,
    async dispose() {
      await test.stop();
      await storage.dispose();
    },
  };
}

/** The admin creates a member over the API; answers the member, logged in. */
export async function addMember(
  test: TestService,
  admin: ApiClient,
): Promise<{ member: ApiClient; memberId: string }> {
  const created = await admin.request('POST', '/api/users', {
    body: { email: MEMBER_EMAIL, name: 'Mia Member', password: MEMBER_PASSWORD },
  });
  if (created.status !== 201) throw new Error(`member: ${created.status} ${JSON.stringify(created.body)}`);
  const member = new ApiClient(test);
  const login = await member.logIn(MEMBER_EMAIL, MEMBER_PASSWORD);
  if (login.status !== 200) throw new Error(`member login failed: ${JSON.stringify(login.body)}`);
  return { member, memberId: created.body.user.id };
}

/** Every text value of every row of every table, for "this secret is stored nowhere" checks. */
export async function allStoredText(store: Store): Promise<string> {
  const dumps: string[] = [];
  for (const table of STORED_TABLES) {
    const result = await sql<Record<string, unknown>>`select * from ${sql.table(table)}`.execute(store.db);
    dumps.push(JSON.stringify(result.rows));
  }
  return dumps.join('\n');
}

/** The actions in the audit log, oldest first. */
export async function auditedActions(store: Store): Promise<string[]> {
  const rows = await store.db.selectFrom('audit_events').select('action').execute();
  return rows.map((row) => row.action);
}

/** Expects each of `expected` among the audited actions. */
export async function expectAudited(store: Store, expected: string[]): Promise<void> {
  const actions = await auditedActions(store);
  for (const action of expected) {
    expect(actions, action).toContain(action);
  }
}

/** Expects none of `secrets` in the service's logs nor anywhere in `store`. */
export async function expectSecretsKeptOut(
  test: TestService,
  store: Store,
  secrets: string[],
): Promise<void> {
  const logs = test.logs.join('');
  const stored = await allStoredText(store);
  for (const secret of secrets) {
    expect(logs.includes(secret), 'a secret in the logs').toBe(false);
    expect(stored.includes(secret), 'a secret in the database').toBe(false);
  }
}

export interface AccountsWithMember extends AccountsSetup {
  /** Logged in as the member the admin created. */
  member: ApiClient;
  memberId: string;
}

/**
 * Sets up the accounts service and a member before the suite's tests, and disposes of it after them.
 * The object returned is filled in by the suite's `beforeAll`: read it inside hooks and tests only.
 */
export function useAccountsWithMember(dialect: 'sqlite' | 'postgres'): AccountsWithMember {
  const world = {} as AccountsWithMember;
  let setup: AccountsSetup | undefined;
  beforeAll(async () => {
    setup = await setUpAccounts(dialect);
    Object.assign(world, setup, await addMember(setup.test, setup.admin));
  });
  afterAll(async () => {
    await setup?.dispose();
  });
  return world;
}
