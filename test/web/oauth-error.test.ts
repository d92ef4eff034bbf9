import { describe, expect, it } from 'vitest';
import { expectAccessible } from './support/accessibility.ts';
import { logInAs } from './support/log-in.ts';
import { useWebHarness } from './support/use-web-harness.ts';
import { SALESFORCE_PASSWORD, USERS } from './support/web-harness.ts';

/**
 * OAuth errors read as a panel with what to do: declining at Salesforce's consent page comes
 * back as such, and a crafted link cannot make the app show someone else's text.
 */

const harness = useWebHarness();

describe('OAuth errors on Settings → Integrations', { timeout: 180_000 }, () => {
  it('explains a declined consent in a readable panel', async () => {
    const { page, baseUrl, emulator } = harness;
    await logInAs(page, baseUrl, USERS.bob);
    await page.goto(`${baseUrl}/settings/integrations`);
    await page.getByRole('button', { name: '+ Add integration' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByRole('button', { name: /^Salesforce/ }).click();
    await dialog.getByRole('radio', { name: /Production/ }).check();
    await dialog.getByRole('button', { name: 'Connect' }).click();
    await page.waitForURL(`${emulator.url}/**`);
    await page.getByLabel('Username').fill(USERS.bob.salesforce);
    await page.getByLabel('Password').fill(SALESFORCE_PASSWORD);
    await page.getByRole('button', { name: 'Log In' }).click();
    await page.getByRole('button', { name: 'Deny' }).click();
    await page.waitForURL(`${baseUrl}/**`);

    const panel = page.getByRole('alert').filter({ has: page.getByRole('heading') });
    await panel.getByRole('heading', { name: 'Access was declined in Salesforce' }).waitFor();
    expect(await panel.getByRole('button', { name: 'Try again' }).count()).toBe(1);
    await expectAccessible(page);
  });

  it('shows no text from a crafted link for an error code that is not ours', async () => {
    const { page, baseUrl } = harness;
    const crafted = new URLSearchParams({
      error: 'call_us',
      message: 'Call 555-0100 to restore your account',
    });
    await page.goto(`${baseUrl}/settings/integrations?${crafted}`);
    await page.getByRole('heading', { name: 'Your personal integrations' }).waitFor();
    expect(await page.getByText('555-0100').count()).toBe(0);
  });

  it('renders a crafted message as text, never as markup', async () => {
    const { page, baseUrl } = harness;
    const crafted = new URLSearchParams({ error: 'oauth_state_invalid', message: '<img src=x id=injected>' });
    await page.goto(`${baseUrl}/settings/integrations?${crafted}`);
    await page.getByRole('heading', { name: 'Your personal integrations' }).waitFor();
    expect(await page.locator('#injected').count()).toBe(0);
    expect(harness.takePageErrors()).toEqual([]);
  });
});
