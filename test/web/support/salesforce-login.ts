import type { Page } from 'playwright-core';
import { SALESFORCE_PASSWORD } from './web-harness.ts';

/**
 * On the emulator's own login and consent pages (Salesforce's, in a real org): logs in as
 * `username` and allows access, then waits to be back on the service.
 */
export async function approveOnSalesforce(
  page: Page,
  options: { serviceUrl: string; username: string },
): Promise<void> {
  await page.getByLabel('Username').fill(options.username);
  await page.getByLabel('Password').fill(SALESFORCE_PASSWORD);
  await page.getByRole('button', { name: 'Log In' }).click();
  await page.getByRole('heading', { name: 'Allow Access?' }).waitFor();
  await page.getByRole('button', { name: 'Allow' }).click();
  await page.waitForURL(`${options.serviceUrl}/**`);
}
