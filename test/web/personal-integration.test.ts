import { describe, expect, it } from 'vitest';
import { expectAccessible } from './support/accessibility.ts';
import { logInAs } from './support/log-in.ts';
import { approveOnSalesforce } from './support/salesforce-login.ts';
import { useWebHarness } from './support/use-web-harness.ts';
import { USERS } from './support/web-harness.ts';

/**
 * Settings → Integrations: a member adds a personal Salesforce integration through the
 * emulator's real login and consent pages, checks it, and disconnects it after confirming.
 */

const harness = useWebHarness();

describe('a personal integration in a real browser', { timeout: 180_000 }, () => {
  it('connects through Salesforce login and consent and comes back to the new connection', async () => {
    const { page, baseUrl, emulator } = harness;
    await logInAs(page, baseUrl, USERS.bob);
    await page.getByRole('link', { name: 'Settings', exact: true }).click();
    await page.getByRole('link', { name: 'Integrations', exact: true }).click();
    const personal = page.getByRole('region', { name: 'Your personal integrations' });
    await page.getByRole('heading', { name: 'Your personal integrations' }).waitFor();
    await expectAccessible(page);

    await page.getByRole('button', { name: '+ Add integration' }).first().click();
    const dialog = page.getByRole('dialog');
    await dialog.waitFor();
    // The provider choice (Salesforce is the only one today), then the login host: Production.
    const salesforce = dialog
      .getByRole('radio', { name: /Salesforce/ })
      .or(dialog.getByRole('button', { name: /^Salesforce/ }));
    if ((await salesforce.count()) > 0) await salesforce.first().click();
    await dialog.getByRole('radio', { name: /Production/ }).check();
    await expectAccessible(page, 'the add integration dialog');
    await dialog.getByRole('button', { name: 'Connect' }).click();

    await page.waitForURL(`${emulator.url}/**`);
    await approveOnSalesforce(page, { serviceUrl: baseUrl, username: USERS.bob.salesforce });
    await page.getByRole('heading', { name: 'Your personal integrations' }).waitFor();
    expect(new URL(page.url()).pathname).toBe('/settings/integrations');
    await personal.getByText(USERS.bob.salesforce).first().waitFor();
    expect(await personal.getByText('Active', { exact: true }).count()).toBe(1);
    await expectAccessible(page);
  });

  it('checks the connection and shows the result on its card', async () => {
    const { page } = harness;
    const personal = page.getByRole('region', { name: 'Your personal integrations' });
    await personal.getByRole('button', { name: 'Check' }).click();
    await personal.getByText(`Connected as ${USERS.bob.salesforce}`).first().waitFor();
    await expectAccessible(page);
  });

  it('disconnects only after a confirmation dialog', async () => {
    const { page } = harness;
    const personal = page.getByRole('region', { name: 'Your personal integrations' });
    await personal.getByRole('button', { name: 'Disconnect' }).click();
    const confirmation = page.getByRole('alertdialog').or(page.getByRole('dialog'));
    await confirmation.waitFor();
    await expectAccessible(page, 'the disconnect confirmation');
    // Cancel keeps it.
    await confirmation.getByRole('button', { name: 'Cancel' }).click();
    await confirmation.waitFor({ state: 'hidden' });
    expect(await personal.getByText(USERS.bob.salesforce).count()).toBeGreaterThan(0);

    await personal.getByRole('button', { name: 'Disconnect' }).click();
    await confirmation.getByRole('button', { name: 'Disconnect' }).click();
    await personal.getByText(USERS.bob.salesforce).first().waitFor({ state: 'detached' });
    const api = await harness.apiAs(USERS.bob);
    const listed = await api.call('GET', '/api/connections');
    expect(JSON.stringify(listed.body)).not.toContain(USERS.bob.salesforce);
    expect(harness.takePageErrors()).toEqual([]);
  });
});
