import type { Locator } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type ScriptedModelServer,
  startScriptedModelServer,
} from '../meetings/transcripts/scripted-model-server.ts';
import { expectAccessible } from './support/accessibility.ts';
import { logInAs } from './support/log-in.ts';
import {
  chooseRelatedRecord,
  createButton,
  HARBORVIEW_ACCOUNT,
  meetingItem,
  openSendForm,
} from './support/send-form.ts';
import { useWebHarness } from './support/use-web-harness.ts';
import { USERS } from './support/web-harness.ts';

/**
 * Review before write, in a real browser: import a WebVTT transcript (speakers previewed and
 * matched to participants; a bad file refused naming its line), summarise it with a scripted
 * OpenAI-compatible model, see each item's quote, jump to that moment in the transcript, edit,
 * dismiss and mark items done, and send an item as a Task whose Description carries the quote
 * and the link back to the meeting (read back from the emulator with SOQL).
 */

const harness = useWebHarness({ connectAs: USERS.bob });
let model: ScriptedModelServer;

const TITLE = 'Harborview pilot call';
const VTT = `WEBVTT

1
00:00:01.000 --> 00:00:05.000
<v Dana Lee>Thanks for joining. Let's review the rollout plan.</v>

2
00:00:05.500 --> 00:00:12.000
<v Bob Member>We can start the pilot in two hotels next month.</v>

3
00:00:12.500 --> 00:00:18.000
<v Dana Lee>Two hotels works for us, the lobby kiosks go first.</v>

4
00:00:18.500 --> 00:00:24.000
<v Bob Member>I'll send the pilot order form to Dana.</v>
`;
const DECISION = 'Harborview pilots the rollout in two hotels.';
const TASK = 'Bob sends the pilot order form.';
const DECISION_QUOTE = 'Two hotels works for us';

function vttFile(name: string, content: string) {
  return { name, mimeType: 'text/vtt', buffer: Buffer.from(content) };
}

beforeAll(async () => {
  model = await startScriptedModelServer();
  model.respond = () => ({
    status: 200,
    content: {
      overview: 'Harborview agreed to a two-hotel pilot; Bob sends the order form.',
      items: [
        {
          kind: 'decision',
          text: DECISION,
          owner: null,
          dueDate: null,
          dueDateStatedAs: null,
          evidence: [{ quote: DECISION_QUOTE, timestamp: '0:12', speaker: 'Dana Lee' }],
        },
        {
          kind: 'task',
          text: TASK,
          owner: null,
          dueDate: null,
          dueDateStatedAs: null,
          evidence: [
            { quote: "I'll send the pilot order form", timestamp: '0:18', speaker: 'Bob Member' },
            // Never said: the item is kept on its verified quote, and flagged.
            { quote: 'the order form is already signed', timestamp: '0:20', speaker: 'Dana Lee' },
          ],
        },
      ],
    },
  });
  const admin = await harness.apiAs(USERS.alice);
  const provider = await admin.call('POST', '/api/model-providers', {
    kind: 'openai_compatible',
    name: 'Local',
    apiKey: 'local-key',
    baseUrl: model.baseUrl,
  });
  expect(provider.status).toBe(201);
  const settings = await admin.call('PUT', '/api/meetings/summary-settings', {
    model: { provider: 'openai_compatible', modelId: 'local-1', providerId: provider.body.provider.id },
  });
  expect(settings.status).toBe(200);
});

afterAll(async () => {
  await model?.close();
});

async function meetingByTitle(): Promise<{
  id: string;
  items: Array<{ text: string; review: { status: string } }>;
}> {
  const api = await harness.apiAs(USERS.bob);
  const listed = await api.call('GET', '/api/meetings');
  const found = (listed.body.meetings as Array<{ id: string; title: string }>).find(
    (entry) => entry.title === TITLE,
  );
  if (!found) throw new Error(`${TITLE} is not listed`);
  return (await api.call('GET', `/api/meetings/${found.id}`)).body.meeting;
}

