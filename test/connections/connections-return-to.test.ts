import { describe, expect, it } from 'vitest';
import { authorizeWithBrowser } from '../support/oauth-browser.ts';
import { useServiceWithBob } from './service-with-bob.ts';

/**
 * The OAuth callback sends the browser back into the web app: to the page the flow started from
 * (`returnTo`, a path on this service only) or to Settings → Integrations, with the outcome.
 */
describe('where the OAuth callback sends the browser', () => {
  const world = useServiceWithBob();

  async function finishFlow(start: Record<string, unknown>): Promise<string> {
    const started = await world.bob.call('POST', '/api/connections/oauth/start', {
      kind: 'personal',
      loginHost: 'production',
      ...start,
    });
    expect(started.status).toBe(200);
    const outcome = await authorizeWithBrowser(world.emulator.url, started.body.authorizationUrl, {
      username: 'bob@acme.demo',
    });
    const finished = await world.bob.browser.fetch(outcome.callback!.toString());
    expect(finished.status).toBe(302);
    return finished.headers.get('location') ?? '';
  }

  it('returns to the page the flow started from, keeping its query', async () => {
    const location = await finishFlow({ returnTo: '/meetings/abc?tab=tasks' });
    const url = new URL(location, world.test.service.url);
    expect(url.origin).toBe(world.test.service.url);
    expect(url.pathname).toBe('/meetings/abc');
    expect(url.searchParams.get('tab')).toBe('tasks');
    const id = url.searchParams.get('connected');
    const read = await world.bob.call('GET', `/api/connections/${id}`);
    expect(read.body.connection.salesforce.username).toBe('bob@acme.demo');
  });

  it('returns to Settings → Integrations without a returnTo', async () => {
    const location = await finishFlow({});
    expect(location).toMatch(/^\/settings\/integrations\?connected=[^&]+$/);
  });

  it('refuses a returnTo that leaves the service', async () => {
    for (const returnTo of ['https://evil.example/', '//evil.example/x', '/\\evil.example', 'meetings']) {
      const started = await world.bob.call('POST', '/api/connections/oauth/start', {
        kind: 'personal',
        loginHost: 'production',
        returnTo,
      });
      expect(started.status, returnTo).toBe(400);
      expect(started.body.error.code, returnTo).toBe('invalid_input');
    }
  });

  it('sends a failed sign-in to the Integrations page with the error code and guidance', async () => {
    const response = await world.bob.browser.fetch(
      `${world.test.service.url}/api/connections/oauth/callback?error=OAUTH_APPROVAL_ERROR_GENERIC`,
    );
    expect(response.status).toBe(302);
    const url = new URL(response.headers.get('location') ?? '', world.test.service.url);
    expect(url.pathname).toBe('/settings/integrations');
    expect(url.searchParams.get('error')).toBe('salesforce_app_not_approved');
    expect(url.searchParams.get('message')).toMatch(/Approve Uninstalled Connected Apps/);
  });
});
