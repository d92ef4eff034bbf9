/** Shared by the account suites: a service with one admin from the environment, a member, dumps. */
import { sql } from 'kysely';
import type { Store } from '../../src/store/database.ts';
import { ApiClient } from '../support/api-client.ts';
import { openTestStore, type TestStore } from '../support/store.ts';
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
  const tables = [
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
  ];
  const dumps: string[] = [];
  for (const table of tables) {
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
