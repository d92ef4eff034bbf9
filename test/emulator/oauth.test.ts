import { createHash, createHmac, createPublicKey, verify } from 'node:crypto';
import jsforce from 'jsforce';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock, type RunningEmulator, startEmulator } from '../../emulator/index.ts';
import { passwordGrant } from '../support/emulator.ts';
import { Browser, parseForm, pkcePair } from '../support/oauth-browser.ts';

const CLIENT_ID = 'forcefield-demo';
const CLIENT_SECRET = 'forcefield-demo-secret';
const REDIRECT_URI = 'http://localhost:8765/oauth/callback';
const PASSWORD = 'demo1234';

function decodeJwtPart(part: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(part, 'base64url').toString('utf8')) as Record<string, unknown>;
}

type TokenBody = Record<string, string>;

/** The authorization_code grant as the demo app sends it: its id and secret, the PKCE verifier if any. */
function codeGrant(code: string, verifier?: string): Record<string, string> {
  return {
    grant_type: 'authorization_code',
    code,
    client_id: CLIENT_ID,
    client_secret: CLIENT_SECRET,
    redirect_uri: REDIRECT_URI,
    ...(verifier === undefined ? {} : { code_verifier: verifier }),
  };
}

/** The body of an OAuth error response (RFC 6749 §5.2): a stable code and a description. */
function oauthError(error: string, description: string): { error: string; error_description: string } {
  return { error, error_description: description };
}

