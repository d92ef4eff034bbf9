import jsforce from 'jsforce';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type ConnectedApp,
  connectedAppSchema,
  DEMO_APP,
  ManualClock,
  type RunningEmulator,
  startEmulator,
} from '../../emulator/index.ts';
import {
  authorizeWithBrowser,
  Browser,
  DEMO_PASSWORD,
  pkcePair,
  type TokenBody,
  tokenRequest,
} from '../support/oauth-browser.ts';

const CALLBACK = 'https://app.example.com/oauth/callback';

function app(clientId: string, policies: Partial<ConnectedApp> = {}): ConnectedApp {
  return {
    name: `App ${clientId}`,
    clientId,
    clientSecret: `${clientId}-secret`,
    callbackUrls: [CALLBACK],
    allowLoopbackCallbacks: false,
    ...policies,
  };
}

const APPS: ConnectedApp[] = [
  DEMO_APP,
  app('admin-approved', {
    permittedUsers: 'admin-approved-preauthorized',
    preAuthorizedProfiles: ['System Administrator'],
    // Usernames compare case-insensitively, as Salesforce's do.
    preAuthorizedUsernames: ['Carol@Acme.demo'],
  }),
  app('blocked-from-start', { blocked: true }),
  app('to-block'),
  app('expire-after', { refreshTokenPolicy: { kind: 'expire-after', seconds: 3600 } }),
  app('expire-if-unused', { refreshTokenPolicy: { kind: 'expire-if-unused', seconds: 600 } }),
  app('rotate', { refreshTokenPolicy: { kind: 'rotate' } }),
  app('short-session', { sessionTimeoutSeconds: 60 }),
  app('narrow-scopes', { scopes: ['api', 'refresh_token'] }),
  app('other-callback', { callbackUrls: ['https://other.example.com/cb', 'myapp://oauth/done'] }),
];

const UNEXPECTED_ERROR = 'An unexpected error has occured during authentication. Please try again.';
const INVALID_SESSION = [{ message: 'Session expired or invalid', errorCode: 'INVALID_SESSION_ID' }];

