import type { Locator, Page, Request } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { orgCall } from '../agent/org-calls.ts';
import { expectAccessible } from './support/accessibility.ts';
import { logInAs, logOut } from './support/log-in.ts';
import { approveOnSalesforce } from './support/salesforce-login.ts';
import { type ScriptedModel, startScriptedModel } from './support/scripted-model.ts';
import { descriptionOf } from './support/send-form.ts';
import { useWebHarness } from './support/use-web-harness.ts';
import { USERS } from './support/web-harness.ts';

/**
 * A member chats with an agent whose model is a scripted OpenAI-compatible server over HTTP
 * (Create records = Needs approval, Delete records = Disabled): asked to connect, connects, the
 * conversation continues; search steps under Analyzed sources; Approve creates exactly one record
 * (checked in the emulator); Reject creates none and the model hears the reason; a disabled tool
 * called anyway is refused; the admin's Activity tab lists all of it.
 */

const harness = useWebHarness();

/** Whether the element is wholly inside the viewport (on screen without scrolling). */
async function onScreen(page: Page, target: Locator): Promise<boolean> {
  const box = await target.boundingBox();
  const size = page.viewportSize();
  return box !== null && size !== null && box.y >= 0 && box.y + box.height <= size.height;
}
let model: ScriptedModel;
let agentId: string;

beforeAll(async () => {
  model = await startScriptedModel();
  const admin = await harness.apiAs(USERS.alice);
  const provider = await admin.call('POST', '/api/model-providers', {
    kind: 'openai_compatible',
    name: 'Scripted',
    apiKey: 'sk-scripted',
    baseUrl: model.baseUrl,
  });
  expect(provider.status).toBe(201);
  const agent = await admin.call('POST', '/api/agents', {
    name: 'Deal desk',
    instructions: 'Help with the CRM.',
    model: { provider: 'openai_compatible', modelId: 'scripted-1', providerId: provider.body.provider.id },
    connector: {
      connectionMethod: 'per_user',
      permissions: { create_record: 'needs_approval', delete_record: 'disabled' },
    },
  });
  expect(agent.status).toBe(201);
  agentId = agent.body.agent.id;
});

afterAll(async () => {
  await model?.stop();
});

/** The chat requests the page makes: `useChat` posting to the chat protocol, never the event-stream calls. */
const chatCalls: string[] = [];

function isChatRequest(request: Request): boolean {
  return request.method() === 'POST' && /\/api\/conversations\/[^/]+\/chat$/.test(request.url());
}

async function accounts(name: string): Promise<unknown[]> {
  return harness.query(`SELECT Id FROM Account WHERE Name = '${name}'`);
}

