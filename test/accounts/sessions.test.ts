import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiClient } from '../support/api-client.ts';
import { STORE_DIALECTS } from '../support/store.ts';
import {
  type AccountsSetup,
  ADMIN_EMAIL,
  ADMIN_PASSWORD,
  expectAudited,
  expectSecretsKeptOut,
  setUpAccounts,
} from './support.ts';

describe.each(STORE_DIALECTS)('login sessions on %s', (dialect) => {
  let setup: AccountsSetup;
  const secrets: string[] = [ADMIN_PASSWORD];

  beforeAll(async () => {
    setup = await setUpAccounts(dialect);
  });

  afterAll(async () => {
    await setup?.dispose();
  });

  it('creates the first admin from the environment, once', async () => {
    const users = await setup.storage.store.db.selectFrom('users').selectAll().execute();
    expect(users).toHaveLength(1);
    expect(users[0]).toMatchObject({ email: ADMIN_EMAIL, role: 'admin', disabled_at: null });
    // The service's configured cost (the harness lowers it; login-unknown-email checks production's 2^15).
    const cost = 2 ** setup.test.context.config.PASSWORD_HASH_COST;
    expect(users[0].password_hash).toMatch(new RegExp(`^scrypt\\$${cost}\\$8\\$1\\$`));
  });

  it('logs in with a session cookie, answers /api/me, and logs out', async () => {
    const { test, storage } = setup;
    const anonymous = new ApiClient(test);
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
    const admin = new ApiClient(test);
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
    const other = new ApiClient(test);
    expect((await other.logIn(ADMIN_EMAIL, ADMIN_PASSWORD)).status).toBe(200);
    secrets.push(other.cookie!.split('=')[1]);
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
    const anonymous = new ApiClient(setup.test);
    const wrong = await anonymous.logIn(ADMIN_EMAIL, 'not the password');
    const unknown = await anonymous.logIn('nobody@example.com', 'not the password');
    expect(wrong.status).toBe(401);
    expect(unknown.status).toBe(401);
    expect(wrong.body).toEqual(unknown.body);
    expect(wrong.body.error.code).toBe('invalid_credentials');
  });

  it('audits logins and logouts', async () => {
    await expectAudited(setup.test.store, ['auth.login.succeeded', 'auth.login.failed', 'auth.logout']);
  });

  it('keeps passwords and session tokens out of the logs and the database', async () => {
    expect(secrets).toHaveLength(3);
    await expectSecretsKeptOut(setup.test, setup.storage.store, secrets);
  });
});