describe('OAuth 2.0 and identity endpoints', () => {
  let emulator: RunningEmulator;
  let base: string;

  beforeAll(async () => {
    emulator = await startEmulator({ port: 0, seed: 'none' });
    base = emulator.url;
  });

  afterAll(async () => {
    await emulator.stop();
  });

  function authorizeUrl(parameters: Record<string, string> = {}): string {
    const query = new URLSearchParams({
      response_type: 'code',
      client_id: CLIENT_ID,
      redirect_uri: REDIRECT_URI,
      ...parameters,
    });
    return `${base}/services/oauth2/authorize?${query}`;
  }

  async function tokenRequest(parameters: Record<string, string>, headers: Record<string, string> = {}) {
    const response = await fetch(`${base}/services/oauth2/token`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', ...headers },
      body: new URLSearchParams(parameters).toString(),
    });
    return { response, body: (await response.json()) as TokenBody };
  }

  /** Logs in and allows on a fresh browser; returns the callback URL the browser was sent to. */
  async function authorizeInBrowser(
    parameters: Record<string, string> = {},
    options: { browser?: Browser; username?: string; url?: string } = {},
  ): Promise<URL> {
    const browser = options.browser ?? new Browser();
    let response = await browser.fetch(options.url ?? authorizeUrl(parameters));
    if (response.status === 200) {
      let html = await response.text();
      if (html.includes('name="pw"')) {
        response = await browser.submit(base, html, {
          action: 'login',
          username: options.username ?? 'alice@acme.demo',
          pw: PASSWORD,
        });
        if (response.status === 200) html = await response.text();
      }
      if (response.status === 200) response = await browser.submit(base, html, { action: 'allow' });
    }
    expect(response.status).toBe(302);
    return new URL(response.headers.get('location')!);
  }

  async function codeWithPkce(parameters: Record<string, string> = {}) {
    const pkce = pkcePair();
    const callback = await authorizeInBrowser({
      code_challenge: pkce.challenge,
      code_challenge_method: 'S256',
      ...parameters,
    });
    return { code: callback.searchParams.get('code')!, verifier: pkce.verifier, callback };
  }

  async function passwordToken(username = 'alice@acme.demo'): Promise<TokenBody> {
    const { response, body } = await tokenRequest({
      grant_type: 'password',
      client_id: CLIENT_ID,
      client_secret: CLIENT_SECRET,
      username,
      password: PASSWORD,
    });
    expect(response.status).toBe(200);
    return body;
  }

  async function restCall(accessToken: string, instanceUrl = base): Promise<Response> {
    return fetch(`${instanceUrl}/services/data/v66.0/limits`, {
      headers: { Authorization: `Bearer ${accessToken}` },
    });
  }

  describe('web-server flow', () => {
    it('runs login, consent, code and token exchange with PKCE end to end', async () => {
      const browser = new Browser();
      const pkce = pkcePair();
      const state = 'state with spaces & symbols/=?';
      let response = await browser.fetch(
        authorizeUrl({
          state,
          scope: 'api refresh_token openid',
          code_challenge: pkce.challenge,
          code_challenge_method: 'S256',
        }),
      );
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toContain('text/html');
      let html = await response.text();
      expect(html).toContain('name="username"');
      expect(html).toContain('type="password"');
      expect(html).toContain('Forcefield Demo');

      response = await browser.submit(base, html, {
        action: 'login',
        username: 'alice@acme.demo',
        pw: 'wrong',
      });
      expect(response.status).toBe(200);
      html = await response.text();
      expect(html).toContain('Please check your username and password');
      expect(html).toContain('value="alice@acme.demo"');
      expect(browser.cookies.has('sid')).toBe(false);

      response = await browser.submit(base, html, {
        action: 'login',
        username: 'alice@acme.demo',
        pw: PASSWORD,
      });
      expect(response.status).toBe(200);
      const setCookie = response.headers.getSetCookie().join('\n');
      expect(setCookie).toMatch(/sid=[^;]+;.*HttpOnly/);
      expect(setCookie).toContain('SameSite=Lax');
      html = await response.text();
      expect(html).toContain('Allow Access?');
      expect(html).toContain('Forcefield Demo');
      expect(html).toContain('Manage user data via APIs');
      expect(html).toContain('Perform requests at any time');
      expect(html).toContain('Access unique user identifiers');

      response = await browser.submit(base, html, { action: 'allow' });
      expect(response.status).toBe(302);
      const callback = new URL(response.headers.get('location')!);
      expect(`${callback.origin}${callback.pathname}`).toBe(REDIRECT_URI);
      expect(callback.searchParams.get('state')).toBe(state);
      const code = callback.searchParams.get('code')!;
      expect(code).toBeTruthy();

      const { response: tokenResponse, body } = await tokenRequest(codeGrant(code, pkce.verifier));
      expect(tokenResponse.status).toBe(200);
      expect(tokenResponse.headers.get('content-type')).toBe('application/json;charset=UTF-8');
      expect(tokenResponse.headers.get('cache-control')).toBe('no-store');
      expect(body.access_token).toMatch(/^00D\w{12}!\S+$/);
      expect(body.refresh_token).toBeTruthy();
      expect(body.instance_url).toBe(base);
      expect(body.id).toBe(
        `${base}/id/${emulator.org.id}/${emulator.org.userIdByUsername('alice@acme.demo')}`,
      );
      expect(body.token_type).toBe('Bearer');
      expect(body.scope).toBe('api refresh_token openid');
      expect(body.issued_at).toMatch(/^\d{13}$/);
      expect(body.id_token).toBeTruthy();

      const rest = await restCall(body.access_token, body.instance_url);
      expect(rest.status).toBe(200);
      expect(rest.headers.get('sforce-limit-info')).toMatch(/^api-usage=\d+\/\d+$/);
    });

    it('redirects access_denied with the state when the user denies', async () => {
      const browser = new Browser();
      let response = await browser.fetch(authorizeUrl({ state: 'deny-state' }));
      response = await browser.submit(base, await response.text(), {
        action: 'login',
        username: 'bob@acme.demo',
        pw: PASSWORD,
      });
      response = await browser.submit(base, await response.text(), { action: 'deny' });
      expect(response.status).toBe(302);
      const callback = new URL(response.headers.get('location')!);
      expect(callback.searchParams.get('error')).toBe('access_denied');
      expect(callback.searchParams.get('error_description')).toBe('end-user denied authorization');
      expect(callback.searchParams.get('state')).toBe('deny-state');
      expect(callback.searchParams.has('code')).toBe(false);
    });

    it('shows an error page and never redirects for an unknown client or an unregistered callback', async () => {
      for (const url of [
        authorizeUrl({ client_id: 'no-such-app' }),
        authorizeUrl({ redirect_uri: 'https://evil.example/callback' }),
        authorizeUrl({ redirect_uri: 'http://localhost.evil.example/callback' }),
        authorizeUrl({ redirect_uri: 'http://user@localhost:9000/callback' }),
        `${base}/services/oauth2/authorize?response_type=code&client_id=${CLIENT_ID}`,
      ]) {
        const response = await fetch(url, { redirect: 'manual' });
        expect(response.status).toBe(400);
        expect(response.headers.get('location')).toBeNull();
        expect(response.headers.get('content-type')).toContain('text/html');
        const html = await response.text();
        expect(html).toMatch(/invalid_client_id|redirect_uri_mismatch/);
      }
    });

    it('accepts any loopback callback for the demo app', async () => {
      for (const redirectUri of ['http://127.0.0.1/cb', 'http://localhost:1717/any/path?x=1']) {
        const response = await fetch(authorizeUrl({ redirect_uri: redirectUri }), { redirect: 'manual' });
        expect(response.status).toBe(200);
      }
    });

    it('redirects other authorize errors with error, error_description and state', async () => {
      const cases: Array<[Record<string, string>, string]> = [
        [{ response_type: 'token' }, 'unsupported_response_type'],
        [{ scope: 'api chatter_api' }, 'invalid_scope'],
        [{ code_challenge: 'abc', code_challenge_method: 'plain' }, 'invalid_request'],
      ];
      for (const [parameters, error] of cases) {
        const response = await fetch(authorizeUrl({ state: 's1', ...parameters }), { redirect: 'manual' });
        expect(response.status).toBe(302);
        const callback = new URL(response.headers.get('location')!);
        expect(`${callback.origin}${callback.pathname}`).toBe(REDIRECT_URI);
        expect(callback.searchParams.get('error')).toBe(error);
        expect(callback.searchParams.get('error_description')).toBeTruthy();
        expect(callback.searchParams.get('state')).toBe('s1');
      }
    });

    it('escapes echoed values in the HTML pages', async () => {
      const browser = new Browser();
      const response = await browser.fetch(authorizeUrl());
      const page = await browser.submit(base, await response.text(), {
        action: 'login',
        username: '"><script>alert(1)</script>',
        pw: 'x',
      });
      const html = await page.text();
      expect(html).not.toContain('<script>');
      expect(html).toContain('&#34;&#62;&#60;script&#62;');
      expect(page.headers.get('x-frame-options')).toBe('DENY');
    });

    it('rejects a form post with a forged CSRF token', async () => {
      const browser = new Browser();
      const response = await browser.fetch(authorizeUrl());
      const form = parseForm(await response.text());
      const forged = await browser.fetch(`${base}${form.action}`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({
          ...form.hidden,
          csrf: 'forged',
          action: 'login',
          username: 'alice@acme.demo',
          pw: PASSWORD,
        }).toString(),
      });
      expect(forged.status).toBe(403);
      expect(browser.cookies.has('sid')).toBe(false);
    });

    it('skips login with the session cookie and consent once approved, unless prompt asks', async () => {
      const browser = new Browser();
      const first = await authorizeInBrowser({ scope: 'api id' }, { browser, username: 'carol@acme.demo' });
      expect(first.searchParams.get('code')).toBeTruthy();

      // Same browser, same scopes: straight back to the app.
      let response = await browser.fetch(authorizeUrl({ scope: 'api id', state: 'again' }));
      expect(response.status).toBe(302);
      let callback = new URL(response.headers.get('location')!);
      expect(callback.searchParams.get('code')).toBeTruthy();
      expect(callback.searchParams.get('state')).toBe('again');

      // A scope not yet approved: consent again, but no login.
      response = await browser.fetch(authorizeUrl({ scope: 'api id refresh_token' }));
      expect(response.status).toBe(200);
      let html = await response.text();
      expect(html).toContain('Allow Access?');
      expect(html).not.toContain('name="pw"');

      // prompt=consent always asks.
      response = await browser.fetch(authorizeUrl({ scope: 'api id', prompt: 'consent' }));
      html = await response.text();
      expect(html).toContain('Allow Access?');

      // prompt=login always shows the login page, and then skips the remembered consent.
      response = await browser.fetch(authorizeUrl({ scope: 'api id', prompt: 'login' }));
      expect(response.status).toBe(200);
      html = await response.text();
      expect(html).toContain('name="pw"');
      response = await browser.submit(base, html, {
        action: 'login',
        username: 'carol@acme.demo',
        pw: PASSWORD,
      });
      expect(response.status).toBe(302);
      callback = new URL(response.headers.get('location')!);
      expect(callback.searchParams.get('code')).toBeTruthy();

      // prompt=login consent: both pages.
      response = await browser.fetch(authorizeUrl({ scope: 'api id', prompt: 'login consent' }));
      html = await response.text();
      response = await browser.submit(base, html, {
        action: 'login',
        username: 'carol@acme.demo',
        pw: PASSWORD,
      });
      expect(response.status).toBe(200);
      expect(await response.text()).toContain('Allow Access?');

      // A browser without the cookie gets the login page.
      response = await new Browser().fetch(authorizeUrl({ scope: 'api id' }));
      expect(await response.text()).toContain('name="pw"');
    });
  });

  it('answers prompt=none without any page', async () => {
    const anonymous = await fetch(authorizeUrl({ prompt: 'none', state: 'silent' }), { redirect: 'manual' });
    expect(anonymous.status).toBe(302);
    const callback = new URL(anonymous.headers.get('location')!);
    expect(callback.searchParams.get('error')).toBe('login_required');
    expect(callback.searchParams.get('state')).toBe('silent');

    const browser = new Browser();
    await authorizeInBrowser({ scope: 'api' }, { browser, username: 'bob@acme.demo' });
    const silent = await browser.fetch(authorizeUrl({ prompt: 'none', scope: 'api' }));
    expect(new URL(silent.headers.get('location')!).searchParams.get('code')).toBeTruthy();
  });

  it('publishes OpenID discovery', async () => {
    const response = await fetch(`${base}/.well-known/openid-configuration`);
    const configuration = (await response.json()) as Record<string, string>;
    expect(configuration.issuer).toBe(base);
    expect(configuration.jwks_uri).toBe(`${base}/id/keys`);
    expect(configuration.token_endpoint).toBe(`${base}/services/oauth2/token`);
  });

  describe('token endpoint', () => {
    it('rejects a reused or unknown authorization code', async () => {
      const { code, verifier } = await codeWithPkce();
      const parameters = codeGrant(code, verifier);
      expect((await tokenRequest(parameters)).response.status).toBe(200);
      const reused = await tokenRequest(parameters);
      expect(reused.response.status).toBe(400);
      expect(reused.body).toEqual(oauthError('invalid_grant', 'expired authorization code'));
      const unknown = await tokenRequest({ ...parameters, code: 'aPrxNotARealCode' });
      expect(unknown.body).toEqual(oauthError('invalid_grant', 'invalid authorization code'));
    });

    it('expires authorization codes after 15 minutes', async () => {
      const clock = new ManualClock();
      const other = await startEmulator({ port: 0, seed: 'none', clock });
      try {
        const browser = new Browser();
        let response = await browser.fetch(
          `${other.url}/services/oauth2/authorize?${new URLSearchParams({ response_type: 'code', client_id: CLIENT_ID, redirect_uri: REDIRECT_URI })}`,
        );
        response = await browser.submit(other.url, await response.text(), {
          action: 'login',
          username: 'alice@acme.demo',
          pw: PASSWORD,
        });
        response = await browser.submit(other.url, await response.text(), { action: 'allow' });
        const code = new URL(response.headers.get('location')!).searchParams.get('code')!;
        clock.advance(15 * 60 * 1000 + 1);
        const expired = await fetch(`${other.url}/services/oauth2/token`, {
          method: 'POST',
          headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
          body: new URLSearchParams(codeGrant(code)).toString(),
        });
        expect(expired.status).toBe(400);
        expect(await expired.json()).toEqual(oauthError('invalid_grant', 'expired authorization code'));
      } finally {
        await other.stop();
      }
    });

    it('verifies the PKCE code verifier', async () => {
      const wrong = await codeWithPkce();
      const bad = await tokenRequest(codeGrant(wrong.code, pkcePair().verifier));
      expect(bad.response.status).toBe(400);
      expect(bad.body).toEqual(oauthError('invalid_grant', 'invalid code verifier'));

      const missing = await codeWithPkce();
      const none = await tokenRequest(codeGrant(missing.code));
      expect(none.body).toEqual(oauthError('invalid_grant', 'invalid code verifier'));
    });

    it('lets a public client omit the secret only with PKCE', async () => {
      const withPkce = await codeWithPkce();
      const publicClient = await tokenRequest({
        grant_type: 'authorization_code',
        code: withPkce.code,
        client_id: CLIENT_ID,
        redirect_uri: REDIRECT_URI,
        code_verifier: withPkce.verifier,
      });
      expect(publicClient.response.status).toBe(200);

      const plain = await authorizeInBrowser();
      const noSecret = await tokenRequest({
        grant_type: 'authorization_code',
        code: plain.searchParams.get('code')!,
        client_id: CLIENT_ID,
        redirect_uri: REDIRECT_URI,
      });
      expect(noSecret.response.status).toBe(400);
      expect(noSecret.body).toEqual(oauthError('invalid_client', 'invalid client credentials'));
    });

    it('checks client credentials, the redirect_uri and the grant type', async () => {
      const { code, verifier } = await codeWithPkce();
      const base = codeGrant(code, verifier);
      const wrongSecret = await tokenRequest({ ...base, client_secret: 'nope' });
      expect(wrongSecret.response.status).toBe(400);
      expect(wrongSecret.body).toEqual(oauthError('invalid_client', 'invalid client credentials'));

      const unknownClient = await tokenRequest({ ...base, client_id: 'nope' });
      expect(unknownClient.body).toEqual(oauthError('invalid_client_id', 'client identifier invalid'));

      const badGrant = await tokenRequest({ ...base, grant_type: 'urn:example:unknown-grant' });
      expect(badGrant.body).toEqual(oauthError('unsupported_grant_type', 'grant type not supported'));

      // The failures above never touched the code; a mismatched redirect_uri spends it.
      const mismatch = await tokenRequest({ ...base, redirect_uri: 'http://localhost:8765/other' });
      expect(mismatch.body).toEqual(
        oauthError('redirect_uri_mismatch', 'redirect_uri must match configuration'),
      );
    });

    it('accepts client credentials in HTTP Basic auth', async () => {
      const { code, verifier } = await codeWithPkce();
      const basic = Buffer.from(`${CLIENT_ID}:${CLIENT_SECRET}`).toString('base64');
      const { response, body } = await tokenRequest(
        { grant_type: 'authorization_code', code, redirect_uri: REDIRECT_URI, code_verifier: verifier },
        { Authorization: `Basic ${basic}` },
      );
      expect(response.status).toBe(200);
      expect(body.access_token).toBeTruthy();
    });

    it('signs the response: HMAC-SHA256 of id + issued_at keyed with the client secret', async () => {
      const body = await passwordToken();
      const expected = createHmac('sha256', CLIENT_SECRET)
        .update(body.id + body.issued_at)
        .digest('base64');
      expect(body.signature).toBe(expected);
    });

    it('issues an id token that verifies against /id/keys', async () => {
      const { code, verifier } = await codeWithPkce({
        scope: 'openid api profile email',
        nonce: 'n-0S6_WzA2Mj',
      });
      const { body } = await tokenRequest(codeGrant(code, verifier));
      expect(body.refresh_token).toBeUndefined();
      const [header, payload, signature] = body.id_token.split('.');
      const headerJson = decodeJwtPart(header);
      expect(headerJson.alg).toBe('RS256');

      const keysResponse = await fetch(`${base}/id/keys`);
      expect(keysResponse.status).toBe(200);
      const { keys } = (await keysResponse.json()) as { keys: Array<Record<string, string>> };
      const jwk = keys.find((key) => key.kid === headerJson.kid)!;
      expect(jwk).toBeTruthy();
      const publicKey = createPublicKey({ key: jwk, format: 'jwk' });
      expect(
        verify('sha256', Buffer.from(`${header}.${payload}`), publicKey, Buffer.from(signature, 'base64url')),
      ).toBe(true);

      const claims = decodeJwtPart(payload);
      expect(claims.iss).toBe(base);
      expect(claims.aud).toBe(CLIENT_ID);
      expect(claims.sub).toBe(body.id);
      expect(claims.nonce).toBe('n-0S6_WzA2Mj');
      expect(claims.preferred_username).toBe('alice@acme.demo');
      expect(claims.email).toBe('alice@acme.demo');
      expect(claims.name).toBe('Alice Admin');
      expect(Number(claims.exp)).toBeGreaterThan(Number(claims.iat));
      const digest = createHash('sha256').update(body.access_token).digest();
      expect(claims.at_hash).toBe(digest.subarray(0, 16).toString('base64url'));
    });

    it('refreshes: a new working access token and no new refresh token', async () => {
      const { code, verifier } = await codeWithPkce({ scope: 'api refresh_token' });
      const { body: first } = await tokenRequest(codeGrant(code, verifier));
      const { response, body } = await tokenRequest({
        grant_type: 'refresh_token',
        refresh_token: first.refresh_token,
        client_id: CLIENT_ID,
        client_secret: CLIENT_SECRET,
      });
      expect(response.status).toBe(200);
      expect(body.access_token).not.toBe(first.access_token);
      expect(body.refresh_token).toBeUndefined();
      expect(body.scope).toBe('api refresh_token');
      expect(body.signature).toBe(
        createHmac('sha256', CLIENT_SECRET)
          .update(body.id + body.issued_at)
          .digest('base64'),
      );
      expect((await restCall(body.access_token)).status).toBe(200);

      const unknown = await tokenRequest({
        grant_type: 'refresh_token',
        refresh_token: 'not-a-token',
        client_id: CLIENT_ID,
        client_secret: CLIENT_SECRET,
      });
      expect(unknown.body).toEqual(oauthError('invalid_grant', 'expired access/refresh token'));
    });

    it('supports the password grant (no refresh token, as Salesforce)', async () => {
      const body = await passwordToken('bob@acme.demo');
      expect(body.refresh_token).toBeUndefined();
      expect(body.scope.split(' ')).toContain('api');
      expect((await restCall(body.access_token)).status).toBe(200);

      const wrong = await tokenRequest({
        grant_type: 'password',
        client_id: CLIENT_ID,
        client_secret: CLIENT_SECRET,
        username: 'bob@acme.demo',
        password: 'wrong',
      });
      expect(wrong.response.status).toBe(400);
      expect(wrong.body).toEqual(oauthError('invalid_grant', 'authentication failure'));
    });

    it('refuses GET on the token endpoint', async () => {
      const response = await fetch(`${base}/services/oauth2/token?grant_type=password`);
      expect(response.status).toBe(400);
      expect(((await response.json()) as TokenBody).error).toBe('invalid_request');
    });
  });

  describe('revoke', () => {
    it('revoking a refresh token revokes its access tokens', async () => {
      const { code, verifier } = await codeWithPkce({ scope: 'api refresh_token' });
      const { body: tokens } = await tokenRequest(codeGrant(code, verifier));
      expect((await restCall(tokens.access_token)).status).toBe(200);

      const revoke = await fetch(`${base}/services/oauth2/revoke`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ token: tokens.refresh_token }).toString(),
      });
      expect(revoke.status).toBe(200);
      expect(await revoke.text()).toBe('');

      const rest = await restCall(tokens.access_token);
      expect(rest.status).toBe(401);
      expect(await rest.json()).toEqual([
        { message: 'Session expired or invalid', errorCode: 'INVALID_SESSION_ID' },
      ]);
      const refresh = await tokenRequest({
        grant_type: 'refresh_token',
        refresh_token: tokens.refresh_token,
        client_id: CLIENT_ID,
        client_secret: CLIENT_SECRET,
      });
      expect(refresh.body).toEqual(oauthError('invalid_grant', 'expired access/refresh token'));
    });

    it('revokes an access token with GET ?token=', async () => {
      const body = await passwordToken();
      const revoke = await fetch(
        `${base}/services/oauth2/revoke?token=${encodeURIComponent(body.access_token)}`,
      );
      expect(revoke.status).toBe(200);
      expect((await restCall(body.access_token)).status).toBe(401);
    });

    it('answers 400 unsupported_token_type for an unknown token', async () => {
      const formEncoded = await fetch(`${base}/services/oauth2/revoke`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
        body: 'token=nope',
      });
      expect(formEncoded.status).toBe(400);
      expect(Object.fromEntries(new URLSearchParams(await formEncoded.text()))).toEqual(
        oauthError('unsupported_token_type', 'this token type is not supported'),
      );
      const json = await fetch(`${base}/services/oauth2/revoke`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded', Accept: 'application/json' },
        body: 'token=nope',
      });
      expect(json.status).toBe(400);
      expect(await json.json()).toEqual(
        oauthError('unsupported_token_type', 'this token type is not supported'),
      );
    });
  });

  describe('userinfo and identity', () => {
    it('serves OpenID userinfo for the token user', async () => {
      const tokens = await passwordToken();
      const response = await fetch(`${base}/services/oauth2/userinfo`, {
        headers: { Authorization: `Bearer ${tokens.access_token}` },
      });
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toBe('application/json;charset=UTF-8');
      const info = (await response.json()) as Record<string, unknown>;
      const userId = emulator.org.userIdByUsername('alice@acme.demo')!;
      expect(info).toMatchObject({
        sub: tokens.id,
        user_id: userId,
        organization_id: emulator.org.id,
        preferred_username: 'alice@acme.demo',
        nickname: 'alice',
        name: 'Alice Admin',
        email: 'alice@acme.demo',
        email_verified: true,
        given_name: 'Alice',
        family_name: 'Admin',
        zoneinfo: 'America/Los_Angeles',
        is_salesforce_integration_user: false,
        active: true,
        user_type: 'STANDARD',
        language: 'en_US',
        locale: 'en_US',
        utcOffset: -28800000,
        is_lightning_login_user: false,
      });
      expect(info.photos).toEqual({ picture: expect.any(String), thumbnail: expect.any(String) });
      expect(info.updated_at).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);
      const urls = info.urls as Record<string, string>;
      expect(Object.keys(urls).sort()).toEqual(
        [
          'enterprise',
          'metadata',
          'partner',
          'rest',
          'sobjects',
          'search',
          'query',
          'recent',
          'tooling_soap',
          'tooling_rest',
          'profile',
          'feeds',
          'groups',
          'users',
          'feed_items',
          'feed_elements',
          'custom_domain',
        ].sort(),
      );
      expect(urls.rest).toBe(`${base}/services/data/v{version}/`);
      expect(urls.enterprise).toBe(`${base}/services/Soap/c/{version}/${emulator.org.id.slice(0, 15)}`);

      const versioned = await fetch(`${base}/services/oauth2/userinfo?version=latest`, {
        headers: { Authorization: `Bearer ${tokens.access_token}` },
      });
      expect(((await versioned.json()) as { urls: Record<string, string> }).urls.rest).toBe(
        `${base}/services/data/v66.0/`,
      );
    });

    it('answers 403 Bad_OAuth_Token / Missing_OAuth_Token for userinfo without a valid token', async () => {
      const bad = await fetch(`${base}/services/oauth2/userinfo`, {
        headers: { Authorization: 'Bearer nope' },
      });
      expect(bad.status).toBe(403);
      expect(await bad.text()).toBe('Bad_OAuth_Token');
      const missing = await fetch(`${base}/services/oauth2/userinfo`);
      expect(missing.status).toBe(403);
      expect(await missing.text()).toBe('Missing_OAuth_Token');
    });

    it('serves the identity URL, with a header or ?oauth_token=', async () => {
      const tokens = await passwordToken();
      const response = await fetch(tokens.id, {
        headers: { Authorization: `Bearer ${tokens.access_token}` },
      });
      expect(response.status).toBe(200);
      const identity = (await response.json()) as Record<string, unknown>;
      expect(identity).toMatchObject({
        id: tokens.id,
        asserted_user: true,
        user_id: emulator.org.userIdByUsername('alice@acme.demo'),
        organization_id: emulator.org.id,
        username: 'alice@acme.demo',
        nick_name: 'alice',
        display_name: 'Alice Admin',
        email: 'alice@acme.demo',
        email_verified: true,
        first_name: 'Alice',
        last_name: 'Admin',
        timezone: 'America/Los_Angeles',
        addr_street: null,
        addr_city: null,
        addr_state: null,
        addr_country: 'US',
        addr_zip: null,
        mobile_phone: null,
        mobile_phone_verified: false,
        is_lightning_login_user: false,
        status: { created_date: null, body: null },
        active: true,
        user_type: 'STANDARD',
        language: 'en_US',
        locale: 'en_US',
        utcOffset: -28800000,
        is_app_installed: true,
      });
      expect(identity.last_modified_date).toMatch(/Z$/);

      const byQuery = await fetch(
        `${tokens.id}?format=json&oauth_token=${encodeURIComponent(tokens.access_token)}`,
      );
      expect(byQuery.status).toBe(200);

      // Another user of the org: visible, but not the asserted user.
      const bobId = emulator.org.userIdByUsername('bob@acme.demo')!;
      const bob = await fetch(`${base}/id/${emulator.org.id}/${bobId}`, {
        headers: { Authorization: `Bearer ${tokens.access_token}` },
      });
      expect(((await bob.json()) as Record<string, unknown>).asserted_user).toBe(false);
    });

    it('answers 404 Bad_Id for unknown ids and 403 Bad_OAuth_Token for a bad token', async () => {
      const tokens = await passwordToken();
      const auth = { headers: { Authorization: `Bearer ${tokens.access_token}` } };
      const userId = emulator.org.userIdByUsername('alice@acme.demo')!;
      const unknownUser = await fetch(`${base}/id/${emulator.org.id}/005000000000000AAA`, auth);
      expect(unknownUser.status).toBe(404);
      expect(await unknownUser.text()).toBe('Bad_Id');
      const unknownOrg = await fetch(`${base}/id/00D000000000000AAA/${userId}`, auth);
      expect(unknownOrg.status).toBe(404);
      const badToken = await fetch(tokens.id, { headers: { Authorization: 'Bearer nope' } });
      expect(badToken.status).toBe(403);
      expect(await badToken.text()).toBe('Bad_OAuth_Token');
    });
  });

  describe('session lifetime', () => {
    it('rejects access tokens once the session times out', async () => {
      const clock = new ManualClock();
      const other = await startEmulator({ port: 0, seed: 'none', clock, sessionTimeoutSeconds: 60 });
      try {
        const response = await passwordGrant(other.url, 'alice@acme.demo', PASSWORD);
        const tokens = (await response.json()) as TokenBody;
        clock.advance(45_000);
        // Use within the timeout slides it.
        expect((await restCall(tokens.access_token, other.url)).status).toBe(200);
        clock.advance(45_000);
        expect((await restCall(tokens.access_token, other.url)).status).toBe(200);
        clock.advance(61_000);
        const expired = await restCall(tokens.access_token, other.url);
        expect(expired.status).toBe(401);
        expect(await expired.json()).toEqual([
          { message: 'Session expired or invalid', errorCode: 'INVALID_SESSION_ID' },
        ]);
        const userinfo = await fetch(`${other.url}/services/oauth2/userinfo`, {
          headers: { Authorization: `Bearer ${tokens.access_token}` },
        });
        expect(userinfo.status).toBe(403);
      } finally {
        await other.stop();
      }
    });

    it('refuses inactive users at login and refresh', async () => {
      const other = await startEmulator({ port: 0, seed: 'none' });
      try {
        const tokenAt = async (parameters: Record<string, string>) => {
          const response = await fetch(`${other.url}/services/oauth2/token`, {
            method: 'POST',
            headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
            body: new URLSearchParams({
              client_id: CLIENT_ID,
              client_secret: CLIENT_SECRET,
              ...parameters,
            }).toString(),
          });
          return { status: response.status, body: (await response.json()) as TokenBody };
        };
        const browser = new Browser();
        const pkce = pkcePair();
        let response = await browser.fetch(
          `${other.url}/services/oauth2/authorize?${new URLSearchParams({
            response_type: 'code',
            client_id: CLIENT_ID,
            redirect_uri: REDIRECT_URI,
            scope: 'api refresh_token',
            code_challenge: pkce.challenge,
          })}`,
        );
        response = await browser.submit(other.url, await response.text(), {
          action: 'login',
          username: 'bob@acme.demo',
          pw: PASSWORD,
        });
        response = await browser.submit(other.url, await response.text(), { action: 'allow' });
        const code = new URL(response.headers.get('location')!).searchParams.get('code')!;
        const granted = await tokenAt({
          grant_type: 'authorization_code',
          code,
          redirect_uri: REDIRECT_URI,
          code_verifier: pkce.verifier,
        });
        expect(granted.status).toBe(200);

        const bobId = other.org.userIdByUsername('bob@acme.demo')!;
        other.org.store.update('User', bobId, { IsActive: false });

        const login = await tokenAt({
          grant_type: 'password',
          username: 'bob@acme.demo',
          password: PASSWORD,
        });
        expect(login.body).toEqual(oauthError('invalid_grant', 'authentication failure'));
        const refresh = await tokenAt({
          grant_type: 'refresh_token',
          refresh_token: granted.body.refresh_token,
        });
        expect(refresh.status).toBe(400);
        expect(refresh.body.error).toBe('invalid_grant');
        const userinfo = await fetch(`${other.url}/services/oauth2/userinfo`, {
          headers: { Authorization: `Bearer ${granted.body.access_token}` },
        });
        expect(userinfo.status).toBe(403);
      } finally {
        await other.stop();
      }
    });
  });

  describe('jsforce', () => {
    it('authorizes with a code, reads the identity and refreshes', async () => {
      const conn = new jsforce.Connection({
        oauth2: {
          clientId: CLIENT_ID,
          clientSecret: CLIENT_SECRET,
          redirectUri: REDIRECT_URI,
          loginUrl: base,
        },
        version: '66.0',
      });
      const authorizationUrl = conn.oauth2.getAuthorizationUrl({
        scope: 'api refresh_token id',
        state: 'js',
      });
      expect(authorizationUrl.startsWith(`${base}/services/oauth2/authorize?`)).toBe(true);
      // Alice may have approved these scopes already: the helper allows only if asked.
      const callback = await authorizeInBrowser({}, { url: authorizationUrl });
      expect(callback.searchParams.get('state')).toBe('js');

      const userInfo = await conn.authorize(callback.searchParams.get('code')!);
      expect(userInfo.id).toBe(emulator.org.userIdByUsername('alice@acme.demo'));
      expect(userInfo.organizationId).toBe(emulator.org.id);
      expect(conn.instanceUrl).toBe(base);
      expect(conn.refreshToken).toBeTruthy();

      const identity = await conn.identity();
      expect(identity.username).toBe('alice@acme.demo');
      expect(identity.display_name).toBe('Alice Admin');

      const refreshed = await conn.oauth2.refreshToken(conn.refreshToken!);
      expect(refreshed.access_token).toBeTruthy();
      expect((await restCall(refreshed.access_token)).status).toBe(200);
    });

    it('logs in with the password grant', async () => {
      const conn = new jsforce.Connection({
        oauth2: {
          clientId: CLIENT_ID,
          clientSecret: CLIENT_SECRET,
          redirectUri: REDIRECT_URI,
          loginUrl: base,
        },
        version: '66.0',
      });
      const userInfo = await conn.login('bob@acme.demo', PASSWORD);
      expect(userInfo.id).toBe(emulator.org.userIdByUsername('bob@acme.demo'));
      const identity = await conn.identity();
      expect(identity.username).toBe('bob@acme.demo');
      await expect(conn.login('bob@acme.demo', 'wrong')).rejects.toThrow('authentication failure');
    });
  });
});
