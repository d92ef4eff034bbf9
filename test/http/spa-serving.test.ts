import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningEmulator, startEmulator } from '../../emulator/index.ts';
import { authorizeConnection, logIn, type ServiceSession } from '../support/connections.ts';
import { emulatorSalesforce, startTestService, type TestService } from '../support/service.ts';

/**
 * How the service serves the built web app, over HTTP: index.html for every page path (the app's
 * router decides, its own not-found page included), hashed assets cached for good, security
 * headers on all of it, JSON 404s under /api, demo logins only in demo mode, and the OAuth
 * callback sending a browser back to Settings → Integrations.
 */

function expectSecurityHeaders(response: Response) {
  const policy = response.headers.get('content-security-policy') ?? '';
  expect(policy).toContain("default-src 'self'");
  expect(policy).toContain("script-src 'self'");
  expect(policy).not.toMatch(/script-src[^;]*unsafe-inline/);
  expect(policy).toContain("frame-ancestors 'none'");
  expect(response.headers.get('x-frame-options')).toBe('DENY');
  expect(response.headers.get('referrer-policy')).toBe('no-referrer');
  expect(response.headers.get('x-content-type-options')).toBe('nosniff');
}

describe('the web app over HTTP in demo mode', () => {
  let emulator: RunningEmulator;
  let test: TestService;
  let baseUrl: string;
  let bob: ServiceSession;

  beforeAll(async () => {
    emulator = await startEmulator({ port: 0, seed: 'demo' });
    test = await startTestService(emulatorSalesforce(emulator.url));
    baseUrl = test.service.url;
    bob = await logIn(baseUrl, 'bob@forcefield.demo');
  });

  afterAll(async () => {
    await test?.stop();
    await emulator?.stop();
  });

  it('answers index.html, never cached, for every page path', async () => {
    for (const path of ['/', '/login', '/meetings/123', '/settings/integrations', '/no/such/page']) {
      const response = await fetch(`${baseUrl}${path}`);
      expect(response.status, path).toBe(200);
      expect(response.headers.get('content-type'), path).toContain('text/html');
      expect(response.headers.get('cache-control'), path).toBe('no-store');
      expectSecurityHeaders(response);
      expect(await response.text()).toContain('<script type="module"');
    }
  });

  it('serves the hashed scripts and styles with their types, cached for good', async () => {
    const index = await (await fetch(`${baseUrl}/meetings`)).text();
    const assets = [...index.matchAll(/(?:src|href)="(\/assets\/[^"]+\.(?:js|css))"/g)].map(
      (match) => match[1],
    );
    expect(assets.some((asset) => asset.endsWith('.js'))).toBe(true);
    for (const asset of assets) {
      const response = await fetch(`${baseUrl}${asset}`);
      expect(response.status, asset).toBe(200);
      expect(response.headers.get('content-type'), asset).toContain(
        asset.endsWith('.js') ? 'javascript' : 'text/css',
      );
      expect(response.headers.get('cache-control'), asset).toContain('immutable');
    }
    expect((await fetch(`${baseUrl}/assets/no-such-file.js`)).status).toBe(404);
    expect((await fetch(`${baseUrl}/assets/..%2F..%2Fpackage.json`)).status).toBe(404);
  });

  it('keeps unknown API paths JSON 404s', async () => {
    const response = await fetch(`${baseUrl}/api/no-such-endpoint`);
    expect(response.status).toBe(404);
    expect(response.headers.get('content-type')).toContain('application/json');
  });

  it('offers the demo logins in demo mode', async () => {
    const index = await (await fetch(`${baseUrl}/login`)).text();
    expect(index).toContain('name="forcefield-demo-logins"');
    expect(index).toContain('bob@forcefield.demo');
  });

  it('sends a browser back from Salesforce to Settings → Integrations with the new connection', async () => {
    const callback = await authorizeConnection(bob, emulator, {
      kind: 'personal',
      username: 'bob@acme.demo',
    });
    const finished = await bob.browser.fetch(callback.toString(), { headers: { Accept: 'text/html' } });
    expect(finished.status).toBe(302);
    const location = new URL(finished.headers.get('location') ?? '', baseUrl);
    expect(location.pathname).toBe('/settings/integrations');
    const connectionId = location.searchParams.get('connected');
    expect(connectionId).toBeTruthy();
    expect((await bob.call('DELETE', `/api/connections/${connectionId}`)).status).toBe(200);
  });

  it('sends a browser with a failed callback to the page that explains it, not to JSON', async () => {
    const failed = await bob.browser.fetch(
      `${baseUrl}/api/connections/oauth/callback?code=abc&state=not-a-state`,
      {
        headers: { Accept: 'text/html,application/xhtml+xml,*/*;q=0.8' },
      },
    );
    expect(failed.status).toBe(302);
    const location = new URL(failed.headers.get('location') ?? '', baseUrl);
    expect(location.pathname).toBe('/settings/integrations');
    expect(location.searchParams.get('error')).toBe('oauth_state_invalid');
    // API callers still get JSON.
    const json = await bob.call('GET', '/api/connections/oauth/callback?code=abc&state=not-a-state');
    expect(json.status).toBe(400);
    expect(json.body.error.code).toBe('oauth_state_invalid');
  });
});

describe('the web app with a real Salesforce org', () => {
  let test: TestService;

  beforeAll(async () => {
    // Not embedded: a real connected app, so there are no demo logins to offer.
    test = await startTestService({ ...emulatorSalesforce('https://login.salesforce.com'), embedded: false });
  });

  afterAll(async () => {
    await test?.stop();
  });

  it('offers no demo logins', async () => {
    const index = await (await fetch(`${test.service.url}/login`)).text();
    expect(index).not.toContain('forcefield-demo');
  });
});
