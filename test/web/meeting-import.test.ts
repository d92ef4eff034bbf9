import { describe, expect, it } from 'vitest';
import { expectAccessible } from './support/accessibility.ts';
import { logInAs } from './support/log-in.ts';
import { useWebHarness } from './support/use-web-harness.ts';
import { USERS } from './support/web-harness.ts';

/** Import meetings by pasting JSON: every problem listed by its path, nothing imported on error. */

const harness = useWebHarness();

function meeting(title: string, overrides: Record<string, unknown> = {}) {
  return {
    title,
    startTime: '2027-02-01T15:00:00Z',
    endTime: '2027-02-01T15:45:00Z',
    participants: [
      { name: 'Bob Member', email: 'bob@forcefield.demo', internal: true },
      { name: 'Daniel Patel', email: 'daniel.patel@pinecrest.example', internal: false },
    ],
    items: [{ id: 'decision-1', kind: 'decision', text: 'Pinecrest signs the annual plan by March.' }],
    ...overrides,
  };
}

async function meetingTitles(): Promise<string[]> {
  const api = await harness.apiAs(USERS.bob);
  const listed = await api.call('GET', '/api/meetings');
  return (listed.body.meetings as Array<{ title: string }>).map((entry) => entry.title);
}

describe('importing meetings in a real browser', { timeout: 180_000 }, () => {
  it('lists each problem by path and imports nothing when anything is wrong', async () => {
    const { page, baseUrl } = harness;
    await logInAs(page, baseUrl, USERS.bob);
    await page.getByRole('link', { name: 'Meetings', exact: true }).click();
    await page.getByRole('button', { name: 'Import meetings' }).waitFor();
    await expectAccessible(page);
    const before = await meetingTitles();

    await page.getByRole('button', { name: 'Import meetings' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.waitFor();
    const file = {
      meetings: [
        meeting('Pinecrest pricing call'),
        meeting('Broken meeting', {
          startTime: 'yesterday afternoon',
          items: [{ kind: 'memo', text: 'Not a kind we know' }],
        }),
      ],
    };
    await dialog
      .getByRole('textbox')
      .first()
      .fill(JSON.stringify(file, null, 2));
    await dialog.getByRole('button', { name: /^Import/ }).click();
    await dialog.getByText('meetings[1].startTime').waitFor();
    await dialog.getByText('meetings[1].items[0].kind').waitFor();
    await expectAccessible(page, 'the import dialog with errors');
    expect(await meetingTitles()).toEqual(before);
    expect(before).not.toContain('Pinecrest pricing call');
  });

  it('imports a valid file and lists the new meeting', async () => {
    const { page } = harness;
    const dialog = page.getByRole('dialog');
    await dialog
      .getByRole('textbox')
      .first()
      .fill(JSON.stringify({ meetings: [meeting('Pinecrest pricing call')] }));
    await dialog.getByRole('button', { name: /^Import/ }).click();
    await dialog.waitFor({ state: 'hidden' });
    await page.getByRole('link', { name: /Pinecrest pricing call/ }).waitFor();
    expect(await meetingTitles()).toContain('Pinecrest pricing call');
    await expectAccessible(page);
    expect(harness.takePageErrors()).toEqual([]);
  });
});
