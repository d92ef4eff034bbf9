import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningEmulator, startEmulator } from '../../emulator/index.ts';
import { escapeHtml, html } from '../../src/web/html.ts';
import { authorizeConnection, connect, logIn, type ServiceSession } from '../support/connections.ts';
import { Browser } from '../support/oauth-browser.ts';
import { emulatorSalesforce, startTestService, type TestService } from '../support/service.ts';

function expectSecurityHeaders(response: Response) {
  const policy = response.headers.get('content-security-policy') ?? '';
  expect(policy).toContain("default-src 'self'");
  expect(policy).toContain("script-src 'self'");
  expect(policy).toContain("frame-ancestors 'none'");
  expect(policy).not.toContain('unsafe-inline');
  expect(response.headers.get('x-frame-options')).toBe('DENY');
  expect(response.headers.get('referrer-policy')).toBe('no-referrer');
  expect(response.headers.get('x-content-type-options')).toBe('nosniff');
}

describe('html template', () => {
  it('escapes interpolated values and keeps nested templates', () => {
    const name = `<script>alert("x")</script>&'`;
    const page = html`<p title="${name}">${name}${html`<b>${1}</b>`}${[html`<i>a</i>`, '<']}${null}${false}</p>`;
    expect(page.text).toBe(
      '<p title="&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&amp;&#39;">' +
        '&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&amp;&#39;<b>1</b><i>a</i>&lt;</p>',
    );
    expect(escapeHtml('a&b')).toBe('a&amp;b');
  });
});

