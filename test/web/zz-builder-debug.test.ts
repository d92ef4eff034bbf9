import { afterAll, beforeAll, it } from 'vitest';
import { logInAs } from './support/log-in.ts';
import {
  HARBORVIEW_INSIGHT,
  HARBORVIEW_MEETING,
  MENU_ITEMS,
  meetingItem,
  openMeeting,
} from './support/send-form.ts';
import { startWebHarness, USERS, type WebHarness } from './support/web-harness.ts';

let harness: WebHarness;
beforeAll(async () => {
  harness = await startWebHarness();
  await harness.connectSalesforce(USERS.alice);
});
afterAll(async () => {
  await harness?.stop();
});
it('debug', { timeout: 60_000 }, async () => {
  const { page, baseUrl } = harness;
  page.on('console', (message) => console.log('CONSOLE', message.type(), message.text()));
  await logInAs(page, baseUrl, USERS.alice);
  await openMeeting(page, baseUrl, HARBORVIEW_MEETING);
  const item = meetingItem(page, HARBORVIEW_INSIGHT);
  await item.hover();
  await item.getByRole('button', { name: 'Send to Salesforce' }).click();
  await page.getByRole('menuitem', { name: MENU_ITEMS.task }).click();
  const started = Date.now();
  await page.getByRole('dialog').waitFor();
  for (let index = 0; index < 10; index++) {
    await page.waitForTimeout(1000);
    console.log(Date.now() - started, (await page.getByRole('dialog').innerText()).slice(0, 1500));
    console.log(
      'labels',
      await page.getByLabel('Related record').count(),
      await page
        .getByRole('dialog')
        .filter({ has: page.getByLabel('Related record') })
        .count(),
    );
    for (const handle of await page.getByLabel('Related record').all())
      console.log(await handle.evaluate((element) => element.outerHTML.slice(0, 300)));
    if (await page.getByRole('button', { name: 'Create', exact: true }).count()) break;
  }
  await page.screenshot({ path: '/tmp/ff-builder-form.png', fullPage: true });
});
