import { createPrivateKey, type KeyObject } from 'node:crypto';
import { SignJWT } from 'jose';
import { Connection } from 'jsforce';
import { generate } from 'selfsigned';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ConnectedApp, DEMO_APP, ManualClock } from '../../emulator/index.ts';
import { API_VERSION, startTestOrg, type TestOrg } from '../support/emulator.ts';

let org: TestOrg;
let clock: ManualClock;
let signingKey: KeyObject;
let otherKey: KeyObject;

const JWT_GRANT = 'urn:ietf:params:oauth:grant-type:jwt-bearer';

async function certificate(): Promise<{ cert: string; key: KeyObject }> {
  const pems = await generate([{ name: 'commonName', value: 'forcefield-integration' }], {
    keySize: 2048,
    algorithm: 'sha256',
  });
  return { cert: pems.cert, key: createPrivateKey(pems.private) };
}

beforeAll(async () => {
  const integration = await certificate();
  const unrelated = await certificate();
  signingKey = integration.key;
  otherKey = unrelated.key;
  const apps: ConnectedApp[] = [
    DEMO_APP,
    {
      name: 'Integration',
      clientId: 'integration-app',
      clientSecret: 'integration-secret',
      callbackUrls: ['http://localhost:9999/callback'],
      allowLoopbackCallbacks: false,
      certificate: integration.cert,
      permittedUsers: 'admin-approved-preauthorized',
      preAuthorizedProfiles: ['System Administrator'],
      clientCredentialsUser: 'bob@acme.demo',
    },
    {
      name: 'Self Authorize',
      clientId: 'self-authorize-app',
      clientSecret: 'self-secret',
      callbackUrls: ['http://localhost:9999/callback'],
      allowLoopbackCallbacks: false,
      certificate: integration.cert,
    },
  ];
  clock = new ManualClock(Date.parse('2026-06-01T12:00:00Z'));
  org = await startTestOrg({ apps, clock });
});

afterAll(async () => {
  await org.emulator.stop();
});

async function assertion(claims: Record<string, unknown>, key: KeyObject = signingKey): Promise<string> {
  const now = Math.floor(clock.now() / 1000);
  return new SignJWT({
    iss: 'integration-app',
    sub: 'alice@acme.demo',
    aud: org.url,
    exp: now + 180,
    ...claims,
  })
    .setProtectedHeader({ alg: 'RS256' })
    .sign(key);
}

async function token(form: Record<string, string>, headers: Record<string, string> = {}) {
  const response = await fetch(`${org.url}/services/oauth2/token`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', ...headers },
    body: new URLSearchParams(form),
  });
  return { status: response.status, body: (await response.json()) as Record<string, string> };
}

describe('OAuth JWT bearer grant', () => {
  it('logs in with jsforce conn.authorize and an RS256 assertion; the session works on REST', async () => {
    const conn = new Connection({ oauth2: { loginUrl: org.url }, version: API_VERSION });
    const identity = await conn.authorize({ grant_type: JWT_GRANT, assertion: await assertion({}) });
    expect(identity.id).toBe(org.emulator.org.userIdByUsername('alice@acme.demo'));
    expect(conn.instanceUrl).toBe(org.url);
    expect(conn.refreshToken).toBeUndefined();
    const result = await conn.query('SELECT Id FROM Account LIMIT 1');
    expect(result.done).toBe(true);
  });

  it('refuses a bad signature, an expired assertion, a wrong audience and an unknown issuer', async () => {
    const forged = await token({ grant_type: JWT_GRANT, assertion: await assertion({}, otherKey) });
    expect(forged).toEqual({
      status: 400,
      body: { error: 'invalid_grant', error_description: 'invalid assertion' },
    });

    const expired = await token({
      grant_type: JWT_GRANT,
      assertion: await assertion({ exp: Math.floor(clock.now() / 1000) - 60 }),
    });
    expect(expired.body).toEqual({ error: 'invalid_grant', error_description: 'expired authorization code' });

    const audience = await token({
      grant_type: JWT_GRANT,
      assertion: await assertion({ aud: 'https://login.example.com' }),
    });
    expect(audience.body).toEqual({ error: 'invalid_grant', error_description: 'audience is invalid' });

    const issuer = await token({ grant_type: JWT_GRANT, assertion: await assertion({ iss: 'nobody' }) });
    expect(issuer.body).toEqual({
      error: 'invalid_client_id',
      error_description: 'client identifier invalid',
    });

    const garbage = await token({ grant_type: JWT_GRANT, assertion: 'not-a-jwt' });
    expect(garbage.body.error_description).toBe('invalid assertion');
  });

  it("refuses users who haven't approved the app: not pre-authorized, or never consented on a self-authorize app", async () => {
    const notPreAuthorized = await token({
      grant_type: JWT_GRANT,
      assertion: await assertion({ sub: 'bob@acme.demo' }),
    });
    expect(notPreAuthorized.body).toEqual({
      error: 'invalid_grant',
      error_description: "user hasn't approved this consumer",
    });

    const selfApp = await token({
      grant_type: JWT_GRANT,
      assertion: await assertion({ iss: 'self-authorize-app' }),
    });
    expect(selfApp.body.error_description).toBe("user hasn't approved this consumer");

    const aliceId = org.emulator.org.userIdByUsername('alice@acme.demo')!;
    org.emulator.org.tokens.rememberApproval(aliceId, 'self-authorize-app', ['api', 'refresh_token']);
    const approved = await token({
      grant_type: JWT_GRANT,
      assertion: await assertion({ iss: 'self-authorize-app' }),
    });
    expect(approved.status).toBe(200);
    expect(approved.body.scope).toBe('api refresh_token');
    expect(approved.body).not.toHaveProperty('refresh_token');
  });
});

describe('OAuth client credentials grant', () => {
  it('issues a session as the run-as user for the client id and secret (form or HTTP Basic)', async () => {
    const posted = await token({
      grant_type: 'client_credentials',
      client_id: 'integration-app',
      client_secret: 'integration-secret',
    });
    expect(posted.status).toBe(200);
    expect(posted.body.id).toContain(org.emulator.org.userIdByUsername('bob@acme.demo'));
    expect(posted.body).not.toHaveProperty('refresh_token');
    const basic = Buffer.from('integration-app:integration-secret').toString('base64');
    const viaBasic = await token({ grant_type: 'client_credentials' }, { Authorization: `Basic ${basic}` });
    expect(viaBasic.status).toBe(200);
    const rest = await fetch(`${org.dataUrl}/limits`, {
      headers: { Authorization: `Bearer ${viaBasic.body.access_token}` },
    });
    expect(rest.status).toBe(200);
  });

  it('refuses an app without a run-as user, and a missing or wrong secret', async () => {
    const noUser = await token({
      grant_type: 'client_credentials',
      client_id: 'self-authorize-app',
      client_secret: 'self-secret',
    });
    expect(noUser).toEqual({
      status: 400,
      body: { error: 'invalid_grant', error_description: 'no client credentials user enabled' },
    });
    const noSecret = await token({ grant_type: 'client_credentials', client_id: 'integration-app' });
    expect(noSecret.body).toEqual({
      error: 'invalid_client',
      error_description: 'invalid client credentials',
    });
    const wrongSecret = await token({
      grant_type: 'client_credentials',
      client_id: 'integration-app',
      client_secret: 'nope',
    });
    expect(wrongSecret.body.error).toBe('invalid_client');
  });
});
