import { describe, expect, it } from 'vitest';
import { expectAccessible } from './support/accessibility.ts';
import { logInAs } from './support/log-in.ts';
import { useWebHarness } from './support/use-web-harness.ts';
import { USERS } from './support/web-harness.ts';

/**
 * Import meetings by pasting: JSON lists every problem by its path and imports nothing on error;
 * a pasted transcript is told apart from JSON, previewed (speakers matched) and imported as one meeting.
 */

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

  it('previews a pasted transcript’s speakers, names a bad line, and imports it as a meeting', async () => {
    const { page } = harness;
    await page.getByRole('button', { name: 'Import meetings' }).click();
    const dialog = page.getByRole('dialog');
    const pasted = dialog.getByLabel('Meeting JSON or transcript');
    // Text that starts like JSON stays JSON: a broken meeting file is refused as JSON.
    await pasted.fill('{ "title": "Half a meeting"');
    await dialog.getByRole('button', { name: 'Import', exact: true }).click();
    await dialog.getByText(/This is not valid JSON/).waitFor();

    await pasted.fill('WEBVTT\n\n00:00:01.000 --> soon\n<v Dana Lee>Hello there</v>\n');
    await dialog.getByText('This reads as a transcript', { exact: false }).waitFor();
    await dialog.getByRole('button', { name: 'Preview transcript' }).click();
    await dialog.getByText(/line 3: malformed cue timing/).waitFor();
    expect(await dialog.getByRole('button', { name: 'Import', exact: true }).isDisabled()).toBe(true);

    // Back to the text, fixed, previewed again: the preview is of the new text.
    await dialog.getByRole('button', { name: 'Edit the pasted text' }).click();
    const fixed = [
      '[00:00:05] Daniel Patel: Thanks for joining, we can sign the annual plan in March.',
      '[00:00:40] Bob Member: Great, I will send the order form today.',
      '[00:01:10] Daniel Patel: Send it to me directly.',
    ].join('\n');
    await pasted.fill(fixed);
    await dialog.getByRole('button', { name: 'Preview transcript' }).click();
    const speakers = dialog.getByRole('table');
    await speakers.getByRole('row', { name: /Daniel Patel 2 Not matched/ }).waitFor();
    await speakers.getByRole('row', { name: /Bob Member 1 Not matched/ }).waitFor();
    await dialog.getByText('Plain text · 3 lines · 1:05 long').waitFor();
    await dialog.getByRole('button', { name: 'Edit the pasted text' }).click();
    // Same length, another speaker: a cached preview of the old text must not be shown.
    await pasted.fill(fixed.replace('Bob Member:', 'Bob Mentor:'));
    await dialog.getByRole('button', { name: 'Preview transcript' }).click();
    await speakers.getByRole('row', { name: /Bob Mentor 1 Not matched/ }).waitFor();
    expect(await speakers.getByRole('row', { name: /Bob Member/ }).count()).toBe(0);

    await dialog.getByLabel('Participants').fill('Daniel Patel <daniel.patel@pinecrest.example>');
    await speakers
      .getByRole('row', { name: /Daniel Patel 2 Daniel Patel \(daniel\.patel@pinecrest\.example\)/ })
      .waitFor();
    await expectAccessible(page, 'a pasted transcript’s preview');
    await dialog.getByLabel('Title').fill('Pinecrest renewal call (pasted)');
    await dialog.getByLabel('Started at').fill('2027-03-02T10:00');
    await dialog.getByRole('button', { name: 'Import', exact: true }).click();
    await page.getByRole('heading', { name: 'Pinecrest renewal call (pasted)', level: 1 }).waitFor();
    await page.getByRole('heading', { name: 'Transcript' }).waitFor();
    await page.getByText('Send it to me directly.').waitFor();
    expect(await meetingTitles()).toContain('Pinecrest renewal call (pasted)');
    expect(harness.takePageErrors()).toEqual([]);
  });
});
