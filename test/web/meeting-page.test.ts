import { describe, expect, it } from 'vitest';
import { expectAccessible } from './support/accessibility.ts';
import { logInAs } from './support/log-in.ts';
import { HARBORVIEW_MEETING, meetingItem, openMeeting } from './support/send-form.ts';
import { useWebHarness } from './support/use-web-harness.ts';
import { USERS } from './support/web-harness.ts';

/**
 * The Meetings search tells a screen reader how many meetings it leaves; and how the meeting page
 * reads: the meeting's time says its day once, and an item's owner and due
 * date read as a person would write them (the participant's name, the day in words), not as the
 * import format stores them (an email, `2026-12-13`).
 */

const harness = useWebHarness();

interface Item {
  text: string;
  ownerEmail: string | null;
  dueDate: string | null;
}

describe('the meeting page', { timeout: 120_000 }, () => {
  it('counts search matches aloud, says the day once and names owners and due days in words', async () => {
    const { page, baseUrl } = harness;
    await logInAs(page, baseUrl, USERS.alice);
    // The search says how many meetings it leaves, to a screen reader too.
    await page.goto(`${baseUrl}/meetings`);
    await page.getByLabel('Search meetings').fill('harborview');
    await page.getByRole('status').filter({ hasText: '1 meeting matches' }).waitFor({ state: 'attached' });
    await page.getByLabel('Search meetings').fill('no such meeting anywhere');
    await page.getByRole('status').filter({ hasText: '0 meetings match' }).waitFor({ state: 'attached' });
    await page.getByText('No meeting matches').waitFor();

    await openMeeting(page, baseUrl, HARBORVIEW_MEETING);

    const api = await harness.apiAs(USERS.alice);
    const list = await api.call('GET', '/api/meetings');
    const summary = (list.body.meetings as Array<{ id: string; title: string }>).find(
      (meeting) => meeting.title === HARBORVIEW_MEETING,
    );
    const found = await api.call('GET', `/api/meetings/${summary?.id}`);
    const meeting = found.body.meeting as {
      startTime: string;
      participants: Array<{ name: string; email: string }>;
      items: Item[];
    };

    // The browser runs in en-US and UTC (test/web/support/chromium.ts).
    const day = new Date(meeting.startTime).toLocaleDateString('en-US', {
      dateStyle: 'medium',
      timeZone: 'UTC',
    });
    const when = page.locator('.meeting-header p', { hasText: day });
    const text = (await when.textContent()) ?? '';
    expect(text.split(day)).toHaveLength(2);

    const owned = meeting.items.find((item) => item.ownerEmail && item.dueDate) as Item;
    expect(owned).toBeDefined();
    const owner = meeting.participants.find((participant) => participant.email === owned.ownerEmail);
    const [year, month, date] = (owned.dueDate as string).split('-').map(Number);
    const due = new Date(Date.UTC(year, month - 1, date)).toLocaleDateString('en-US', {
      dateStyle: 'medium',
      timeZone: 'UTC',
    });
    const row = meetingItem(page, owned.text.slice(0, 40));
    await row.getByText(`Owner ${owner?.name}`).waitFor();
    await row.getByText(`Due ${due}`).waitFor();
    expect(await row.getByText(owned.dueDate as string).count()).toBe(0);
    await expectAccessible(page);
    expect(harness.takePageErrors()).toEqual([]);
  });
});