describe('reviewing transcript items before they reach Salesforce', { timeout: 240_000 }, () => {
  it('previews a transcript’s speakers, refuses a bad file by its line, and imports a good one', async () => {
    const { page, baseUrl } = harness;
    await logInAs(page, baseUrl, USERS.bob);
    await page.getByRole('link', { name: 'Meetings', exact: true }).click();
    await page.getByRole('button', { name: 'Import meetings' }).first().click();
    const dialog = page.getByRole('dialog');
    await dialog.getByRole('tab', { name: 'Upload a file' }).click();

    const broken = 'WEBVTT\n\n00:00:01.000 --> later\n<v Dana Lee>Hello there\n';
    await dialog.getByLabel('Meeting JSON or transcript file').setInputFiles(vttFile('broken.vtt', broken));
    await dialog.getByText(/broken\.vtt: line 3/).waitFor();
    expect(await dialog.getByRole('button', { name: 'Import', exact: true }).isDisabled()).toBe(true);

    await dialog.getByRole('button', { name: 'Choose another file' }).click();
    await dialog.getByLabel('Meeting JSON or transcript file').setInputFiles(vttFile('pilot-call.vtt', VTT));
    const speakers = dialog.getByRole('table');
    await speakers.getByRole('row', { name: /Dana Lee 2 Not matched/ }).waitFor();
    await dialog.getByText('WebVTT · 4 lines · 0:23 long').waitFor();

    const participants = dialog.getByLabel('Participants');
    await participants.fill('Dana Lee dana.lee');
    await participants.blur();
    await dialog.getByText('Line 1: write “Name <email>” or an email address.').waitFor();
    await participants.fill('Dana Lee <dana.lee@harborviewhotels.example>\nBob Member <bob@forcefield.demo>');
    await speakers
      .getByRole('row', { name: /Dana Lee 2 Dana Lee \(dana\.lee@harborviewhotels\.example\)/ })
      .waitFor();
    await speakers.getByRole('row', { name: /Bob Member 2 Bob Member \(bob@forcefield\.demo\)/ }).waitFor();
    await expectAccessible(page, 'the transcript preview');

    await dialog.getByLabel('Title').fill(TITLE);
    await dialog.getByLabel('Started at').fill('2027-03-01T15:00');
    await dialog.getByRole('button', { name: 'Import', exact: true }).click();
    await page.getByRole('heading', { name: TITLE, level: 1 }).waitFor();
    await page.getByRole('button', { name: 'Summarize', exact: true }).waitFor();
    await page.getByRole('heading', { name: 'Transcript' }).waitFor();
    // The Summary panel says it is not summarised yet; no second empty state repeats it.
    await page.getByText('Not summarized yet.', { exact: false }).waitFor();
    expect(await page.getByRole('heading', { name: 'This meeting has no summary items' }).count()).toBe(0);
    await expectAccessible(page, 'a meeting with a transcript, not summarised');
  });

  it('summarises with the model and shows each item’s quote with speaker and time', async () => {
    const { page } = harness;
    await page.getByRole('button', { name: 'Summarize', exact: true }).click();
    const decision = meetingItem(page, DECISION);
    await decision.waitFor();
    await decision.getByText(`“${DECISION_QUOTE}”`).waitFor();
    await decision.getByText('Dana Lee at 0:12').waitFor();
    await page.getByText('2 kept · 1 flagged · 0 dropped', { exact: false }).waitFor();
    await meetingItem(page, TASK)
      .getByText(/Flagged: /)
      .waitFor();
    // The flag says why; only verified quotes are shown as evidence.
    const evidence = meetingItem(page, TASK).getByRole('list', { name: 'Evidence' });
    await evidence.getByText("I'll send the pilot order form").waitFor();
    expect(await evidence.getByText('the order form is already signed').count()).toBe(0);
    await expectAccessible(page, 'the summarised meeting');
    expect(model.requests.length).toBe(1);
  });

  it('jumps from a quote to its moment in the transcript', async () => {
    const { page } = harness;
    await meetingItem(page, DECISION).getByRole('link', { name: 'Jump to transcript' }).click();
    const focused = page.locator('li.utterance:focus');
    await focused.filter({ hasText: 'Two hotels works for us, the lobby kiosks go first.' }).waitFor();
    expect(await focused.getAttribute('id')).toBe('utterance-3');
    expect(new URL(page.url()).hash).toBe('#utterance-3');
  });

  it("edits, dismisses and marks items done, and reopens them, from the item's More actions menu", async () => {
    const { page } = harness;
    const chooseAction = async (item: Locator, action: string) => {
      await item.getByRole('button', { name: 'More actions' }).click();
      await page.getByRole('menuitem', { name: action }).click();
    };
    const task = meetingItem(page, TASK);
    await task.getByRole('button', { name: 'More actions' }).click();
    const menu = page.getByRole('menu');
    expect(await menu.getByRole('menuitem').allInnerTexts()).toEqual(['Edit', 'Dismiss', 'Mark done']);
    await menu.getByRole('menuitem', { name: 'Edit' }).click();
    const edit = page.getByRole('form', { name: 'Edit the item' });
    await edit.getByLabel('Text').fill('Bob sends the pilot order form to Dana.');
    await expectAccessible(page, 'editing an item');
    await edit.getByRole('button', { name: 'Save' }).click();
    const edited = meetingItem(page, 'Bob sends the pilot order form to Dana.');
    await edited.getByText('Edited').waitFor();

    await chooseAction(edited, 'Dismiss');
    await edited.getByText('Dismissed').waitFor();
    expect(await edited.getByRole('button', { name: 'Send to Salesforce' }).count()).toBe(0);
    const stored = await meetingByTitle();
    expect(stored.items.find((item) => item.text.startsWith('Bob sends'))?.review.status).toBe('dismissed');

    await edited.getByRole('button', { name: 'More actions' }).click();
    expect(await page.getByRole('menu').getByRole('menuitem').allInnerTexts()).toEqual(['Reopen']);
    await page.getByRole('menuitem', { name: 'Reopen' }).click();
    await edited.getByText('Dismissed').waitFor({ state: 'detached' });
    await chooseAction(edited, 'Mark done');
    await edited.getByText('Done', { exact: true }).waitFor();
    expect(
      (await meetingByTitle()).items.find((item) => item.text.startsWith('Bob sends'))?.review.status,
    ).toBe('done');
  });

  it('sends an item as a Task whose Description carries the quote and the link to the meeting', async () => {
    const { page } = harness;
    const form = await openSendForm(page, DECISION, 'task');
    await form.getByText(`“${DECISION_QUOTE}”`).waitFor();
    await expectAccessible(page, 'the task form with evidence');
    const subject = 'Harborview two-hotel pilot (from the transcript)';
    await form.getByLabel('Subject').fill(subject);
    await form.getByLabel('Include the quote in the Description').check();
    await chooseRelatedRecord(page, form, HARBORVIEW_ACCOUNT);
    await createButton(form).click();
    await page.getByRole('link', { name: 'Open in Salesforce' }).first().waitFor();

    const tasks = await harness.query<{ Description: string | null }>(
      `SELECT Description FROM Task WHERE Subject = '${subject}'`,
    );
    expect(tasks).toHaveLength(1);
    const { id } = await meetingByTitle();
    expect(tasks[0].Description).toContain(`“${DECISION_QUOTE}” — Dana Lee at 0:12`);
    const link = `${harness.baseUrl}/meetings/${id}#utterance-3`;
    expect(tasks[0].Description).toContain(link);

    // The link lands on that moment of the transcript.
    await page.goto(link);
    await page.locator('li.utterance:focus').filter({ hasText: 'Two hotels works for us' }).waitFor();
    expect(harness.takePageErrors()).toEqual([]);
  });
});
