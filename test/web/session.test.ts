import { describe, expect, it } from 'vitest';
import { expectAccessible } from './support/accessibility.ts';
import { logInAs, logOut } from './support/log-in.ts';
import { useWebHarness } from './support/use-web-harness.ts';
import { USERS } from './support/web-harness.ts';

/** Logging in and out, the sidebar by role, the app's own not-found page, and an expired session. */

const harness = useWebHarness();

const SIDEBAR = ['Meetings', 'Chat', 'Agents', 'Settings'];
const ADMIN_SIDEBAR = ['Audit', 'People'];

describe('the session in a real browser', { timeout: 180_000 }, () => {
  it('sends a visitor to the login page and explains a wrong password', async () => {
    const { page, baseUrl } = harness;
    await page.goto(`${baseUrl}/meetings`);
    await page.getByRole('button', { name: 'Log in' }).waitFor();
    expect(new URL(page.url()).pathname).toBe('/login');
    await expectAccessible(page);

    await page.getByLabel('Email').fill(USERS.alice.email);
    await page.getByLabel('Password').fill('not the password');
    await page.getByRole('button', { name: 'Log in' }).click();
    await page.getByRole('alert').filter({ hasText: 'The email or password is incorrect.' }).waitFor();
    expect(new URL(page.url()).pathname).toBe('/login');
    await expectAccessible(page);
  });

  it('logs an admin in to the page they asked for, with the admin links in the sidebar', async () => {
    const { page, baseUrl } = harness;
    await logInAs(page, baseUrl, USERS.alice);
    expect(new URL(page.url()).pathname).toBe('/meetings');
    for (const name of [...SIDEBAR, ...ADMIN_SIDEBAR]) {
      expect(await page.getByRole('link', { name, exact: true }).isVisible(), name).toBe(true);
    }
    await expectAccessible(page);
  });

  it('shows its own page for an unknown URL', async () => {
    const { page, baseUrl } = harness;
    await page.goto(`${baseUrl}/no/such/page`);
    await page.getByRole('heading', { name: 'Page not found' }).waitFor();
    // Still inside the app: the sidebar leads back.
    expect(await page.getByRole('link', { name: 'Meetings', exact: true }).isVisible()).toBe(true);
    await expectAccessible(page);
  });

  it('returns to the login page when the session expires, and back after logging in', async () => {
    const { page, baseUrl } = harness;
    await page.goto(`${baseUrl}/settings/integrations`);
    await page.getByRole('heading', { name: 'Your personal integrations' }).waitFor();
    // Past the session's lifetime on the server; the browser still holds its cookie.
    harness.advanceServiceClock(15 * 24 * 60 * 60 * 1000);
    await page.reload();
    await page.getByRole('button', { name: 'Log in' }).waitFor();
    expect(new URL(page.url()).pathname).toBe('/login');
    await logInAs(page, baseUrl, USERS.alice);
    await page.getByRole('heading', { name: 'Your personal integrations' }).waitFor();
    expect(new URL(page.url()).pathname).toBe('/settings/integrations');
  });

  it('shows a member no admin links, and logging out ends the session', async () => {
    const { page, baseUrl } = harness;
    await logOut(page);
    await logInAs(page, baseUrl, USERS.bob);
    await page.getByRole('link', { name: 'Meetings', exact: true }).waitFor();
    for (const name of ADMIN_SIDEBAR) {
      expect(await page.getByRole('link', { name, exact: true }).count(), name).toBe(0);
    }
    await logOut(page);
    await page.goto(`${baseUrl}/meetings`);
    await page.getByRole('button', { name: 'Log in' }).waitFor();
    expect(new URL(page.url()).pathname).toBe('/login');
    expect(harness.takePageErrors()).toEqual([]);
  });

  it('fills the form from a demo login on the login page, saying the shared password once', async () => {
    const { page } = harness;
    // The previous test left the login page on screen, after logging out.
    const demo = page.getByRole('region', { name: 'Demo mode' });
    await demo.getByRole('button', { name: `Use ${USERS.bob.email}` }).click();
    expect(await page.getByLabel('Email').inputValue()).toBe(USERS.bob.email);
    expect(await page.getByLabel('Password').inputValue()).toBe(USERS.bob.password);
    expect(await demo.getByText(USERS.bob.password, { exact: true }).count()).toBe(1);
    await expectAccessible(page);
    await page.getByRole('button', { name: 'Log in', exact: true }).click();
    await page.getByRole('button', { name: 'Log out', includeHidden: true }).waitFor({ state: 'attached' });
    expect(new URL(page.url()).pathname).toBe('/meetings');
    expect(harness.takePageErrors()).toEqual([]);
  });
});
