import { createHash } from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { principalsOf } from '../../src/accounts/principals.ts';
import type { Store } from '../../src/store/database.ts';
import { emulatorSalesforce, startTestService, type TestService } from '../support/service.ts';
import { openTestStore, STORE_DIALECTS, type TestStore } from '../support/store.ts';

const ADMIN_EMAIL = 'admin@example.com';
const ADMIN_PASSWORD = 'correct horse battery';
const MEMBER_PASSWORD = 'member-password-42';

interface JsonResponse {
  status: number;
  headers: Headers;
  // biome-ignore lint/suspicious/noExplicitAny: test assertions read arbitrary response shapes
  body: any;
}

/** A browser-like client: keeps the session cookie and sends the CSRF token on writes. */
class Client {
  readonly baseUrl: string;
  cookie: string | undefined;
  csrfToken: string | undefined;
  apiKey: string | undefined;

  constructor(baseUrl: string) {
    this.baseUrl = baseUrl;
  }

  async request(
    method: string,
    path: string,
    options: { body?: unknown; headers?: Record<string, string>; csrf?: boolean } = {},
  ): Promise<JsonResponse> {
    const headers: Record<string, string> = { ...options.headers };
    if (options.body !== undefined) headers['Content-Type'] ??= 'application/json';
    if (this.cookie) headers.Cookie = this.cookie;
    if (this.apiKey) headers.Authorization = `Bearer ${this.apiKey}`;
    if (this.cookie && this.csrfToken && options.csrf !== false && method !== 'GET') {
      headers['X-CSRF-Token'] = this.csrfToken;
    }
    const response = await fetch(`${this.baseUrl}${path}`, {
      method,
      headers,
      body:
        options.body === undefined
          ? undefined
          : typeof options.body === 'string'
            ? options.body
            : JSON.stringify(options.body),
    });
    for (const setCookie of response.headers.getSetCookie()) {
      const [pair] = setCookie.split(';');
      if (!pair.startsWith('forcefield_session=')) continue;
      this.cookie = pair === 'forcefield_session=' || /Max-Age=0/i.test(setCookie) ? undefined : pair;
    }
    const text = await response.text();
    return { status: response.status, headers: response.headers, body: text ? JSON.parse(text) : null };
  }

  async logIn(email: string, password: string): Promise<JsonResponse> {
    const response = await this.request('POST', '/api/auth/login', { body: { email, password } });
    if (response.status === 200) this.csrfToken = response.body.csrfToken;
    return response;
  }
}

