import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningEmulator, startEmulator } from '../../emulator/index.ts';
import { salesforceClientFor } from '../../src/connections/connection-client.ts';
import { connectionTokenContext } from '../../src/vault/token-vault.ts';
import {
  authorizeConnection,
  connect,
  logIn,
  type ServiceSession,
  serviceUser,
} from '../support/connections.ts';
import { Browser } from '../support/oauth-browser.ts';
import { emulatorSalesforce, startTestService, type TestService } from '../support/service.ts';
import { openTestStore, STORE_DIALECTS, type TestStore } from '../support/store.ts';

describe.each(STORE_DIALECTS)('connections over HTTP (%s)', (dialect) => {
  let emulator: RunningEmulator;
  let testStore: TestStore;
  let test: TestService;
  let alice: ServiceSession;
  let bob: ServiceSession;
  let carol: ServiceSession;

  beforeAll(async () => {
    emulator = await startEmulator({ port: 0, seed: 'demo' });
    testStore = await openTestStore(dialect);
    test = await startTestService(emulatorSalesforce(emulator.url), {}, testStore.store);
    // The demo workspace: alice (admin), bob and carol (members).
    alice = await logIn(test.service.url, 'alice@forcefield.demo');
    bob = await logIn(test.service.url, 'bob@forcefield.demo');
    carol = await logIn(test.service.url, 'carol@forcefield.demo');
  });

  afterAll(async () => {
    await test.stop();
    await testStore.dispose();
    await emulator.stop();
  });

  it('connects a personal connection, uses it, and disconnects with revocation at Salesforce', async () => {
    const callback = await authorizeConnection(bob, emulator, {
      kind: 'personal',
      username: 'bob@acme.demo',
    });
    expect(callback.toString().startsWith(`${test.service.url}/api/connections/oauth/callback?`)).toBe(true);
    // A browser (no Accept: application/json) is sent back to the Connections page.
    const finished = await bob.browser.fetch(callback.toString());
    expect(finished.status).toBe(302);
    const location = finished.headers.get('location') ?? '';
    expect(location).toMatch(/^\/connections\?connected=/);
    const id = new URL(location, test.service.url).searchParams.get('connected')!;

    const listed = await bob.call('GET', '/api/connections');
    expect(listed.status).toBe(200);
    expect(listed.body.connections.map((connection: { id: string }) => connection.id)).toContain(id);
    const read = await bob.call('GET', `/api/connections/${id}`);
    expect(read.body.connection).toMatchObject({
      id,
      kind: 'personal',
      status: 'active',
      salesforce: { username: 'bob@acme.demo', instanceUrl: emulator.url, loginHost: emulator.url },
    });
    expect(read.body.connection.salesforce.orgId).toMatch(/^00D/);
    expect(JSON.stringify(read.body)).not.toMatch(/"v1:|00D\w+!|accessToken|refreshToken/);
    // Others do not see a personal connection, admins included.
    expect((await carol.call('GET', `/api/connections/${id}`)).status).toBe(404);
    expect((await alice.call('GET', `/api/connections/${id}`)).status).toBe(404);
    expect((await alice.call('GET', '/api/connections')).body.connections).toEqual([]);

    // Tokens are encrypted at rest.
    const row = await test.service.store.db
      .selectFrom('connections')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    expect(row.access_token).toMatch(/^v1:/);
    expect(row.refresh_token).toMatch(/^v1:/);
    const accessToken = test.service.context.vault.decrypt(
      row.access_token!,
      connectionTokenContext(id, 'access_token'),
    );

    // Bob uses it through the one Salesforce client.
    const client = await salesforceClientFor(
      test.service.context,
      await serviceUser(test.service, 'bob@forcefield.demo'),
      id,
    );
    const accounts = await client.query<{ Id: string; Name: string }>('SELECT Id, Name FROM Account LIMIT 3');
    expect(accounts.records.length).toBe(3);
    const check = await bob.call('POST', `/api/connections/${id}/check`);
    expect(check.status).toBe(200);
    expect(check.body.identity.ok).toBe(true);
    expect(check.body.api.ok).toBe(true);
    expect(check.body.limits).toMatchObject({ ok: true });
    expect(check.body.limits.max).toBeGreaterThan(0);

    // Carol cannot disconnect what she cannot see.
    expect((await carol.call('DELETE', `/api/connections/${id}`)).status).toBe(404);
    const disconnected = await bob.call('DELETE', `/api/connections/${id}`);
    expect(disconnected.status).toBe(200);
    expect(disconnected.body.revokedAtSalesforce).toBe(true);
    // The emulator confirms: the old access token no longer works.
    const old = await fetch(`${emulator.url}/services/data/v66.0/limits`, {
      headers: { Authorization: `Bearer ${accessToken}` },
    });
    expect(old.status).toBe(401);
    expect((await bob.call('GET', `/api/connections/${id}`)).status).toBe(404);
    const after = await test.service.store.db
      .selectFrom('connections')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    expect(after).toMatchObject({ status: 'revoked', access_token: null, refresh_token: null });

    const { events } = await test.service.context.audit.query({ connectionId: id });
    const actions = events.map((event) => event.action);
    expect(actions).toEqual(
      expect.arrayContaining(['connection.created', 'connection.checked', 'connection.disconnected']),
    );
    expect(events.find((event) => event.action === 'connection.created')?.surface).toBe('web');
    expect(test.logs.join('')).not.toContain(accessToken);
  });

  it('disconnects locally and says so when Salesforce cannot be reached', async () => {
    const id = await connect(bob, emulator, { kind: 'personal', username: 'bob@acme.demo' });
    const fault = await fetch(`${emulator.url}/__emulator/faults`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${emulator.adminSecret}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({
        id: 'revoke-down',
        method: 'POST',
        path: '/services/oauth2/revoke',
        kind: 'drop-before',
      }),
    });
    expect(fault.status).toBe(201);
    try {
      const disconnected = await bob.call('DELETE', `/api/connections/${id}`);
      expect(disconnected.status).toBe(200);
      expect(disconnected.body.revokedAtSalesforce).toBe(false);
      expect(disconnected.body.message).toMatch(/Salesforce/);
      const row = await test.service.store.db
        .selectFrom('connections')
        .selectAll()
        .where('id', '=', id)
        .executeTakeFirstOrThrow();
      expect(row).toMatchObject({ status: 'revoked', access_token: null, refresh_token: null });
      expect((await bob.call('GET', `/api/connections/${id}`)).status).toBe(404);
    } finally {
      await fetch(`${emulator.url}/__emulator/faults/revoke-down`, {
        method: 'DELETE',
        headers: { Authorization: `Bearer ${emulator.adminSecret}` },
      });
    }
  });

  it('answers JSON to a callback that asks for it', async () => {
    const id = await connect(bob, emulator, {
      kind: 'personal',
      username: 'bob@acme.demo',
      name: 'Bob again',
    });
    const read = await bob.call('GET', `/api/connections/${id}`);
    expect(read.body.connection.name).toBe('Bob again');
    await bob.call('DELETE', `/api/connections/${id}`);
  });

  it('shares organization connections with groups, effective at once', async () => {
    // A member cannot create one.
    const refused = await bob.call('POST', '/api/connections/oauth/start', {
      kind: 'organization',
      loginHost: 'production',
    });
    expect(refused.status).toBe(403);

    const id = await connect(alice, emulator, {
      kind: 'organization',
      username: 'alice@acme.demo',
      name: 'Acme service',
    });
    // Not shared yet: members get 404, as for an id that does not exist.
    expect((await bob.call('GET', `/api/connections/${id}`)).status).toBe(404);

    const group = await alice.call('POST', '/api/groups', { name: `Deal desk ${dialect}` });
    expect(group.status).toBe(201);
    const groupId = group.body.group.id as string;
    const bobUser = await serviceUser(test.service, 'bob@forcefield.demo');
    const carolUser = await serviceUser(test.service, 'carol@forcefield.demo');
    expect(
      (await alice.call('PUT', `/api/groups/${groupId}/members`, { userIds: [bobUser.id] })).status,
    ).toBe(200);

    const shared = await alice.call('PUT', `/api/connections/${id}/shares`, {
      users: [],
      groups: [groupId],
      team: false,
    });
    expect(shared.status).toBe(200);
    expect(shared.body.connection.shares).toEqual({ users: [], groups: [groupId], team: false });

    expect((await bob.call('GET', `/api/connections/${id}`)).status).toBe(200);
    expect(
      (await bob.call('GET', '/api/connections')).body.connections.map((c: { id: string }) => c.id),
    ).toContain(id);
    expect((await bob.call('GET', `/api/connections/${id}`)).body.connection.shares).toBeUndefined();
    const client = await salesforceClientFor(test.service.context, bobUser, id);
    expect((await client.query('SELECT Id FROM Account LIMIT 1')).records.length).toBe(1);
    expect((await carol.call('GET', `/api/connections/${id}`)).status).toBe(404);
    await expect(salesforceClientFor(test.service.context, carolUser, id)).rejects.toMatchObject({
      status: 404,
    });
    // Bob may use it but not manage it.
    expect(
      (await bob.call('PUT', `/api/connections/${id}/shares`, { users: [], groups: [], team: true })).status,
    ).toBe(403);
    expect((await bob.call('DELETE', `/api/connections/${id}`)).status).toBe(403);

    // Whole team, then nobody.
    await alice.call('PUT', `/api/connections/${id}/shares`, { team: true });
    expect((await carol.call('GET', `/api/connections/${id}`)).status).toBe(200);
    const unshared = await alice.call('PUT', `/api/connections/${id}/shares`, {
      users: [],
      groups: [],
      team: false,
    });
    expect(unshared.status).toBe(200);
    expect((await bob.call('GET', `/api/connections/${id}`)).status).toBe(404);
    expect((await carol.call('GET', `/api/connections/${id}`)).status).toBe(404);
    await expect(salesforceClientFor(test.service.context, bobUser, id)).rejects.toMatchObject({
      status: 404,
    });

    // Unknown principals and personal connections are refused with reasons.
    const unknown = await alice.call('PUT', `/api/connections/${id}/shares`, {
      users: ['nobody'],
      groups: [],
      team: false,
    });
    expect(unknown.status).toBe(400);
    expect(unknown.body.error.details).toEqual({ unknownUsers: ['nobody'], unknownGroups: [] });
    const { events } = await test.service.context.audit.query({
      connectionId: id,
      action: 'connection.shared',
    });
    expect(events.length).toBe(3);
    await alice.call('DELETE', `/api/connections/${id}`);
  });

  it('refuses bad callbacks with clear 4xx answers', async () => {
    // An unknown state.
    const unknown = await bob.call('GET', '/api/connections/oauth/callback?code=abc&state=not-a-state');
    expect(unknown.status).toBe(400);
    expect(unknown.body.error.code).toBe('oauth_state_invalid');
    const missing = await bob.call('GET', '/api/connections/oauth/callback?code=abc');
    expect(missing.status).toBe(400);

    // Another user's (or session's) state.
    const callback = await authorizeConnection(bob, emulator, {
      kind: 'personal',
      username: 'bob@acme.demo',
    });
    const stolen = await carol.call('GET', callback.toString());
    expect(stolen.status).toBe(400);
    expect(stolen.body.error.code).toBe('oauth_state_mismatch');
    const otherSession = await logIn(test.service.url, 'bob@forcefield.demo');
    expect((await otherSession.call('GET', callback.toString())).body.error.code).toBe(
      'oauth_state_mismatch',
    );

    // A tampered code fails at Salesforce and spends the state.
    const tampered = new URL(callback);
    tampered.searchParams.set('code', `${callback.searchParams.get('code')}x`);
    const bad = await bob.call('GET', tampered.toString());
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe('oauth_code_invalid');
    // Replaying the state.
    const replayed = await bob.call('GET', callback.toString());
    expect(replayed.status).toBe(400);
    expect(replayed.body.error.code).toBe('oauth_state_used');

    // A replayed code with a fresh state.
    const first = await authorizeConnection(bob, emulator, { kind: 'personal', username: 'bob@acme.demo' });
    const done = await bob.call('GET', first.toString());
    expect(done.status).toBe(201);
    const second = await authorizeConnection(bob, emulator, { kind: 'personal', username: 'bob@acme.demo' });
    const replayedCode = new URL(second);
    replayedCode.searchParams.set('code', first.searchParams.get('code')!);
    const codeAgain = await bob.call('GET', replayedCode.toString());
    expect(codeAgain.status).toBe(400);
    expect(codeAgain.body.error.code).toBe('oauth_code_invalid');

    // An expired state.
    const late = await authorizeConnection(bob, emulator, { kind: 'personal', username: 'bob@acme.demo' });
    await test.service.store.db
      .updateTable('oauth_states')
      .set({ expires_at: new Date(Date.now() - 1000).toISOString() })
      .where('used_at', 'is', null)
      .execute();
    const expired = await bob.call('GET', late.toString());
    expect(expired.status).toBe(400);
    expect(expired.body.error.code).toBe('oauth_state_expired');

    // The user declined at Salesforce.
    const declinedState = await authorizeConnection(bob, emulator, {
      kind: 'personal',
      username: 'bob@acme.demo',
    });
    const declined = await bob.call(
      'GET',
      `/api/connections/oauth/callback?error=access_denied&error_description=end-user+denied+authorization&state=${encodeURIComponent(declinedState.searchParams.get('state')!)}`,
    );
    expect(declined.status).toBe(400);
    expect(declined.body.error.code).toBe('salesforce_access_denied');
    const approval = await bob.call(
      'GET',
      '/api/connections/oauth/callback?error=OAUTH_APPROVAL_ERROR_GENERIC',
    );
    expect(approval.status).toBe(400);
    expect(approval.body.error.message).toMatch(/Approve Uninstalled Connected Apps/);

    // Not logged in.
    expect((await new Browser().fetch(callback.toString())).status).toBe(401);

    // Bad start input.
    const badStart = await bob.call('POST', '/api/connections/oauth/start', {
      kind: 'personal',
      loginHost: 'elsewhere',
    });
    expect(badStart.status).toBe(400);

    // Unknown ids.
    for (const [method, path, body] of [
      ['GET', '/api/connections/nope', undefined],
      ['PUT', '/api/connections/nope/shares', { users: [], groups: [], team: false }],
      ['POST', '/api/connections/nope/check', undefined],
      ['DELETE', '/api/connections/nope', undefined],
    ] as const) {
      const response = await bob.call(method, path, body);
      expect(response.status, `${method} ${path}`).toBe(404);
    }
    await bob.call('DELETE', `/api/connections/${done.body.connection.id}`);
  });

  it('renews the same connection when the same Salesforce user connects again', async () => {
    const first = await connect(carol, emulator, { kind: 'personal', username: 'carol@acme.demo' });
    const again = await connect(carol, emulator, { kind: 'personal', username: 'carol@acme.demo' });
    expect(again).toBe(first);
    const { events } = await test.service.context.audit.query({
      connectionId: first,
      action: 'connection.reconnected',
    });
    expect(events.length).toBe(1);
    await carol.call('DELETE', `/api/connections/${first}`);
  });
});
