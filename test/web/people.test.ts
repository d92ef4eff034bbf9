import { describe, expect, it } from 'vitest';
import { expectAccessible } from './support/accessibility.ts';
import { logInAs, logOut } from './support/log-in.ts';
import { useWebHarness } from './support/use-web-harness.ts';
import { USERS } from './support/web-harness.ts';

/** The admin People page: create a user, add them to a group; the new person can log in. */

const harness = useWebHarness();

const NEW_USER = { name: 'Erin Rep', email: 'erin@forcefield.demo', password: 'erin-demo-password-1' };

describe('the People page in a real browser', { timeout: 180_000 }, () => {
  it('lets an admin create a user', async () => {
    const { page, baseUrl } = harness;
    await logInAs(page, baseUrl, USERS.alice);
    await page.getByRole('link', { name: 'People', exact: true }).click();
    await page
      .getByRole('cell', { name: USERS.bob.email })
      .or(page.getByText(USERS.bob.email))
      .first()
      .waitFor();
    await expectAccessible(page);

    await page.getByRole('button', { name: 'Add person' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.waitFor();
    await dialog.getByLabel('Name').fill(NEW_USER.name);
    await dialog.getByLabel('Email').fill(NEW_USER.email);
    await dialog.getByLabel('Initial password').fill(NEW_USER.password);
    await expectAccessible(page, 'the new user dialog');
    await dialog.getByRole('button', { name: 'Add person' }).click();
    await dialog.waitFor({ state: 'hidden' });
    await page.getByText(NEW_USER.email).first().waitFor();
    // The table lists people by name, the new one in its place.
    const names = await page.getByRole('table').locator('tbody tr td:first-child').allInnerTexts();
    expect(names).toEqual([...names].sort((a, b) => a.localeCompare(b)));
    expect(names).toContain(NEW_USER.name);

    const admin = await harness.apiAs(USERS.alice);
    const users = await admin.call('GET', '/api/users');
    const created = (users.body.users as Array<{ email: string; role: string }>).find(
      (user) => user.email === NEW_USER.email,
    );
    expect(created?.role).toBe('member');
  });

  it('adds the new user to the Sales group', async () => {
    const { page } = harness;
    const sales = page.getByRole('listitem', { name: 'Sales' });
    await sales.getByLabel('Add member').selectOption({ label: `${NEW_USER.name} (${NEW_USER.email})` });
    await sales.getByText(NEW_USER.name, { exact: true }).waitFor();
    await expectAccessible(page, 'the People page with the new member');

    const admin = await harness.apiAs(USERS.alice);
    const groups = await admin.call('GET', '/api/groups');
    const group = (groups.body.groups as Array<{ id: string; name: string }>).find(
      (entry) => entry.name === 'Sales',
    );
    const detail = await admin.call('GET', `/api/groups/${group?.id}`);
    const users = await admin.call('GET', '/api/users');
    const erin = (users.body.users as Array<{ id: string; email: string }>).find(
      (user) => user.email === NEW_USER.email,
    );
    expect(detail.body.group.memberIds).toContain(erin?.id);
  });

  it('lets the new person log in', async () => {
    const { page, baseUrl } = harness;
    await logOut(page);
    await logInAs(page, baseUrl, NEW_USER);
    expect(new URL(page.url()).pathname).toBe('/meetings');
    expect(await page.getByRole('link', { name: 'People', exact: true }).count()).toBe(0);
    expect(harness.takePageErrors()).toEqual([]);
  });
});