/** Every text value of every row of every table, for "this secret is stored nowhere" checks. */
async function allStoredText(store: Store): Promise<string> {
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

describe.each(STORE_DIALECTS)('accounts on %s', (dialect) => {
  let storage: TestStore;
  let test: TestService;
  let admin: Client;
  let member: Client;
  let memberId: string;
  const secrets: string[] = [ADMIN_PASSWORD, MEMBER_PASSWORD];

  beforeAll(async () => {
    storage = await openTestStore(dialect);
    test = await startTestService(
      { ...emulatorSalesforce('http://127.0.0.1:9'), embedded: false },
      { FORCEFIELD_ADMIN_EMAIL: ADMIN_EMAIL, FORCEFIELD_ADMIN_PASSWORD: ADMIN_PASSWORD },
      storage.store,
    );
    admin = new Client(test.service.url);
    member = new Client(test.service.url);
  });

  afterAll(async () => {
    await test?.stop();
    await storage?.dispose();
  });

  it('creates the first admin from the environment, once', async () => {
    const users = await storage.store.db.selectFrom('users').selectAll().execute();
    expect(users).toHaveLength(1);
    expect(users[0]).toMatchObject({ email: ADMIN_EMAIL, role: 'admin', disabled_at: null });
    expect(users[0].password_hash).toMatch(/^scrypt\$32768\$8\$1\$/);
  });

  it('logs in with a session cookie, answers /api/me, and logs out', async () => {
    const anonymous = new Client(test.service.url);
    const refused = await anonymous.request('GET', '/api/me');
    expect(refused.status).toBe(401);
    expect(refused.body.error.code).toBe('unauthenticated');

    const wrongType = await anonymous.request('POST', '/api/auth/login', {
      body: JSON.stringify({ email: ADMIN_EMAIL, password: ADMIN_PASSWORD }),
      headers: { 'Content-Type': 'text/plain' },
    });
    expect(wrongType.status).toBe(415);
    const malformed = await anonymous.request('POST', '/api/auth/login', { body: '{"email":' });
    expect(malformed.status).toBe(400);
    expect(malformed.body.error.code).toBe('invalid_json');
    const missing = await anonymous.request('POST', '/api/auth/login', { body: { email: ADMIN_EMAIL } });
    expect(missing.status).toBe(400);
    expect(missing.body.error.message).toMatch(/password/);

    // Emails are case-insensitive.
    const login = await admin.logIn('  Admin@Example.COM ', ADMIN_PASSWORD);
    expect(login.status).toBe(200);
    expect(login.body.user).toMatchObject({ email: ADMIN_EMAIL, role: 'admin', disabledAt: null });
    expect(login.body.user.passwordHash).toBeUndefined();
    expect(login.body.csrfToken).toMatch(/^[\w-]{43}$/);
    const setCookie = login.headers.getSetCookie().find((value) => value.startsWith('forcefield_session='))!;
    expect(setCookie).toMatch(/HttpOnly/);
    expect(setCookie).toMatch(/SameSite=Lax/);
    expect(setCookie).toMatch(/Path=\//);
    expect(setCookie).toMatch(/Max-Age=1209600/);
    expect(setCookie).not.toMatch(/Secure/);

    // Only the token's SHA-256 is stored.
    const token = admin.cookie!.split('=')[1];
    secrets.push(token);
    const sessions = await storage.store.db.selectFrom('sessions').selectAll().execute();
    expect(sessions.map((session) => session.id)).toContain(createHash('sha256').update(token).digest('hex'));

    const me = await admin.request('GET', '/api/me');
    expect(me.status).toBe(200);
    expect(me.body).toMatchObject({
      user: { email: ADMIN_EMAIL },
      method: 'session',
      csrfToken: login.body.csrfToken,
    });

    // A second browser logs in, out, and is out.
    const other = new Client(test.service.url);
    expect((await other.logIn(ADMIN_EMAIL, ADMIN_PASSWORD)).status).toBe(200);
    const noToken = await other.request('POST', '/api/auth/logout', { csrf: false });
    expect(noToken.status).toBe(403);
    expect(noToken.body.error.code).toBe('csrf_failed');
    const cookieBefore = other.cookie;
    const logout = await other.request('POST', '/api/auth/logout');
    expect(logout.status).toBe(204);
    expect(other.cookie).toBeUndefined();
    other.cookie = cookieBefore;
    expect((await other.request('GET', '/api/me')).status).toBe(401);
    // The first browser's session is untouched.
    expect((await admin.request('GET', '/api/me')).status).toBe(200);
  });

  it('answers a wrong password and an unknown email alike', async () => {
    const anonymous = new Client(test.service.url);
    const wrong = await anonymous.logIn(ADMIN_EMAIL, 'not the password');
    const unknown = await anonymous.logIn('nobody@example.com', 'not the password');
    expect(wrong.status).toBe(401);
    expect(unknown.status).toBe(401);
    expect(wrong.body).toEqual(unknown.body);
    expect(wrong.body.error.code).toBe('invalid_credentials');
  });

  it('lets admins create users, with clear errors for bad input', async () => {
    const created = await admin.request('POST', '/api/users', {
      body: { email: 'Member@Example.com', name: 'Mia Member', password: MEMBER_PASSWORD },
    });
    expect(created.status).toBe(201);
    expect(created.body.user).toMatchObject({
      email: 'member@example.com',
      role: 'member',
      name: 'Mia Member',
    });
    memberId = created.body.user.id;

    const duplicate = await admin.request('POST', '/api/users', {
      body: { email: 'MEMBER@example.com', name: 'Again', password: MEMBER_PASSWORD },
    });
    expect(duplicate.status).toBe(409);
    const short = await admin.request('POST', '/api/users', {
      body: { email: 'short@example.com', name: 'Short', password: 'too-short' },
    });
    expect(short.status).toBe(400);
    expect(short.body.error.message).toBe('password: Passwords must be at least 10 characters long.');
    const badEmail = await admin.request('POST', '/api/users', {
      body: { email: 'not-an-email', name: 'X', password: MEMBER_PASSWORD },
    });
    expect(badEmail.status).toBe(400);
    expect(badEmail.body.error.message).toMatch(/valid email/);
    const badRole = await admin.request('POST', '/api/users', {
      body: { email: 'x@example.com', name: 'X', password: MEMBER_PASSWORD, role: 'owner' },
    });
    expect(badRole.status).toBe(400);
    const extra = await admin.request('PATCH', `/api/users/${memberId}`, { body: { disable: true } });
    expect(extra.status).toBe(400);
    const unknown = await admin.request('PATCH', '/api/users/nope', { body: { name: 'X' } });
    expect(unknown.status).toBe(404);
    const textBody = await admin.request('POST', '/api/users', {
      body: 'email=x',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    });
    expect(textBody.status).toBe(415);

    const list = await admin.request('GET', '/api/users');
    expect(list.body.users.map((user: { email: string }) => user.email)).toEqual([
      ADMIN_EMAIL,
      'member@example.com',
    ]);

    expect((await member.logIn('member@example.com', MEMBER_PASSWORD)).status).toBe(200);
  });

  it('requires the CSRF token and a same-site Origin for cookie writes, but not for API keys', async () => {
    const noToken = await member.request('POST', '/api/api-keys', { body: { name: 'x' }, csrf: false });
    expect(noToken.status).toBe(403);
    expect(noToken.body.error.code).toBe('csrf_failed');
    const wrongToken = await member.request('POST', '/api/api-keys', {
      body: { name: 'x' },
      csrf: false,
      headers: { 'X-CSRF-Token': 'A'.repeat(43) },
    });
    expect(wrongToken.status).toBe(403);
    const crossSite = await member.request('POST', '/api/api-keys', {
      body: { name: 'x' },
      headers: { Origin: 'https://evil.example' },
    });
    expect(crossSite.status).toBe(403);
    expect(crossSite.body.error.code).toBe('csrf_failed');
    const crossSiteLogin = await new Client(test.service.url).request('POST', '/api/auth/login', {
      body: { email: ADMIN_EMAIL, password: ADMIN_PASSWORD },
      headers: { Origin: 'https://evil.example' },
    });
    expect(crossSiteLogin.status).toBe(403);
    const sameSite = await member.request('POST', '/api/api-keys', {
      body: { name: 'laptop' },
      headers: { Origin: test.service.url },
    });
    expect(sameSite.status).toBe(201);
    secrets.push(sameSite.body.key);
    expect((await member.request('GET', '/api/me')).status).toBe(200);

    // An API key needs no CSRF token (it is never sent by a browser on its own).
    const keyClient = new Client(test.service.url);
    keyClient.apiKey = sameSite.body.key;
    const viaKey = await keyClient.request('POST', '/api/api-keys', { body: { name: 'from a script' } });
    expect(viaKey.status).toBe(201);
    secrets.push(viaKey.body.key);
  });

  it('creates, lists, uses and revokes personal API keys', async () => {
    const created = await member.request('POST', '/api/api-keys', { body: { name: 'Claude agent' } });
    expect(created.status).toBe(201);
    expect(Object.keys(created.body).sort()).toEqual([
      'createdAt',
      'id',
      'key',
      'lastUsedAt',
      'name',
      'prefix',
    ]);
    const key: string = created.body.key;
    secrets.push(key);
    expect(key).toMatch(/^ff_[\w-]{43}$/);
    expect(created.body.prefix).toBe(key.slice(0, 8));

    const list = await member.request('GET', '/api/api-keys');
    expect(list.status).toBe(200);
    const listed = list.body.apiKeys.find((entry: { id: string }) => entry.id === created.body.id);
    expect(listed).toEqual({
      id: created.body.id,
      name: 'Claude agent',
      prefix: key.slice(0, 8),
      createdAt: created.body.createdAt,
      lastUsedAt: null,
    });
    expect(JSON.stringify(list.body)).not.toContain(key);

    const script = new Client(test.service.url);
    script.apiKey = key;
    const me = await script.request('GET', '/api/me');
    expect(me.status).toBe(200);
    expect(me.body).toMatchObject({ user: { id: memberId }, method: 'api-key', csrfToken: null });
    const row = await storage.store.db
      .selectFrom('api_keys')
      .selectAll()
      .where('id', '=', created.body.id)
      .executeTakeFirstOrThrow();
    expect(row.last_used_at).not.toBeNull();
    expect(row.key_hash).toBe(createHash('sha256').update(key).digest('hex'));

    const forged = new Client(test.service.url);
    forged.apiKey = `ff_${'x'.repeat(43)}`;
    expect((await forged.request('GET', '/api/me')).status).toBe(401);
    forged.apiKey = 'not-even-a-key';
    expect((await forged.request('GET', '/api/me')).status).toBe(401);

    // Members cannot revoke someone else's key (it does not exist for them); admins can.
    const adminKey = await admin.request('POST', '/api/api-keys', { body: { name: 'admin key' } });
    secrets.push(adminKey.body.key);
    expect((await member.request('DELETE', `/api/api-keys/${adminKey.body.id}`)).status).toBe(404);
    expect((await member.request('DELETE', '/api/api-keys/unknown')).status).toBe(404);

    expect((await member.request('DELETE', `/api/api-keys/${created.body.id}`)).status).toBe(204);
    expect((await script.request('GET', '/api/me')).status).toBe(401);
    const after = await member.request('GET', '/api/api-keys');
    expect(after.body.apiKeys.map((entry: { id: string }) => entry.id)).not.toContain(created.body.id);

    const another = await member.request('POST', '/api/api-keys', {
      body: { name: 'to be revoked by admin' },
    });
    secrets.push(another.body.key);
    expect((await admin.request('DELETE', `/api/api-keys/${another.body.id}`)).status).toBe(204);
    script.apiKey = another.body.key;
    expect((await script.request('GET', '/api/me')).status).toBe(401);

    const unnamed = await member.request('POST', '/api/api-keys', { body: { name: '' } });
    expect(unnamed.status).toBe(400);
  });

  it('manages groups, and members get 403 on every admin endpoint', async () => {
    const created = await admin.request('POST', '/api/groups', { body: { name: 'Sales' } });
    expect(created.status).toBe(201);
    const groupId: string = created.body.group.id;
    expect((await admin.request('POST', '/api/groups', { body: { name: 'Sales' } })).status).toBe(409);
    expect((await admin.request('POST', '/api/groups', { body: { name: '  ' } })).status).toBe(400);

    const renamed = await admin.request('PATCH', `/api/groups/${groupId}`, { body: { name: 'EMEA Sales' } });
    expect(renamed.body.group.name).toBe('EMEA Sales');
    const added = await admin.request('POST', `/api/groups/${groupId}/members`, {
      body: { userId: memberId },
    });
    expect(added.status).toBe(200);
    expect(added.body.group.memberIds).toEqual([memberId]);
    expect(await principalsOf(storage.store, memberId)).toEqual({ userId: memberId, groupIds: [groupId] });

    const adminId = (await admin.request('GET', '/api/me')).body.user.id;
    const replaced = await admin.request('PUT', `/api/groups/${groupId}/members`, {
      body: { userIds: [adminId, memberId, adminId] },
    });
    expect(replaced.body.group.memberIds.sort()).toEqual([adminId, memberId].sort());
    const unknownUser = await admin.request('PUT', `/api/groups/${groupId}/members`, {
      body: { userIds: ['ghost'] },
    });
    expect(unknownUser.status).toBe(404);
    expect(
      (await admin.request('POST', '/api/groups/ghost/members', { body: { userId: memberId } })).status,
    ).toBe(404);
    expect((await admin.request('DELETE', `/api/groups/${groupId}/members/${adminId}`)).status).toBe(204);
    expect((await admin.request('DELETE', `/api/groups/${groupId}/members/${adminId}`)).status).toBe(404);
    const listed = await admin.request('GET', '/api/groups');
    expect(listed.body.groups).toEqual([
      expect.objectContaining({ id: groupId, name: 'EMEA Sales', memberIds: [memberId] }),
    ]);

    // Every admin endpoint: members 403, nobody 401.
    const adminEndpoints: Array<[string, string, unknown?]> = [
      ['GET', '/api/users'],
      ['POST', '/api/users', { email: 'm2@example.com', name: 'M2', password: MEMBER_PASSWORD }],
      ['GET', `/api/users/${memberId}`],
      ['PATCH', `/api/users/${memberId}`, { role: 'admin' }],
      ['GET', '/api/groups'],
      ['POST', '/api/groups', { name: 'Mine' }],
      ['GET', `/api/groups/${groupId}`],
      ['PATCH', `/api/groups/${groupId}`, { name: 'Mine' }],
      ['PUT', `/api/groups/${groupId}/members`, { userIds: [] }],
      ['POST', `/api/groups/${groupId}/members`, { userId: memberId }],
      ['DELETE', `/api/groups/${groupId}/members/${memberId}`],
      ['DELETE', `/api/groups/${groupId}`],
    ];
    const anonymous = new Client(test.service.url);
    for (const [method, path, body] of adminEndpoints) {
      const denied = await member.request(method, path, { body });
      expect(denied.status, `${method} ${path}`).toBe(403);
      expect(denied.body.error.code).toBe('forbidden');
      expect((await anonymous.request(method, path, { body })).status, `${method} ${path}`).toBe(401);
    }
    expect((await member.request('GET', '/api/me')).body.user.role).toBe('member');
    expect((await admin.request('GET', `/api/groups/${groupId}`)).body.group.memberIds).toEqual([memberId]);

    expect((await admin.request('DELETE', `/api/groups/${groupId}`)).status).toBe(204);
    expect((await admin.request('DELETE', `/api/groups/${groupId}`)).status).toBe(404);
    expect(await principalsOf(storage.store, memberId)).toEqual({ userId: memberId, groupIds: [] });
  });

  it('keeps at least one active admin', async () => {
    const adminId = (await admin.request('GET', '/api/me')).body.user.id;
    const demote = await admin.request('PATCH', `/api/users/${adminId}`, { body: { role: 'member' } });
    expect(demote.status).toBe(409);
    const disable = await admin.request('PATCH', `/api/users/${adminId}`, { body: { disabled: true } });
    expect(disable.status).toBe(409);
    expect((await admin.request('PATCH', `/api/users/${adminId}`, { body: {} })).status).toBe(400);
    // With a second admin, the first may step down; promoting and demoting round-trips.
    const promoted = await admin.request('PATCH', `/api/users/${memberId}`, {
      body: { role: 'admin', name: 'Mia M.' },
    });
    expect(promoted.body.user).toMatchObject({ role: 'admin', name: 'Mia M.' });
    expect((await member.request('GET', '/api/users')).status).toBe(200);
    expect(
      (await admin.request('PATCH', `/api/users/${memberId}`, { body: { role: 'member' } })).status,
    ).toBe(200);
    expect((await member.request('GET', '/api/users')).status).toBe(403);
  });

  it('cuts a disabled user off at once, sessions and API keys alike', async () => {
    const key = await member.request('POST', '/api/api-keys', { body: { name: 'before disabling' } });
    secrets.push(key.body.key);
    const script = new Client(test.service.url);
    script.apiKey = key.body.key;
    expect((await script.request('GET', '/api/me')).status).toBe(200);
    const memberCookie = member.cookie;

    const disabled = await admin.request('PATCH', `/api/users/${memberId}`, { body: { disabled: true } });
    expect(disabled.status).toBe(200);
    expect(disabled.body.user.disabledAt).not.toBeNull();

    expect((await member.request('GET', '/api/me')).status).toBe(401);
    expect((await script.request('GET', '/api/me')).status).toBe(401);
    member.cookie = memberCookie;
    expect((await member.request('GET', '/api/api-keys')).status).toBe(401);
    const login = await new Client(test.service.url).logIn('member@example.com', MEMBER_PASSWORD);
    expect(login.status).toBe(403);
    expect(login.body.error.code).toBe('account_disabled');

    // Enabled again: the key works again, the ended session does not come back.
    await admin.request('PATCH', `/api/users/${memberId}`, { body: { disabled: false } });
    expect((await script.request('GET', '/api/me')).status).toBe(200);
    member.cookie = memberCookie;
    expect((await member.request('GET', '/api/me')).status).toBe(401);
    expect((await member.logIn('member@example.com', MEMBER_PASSWORD)).status).toBe(200);
  });

  it('lets people change their own password, and admins reset anyone’s', async () => {
    const newPassword = 'a brand new passphrase';
    secrets.push(newPassword);
    const wrong = await member.request('POST', '/api/auth/password', {
      body: { currentPassword: 'nope-nope-nope', newPassword },
    });
    expect(wrong.status).toBe(400);
    const changed = await member.request('POST', '/api/auth/password', {
      body: { currentPassword: MEMBER_PASSWORD, newPassword },
    });
    expect(changed.status).toBe(204);
    expect((await member.request('GET', '/api/me')).status).toBe(200);
    expect((await new Client(test.service.url).logIn('member@example.com', MEMBER_PASSWORD)).status).toBe(
      401,
    );

    const reset = await admin.request('PATCH', `/api/users/${memberId}`, {
      body: { password: MEMBER_PASSWORD },
    });
    expect(reset.status).toBe(200);
    // A reset ends the user's sessions.
    expect((await member.request('GET', '/api/me')).status).toBe(401);
    expect((await member.logIn('member@example.com', MEMBER_PASSWORD)).status).toBe(200);
  });

  it('audits account changes and logins', async () => {
    const { events } = await test.service.store.db
      .selectFrom('audit_events')
      .select('action')
      .execute()
      .then((rows) => ({ events: rows.map((row) => row.action) }));
    for (const action of [
      'user.created',
      'user.updated',
      'user.disabled',
      'user.enabled',
      'user.password_changed',
      'user.password_reset',
      'auth.login.succeeded',
      'auth.login.failed',
      'auth.login.denied',
      'auth.logout',
      'api_key.created',
      'api_key.revoked',
      'group.created',
      'group.renamed',
      'group.member_added',
      'group.members_replaced',
      'group.member_removed',
      'group.deleted',
    ]) {
      expect(events, action).toContain(action);
    }
  });

  it('keeps passwords, session tokens and API keys out of the logs and the database', async () => {
    expect(secrets.length).toBeGreaterThan(8);
    const logs = test.logs.join('');
    const stored = await allStoredText(storage.store);
    for (const secret of secrets) {
      expect(logs.includes(secret), 'a secret in the logs').toBe(false);
      expect(stored.includes(secret), 'a secret in the database').toBe(false);
    }
  });
});

describe('demo workspace', () => {
  it('seeds an admin and two members in demo mode and reports the logins', async () => {
    const storage = await openTestStore('sqlite');
    const test = await startTestService(emulatorSalesforce('http://127.0.0.1:9'), {}, storage.store);
    try {
      const logins = test.service.demoLogins;
      expect(logins.map((login) => login.role)).toEqual(['admin', 'member', 'member']);
      const client = new Client(test.service.url);
      const login = await client.logIn(logins[1].email, logins[1].password);
      expect(login.status).toBe(200);
      expect(login.body.user.role).toBe('member');
      const groups = await storage.store.db.selectFrom('groups').select('name').execute();
      expect(groups).toEqual([{ name: 'Sales' }]);
    } finally {
      await test.stop();
    }
    // A second start finds the workspace in use: nothing is added, the working logins are reported.
    const again = await startTestService(emulatorSalesforce('http://127.0.0.1:9'), {}, storage.store);
    try {
      expect(again.service.demoLogins).toHaveLength(3);
      expect(await storage.store.db.selectFrom('users').select('id').execute()).toHaveLength(3);
    } finally {
      await again.stop();
      await storage.dispose();
    }
  });
});
