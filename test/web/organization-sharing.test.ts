import { beforeAll, describe, expect, it } from 'vitest';
import { expectAccessible } from './support/accessibility.ts';
import { logInAs, logOut } from './support/log-in.ts';
import { useWebHarness } from './support/use-web-harness.ts';
import { USERS } from './support/web-harness.ts';

/**
 * An admin shares an organization connection with the Sales group (Bob is a member); Bob then
 * sees it under Organization integrations, read-only: no Share, Disconnect or Reconnect.
 */

const harness = useWebHarness();
let connectionId: string;

beforeAll(async () => {
  // Connecting is the personal-integration flow's subject; here the connection just has to exist.
  connectionId = await harness.connectSalesforce(USERS.alice, 'organization');
});

describe('sharing an organization integration in a real browser', { timeout: 180_000 }, () => {
  it('lets an admin share the connection with a group, effective at once', async () => {
    const { page, baseUrl } = harness;
    await logInAs(page, baseUrl, USERS.alice);
    await page.goto(`${baseUrl}/settings/integrations`);
    const organization = page.getByRole('region', { name: 'Organization integrations' });
    await organization.getByText(USERS.alice.salesforce).first().waitFor();
    await expectAccessible(page);

    await organization.getByRole('button', { name: 'Share' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.waitFor();
    await dialog.getByRole('radio', { name: 'Only people added' }).check();
    await dialog.getByRole('combobox').first().fill('Sales');
    await page.getByRole('option', { name: /Sales/ }).first().click();
    await expectAccessible(page, 'the share dialog');
    await dialog.getByRole('button', { name: /^(Save|Done|Share)$/ }).click();
    await dialog.waitFor({ state: 'hidden' });

    const admin = await harness.apiAs(USERS.alice);
    const groups = await admin.call('GET', '/api/groups');
    const sales = (groups.body.groups as Array<{ id: string; name: string }>).find(
      (group) => group.name === 'Sales',
    );
    const shared = await admin.call('GET', `/api/connections/${connectionId}`);
    expect(shared.body.connection.shares).toEqual({ users: [], groups: [sales?.id], team: false });
  });

  it('shows the shared connection to a member of the group, read-only', async () => {
    const { page, baseUrl } = harness;
    await logOut(page);
    await logInAs(page, baseUrl, USERS.bob);
    await page.goto(`${baseUrl}/settings/integrations`);
    const organization = page.getByRole('region', { name: 'Organization integrations' });
    await organization.getByText(USERS.alice.salesforce).first().waitFor();
    for (const action of ['Share', 'Disconnect', 'Reconnect']) {
      expect(await organization.getByRole('button', { name: action }).count(), action).toBe(0);
    }
    await expectAccessible(page);
    expect(harness.takePageErrors()).toEqual([]);
  });
});
