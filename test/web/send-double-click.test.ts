import { describe, expect, it } from 'vitest';
import { logInAs } from './support/log-in.ts';
import {
  chooseRelatedRecord,
  createButton,
  HARBORVIEW_ACCOUNT,
  HARBORVIEW_DECISION,
  HARBORVIEW_MEETING,
  openMeeting,
  openSendForm,
} from './support/send-form.ts';
import { useWebHarness } from './support/use-web-harness.ts';
import { USERS } from './support/web-harness.ts';

/** A double click on Create makes one record, not two. */

const harness = useWebHarness({ connectAs: USERS.alice });

describe('a double click on Create', { timeout: 180_000 }, () => {
  it('creates exactly one task', async () => {
    const { page, baseUrl } = harness;
    await logInAs(page, baseUrl, USERS.alice);
    await openMeeting(page, baseUrl, HARBORVIEW_MEETING);
    const form = await openSendForm(page, HARBORVIEW_DECISION, 'task');
    const subject = 'Harborview pilot: double click (task)';
    await form.getByLabel('Subject').fill(subject);
    await chooseRelatedRecord(page, form, HARBORVIEW_ACCOUNT);
    await createButton(form).dblclick();
    await page.getByRole('link', { name: 'Open in Salesforce' }).first().waitFor();
    // Whatever the second click started has finished once the network is quiet.
    await page.waitForLoadState('networkidle');

    expect(await harness.query(`SELECT Id FROM Task WHERE Subject = '${subject}'`)).toHaveLength(1);
    expect(harness.takePageErrors()).toEqual([]);
  });
});
