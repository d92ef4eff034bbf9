import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { ApiClient } from '../support/api-client.ts';
import { STORE_DIALECTS } from '../support/store.ts';
import {
  ADMIN_EMAIL,
  ADMIN_PASSWORD,
  expectAudited,
  expectSecretsKeptOut,
  MEMBER_PASSWORD,
  useAccountsWithMember,
} from './support.ts';

describe.each(STORE_DIALECTS)('API keys and CSRF on %s', (dialect) => {
  const world = useAccountsWithMember(dialect);
  const secrets: string[] = [ADMIN_PASSWORD, MEMBER_PASSWORD];

  it('requires the CSRF token and a same-site Origin for cookie writes, but not for API keys', async () => {
    const noToken = await world.member.request('POST', '/api/api-keys', { body: { name: 'x' }, csrf: false });
    expect(noToken.status).toBe(403);
    expect(noToken.body.error.code).toBe('csrf_failed');
    const wrongToken = await world.member.request('POST', '/api/api-keys', {
      body: { name: 'x' },
      csrf: false,
      headers: { 'X-CSRF-Token': 'A'.repeat(43) },
    });
    expect(wrongToken.status).toBe(403);
    const crossSite = await world.member.request('POST', '/api/api-keys', {
      body: { name: 'x' },
      headers: { Origin: 'https://evil.example' },
    });
    expect(crossSite.status).toBe(403);
    expect(crossSite.body.error.code).toBe('csrf_failed');
    const crossSiteLogin = await new ApiClient(world.test).request('POST', '/api/auth/login', {
      body: { email: ADMIN_EMAIL, password: ADMIN_PASSWORD },
      headers: { Origin: 'https://evil.example' },
    });
    expect(crossSiteLogin.status).toBe(403);
    const sameSite = await world.member.request('POST', '/api/api-keys', {
      body: { name: 'laptop' },
      headers: { Origin: world.test.url },
    });
    expect(sameSite.status).toBe(201);
    secrets.push(sameSite.body.key);
    expect((await world.member.request('GET', '/api/me')).status).toBe(200);

    // An API key needs no CSRF token (it is never sent by a browser on its own).
    const keyClient = new ApiClient(world.test);
    keyClient.apiKey = sameSite.body.key;
    const viaKey = await keyClient.request('POST', '/api/api-keys', { body: { name: 'from a script' } });
    expect(viaKey.status).toBe(201);
    secrets.push(viaKey.body.key);
  });

  it('creates, lists, uses and revokes personal API keys', async () => {
    const created = await world.member.request('POST', '/api/api-keys', { body: { name: 'Claude agent' } });
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

    const list = await world.member.request('GET', '/api/api-keys');
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

    const script = new ApiClient(world.test);
    script.apiKey = key;
    const me = await script.request('GET', '/api/me');
    expect(me.status).toBe(200);
    expect(me.body).toMatchObject({ user: { id: world.memberId }, method: 'api-key', csrfToken: null });
    const row = await world.test.store.db
      .selectFrom('api_keys')
      .selectAll()
      .where('id', '=', created.body.id)
      .executeTakeFirstOrThrow();
    expect(row.last_used_at).not.toBeNull();
    expect(row.key_hash).toBe(createHash('sha256').update(key).digest('hex'));

    const forged = new ApiClient(world.test);
    forged.apiKey = `ff_${'x'.repeat(43)}`;
    expect((await forged.request('GET', '/api/me')).status).toBe(401);
    forged.apiKey = 'not-even-a-key';
    expect((await forged.request('GET', '/api/me')).status).toBe(401);

    // Members cannot revoke someone else's key (it does not exist for them); admins can.
    const adminKey = await world.admin.request('POST', '/api/api-keys', { body: { name: 'admin key' } });
    secrets.push(adminKey.body.key);
    expect((await world.member.request('DELETE', `/api/api-keys/${adminKey.body.id}`)).status).toBe(404);
    expect((await world.member.request('DELETE', '/api/api-keys/unknown')).status).toBe(404);

    expect((await world.member.request('DELETE', `/api/api-keys/${created.body.id}`)).status).toBe(204);
    expect((await script.request('GET', '/api/me')).status).toBe(401);
    const after = await world.member.request('GET', '/api/api-keys');
    expect(after.body.apiKeys.map((entry: { id: string }) => entry.id)).not.toContain(created.body.id);

    const another = await world.member.request('POST', '/api/api-keys', {
      body: { name: 'to be revoked by admin' },
    });
    secrets.push(another.body.key);
    expect((await world.admin.request('DELETE', `/api/api-keys/${another.body.id}`)).status).toBe(204);
    script.apiKey = another.body.key;
    expect((await script.request('GET', '/api/me')).status).toBe(401);

    const unnamed = await world.member.request('POST', '/api/api-keys', { body: { name: '' } });
    expect(unnamed.status).toBe(400);
  });

  it('audits API keys made and revoked', async () => {
    await expectAudited(world.test.store, ['api_key.created', 'api_key.revoked']);
  });

  it('keeps passwords and API keys out of the logs and the database', async () => {
    expect(secrets).toHaveLength(7);
    await expectSecretsKeptOut(world.test, world.test.store, secrets);
  });
});