describe('connected-app and session policies', () => {
  let emulator: RunningEmulator;
  let base: string;
  const clock = new ManualClock();

  beforeAll(async () => {
    emulator = await startEmulator({ port: 0, seed: 'none', apps: APPS, clock });
    base = emulator.url;
  });

  afterAll(async () => {
    await emulator.stop();
  });

  function secretOf(clientId: string): string {
    return clientId === DEMO_APP.clientId ? DEMO_APP.clientSecret : `${clientId}-secret`;
  }

  function callbackOf(clientId: string): string {
    return clientId === DEMO_APP.clientId ? 'http://localhost:8765/oauth/callback' : CALLBACK;
  }

  function authorizeUrl(clientId: string, parameters: Record<string, string> = {}): string {
    const query = new URLSearchParams({
      response_type: 'code',
      client_id: clientId,
      redirect_uri: callbackOf(clientId),
      ...parameters,
    });
    return `${base}/services/oauth2/authorize?${query}`;
  }

  /** The whole web-server flow with PKCE for one user; answers the token response. */
  async function codeFlow(
    clientId: string,
    username: string,
    options: { scope?: string; browser?: Browser } = {},
  ): Promise<TokenBody & { sawConsent: string }> {
    const pkce = pkcePair();
    const outcome = await authorizeWithBrowser(
      base,
      authorizeUrl(clientId, {
        scope: options.scope ?? 'api refresh_token',
        code_challenge: pkce.challenge,
        code_challenge_method: 'S256',
      }),
      { username, browser: options.browser },
    );
    const code = outcome.callback?.searchParams.get('code');
    if (!code) throw new Error(`no code: ${outcome.callback ?? outcome.response.status}`);
    const { status, body } = await tokenRequest(base, {
      grant_type: 'authorization_code',
      code,
      client_id: clientId,
      client_secret: secretOf(clientId),
      redirect_uri: callbackOf(clientId),
      code_verifier: pkce.verifier,
    });
    expect(status).toBe(200);
    return { ...body, sawConsent: String(outcome.sawConsent) };
  }

  function refresh(clientId: string, refreshToken: string) {
    return tokenRequest(base, {
      grant_type: 'refresh_token',
      refresh_token: refreshToken,
      client_id: clientId,
      client_secret: secretOf(clientId),
    });
  }

  function passwordGrant(clientId: string, username: string) {
    return tokenRequest(base, {
      grant_type: 'password',
      client_id: clientId,
      client_secret: secretOf(clientId),
      username,
      password: DEMO_PASSWORD,
    });
  }

  async function restStatus(accessToken: string): Promise<number> {
    const response = await fetch(`${base}/services/data/v66.0/limits`, {
      headers: { Authorization: `Bearer ${accessToken}` },
    });
    if (response.status === 401) expect(await response.json()).toEqual(INVALID_SESSION);
    else await response.body?.cancel();
    return response.status;
  }

  async function userInfoAnswer(accessToken: string): Promise<string> {
    const response = await fetch(`${base}/services/oauth2/userinfo`, {
      headers: { Authorization: `Bearer ${accessToken}` },
    });
    return response.status === 200 ? 'ok' : `${response.status} ${await response.text()}`;
  }

  describe('permitted users: admin approved users are pre-authorized', () => {
    it('sends a user who is not pre-authorized back with OAUTH_APPROVAL_ERROR_GENERIC', async () => {
      const browser = new Browser();
      const outcome = await authorizeWithBrowser(base, authorizeUrl('admin-approved', { state: 'st-1' }), {
        browser,
        username: 'bob@acme.demo',
      });
      expect(outcome.response.status).toBe(302);
      expect(outcome.sawConsent).toBe(false);
      const callback = outcome.callback!;
      expect(`${callback.origin}${callback.pathname}`).toBe(CALLBACK);
      expect(callback.searchParams.get('error')).toBe('OAUTH_APPROVAL_ERROR_GENERIC');
      expect(callback.searchParams.get('error_description')).toBe(UNEXPECTED_ERROR);
      expect(callback.searchParams.get('state')).toBe('st-1');
      expect(callback.searchParams.has('code')).toBe(false);
      // The login itself succeeded: the browser keeps its session.
      expect(browser.cookies.has('sid')).toBe(true);

      // prompt=none with that session gives the same answer at once.
      const silent = await browser.fetch(authorizeUrl('admin-approved', { prompt: 'none', state: 'st-2' }));
      const silentCallback = new URL(silent.headers.get('location')!);
      expect(silentCallback.searchParams.get('error')).toBe('OAUTH_APPROVAL_ERROR_GENERIC');
      expect(silentCallback.searchParams.get('state')).toBe('st-2');
    });

    it('lets a user in by profile, without the approval page', async () => {
      const tokens = await codeFlow('admin-approved', 'alice@acme.demo');
      expect(tokens.sawConsent).toBe('false');
      expect(tokens.refresh_token).toBeTruthy();
      expect(await restStatus(tokens.access_token)).toBe(200);
    });

    it('lets a user in by username, without the approval page', async () => {
      const browser = new Browser();
      const tokens = await codeFlow('admin-approved', 'carol@acme.demo', { browser });
      expect(tokens.sawConsent).toBe('false');
      expect(await restStatus(tokens.access_token)).toBe(200);
      // Even prompt=consent shows no approval page: the admin approved for the user.
      const again = await authorizeWithBrowser(base, authorizeUrl('admin-approved', { prompt: 'consent' }), {
        browser,
      });
      expect(again.sawConsent).toBe(false);
      expect(again.callback?.searchParams.get('code')).toBeTruthy();
    });

    it('answers the password grant with invalid_grant "user hasn\'t approved this consumer"', async () => {
      const refused = await passwordGrant('admin-approved', 'bob@acme.demo');
      expect(refused).toEqual({
        status: 400,
        body: { error: 'invalid_grant', error_description: "user hasn't approved this consumer" },
      });
      expect((await passwordGrant('admin-approved', 'alice@acme.demo')).status).toBe(200);
      expect((await passwordGrant('admin-approved', 'carol@acme.demo')).status).toBe(200);
    });

    it('refuses the refresh of a user the admin has since taken off the app', async () => {
      const tokens = await codeFlow('admin-approved', 'alice@acme.demo');
      const definition = emulator.org.apps.get('admin-approved')!;
      const profiles = definition.preAuthorizedProfiles;
      definition.preAuthorizedProfiles = ['Read Only'];
      try {
        expect(await refresh('admin-approved', tokens.refresh_token)).toEqual({
          status: 400,
          body: { error: 'invalid_grant', error_description: "user hasn't approved this consumer" },
        });
      } finally {
        definition.preAuthorizedProfiles = profiles;
      }
      expect((await refresh('admin-approved', tokens.refresh_token)).status).toBe(200);
    });
  });

  describe('blocked apps', () => {
    it('redirects authorize with OAUTH_APP_BLOCKED before any login page', async () => {
      const response = await fetch(authorizeUrl('blocked-from-start', { state: 'b1' }), {
        redirect: 'manual',
      });
      expect(response.status).toBe(302);
      const callback = new URL(response.headers.get('location')!);
      expect(`${callback.origin}${callback.pathname}`).toBe(CALLBACK);
      expect(callback.searchParams.get('error')).toBe('OAUTH_APP_BLOCKED');
      expect(callback.searchParams.get('error_description')).toBe('this app is blocked by admin');
      expect(callback.searchParams.get('state')).toBe('b1');
    });

    it('refuses every token grant of a blocked app', async () => {
      expect(await passwordGrant('blocked-from-start', 'alice@acme.demo')).toEqual({
        status: 400,
        body: { error: 'invalid_grant', error_description: 'this app is blocked by admin' },
      });
    });

    it('ends the sessions and refresh tokens of an app when it is blocked', async () => {
      const tokens = await codeFlow('to-block', 'alice@acme.demo');
      expect(await restStatus(tokens.access_token)).toBe(200);

      emulator.org.setAppBlocked('to-block', true);
      expect(await restStatus(tokens.access_token)).toBe(401);
      expect(await userInfoAnswer(tokens.access_token)).toBe('403 Bad_OAuth_Token');
      expect(await refresh('to-block', tokens.refresh_token)).toEqual({
        status: 400,
        body: { error: 'invalid_grant', error_description: 'this app is blocked by admin' },
      });
      const blocked = await authorizeWithBrowser(base, authorizeUrl('to-block'));
      expect(blocked.callback?.searchParams.get('error')).toBe('OAUTH_APP_BLOCKED');

      // Unblocking allows new sessions; the ended ones stay ended.
      emulator.org.setAppBlocked('to-block', false);
      expect(await restStatus(tokens.access_token)).toBe(401);
      expect((await refresh('to-block', tokens.refresh_token)).body).toEqual({
        error: 'invalid_grant',
        error_description: 'expired access/refresh token',
      });
      const fresh = await codeFlow('to-block', 'alice@acme.demo');
      expect(await restStatus(fresh.access_token)).toBe(200);
    });

    it('also ends sessions when the definition is flagged blocked directly', async () => {
      const tokens = await codeFlow('to-block', 'bob@acme.demo');
      const definition = emulator.org.apps.get('to-block')!;
      definition.blocked = true;
      try {
        expect(await restStatus(tokens.access_token)).toBe(401);
      } finally {
        definition.blocked = false;
      }
      expect(await restStatus(tokens.access_token)).toBe(401);
    });
  });

  describe('refresh token policies', () => {
    it('until revoked (the default): refreshes a year later, never returns a new refresh token', async () => {
      const tokens = await codeFlow(DEMO_APP.clientId, 'alice@acme.demo');
      clock.advance(365 * 24 * 3600 * 1000);
      const refreshed = await refresh(DEMO_APP.clientId, tokens.refresh_token);
      expect(refreshed.status).toBe(200);
      expect(refreshed.body.refresh_token).toBeUndefined();
      expect(await restStatus(refreshed.body.access_token)).toBe(200);
    });

    it('expire after: the token dies at its age, whatever its use; its access tokens live on', async () => {
      const tokens = await codeFlow('expire-after', 'alice@acme.demo');
      clock.advance(30 * 60 * 1000);
      const early = await refresh('expire-after', tokens.refresh_token);
      expect(early.status).toBe(200);
      clock.advance(31 * 60 * 1000);
      expect(await refresh('expire-after', tokens.refresh_token)).toEqual({
        status: 400,
        body: { error: 'invalid_grant', error_description: 'expired access/refresh token' },
      });
      // The access token from the earlier refresh keeps its own (org) session timeout.
      expect(await restStatus(early.body.access_token)).toBe(200);
    });

    it('expire if unused: each use restarts the idle window', async () => {
      const tokens = await codeFlow('expire-if-unused', 'alice@acme.demo');
      for (let step = 0; step < 3; step++) {
        clock.advance(9 * 60 * 1000);
        expect((await refresh('expire-if-unused', tokens.refresh_token)).status).toBe(200);
      }
      clock.advance(10 * 60 * 1000);
      expect((await refresh('expire-if-unused', tokens.refresh_token)).body).toEqual({
        error: 'invalid_grant',
        error_description: 'expired access/refresh token',
      });
    });

    it('rotate: each refresh returns a new refresh token and spends the old one', async () => {
      const tokens = await codeFlow('rotate', 'alice@acme.demo');
      const first = await refresh('rotate', tokens.refresh_token);
      expect(first.status).toBe(200);
      expect(first.body.refresh_token).toMatch(/^5Aep861/);
      expect(first.body.refresh_token).not.toBe(tokens.refresh_token);
      expect(await refresh('rotate', tokens.refresh_token)).toEqual({
        status: 400,
        body: { error: 'invalid_grant', error_description: 'expired access/refresh token' },
      });
      // Access tokens of the spent refresh token stay valid until their own timeout.
      expect(await restStatus(tokens.access_token)).toBe(200);
      expect(await restStatus(first.body.access_token)).toBe(200);

      const second = await refresh('rotate', first.body.refresh_token);
      expect(second.status).toBe(200);
      expect(second.body.refresh_token).not.toBe(first.body.refresh_token);

      // Revoking the chain's current refresh token revokes every access token of the chain.
      const revoked = await fetch(`${base}/services/oauth2/revoke`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ token: second.body.refresh_token }).toString(),
      });
      expect(revoked.status).toBe(200);
      for (const accessToken of [tokens.access_token, first.body.access_token, second.body.access_token]) {
        expect(await restStatus(accessToken)).toBe(401);
      }
      expect((await refresh('rotate', second.body.refresh_token)).body.error).toBe('invalid_grant');
    });
  });

  describe('session timeout per app', () => {
    it("times out the app's tokens on its own timeout, other apps' on the org's", async () => {
      const short = await passwordGrant('short-session', 'alice@acme.demo');
      const demo = await passwordGrant(DEMO_APP.clientId, 'alice@acme.demo');
      clock.advance(45_000);
      // Use within the timeout slides it.
      expect(await restStatus(short.body.access_token)).toBe(200);
      clock.advance(45_000);
      expect(await restStatus(short.body.access_token)).toBe(200);
      clock.advance(61_000);
      expect(await restStatus(short.body.access_token)).toBe(401);
      expect(await restStatus(demo.body.access_token)).toBe(200);
    });

    it('applies to access tokens issued by refresh too', async () => {
      const tokens = await codeFlow('short-session', 'bob@acme.demo');
      const refreshed = await refresh('short-session', tokens.refresh_token);
      clock.advance(61_000);
      expect(await restStatus(refreshed.body.access_token)).toBe(401);
      expect(await userInfoAnswer(refreshed.body.access_token)).toBe('403 Bad_OAuth_Token');
    });
  });

  describe('user deactivation', () => {
    it("ends the user's sessions and refresh tokens", async () => {
      const tokens = await codeFlow(DEMO_APP.clientId, 'bob@acme.demo');
      const bobId = emulator.org.userIdByUsername('bob@acme.demo')!;
      emulator.org.setUserActive(bobId, false);
      try {
        expect(await restStatus(tokens.access_token)).toBe(401);
        const identity = await fetch(tokens.id, {
          headers: { Authorization: `Bearer ${tokens.access_token}` },
        });
        expect(identity.status).toBe(403);
        expect(await identity.text()).toBe('Bad_OAuth_Token');
        expect(await userInfoAnswer(tokens.access_token)).toBe('403 Bad_OAuth_Token');
        const refreshed = await refresh(DEMO_APP.clientId, tokens.refresh_token);
        expect(refreshed.status).toBe(400);
        expect(refreshed.body.error).toBe('invalid_grant');
        expect((await passwordGrant(DEMO_APP.clientId, 'bob@acme.demo')).body).toEqual({
          error: 'invalid_grant',
          error_description: 'authentication failure',
        });
      } finally {
        emulator.org.setUserActive(bobId, true);
      }
      // Reactivation lets the user log in again but revives nothing.
      expect(await restStatus(tokens.access_token)).toBe(401);
      expect((await refresh(DEMO_APP.clientId, tokens.refresh_token)).body.error).toBe('invalid_grant');
      expect((await passwordGrant(DEMO_APP.clientId, 'bob@acme.demo')).status).toBe(200);
    });
  });

  describe('several apps: callbacks and scopes', () => {
    it('matches a non-demo callback exactly: another scheme, host, port or path gets the error page', async () => {
      for (const redirectUri of [
        'https://app.example.com:8443/oauth/callback',
        'https://app.example.com/oauth/callback2',
        'https://app.example.com/oauth/callback/',
        'https://app.example.com/oauth/Callback',
        'https://app.example.com/oauth',
        'http://app.example.com/oauth/callback',
        'https://evil.example.com/oauth/callback',
        'https://app.example.com/oauth/callback?next=evil',
        'https://app.example.com/oauth/callback#fragment',
        'http://localhost:8765/oauth/callback',
        'https://other.example.com/cb',
      ]) {
        const response = await fetch(authorizeUrl('to-block', { redirect_uri: redirectUri }), {
          redirect: 'manual',
        });
        expect(response.status, redirectUri).toBe(400);
        expect(response.headers.get('location')).toBeNull();
        expect(response.headers.get('content-type')).toContain('text/html');
        expect(await response.text()).toContain('redirect_uri_mismatch');
      }
      // The same URL spelled with an explicit default port or an upper-case host is the same callback.
      for (const redirectUri of [CALLBACK, 'https://APP.example.com:443/oauth/callback']) {
        const response = await fetch(authorizeUrl('to-block', { redirect_uri: redirectUri }), {
          redirect: 'manual',
        });
        expect(response.status, redirectUri).toBe(200);
        await response.body?.cancel();
      }
    });

    it("accepts each app's own callbacks, custom schemes included", async () => {
      for (const redirectUri of ['https://other.example.com/cb', 'myapp://oauth/done']) {
        const response = await fetch(authorizeUrl('other-callback', { redirect_uri: redirectUri }), {
          redirect: 'manual',
        });
        expect(response.status, redirectUri).toBe(200);
        await response.body?.cancel();
      }
      const response = await fetch(authorizeUrl('other-callback', { redirect_uri: CALLBACK }), {
        redirect: 'manual',
      });
      expect(response.status).toBe(400);
    });

    it('grants an app only its own scopes, by default all of them, and refuses others', async () => {
      const tokens = await codeFlow('narrow-scopes', 'alice@acme.demo', { scope: '' });
      expect(tokens.scope).toBe('api refresh_token');
      expect((await passwordGrant('narrow-scopes', 'alice@acme.demo')).body.scope).toBe('api refresh_token');
      const refused = await fetch(authorizeUrl('narrow-scopes', { scope: 'api openid', state: 's' }), {
        redirect: 'manual',
      });
      const callback = new URL(refused.headers.get('location')!);
      expect(callback.searchParams.get('error')).toBe('invalid_scope');
      expect(callback.searchParams.get('state')).toBe('s');
    });
  });

  describe('jsforce', () => {
    it('refreshes with rotation through conn.oauth2.refreshToken()', async () => {
      const conn = new jsforce.Connection({
        oauth2: {
          clientId: 'rotate',
          clientSecret: 'rotate-secret',
          redirectUri: CALLBACK,
          loginUrl: base,
        },
        version: '66.0',
      });
      const outcome = await authorizeWithBrowser(
        base,
        conn.oauth2.getAuthorizationUrl({ scope: 'api refresh_token' }),
      );
      await conn.authorize(outcome.callback!.searchParams.get('code')!);
      const original = conn.refreshToken!;

      const rotated = await conn.oauth2.refreshToken(original);
      expect(rotated.refresh_token).toBeTruthy();
      expect(rotated.refresh_token).not.toBe(original);
      await expect(conn.oauth2.refreshToken(original)).rejects.toThrow('expired access/refresh token');

      // jsforce's own session refresh (after a 401) does not keep a rotated refresh token: a
      // client must store the one in the `refresh` event's response, or its next refresh fails.
      conn.refreshToken = rotated.refresh_token;
      let keptByJsforce: string | undefined;
      conn.on('refresh', (_accessToken: string, response: { refresh_token?: string }) => {
        keptByJsforce = conn.refreshToken ?? undefined;
        if (response?.refresh_token) conn.refreshToken = response.refresh_token;
      });
      for (let round = 0; round < 2; round++) {
        const before = conn.refreshToken;
        // The REST call answers 401 INVALID_SESSION_ID; jsforce refreshes and retries it.
        await fetch(`${base}/services/oauth2/revoke?token=${encodeURIComponent(conn.accessToken!)}`);
        const limits = await conn.limits();
        expect(limits.DailyApiRequests).toBeDefined();
        expect(keptByJsforce).toBe(before);
        expect(conn.refreshToken).not.toBe(before);
      }
    });
  });

  describe('app definitions', () => {
    it('validates definitions with zod and fills the defaults', () => {
      const parsed = connectedAppSchema.parse({
        name: 'Minimal',
        clientId: 'minimal',
        clientSecret: 's',
        callbackUrls: [CALLBACK],
        refreshTokenPolicy: { kind: 'expire-if-unused', seconds: 86_400 },
      });
      expect(parsed.allowLoopbackCallbacks).toBe(false);
      expect(parsed.refreshTokenPolicy).toEqual({ kind: 'expire-if-unused', seconds: 86_400 });
      expect(connectedAppSchema.parse(DEMO_APP)).toEqual(DEMO_APP);

      const base = { name: 'x', clientId: 'x', clientSecret: 'x', callbackUrls: [CALLBACK] };
      for (const invalid of [
        { ...base, callbackUrls: [] },
        { ...base, callbackUrls: ['not a url'] },
        { ...base, callbackUrls: [`${CALLBACK}#part`] },
        { ...base, scopes: ['api', 'chatter_api'] },
        { ...base, permittedUsers: 'admins' },
        { ...base, refreshTokenPolicy: { kind: 'expire-after' } },
        { ...base, refreshTokenPolicy: { kind: 'rotate', seconds: 5 } },
        { ...base, sessionTimeoutSeconds: 0 },
        { ...base, blockd: true },
      ]) {
        expect(connectedAppSchema.safeParse(invalid).success, JSON.stringify(invalid)).toBe(false);
      }
    });

    it('refuses to start with an invalid or duplicate app', async () => {
      await expect(
        startEmulator({ port: 0, seed: 'none', apps: [app('twice'), app('twice')] }),
      ).rejects.toThrow('duplicate clientId twice');
      await expect(
        startEmulator({
          port: 0,
          seed: 'none',
          apps: [{ ...app('bad'), refreshTokenPolicy: { kind: 'expire-after', seconds: -1 } }],
        }),
      ).rejects.toThrow();
    });
  });
});
