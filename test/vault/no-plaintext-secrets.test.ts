import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_APP, ManualClock, type RunningEmulator, startEmulator } from '../../emulator/index.ts';
import { salesforceClientFor } from '../../src/connections/connection-client.ts';
import { connectionTokenContext, oauthStateContext } from '../../src/vault/token-vault.ts';
import { authorizeConnection, serviceUser } from '../support/connections.ts';
import { STORED_TABLES } from '../support/store.ts';
import { createTestService, type TestService } from '../support/test-service.ts';

/**
 * A whole connection lifecycle (login, API key, connect, use, refresh with rotation, disconnect),
 * then a scan of every database row, the raw database files and every log line for the secrets
 * that passed through: none may be there in plain text.
 */
let emulator: RunningEmulator;
let test: TestService;
const secrets = new Map<string, string>();

beforeAll(async () => {
  const clock = new ManualClock();
  emulator = await startEmulator({
    port: 0,
    seed: 'demo',
    sessionTimeoutSeconds: 60,
    clock,
    apps: [{ ...DEMO_APP, refreshTokenPolicy: { kind: 'rotate' } }],
  });
  test = await createTestService({ emulator });

  const bob = await test.logIn('bob@forcefield.demo');
  secrets.set('workspace password', 'forcefield-demo');
  secrets.set('Salesforce password', 'demo1234');
  secrets.set('client secret', DEMO_APP.clientSecret);
  // The CSRF token is not a credential (it only works with the session cookie) and is stored as is.
  secrets.set('session cookie', bob.browser.cookies.get('forcefield_session')!);

  const key = await bob.call('POST', '/api/api-keys', { name: 'scan' });
  expect(key.status).toBe(201);
  secrets.set('API key', key.body.key);

  const callback = await authorizeConnection(bob, emulator, { kind: 'personal', username: 'bob@acme.demo' });
  secrets.set('authorization code', callback.searchParams.get('code')!);
  // The PKCE verifier waits in the OAuth state row until the callback: encrypted, bound to its state.
  const [pending] = await test.store.db.selectFrom('oauth_states').selectAll().execute();
  const verifier = test.context.vault.decrypt(pending.code_verifier, oauthStateContext(pending.state_hash));
  expect(verifier).toMatch(/^[A-Za-z0-9._~-]{43,128}$/);
  expect(pending.code_verifier).toMatch(/^v1:/);
  secrets.set('PKCE code verifier', verifier);
  const finished = await bob.call('GET', callback.toString());
  expect(finished.status).toBe(201);
  const connectionId = finished.body.connection.id as string;

  const user = await serviceUser(test, 'bob@forcefield.demo');
  const remember = async (label: string) => {
    const row = await test.store.db
      .selectFrom('connections')
      .select(['access_token', 'refresh_token'])
      .where('id', '=', connectionId)
      .executeTakeFirstOrThrow();
    const { vault } = test.context;
    secrets.set(
      `${label} access token`,
      vault.decrypt(row.access_token!, connectionTokenContext(connectionId, 'access_token')),
    );
    secrets.set(
      `${label} refresh token`,
      vault.decrypt(row.refresh_token!, connectionTokenContext(connectionId, 'refresh_token')),
    );
  };
  await remember('first');
  const client = await salesforceClientFor(test.context, user, connectionId);
  expect((await client.query('SELECT Id, Name FROM Account LIMIT 2')).records.length).toBe(2);
  clock.advance(61_000);
  const refreshed = await salesforceClientFor(test.context, user, connectionId);
  expect((await refreshed.query('SELECT Id FROM Contact LIMIT 1')).records.length).toBe(1);
  await remember('rotated');

  const disconnected = await bob.call('DELETE', `/api/connections/${connectionId}`);
  expect(disconnected.status).toBe(200);
  const keyFile = readdirSync(test.dataDir).find((name) => name.includes('key'));
  if (keyFile) {
    for (const line of readFileSync(path.join(test.dataDir, keyFile), 'utf8').split('\n')) {
      const material = line.split(':').pop()?.trim();
      if (material && material.length >= 32) secrets.set('vault key', material);
    }
  }
});

afterAll(async () => {
  await test?.stop();
  await emulator?.stop();
});

async function everyRow(): Promise<string> {
  const { db } = test.store;
  const dumps: string[] = [];
  for (const table of STORED_TABLES)
    dumps.push(JSON.stringify(await db.selectFrom(table).selectAll().execute()));
  return dumps.join('\n');
}

function databaseFiles(): string {
  return readdirSync(test.dataDir)
    .filter((name) => name.startsWith('forcefield.db'))
    .map((name) => readFileSync(path.join(test.dataDir, name)).toString('latin1'))
    .join('\n');
}

describe('no secret in plain text', () => {
  it('collected the secrets of a whole lifecycle', () => {
    for (const label of [
      'API key',
      'authorization code',
      'PKCE code verifier',
      'first access token',
      'first refresh token',
      'rotated access token',
      'rotated refresh token',
    ]) {
      expect(secrets.get(label), label).toBeTruthy();
    }
    expect(secrets.get('first refresh token')).not.toBe(secrets.get('rotated refresh token'));
  });

  it('finds none in the database rows, the database files or the logs', async () => {
    const places = { rows: await everyRow(), files: databaseFiles(), logs: test.logs.join('') };
    expect(places.logs.length).toBeGreaterThan(0);
    for (const [label, secret] of secrets) {
      for (const [place, text] of Object.entries(places)) {
        expect(text.includes(secret), `${label} found in ${place}`).toBe(false);
      }
    }
    // Nothing shaped like a Salesforce access token either.
    for (const [place, text] of Object.entries(places)) {
      expect(/00D\w{12,15}![\w.]{20,}/.test(text), `token-shaped text in ${place}`).toBe(false);
    }
  });
});
