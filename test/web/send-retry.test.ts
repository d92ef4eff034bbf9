import { describe, expect, it } from 'vitest';
import { injectFault } from '../meetings/support.ts';
import { expectAccessible } from './support/accessibility.ts';
import { logInAs } from './support/log-in.ts';
import {
  chooseRelatedRecord,
  createButton,
  HARBORVIEW_ACCOUNT,
  HARBORVIEW_DECISION,
  HARBORVIEW_INSIGHT,
  HARBORVIEW_MEETING,
  openMeeting,
  openSendForm,
} from './support/send-form.ts';
import { useWebHarness } from './support/use-web-harness.ts';
import { USERS } from './support/web-harness.ts';

/**
 * Passing refusals in the send form. A record lock (Salesforce's UNABLE_TO_LOCK_ROW, injected by
 * the emulator's fault rules) is retried by the form itself with the same idempotency key after the
 * service's Retry-After, saying so while it waits; the daily API limit (a wait of minutes) is left to
 * the person, with the reason. Either way exactly one task is created.
 */

const harness = useWebHarness({ connectAs: USERS.alice });

/** One fault on the next Task create, checked to be in place (the rule comes back with its kind). */
async function injectTaskFault(kind: string): Promise<void> {
  expect(await injectFault(harness.emulator, kind)).toMatchObject({ kind, times: 1 });
}

describe('passing Salesforce refusals in the send form', { timeout: 180_000 }, () => {
  it('retries a locked record by itself, says so while it waits, and creates one task', async () => {
    const { page, baseUrl } = harness;
    await injectTaskFault('unable-to-lock-row');
    await logInAs(page, baseUrl, USERS.alice);
    await openMeeting(page, baseUrl, HARBORVIEW_MEETING);
    const form = await openSendForm(page, HARBORVIEW_INSIGHT, 'task');
    const subject = 'Harborview rollout: retried after a lock (task)';
    await form.getByLabel('Subject').fill(subject);
    await chooseRelatedRecord(page, form, HARBORVIEW_ACCOUNT);
    // The retry is held at the browser until the waiting state has been checked, however slow
    // the machine: the form's own wait (the Retry-After) must not race the assertions.
    let sends = 0;
    let release = () => {};
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    await page.route('**/api/meetings/*/items/*/sends', async (route) => {
      if (++sends > 1) await held;
      await route.continue();
    });
    try {
      await createButton(form).click();

      const notice = form.getByRole('status').filter({ hasText: 'UNABLE_TO_LOCK_ROW' });
      await notice.waitFor();
      expect(await notice.textContent()).toMatch(/nothing was created\. Trying again in \d+ s/);
      const busy = form.getByRole('button', { name: 'Creating…' });
      expect(await busy.getAttribute('aria-disabled')).toBe('true');
      await expectAccessible(page, 'the send form waiting to retry');
      release();

      await page.getByRole('link', { name: 'Open in Salesforce' }).first().waitFor({ timeout: 30_000 });
    } finally {
      // Never left holding: a failed check must not hold the next test's sends.
      release();
      await page.unroute('**/api/meetings/*/items/*/sends');
    }
    expect(sends).toBe(2);
    expect(await harness.query(`SELECT Id FROM Task WHERE Subject = '${subject}'`)).toHaveLength(1);
    expect(harness.takePageErrors()).toEqual([]);
  });

  it('leaves a long wait (the API limit) to the person, and their retry creates one task', async () => {
    const { page, baseUrl } = harness;
    await injectTaskFault('request-limit-exceeded');
    await openMeeting(page, baseUrl, HARBORVIEW_MEETING);
    const form = await openSendForm(page, HARBORVIEW_DECISION, 'task');
    const subject = 'Harborview rollout: retried after the API limit (task)';
    await form.getByLabel('Subject').fill(subject);
    await chooseRelatedRecord(page, form, HARBORVIEW_ACCOUNT);
    await createButton(form).click();

    await form
      .getByText(/REQUEST_LIMIT_EXCEEDED/)
      .first()
      .waitFor();
    expect(await form.getByRole('status').filter({ hasText: 'Trying again' }).count()).toBe(0);
    expect(await createButton(form).textContent()).toBe('Create');
    expect(await harness.query(`SELECT Id FROM Task WHERE Subject = '${subject}'`)).toEqual([]);

    await createButton(form).click();
    await page.getByRole('link', { name: 'Open in Salesforce' }).first().waitFor();
    expect(await harness.query(`SELECT Id FROM Task WHERE Subject = '${subject}'`)).toHaveLength(1);
    expect(harness.takePageErrors()).toEqual([]);
  });
});
