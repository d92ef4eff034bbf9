import { beforeAll, describe, expect, it } from 'vitest';
import { expectAccessible } from './support/accessibility.ts';
import { logInAs } from './support/log-in.ts';
import {
  chooseRelatedRecord,
  createButton,
  HARBORVIEW_ACCOUNT,
  HARBORVIEW_DECISION,
  HARBORVIEW_INSIGHT,
  HARBORVIEW_MEETING,
  meetingItem,
  openMeeting,
  openSendForm,
} from './support/send-form.ts';
import { useWebHarness } from './support/use-web-harness.ts';
import { SALESFORCE_PASSWORD, USERS } from './support/web-harness.ts';

/**
 * The meeting page's send flow: hover an item → Send to Salesforce → Create task / note / event →
 * fill → Create. Each record must exist in the (emulated) org on exactly the record chosen, which
 * the test reads back over the REST API; the toast's Open in Salesforce leads to its page.
 */

const harness = useWebHarness({ connectAs: USERS.alice });
let accountId: string;
let contactId: string;

interface Activity {
  Id: string;
  Subject: string;
  WhatId: string | null;
  WhoId: string | null;
}

beforeAll(async () => {
  [{ Id: accountId }] = await harness.query<{ Id: string }>(
    "SELECT Id FROM Account WHERE Name = 'Harborview Hospitality'",
  );
  [{ Id: contactId }] = await harness.query<{ Id: string }>(
    "SELECT Id FROM Contact WHERE Name = 'Mei Rossi'",
  );
});

describe('sending meeting items to Salesforce in a real browser', { timeout: 180_000 }, () => {
  it('creates a task on exactly the chosen account, marks the item Sent and links to the record', async () => {
    const { page, baseUrl, emulator } = harness;
    await logInAs(page, baseUrl, USERS.alice);
    await openMeeting(page, baseUrl, HARBORVIEW_MEETING);
    for (const heading of ['Insights', 'Decisions', 'Next steps', 'Tasks']) {
      expect(await page.getByRole('heading', { name: heading, exact: true }).count(), heading).toBe(1);
    }
    await expectAccessible(page);

    const form = await openSendForm(page, HARBORVIEW_INSIGHT, 'task');
    await expectAccessible(page, 'the task form');
    // The item's text is prefilled; the org's labels name the fields.
    expect(await form.getByLabel('Subject').inputValue()).toContain(HARBORVIEW_INSIGHT);
    for (const label of ['Assigned To', 'Status', 'Due Date', 'Priority']) {
      expect(await form.getByLabel(label).count(), label).toBeGreaterThan(0);
    }
    const subject = 'Harborview rollout: staffing plan (task)';
    await form.getByLabel('Subject').fill(subject);
    await chooseRelatedRecord(page, form, HARBORVIEW_ACCOUNT);
    await createButton(form).click();

    const open = page.getByRole('link', { name: 'Open in Salesforce' }).first();
    await open.waitFor();
    const tasks = await harness.query<Activity>(
      `SELECT Id, Subject, WhatId, WhoId FROM Task WHERE Subject = '${subject}'`,
    );
    expect(tasks).toHaveLength(1);
    expect(tasks[0].WhatId).toBe(accountId);
    expect(tasks[0].WhoId).toBeNull();
    expect(await open.getAttribute('href')).toBe(`${emulator.url}/lightning/r/Task/${tasks[0].Id}/view`);
    await meetingItem(page, HARBORVIEW_INSIGHT).getByText('Sent').first().waitFor();
    await expectAccessible(page, 'the meeting page after a send');

    // In demo mode the link leads to the demo org's record page (after its own login).
    const lightning = await harness.chromium.context.newPage();
    try {
      await lightning.goto(`${emulator.url}/lightning/r/Task/${tasks[0].Id}/view`);
      await lightning.getByLabel('Username').fill(USERS.alice.salesforce);
      await lightning.getByLabel('Password').fill(SALESFORCE_PASSWORD);
      await lightning.getByRole('button', { name: 'Log In' }).click();
      await lightning.getByRole('heading', { name: subject }).waitFor();
      expect(await lightning.getByText('Demo org').count()).toBeGreaterThan(0);
      await expectAccessible(lightning, 'the demo org record page');
    } finally {
      await lightning.close();
    }
  });

  it('creates a note linked to exactly the chosen account', async () => {
    const { page } = harness;
    const form = await openSendForm(page, HARBORVIEW_DECISION, 'note');
    await expectAccessible(page, 'the note form');
    expect(await form.getByLabel('Title').inputValue()).toContain(HARBORVIEW_DECISION);
    const title = 'Harborview pilot decision (note)';
    await form.getByLabel('Title').fill(title);
    await chooseRelatedRecord(page, form, HARBORVIEW_ACCOUNT);
    await createButton(form).click();
    await page.getByRole('link', { name: 'Open in Salesforce' }).first().waitFor();

    const notes = await harness.query<{ Id: string }>(`SELECT Id FROM ContentNote WHERE Title = '${title}'`);
    expect(notes).toHaveLength(1);
    const links = await harness.query<{ LinkedEntityId: string }>(
      `SELECT LinkedEntityId FROM ContentDocumentLink WHERE ContentDocumentId = '${notes[0].Id}'`,
    );
    // Salesforce also links a note to its owner (a User, 005…); the record links are what was chosen.
    expect(links.map((link) => link.LinkedEntityId).filter((id) => !id.startsWith('005'))).toEqual([
      accountId,
    ]);
  });

  it('creates an event on exactly the chosen contact, timed as the meeting', async () => {
    const { page } = harness;
    const form = await openSendForm(page, HARBORVIEW_INSIGHT, 'event');
    await expectAccessible(page, 'the event form');
    expect(await form.getByLabel('Start').first().inputValue()).not.toBe('');
    expect(await form.getByLabel('End').first().inputValue()).not.toBe('');
    const subject = 'Harborview rollout review (event)';
    await form.getByLabel('Subject').fill(subject);
    await chooseRelatedRecord(page, form, { type: 'Contact', search: 'Mei', name: 'Mei Rossi' });
    await createButton(form).click();
    await page.getByRole('link', { name: 'Open in Salesforce' }).first().waitFor();

    const events = await harness.query<Activity & { StartDateTime: string; EndDateTime: string }>(
      `SELECT Id, Subject, WhatId, WhoId, StartDateTime, EndDateTime FROM Event WHERE Subject = '${subject}'`,
    );
    expect(events).toHaveLength(1);
    expect(events[0].WhoId).toBe(contactId);
    expect(events[0].WhatId).toBeNull();
    // An insight logs the meeting itself: the event spans the meeting's own time.
    const meetings = await (await harness.apiAs(USERS.alice)).call('GET', '/api/meetings');
    const meeting = (
      meetings.body.meetings as Array<{ title: string; startTime: string; endTime: string }>
    ).find((entry) => entry.title === HARBORVIEW_MEETING);
    expect(Date.parse(events[0].StartDateTime)).toBe(Date.parse(meeting?.startTime ?? ''));
    expect(Date.parse(events[0].EndDateTime)).toBe(Date.parse(meeting?.endTime ?? ''));
    expect(harness.takePageErrors()).toEqual([]);
  });
});