describe('chatting with an agent in a real browser', { timeout: 240_000 }, () => {
  it('asks a member to connect, and the conversation continues after connecting', async () => {
    const { page, baseUrl } = harness;
    page.on('request', (request) => {
      if (request.method() === 'POST' && request.url().includes('/api/conversations/')) {
        chatCalls.push(new URL(request.url()).pathname.replace(/^\/api\/conversations\/[^/]+/, ''));
      }
    });
    await logInAs(page, baseUrl, USERS.bob);
    await page.getByRole('link', { name: 'Chat' }).click();
    await page.getByLabel('Agent').waitFor();
    expect(await page.getByLabel('Agent').inputValue()).toBe(agentId);
    // How to send and how to start a new line is told, not left to be guessed.
    expect(await descriptionOf(page.getByLabel('Message'))).toBe(
      'Enter sends; Shift+Enter starts a new line.',
    );
    await expectAccessible(page);

    model.enqueue(
      { toolCall: { name: 'search_records', input: { term: 'Acme' } } },
      { text: 'I found **Acme** records.' },
    );
    await page.getByLabel('Message').fill('Find Acme');
    const sent = page.waitForRequest(isChatRequest);
    const answered = page.waitForResponse((response) => isChatRequest(response.request()));
    await page.getByRole('button', { name: 'Send' }).click();
    // useChat's DefaultChatTransport: the body { id, messages, trigger }, answered as a UI message stream.
    const request = await sent;
    const body = request.postDataJSON();
    expect(Object.keys(body).sort()).toEqual(['id', 'messages', 'trigger']);
    expect(body.trigger).toBe('submit-message');
    expect(body.messages.at(-1)).toMatchObject({
      role: 'user',
      parts: [{ type: 'text', text: 'Find Acme' }],
    });
    expect(request.headers()['x-csrf-token']).toBeTruthy();
    const response = await answered;
    expect(response.headers()['x-vercel-ai-ui-message-stream']).toBe('v1');
    expect(response.headers()['content-type']).toContain('text/event-stream');
    const connect = page.getByRole('region', { name: 'Connect Salesforce' });
    await connect.waitFor();
    await expectAccessible(page, 'the connect card');
    const conversationPath = new URL(page.url()).pathname;
    expect(conversationPath).toMatch(/^\/chat\/.+/);

    await connect.getByRole('button', { name: 'Connect Salesforce' }).click();
    const resumed = page.waitForRequest(isChatRequest);
    await approveOnSalesforce(page, { serviceUrl: baseUrl, username: USERS.bob.salesforce });
    // Back from connecting, the waiting message is answered with useChat's regenerate().
    expect((await resumed).postDataJSON().trigger).toBe('regenerate-message');
    expect(new URL(page.url()).pathname).toBe(conversationPath);
    // It continues by itself: the search runs and the answer streams in, as Markdown.
    const log = page.getByRole('log', { name: 'Conversation' });
    await log.locator('strong', { hasText: 'Acme' }).waitFor();
    expect(await log.getByText('Find Acme').count()).toBe(1);
  });

  it('shows the search under Analyzed sources with its query', async () => {
    const { page } = harness;
    const log = page.getByRole('log', { name: 'Conversation' });
    await log.getByText('Analyzed sources').last().click();
    const step = log.locator('.step').filter({ hasText: 'Search records' }).last();
    await step.getByText('ok', { exact: true }).waitFor();
    await step.locator('summary').click();
    await step.getByText('Search: Acme').waitFor();
    await expectAccessible(page, 'an opened step');
  });

  it('pauses a create for approval; Approve creates exactly one record', async () => {
    const { page } = harness;
    model.enqueue(
      {
        toolCall: {
          name: 'create_record',
          input: { objectType: 'Account', fields: { Name: 'Zeta Approved Co', Industry: 'Energy' } },
        },
      },
      { text: 'Created Zeta Approved Co.' },
    );
    await page.getByLabel('Message').fill('Create the account Zeta Approved Co');
    await page.getByRole('button', { name: 'Send' }).click();
    const card = page.getByRole('region', { name: 'Approve create records on Account?' });
    await card.waitFor();
    const diff = card.getByRole('table');
    await diff.getByRole('row', { name: /Name\s+Zeta Approved Co/ }).waitFor();
    await diff.getByRole('row', { name: /Industry\s+Energy/ }).waitFor();
    await expectAccessible(page, 'the approval card');
    expect(await accounts('Zeta Approved Co')).toHaveLength(0);

    const decision = page.waitForRequest(isChatRequest);
    await card.getByRole('button', { name: 'Approve' }).click();
    // addToolApprovalResponse: the answered approval request goes back on the assistant message.
    const answer = (await decision).postDataJSON();
    expect(answer.trigger).toBe('submit-message');
    expect(answer.messages).toHaveLength(1);
    expect(answer.messages[0]).toMatchObject({
      role: 'assistant',
      parts: [{ type: 'dynamic-tool', state: 'approval-responded', approval: { approved: true } }],
    });
    await page.getByRole('log', { name: 'Conversation' }).getByText('Created Zeta Approved Co.').waitFor();
    expect(await accounts('Zeta Approved Co')).toHaveLength(1);

    // After a reload the approval is shown decided (who and when), never pending again.
    await page.reload();
    const decided = page
      .getByRole('note')
      .filter({ hasText: 'Create records on Account: approved by Bob Member on' });
    await decided.waitFor();
    expect(await decided.locator('time').getAttribute('datetime')).toMatch(/^\d{4}-\d\d-\d\dT/);
    expect(await page.getByRole('button', { name: 'Approve' }).count()).toBe(0);
    expect(await accounts('Zeta Approved Co')).toHaveLength(1);
    // A second tab shows it decided too.
    const second = await page.context().newPage();
    await second.goto(page.url());
    await second
      .getByRole('note')
      .filter({ hasText: 'Create records on Account: approved by Bob Member on' })
      .waitFor();
    expect(await second.getByRole('button', { name: 'Approve' }).count()).toBe(0);
    await second.close();
  });

  it('creates nothing on Reject, and the model hears the reason', async () => {
    const { page } = harness;
    model.enqueue(
      {
        toolCall: {
          name: 'create_record',
          input: { objectType: 'Account', fields: { Name: 'Omega Rejected Co' } },
        },
      },
      { text: 'Understood, nothing was created.' },
    );
    await page.getByLabel('Message').fill('Create the account Omega Rejected Co');
    await page.getByRole('button', { name: 'Send' }).click();
    const card = page.getByRole('region', { name: 'Approve create records on Account?' });
    await card.getByRole('button', { name: 'Reject' }).click();
    await card.getByLabel(/Reason/).fill('Wrong company name');
    const decision = page.waitForRequest(isChatRequest);
    await card.getByRole('button', { name: 'Reject' }).click();
    expect((await decision).postDataJSON().messages[0].parts[0].approval).toMatchObject({
      approved: false,
      reason: 'Wrong company name',
    });
    await page
      .getByRole('log', { name: 'Conversation' })
      .getByText('Understood, nothing was created.')
      .waitFor();
    expect(await accounts('Omega Rejected Co')).toHaveLength(0);
    const told = JSON.stringify(model.requests.at(-1)?.messages ?? []);
    expect(told).toContain('Wrong company name');
    await page.getByText('Create records on Account: rejected by Bob Member on').waitFor();
  });

  it('asks again with the new values when the record changed between the card and Approve', async () => {
    const { page, emulator } = harness;
    const [account] = await harness.query<{ Id: string }>(
      "SELECT Id FROM Account WHERE Name = 'Zeta Approved Co'",
    );
    const accountId = account?.Id as string;
    model.enqueue(
      {
        toolCall: {
          name: 'update_record',
          input: { objectType: 'Account', id: accountId, fields: { Industry: 'Banking' } },
        },
      },
      { text: 'Zeta is in Banking now.' },
    );
    await page.getByLabel('Message').fill('Zeta moved to Banking');
    await page.getByRole('button', { name: 'Send' }).click();
    const card = page.getByRole('region', { name: 'Approve update records on Account?' });
    await card
      .getByRole('table')
      .getByRole('row', { name: /Industry\s+Energy\s+Banking/ })
      .waitFor();

    // Someone else edits the record in Salesforce before the person approves.
    const edited = await orgCall(emulator, 'PATCH', `/sobjects/Account/${accountId}`, { Industry: 'Retail' });
    expect(edited.status).toBe(204);
    await card.getByRole('button', { name: 'Approve' }).click();
    // Nothing is overwritten: the card comes back with the record's values now.
    const again = page.getByRole('region', { name: 'Approve update records on Account?' });
    await again.getByText('The record changed after you saw it, so nothing was written.').waitFor();
    await again
      .getByRole('table')
      .getByRole('row', { name: /Industry\s+Retail\s+Banking/ })
      .waitFor();
    expect(await page.getByRole('region', { name: 'Approve update records on Account?' }).count()).toBe(1);
    const [kept] = await harness.query<{ Industry: string }>(
      `SELECT Industry FROM Account WHERE Id = '${accountId}'`,
    );
    expect(kept?.Industry).toBe('Retail');
    await expectAccessible(page, 'the approval card asked again');

    await again.getByRole('button', { name: 'Approve' }).click();
    await page.getByRole('log', { name: 'Conversation' }).getByText('Zeta is in Banking now.').waitFor();
    const [written] = await harness.query<{ Industry: string }>(
      `SELECT Industry FROM Account WHERE Id = '${accountId}'`,
    );
    expect(written?.Industry).toBe('Banking');
    await page
      .getByRole('note')
      .filter({ hasText: 'The record had changed meanwhile, so nothing was written; asked again.' })
      .waitFor();
    expect(harness.takePageErrors()).toEqual([]);
  });

  it('refuses a disabled tool the model calls anyway, and shows it', async () => {
    const { page } = harness;
    const [account] = await harness.query<{ Id: string }>(
      "SELECT Id FROM Account WHERE Name = 'Zeta Approved Co'",
    );
    model.enqueue(
      { toolCall: { name: 'delete_record', input: { objectType: 'Account', id: account?.Id } } },
      { text: 'Deleting is not allowed for me.' },
    );
    await page.getByLabel('Message').fill('Delete Zeta Approved Co');
    await page.getByRole('button', { name: 'Send' }).click();
    const log = page.getByRole('log', { name: 'Conversation' });
    await log.getByText('Deleting is not allowed for me.').waitFor();
    await log.getByText('Analyzed sources').last().click();
    await log
      .locator('.step')
      .filter({ hasText: 'Delete records' })
      .getByText('refused: the tool is disabled')
      .waitFor();
    expect(await accounts('Zeta Approved Co')).toHaveLength(1);
    expect(harness.takePageErrors()).toEqual([]);
  });

  it("shows the model's failure in words, and Retry sends the message again", async () => {
    const { page } = harness;
    model.enqueue({ refuse: 400 });
    await page.getByLabel('Message').fill('Summarise my pipeline');
    await page.getByRole('button', { name: 'Send' }).click();
    const failure = page.getByRole('alert').filter({ hasText: 'The agent could not answer' });
    await failure.getByRole('button', { name: 'Retry' }).waitFor();
    // The page follows the newest message: the failure and its Retry are on screen, not below the
    // fold of a long conversation.
    expect(await onScreen(page, failure.getByRole('button', { name: 'Retry' }))).toBe(true);
    // Our own sentence (a data-error part of the stream, then the stored answer), said once, never
    // the provider's text.
    const log = page.getByRole('log', { name: 'Conversation' });
    await log.getByText('The AI provider refused the request').waitFor();
    expect(await page.getByText('The AI provider refused the request').count()).toBe(1);
    expect(await page.locator('main').innerText()).not.toContain('Refused by the script');
    await expectAccessible(page, 'a failed answer');

    model.enqueue({ text: 'Your pipeline holds two deals.' });
    const again = page.waitForRequest(isChatRequest);
    await failure.getByRole('button', { name: 'Retry' }).click();
    expect((await again).postDataJSON().messages[0]).toMatchObject({
      role: 'user',
      parts: [{ type: 'text', text: 'Summarise my pipeline' }],
    });
    await page
      .getByRole('log', { name: 'Conversation' })
      .getByText('Your pipeline holds two deals.')
      .waitFor();
    expect(await page.getByRole('alert').filter({ hasText: 'The agent could not answer' }).count()).toBe(0);
    expect(harness.takePageErrors()).toEqual([]);
  });

  it('stops reading a streaming answer with Stop, offers Retry, and shows the answer the server finished', async () => {
    const { page } = harness;
    model.enqueue({ text: 'The first half of a long answer, then the rest.', hold: true });
    await page.getByLabel('Message').fill('Tell me everything');
    await page.getByRole('button', { name: 'Send' }).click();
    const log = page.getByRole('log', { name: 'Conversation' });
    // The first half has streamed in; the model holds the rest.
    await log.getByText('The first half of a long', { exact: false }).waitFor();
    await page.getByRole('button', { name: 'Stop' }).click();
    const failure = page.getByRole('alert').filter({ hasText: 'Stopped.' });
    await failure.getByRole('button', { name: 'Retry' }).waitFor();
    await page.getByRole('button', { name: 'Send' }).waitFor();
    // The server finishes the turn without a reader: its stored answer replaces what was read,
    // without a reload, and the notice goes.
    model.release();
    await log.getByText('The first half of a long answer, then the rest.').waitFor();
    await failure.waitFor({ state: 'detached' });
    await expectAccessible(page, 'the answer of a stopped turn');
    expect(harness.takePageErrors()).toEqual([]);
    // Every turn went through the chat protocol; the page never used the event-stream calls.
    expect(chatCalls.length).toBeGreaterThan(5);
    expect(chatCalls.filter((path) => path !== '/chat')).toEqual([]);
  });

  it("lists the agent's tool calls, refusals and decisions in its Activity tab", async () => {
    const { page, baseUrl } = harness;
    await logOut(page);
    await logInAs(page, baseUrl, USERS.alice);
    await page.goto(`${baseUrl}/agents/${agentId}`);
    await page.getByRole('link', { name: 'Activity' }).click();
    const table = page.getByRole('table', { name: /Activity of Deal desk/ });
    await table.waitFor();
    const rows = await table.locator('tbody tr').allInnerTexts();
    const text = rows.join('\n');
    for (const expected of ['Search records', 'Approved', 'Rejected', 'Refused', 'Delete records', 'Bob']) {
      expect(text, expected).toContain(expected);
    }
    expect(
      rows.some((row) => row.includes('Create records') && row.includes('Ran') && /001\w{12,15}/.test(row)),
    ).toBe(true);
    await expectAccessible(page);
    await page.getByLabel('Outcome').selectOption({ label: 'Refused' });
    expect((await table.locator('tbody tr').allInnerTexts()).every((row) => row.includes('Refused'))).toBe(
      true,
    );
    const download = page.waitForEvent('download');
    await page.getByRole('button', { name: 'Export CSV' }).click();
    const file = await download;
    const { readFile } = await import('node:fs/promises');
    const csv = await readFile((await file.path()) ?? '', 'utf8');
    expect(csv.split('\r\n')[0]).toBe(
      '"Time","Person","Tool","Object","Record ids","Outcome","Error code","Conversation"',
    );
    expect(csv).toContain('"Delete records"');
    expect(csv).not.toContain('Zeta Approved Co');
    // Filters that match nothing say so, not that the agent was never used (Carol has not chatted yet).
    await page.getByLabel('Person').selectOption({ label: 'Carol Member' });
    await page.getByRole('heading', { name: 'No calls match these filters' }).waitFor();
    expect(await page.getByRole('heading', { name: 'No activity yet' }).count()).toBe(0);
    expect(harness.takePageErrors()).toEqual([]);
  });

  it("shows a Read Only Salesforce user's write as No output data", async () => {
    const { page, baseUrl } = harness;
    await harness.connectSalesforce(USERS.carol);
    await logOut(page);
    await logInAs(page, baseUrl, USERS.carol);
    await page.goto(`${baseUrl}/chat?agent=${agentId}`);
    model.enqueue(
      {
        toolCall: {
          name: 'create_record',
          input: { objectType: 'Account', fields: { Name: 'Read Only Attempt Co' } },
        },
      },
      { text: 'Salesforce did not let me create it.' },
    );
    await page.getByLabel('Message').fill('Create the account Read Only Attempt Co');
    await page.getByRole('button', { name: 'Send' }).click();
    const card = page.getByRole('region', { name: 'Approve create records on Account?' });
    await card.getByRole('button', { name: 'Approve' }).click();
    const log = page.getByRole('log', { name: 'Conversation' });
    await log.getByText('Salesforce did not let me create it.').waitFor();
    await log.getByText('Analyzed sources').last().click();
    const step = log.locator('.step').filter({ hasText: 'Create records' }).last();
    await step.getByText('No output data', { exact: true }).waitFor();
    await step.locator('summary').click();
    expect((await step.locator('.step-reason').innerText()).length).toBeGreaterThan(10);
    expect(await accounts('Read Only Attempt Co')).toHaveLength(0);
    await expectAccessible(page, 'a No output data step');
    expect(harness.takePageErrors()).toEqual([]);
  });
});
