import type { Page } from 'playwright-core';

/** Logs in through the login page as a person would, and waits for the app shell. */
export async function logInAs(
  page: Page,
  baseUrl: string,
  user: { email: string; password: string },
): Promise<void> {
  if (new URL(page.url()).pathname !== '/login' || !page.url().startsWith(baseUrl))
    await page.goto(`${baseUrl}/login`);
  await page.getByLabel('Email').fill(user.email);
  await page.getByLabel('Password').fill(user.password);
  await page.getByRole('button', { name: 'Log in' }).click();
  // Attached, not visible: on a phone the sidebar that holds it is collapsed.
  await page.getByRole('button', { name: 'Log out', includeHidden: true }).waitFor({ state: 'attached' });
}

/** Logs out with the sidebar's button and waits for the login page. */
export async function logOut(page: Page): Promise<void> {
  await page.getByRole('button', { name: 'Log out' }).click();
  await page.getByRole('button', { name: 'Log in' }).waitFor();
}