describe('web pages over HTTP', () => {
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
    await test.stop();
    await emulator.stop();
  });

  it('sends visitors without a session to the login page', async () => {
    const browser = new Browser();
    const root = await browser.fetch(`${baseUrl}/`);
    expect(root.status).toBe(302);
    expect(root.headers.get('location')).toBe('/login');
    expectSecurityHeaders(root);
    const connections = await browser.fetch(`${baseUrl}/connections`);
    expect(connections.status).toBe(302);
    expect(connections.headers.get('location')).toBe('/login');
    // The API is unchanged: JSON errors, no page redirects.
    const api = await browser.fetch(`${baseUrl}/api/connections`);
    expect(api.status).toBe(401);
    expect(api.headers.get('content-security-policy')).toBeNull();
  });

  it('serves a login form and, in demo mode, the demo logins', async () => {
    const response = await new Browser().fetch(`${baseUrl}/login`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/html/);
    expect(response.headers.get('cache-control')).toBe('no-store');
    expectSecurityHeaders(response);
    const page = await response.text();
    expect(page).toMatch(/<form id="login-form"[^>]*method="post"/);
    expect(page).toContain('name="email"');
    expect(page).toContain('name="password" type="password"');
    expect(page).toContain('<script src="/assets/app.js" defer></script>');
    // No inline script or style: the CSP would block them.
    expect(page).not.toMatch(/<script>|<style|\sstyle="|\son[a-z]+="/);
    expect(page).toContain('Demo mode');
    expect(page).toContain('alice@forcefield.demo');
    expect(page).toContain('bob@forcefield.demo');
    expect(page).toContain('forcefield-demo');
  });

  it('serves the script and styles with the right types', async () => {
    const script = await fetch(`${baseUrl}/assets/app.js`);
    expect(script.status).toBe(200);
    expect(script.headers.get('content-type')).toMatch(/^text\/javascript/);
    expect(await script.text()).toContain('/api/me');
    const styles = await fetch(`${baseUrl}/assets/app.css`);
    expect(styles.status).toBe(200);
    expect(styles.headers.get('content-type')).toMatch(/^text\/css/);
    expect((await fetch(`${baseUrl}/assets/..%2Fhtml.ts`)).status).toBe(404);
    expect((await fetch(`${baseUrl}/assets/constructor`)).status).toBe(404);
  });

  it('sends a logged-in browser to its connections, listed with their details and escaped', async () => {
    const root = await bob.browser.fetch(`${baseUrl}/`);
    expect(root.headers.get('location')).toBe('/connections');
    expect((await bob.browser.fetch(`${baseUrl}/login`)).headers.get('location')).toBe('/connections');

    const empty = await (await bob.browser.fetch(`${baseUrl}/connections`)).text();
    expect(empty).toContain('No Salesforce connections yet');
    expect(empty).toContain('data-action="connect" data-kind="personal"');
    // Members cannot create organization connections, so they are not offered one.
    expect(empty).not.toContain('data-kind="organization"');
    expect(empty).toContain('data-action="logout"');

    const name = '<script>alert("owned")</script>';
    const id = await connect(bob, emulator, { kind: 'personal', username: 'bob@acme.demo', name });
    const { connection } = (await bob.call('GET', `/api/connections/${id}`)).body;
    const response = await bob.browser.fetch(`${baseUrl}/connections`);
    expect(response.status).toBe(200);
    expectSecurityHeaders(response);
    const page = await response.text();
    expect(page).toContain('&lt;script&gt;alert(&quot;owned&quot;)&lt;/script&gt;');
    expect(page).not.toContain(name);
    expect(page).toContain('bob@acme.demo');
    expect(page).toContain(connection.salesforce.orgId);
    expect(page).toContain(emulator.url);
    expect(page).toContain('Active');
    expect(page).toContain(`data-action="check" data-connection-id="${id}"`);
    expect(page).toContain(`data-action="disconnect" data-connection-id="${id}"`);
    // Nothing secret reaches the page: no tokens, no CSRF token (the script asks /api/me for it).
    expect(page).not.toContain(bob.csrfToken);
    expect(page).not.toMatch(/00D\w+!|access_token|refresh_token|v1:/);
    await bob.call('DELETE', `/api/connections/${id}`);
  });

  it('offers admins the organization connection', async () => {
    const alice = await logIn(baseUrl, 'alice@forcefield.demo');
    const page = await (await alice.browser.fetch(`${baseUrl}/connections`)).text();
    expect(page).toContain('Connect an organization connection (service account)');
    expect(page).toContain('alice@forcefield.demo · admin');
  });

  it('brings a browser back from Salesforce to the page with a banner', async () => {
    const callback = await authorizeConnection(bob, emulator, {
      kind: 'personal',
      username: 'bob@acme.demo',
    });
    const finished = await bob.browser.fetch(callback.toString(), { headers: { Accept: 'text/html' } });
    expect(finished.status).toBe(302);
    const location = new URL(finished.headers.get('location')!, baseUrl);
    expect(location.pathname).toBe('/connections');
    const page = await (await bob.browser.fetch(location.toString())).text();
    expect(page).toMatch(/Connected as <strong>bob@acme\.demo<\/strong>/);
    await bob.call('DELETE', `/api/connections/${location.searchParams.get('connected')}`);
  });

  it('explains a failed callback on the page instead of answering JSON to the browser', async () => {
    const failed = await bob.browser.fetch(
      `${baseUrl}/api/connections/oauth/callback?code=abc&state=not-a-state`,
      { headers: { Accept: 'text/html,application/xhtml+xml,*/*;q=0.8' } },
    );
    expect(failed.status).toBe(302);
    const location = new URL(failed.headers.get('location')!, baseUrl);
    expect(location.pathname).toBe('/connections');
    expect(location.searchParams.get('error')).toBe('oauth_state_invalid');
    const page = await (await bob.browser.fetch(location.toString())).text();
    expect(page).toContain('Salesforce was not connected.');
    expect(page).toContain('This Salesforce sign-in is not one we started');
    expect(page).toContain('Start connecting again from the Connections page.');

    // Declining at Salesforce reads as such.
    const declined = await bob.browser.fetch(
      `${baseUrl}/api/connections/oauth/callback?error=access_denied&error_description=end-user+denied+authorization`,
    );
    const declinedPage = await (
      await bob.browser.fetch(new URL(declined.headers.get('location')!, baseUrl).toString())
    ).text();
    expect(declinedPage).toContain('You declined access in Salesforce');

    // API callers still get JSON.
    const json = await bob.call('GET', '/api/connections/oauth/callback?code=abc&state=not-a-state');
    expect(json.status).toBe(400);
    expect(json.body.error.code).toBe('oauth_state_invalid');
  });

  it('escapes the error text and does not show text for codes that are not ours', async () => {
    const crafted = new URLSearchParams({
      error: 'oauth_state_invalid',
      message: '<img src=x onerror=alert(1)>',
    });
    const page = await (await bob.browser.fetch(`${baseUrl}/connections?${crafted}`)).text();
    expect(page).toContain('&lt;img src=x onerror=alert(1)&gt;');
    expect(page).not.toContain('<img');
    const foreign = new URLSearchParams({
      error: 'call_us',
      message: 'Call 555-0100 to restore your account',
    });
    const foreignPage = await (await bob.browser.fetch(`${baseUrl}/connections?${foreign}`)).text();
    expect(foreignPage).not.toContain('555-0100');
    expect(foreignPage).toContain('Something went wrong while connecting.');
  });
});

describe('web pages with a real Salesforce org', () => {
  let test: TestService;

  beforeAll(async () => {
    // Not embedded: a real connected app, so there are no demo logins to show.
    test = await startTestService({ ...emulatorSalesforce('https://login.salesforce.com'), embedded: false });
  });

  afterAll(async () => {
    await test.stop();
  });

  it('shows no demo hint on the login page', async () => {
    const page = await (await fetch(`${test.service.url}/login`)).text();
    expect(page).toContain('name="email"');
    expect(page).not.toContain('Demo mode');
    expect(page).not.toContain('forcefield-demo');
  });
});
