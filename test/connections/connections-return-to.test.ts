import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningEmulator, startEmulator } from '../../emulator/index.ts';
import { logIn, type ServiceSession } from '../support/connections.ts';
import { authorizeWithBrowser } from '../support/oauth-browser.ts';
import { emulatorSalesforce, startTestService, type TestService } from '../support/service.ts';

/**
 * The OAuth callback sends the browser back into the web app: to the page the flow started from
 * (`returnTo`, a path on this service only) or to Settings → Integrations, with the outcome.
 */
describe('where the OAuth callback sends the browser', () => {
  let emulator: RunningEmulator;
  let test: TestService;
  let bob: ServiceSession;

  beforeAll(async () => {
    emulator = await startEmulator({ port: 0, seed: 'demo' });
    test = await startTestService(emulatorSalesforce(emulator.url));
    bob = await logIn(test.service.url, 'bob@forcefield.demo');
  });

  afterAll(async () => {
    await test.stop();
    await emulator.stop();
  });

  async function finishFlow(start: Record<string, unknown>): Promise<string> {
    const started = await bob.call('POST', '/api/connections/oauth/start', {
      kind: 'personal',
      loginHost: 'production',
      ...start,
    });
    expect(started.status).toBe(200);
    const outcome = await authorizeWithBrowser(emulator.url, started.body.authorizationUrl, {
      username: 'bob@acme.demo',
    });
    const finished = await bob.browser.fetch(outcome.callback!.toString());
    expect(finished.status).toBe(302);
    return finished.headers.get('location') ?? '';
  }

  it('returns to the page the flow started from, keeping its query', async () => {
    const location = await finishFlow({ returnTo: '/meetings/abc?tab=tasks' });
    const url = new URL(location, test.service.url);
    expect(url.origin).toBe(test.service.url);
    expect(url.pathname).toBe('/meetings/abc');
    expect(url.searchParams.get('tab')).toBe('tasks');
    const id = url.searchParams.get('connected');
    const read = await bob.call('GET', `/api/connections/${id}`);
    expect(read.body.connection.salesforce.username).toBe('bob@acme.demo');
  });

  it('returns to Settings → Integrations without a returnTo', async () => {
    const location = await finishFlow({});
    expect(location).toMatch(/^\/settings\/integrations\?connected=[^&]+$/);
  });

  it('refuses a returnTo that leaves the service', async () => {
    for (const returnTo of ['https://evil.example/', '//evil.example/x', '/\\evil.example', 'meetings']) {
      const started = await bob.call('POST', '/api/connections/oauth/start', {
        kind: 'personal',
        loginHost: 'production',
        returnTo,
      });
      expect(started.status, returnTo).toBe(400);
      expect(started.body.error.code, returnTo).toBe('invalid_input');
    }
  });

  it('sends a failed sign-in to the Integrations page with the error code and guidance', async () => {
    const response = await bob.browser.fetch(
      `${test.service.url}/api/connections/oauth/callback?error=OAUTH_APPROVAL_ERROR_GENERIC`,
    );
    expect(response.status).toBe(302);
    const url = new URL(response.headers.get('location') ?? '', test.service.url);
    expect(url.pathname).toBe('/settings/integrations');
    expect(url.searchParams.get('error')).toBe('salesforce_app_not_approved');
    expect(url.searchParams.get('message')).toMatch(/Approve Uninstalled Connected Apps/);
  });
});
