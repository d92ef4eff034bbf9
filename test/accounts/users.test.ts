import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiClient } from '../support/api-client.ts';
import { STORE_DIALECTS } from '../support/store.ts';
import type { TestService } from '../support/test-service.ts';
import {
  type AccountsSetup,
  ADMIN_EMAIL,
  ADMIN_PASSWORD,
  expectAudited,
  expectSecretsKeptOut,
  MEMBER_EMAIL,
  MEMBER_PASSWORD,
  setUpAccounts,
} from './support.ts';

describe.each(STORE_DIALECTS)('user administration on %s', (dialect) => {
  let setup: AccountsSetup;
  let test: TestService;
  let admin: ApiClient;
  let member: ApiClient;
  let memberId: string;
  const secrets: string[] = [ADMIN_PASSWORD, MEMBER_PASSWORD];

  beforeAll(async () => {
    setup = await setUpAccounts(dialect);
    ({ test, admin } = setup);
    member = new ApiClient(test);
  });

  afterAll(async () => {
    await setup?.dispose();
  });

  it('lets admins create users, with clear errors for bad input', async () => {
    const created = await admin.request('POST', '/api/users', {
      body: { email: 'Member@Example.com', name: 'Mia Member', password: MEMBER_PASSWORD },
    });
    expect(created.status).toBe(201);
    expect(created.body.user).toMatchObject({
      email: MEMBER_EMAIL,
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
    expect(list.body.users.map((user: { email: string }) => user.email)).toEqual([ADMIN_EMAIL, MEMBER_EMAIL]);

    expect((await member.logIn(MEMBER_EMAIL, MEMBER_PASSWORD)).status).toBe(200);
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
    const script = new ApiClient(test);
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
    const login = await new ApiClient(test).logIn(MEMBER_EMAIL, MEMBER_PASSWORD);
    expect(login.status).toBe(403);
    expect(login.body.error.code).toBe('account_disabled');

    // Enabled again: the key works again, the ended session does not come back.
    await admin.request('PATCH', `/api/users/${memberId}`, { body: { disabled: false } });
    expect((await script.request('GET', '/api/me')).status).toBe(200);
    member.cookie = memberCookie;
    expect((await member.request('GET', '/api/me')).status).toBe(401);
    expect((await member.logIn(MEMBER_EMAIL, MEMBER_PASSWORD)).status).toBe(200);
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
    expect((await new ApiClient(test).logIn(MEMBER_EMAIL, MEMBER_PASSWORD)).status).toBe(401);

    const reset = await admin.request('PATCH', `/api/users/${memberId}`, {
      body: { password: MEMBER_PASSWORD },
    });
    expect(reset.status).toBe(200);
    // A reset ends the user's sessions.
    expect((await member.request('GET', '/api/me')).status).toBe(401);
    expect((await member.logIn(MEMBER_EMAIL, MEMBER_PASSWORD)).status).toBe(200);
  });

  it('audits account changes and denied logins', async () => {
    await expectAudited(test.store, [
      'user.created',
      'user.updated',
      'user.disabled',
      'user.enabled',
      'user.password_changed',
      'user.password_reset',
      'auth.login.denied',
    ]);
  });

  it('keeps passwords and API keys out of the logs and the database', async () => {
    expect(secrets).toHaveLength(4);
    await expectSecretsKeptOut(test, test.store, secrets);
  });
});
