import { describe, expect, it } from 'vitest';
import { expectAccessible } from './support/accessibility.ts';
import { logInAs } from './support/log-in.ts';
import {
  chooseRelatedRecord,
  createButton,
  descriptionOf,
  HARBORVIEW_ACCOUNT,
  HARBORVIEW_INSIGHT,
  HARBORVIEW_MEETING,
  openMeeting,
  openSendForm,
} from './support/send-form.ts';
import { useWebHarness } from './support/use-web-harness.ts';
import { USERS } from './support/web-harness.ts';

/**
 * A Salesforce validation error (a validation rule on Task.ActivityDate, injected by the
 * emulator's fault rules as Salesforce answers it) lands on the field it names, and the send
 * succeeds once the person tries again.
 */

const harness = useWebHarness({ connectAs: USERS.alice });

const RULE_MESSAGE = 'Due date must be within 30 days of the meeting.';

describe('a Salesforce validation error in the send form', { timeout: 180_000 }, () => {
  it('shows the error next to the field it names, then creates the task on a retry', async () => {
    const { page, baseUrl, emulator } = harness;
    const fault = await fetch(`${emulator.url}/__emulator/faults`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${emulator.adminSecret}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({
        method: 'POST',
        path: '/services/data/*/sobjects/Task',
        kind: 'validation-error',
        times: 1,
        message: RULE_MESSAGE,
        fields: ['ActivityDate'],
      }),
    });
    expect(fault.status).toBe(201);

    await logInAs(page, baseUrl, USERS.alice);
    await openMeeting(page, baseUrl, HARBORVIEW_MEETING);
    const form = await openSendForm(page, HARBORVIEW_INSIGHT, 'task');
    const subject = 'Harborview rollout: validation retry (task)';
    await form.getByLabel('Subject').fill(subject);
    await chooseRelatedRecord(page, form, HARBORVIEW_ACCOUNT);
    await createButton(form).click();

    const dueDate = form.getByLabel('Due Date').first();
    await form.getByText(RULE_MESSAGE).first().waitFor();
    expect(await dueDate.getAttribute('aria-invalid')).toBe('true');
    expect(await descriptionOf(dueDate)).toContain(RULE_MESSAGE);
    expect(await harness.query(`SELECT Id FROM Task WHERE Subject = '${subject}'`)).toEqual([]);
    await expectAccessible(page, 'the task form with a validation error');

    // The rule fired once; trying again creates the one task.
    await createButton(form).click();
    await page.getByRole('link', { name: 'Open in Salesforce' }).first().waitFor();
    expect(await harness.query(`SELECT Id FROM Task WHERE Subject = '${subject}'`)).toHaveLength(1);
    expect(harness.takePageErrors()).toEqual([]);
  });
});
