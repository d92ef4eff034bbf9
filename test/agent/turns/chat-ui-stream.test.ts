import { parseJsonEventStream, readUIMessageStream, uiMessageChunkSchema } from 'ai';
import { beforeAll, describe, expect, it } from 'vitest';
import type { ChatUIMessage, ChatUIMessageChunk } from '../../../src/agent/turns/ui-message-chunks.ts';
import { createAgent, startConversation } from '../../support/agents.ts';
import { logIn, type ServiceSession } from '../../support/connections.ts';
import { callThenAnswer, lastToolResults } from '../../support/models.ts';
import { STORE_DIALECTS } from '../../support/store.ts';
import { useChatHarness } from '../chat-harness.ts';
import { orgCall, orgCreate, orgQuery } from '../org-calls.ts';

/**
 * The chat endpoint for `useChat` (`POST /api/conversations/:id/chat`), called in-process with
 * `app.request()` and read with the AI SDK's own stream reader: the UI message stream protocol.
 */

const ORIGIN = 'http://forcefield.in-process';

/** What `useChat` would hold after the response: the assistant message, and the raw answer. */
async function chat(session: ServiceSession, conversationId: string, body: unknown) {
  const response = await session.browser.fetch(`${ORIGIN}/api/conversations/${conversationId}/chat`, {
    method: 'POST',
    headers: { 'X-CSRF-Token': session.csrfToken, 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
  });
  if (response.status !== 200) {
    // biome-ignore lint/suspicious/noExplicitAny: error bodies are checked field by field
    const error = (await response.json()) as any;
    return { response, message: undefined, chunks: [], error };
  }
  const received: ChatUIMessageChunk[] = [];
  const chunks = parseJsonEventStream({ stream: response.body!, schema: uiMessageChunkSchema }).pipeThrough(
    new TransformStream<{ success: boolean; value?: unknown; error?: unknown }, ChatUIMessageChunk>({
      transform(parsed, controller) {
        if (!parsed.success) throw parsed.error;
        received.push(parsed.value as ChatUIMessageChunk);
        controller.enqueue(parsed.value as ChatUIMessageChunk);
      },
    }),
  );
  let message: ChatUIMessage | undefined;
  for await (const snapshot of readUIMessageStream<ChatUIMessage>({ stream: chunks })) message = snapshot;
  return { response, message, chunks: received, error: undefined };
}

function userMessage(text: string) {
  return { id: `user-${text.length}`, role: 'user', parts: [{ type: 'text', text }] };
}

function partsOf(message: ChatUIMessage | undefined, type: string) {
  // biome-ignore lint/suspicious/noExplicitAny: the parts are checked field by field below
  return (message?.parts ?? []).filter((part) => part.type === type) as any[];
}

describe.each(STORE_DIALECTS)('the useChat endpoint (%s)', (dialect) => {
  const harness = useChatHarness(dialect);
  let bob: ServiceSession;
  let carol: ServiceSession;

  beforeAll(async () => {
    const app = harness.test.service.app;
    const target = { url: ORIGIN, fetch: async (url: string, init?: RequestInit) => app.request(url, init) };
    bob = await logIn(target, 'bob@forcefield.demo');
    carol = await logIn(target, 'carol@forcefield.demo');
  });

  it('streams text, a tool part per step and its Analyzed sources outline', async () => {
    harness.board.set(
      'mock-ui-search',
      callThenAnswer([{ toolName: 'search_records', input: { term: 'Acme' } }], 'Found them.'),
    );
    const agentId = await createAgent(harness.alice, {
      model: { provider: 'openai', modelId: 'mock-ui-search' },
    });
    const conversation = await startConversation(bob, agentId);
    const { response, message } = await chat(bob, conversation, {
      id: conversation,
      trigger: 'submit-message',
      messages: [userMessage('Find Acme')],
    });
    expect(response.headers.get('x-vercel-ai-ui-message-stream')).toBe('v1');
    expect(message?.role).toBe('assistant');
    expect(message?.metadata).toEqual({ conversationId: conversation, status: 'complete' });
    expect(partsOf(message, 'text').map((part) => part.text)).toEqual(['Found them.']);
    const [tool] = partsOf(message, 'dynamic-tool');
    expect(tool).toMatchObject({
      toolName: 'search_records',
      state: 'output-available',
      input: { term: 'Acme' },
    });
    const [step] = partsOf(message, 'data-step');
    expect(step.data).toMatchObject({
      id: tool.toolCallId,
      tool: 'search_records',
      status: 'ok',
      live: true,
    });
    // The message is the stored one: the JSON API shows the same id and text.
    const view = await bob.call('GET', `/api/conversations/${conversation}`);
    expect(view.body.messages.at(-1)).toMatchObject({ id: message?.id, text: 'Found them.' });
  });

  it('an approval request is a tool part awaiting approval; the answer from useChat runs it exactly once', async () => {
    const subject = `UI stream task ${dialect}`;
    harness.board.set(
      'mock-ui-create',
      callThenAnswer([
        { toolName: 'create_record', input: { objectType: 'Task', fields: { Subject: subject } } },
      ]),
    );
    const agentId = await createAgent(harness.alice, {
      model: { provider: 'openai', modelId: 'mock-ui-create' },
    });
    const conversation = await startConversation(bob, agentId);
    const first = await chat(bob, conversation, { messages: [userMessage('Create a task')] });
    expect(first.message?.metadata?.status).toBe('awaiting_approval');
    const [tool] = partsOf(first.message, 'dynamic-tool');
    expect(tool.state).toBe('approval-requested');
    const [card] = partsOf(first.message, 'data-approval');
    expect(card.data).toMatchObject({ tool: 'create_record', objectType: 'Task', status: 'pending' });
    expect(tool.approval.id).toBe(card.data.approvalId);

    // A browser that alters the input it answers for is refused: the hash no longer matches.
    const altered = { ...tool, input: { objectType: 'Task', fields: { Subject: 'Something else' } } };
    const answer = (part: unknown) => ({
      messages: [
        userMessage('Create a task'),
        {
          ...first.message,
          parts: [
            {
              ...(part as object),
              state: 'approval-responded',
              approval: { id: tool.approval.id, approved: true },
            },
          ],
        },
      ],
    });
    const refused = await chat(bob, conversation, answer(altered));
    expect(refused.response.status).toBe(409);
    expect(refused.error.error.code).toBe('mismatch');

    const approved = await chat(bob, conversation, answer(tool));
    expect(approved.message?.id).toBe(first.message?.id);
    expect(partsOf(approved.message, 'dynamic-tool')[0]).toMatchObject({ state: 'output-available' });
    expect(
      partsOf(approved.message, 'text')
        .map((part) => part.text)
        .join(''),
    ).toBe('Done.');
    // A replay of the same answer is refused; the record exists once.
    const replay = await chat(bob, conversation, answer(tool));
    expect(replay.response.status).toBe(409);
    const created = await orgQuery(harness.emulator, `SELECT Id FROM Task WHERE Subject = '${subject}'`);
    expect(created.totalSize).toBe(1);
  });

  it('an approved update whose record changed meanwhile comes back as a new approval request on the same part', async () => {
    const taskId = await orgCreate(harness.emulator, 'Task', {
      Subject: `UI changed ${dialect}`,
      Priority: 'Normal',
    });
    harness.board.set(
      'mock-ui-changed',
      callThenAnswer([
        {
          toolName: 'update_record',
          input: { objectType: 'Task', id: taskId, fields: { Priority: 'High' } },
        },
      ]),
    );
    const agentId = await createAgent(harness.alice, {
      model: { provider: 'openai', modelId: 'mock-ui-changed' },
    });
    const conversation = await startConversation(bob, agentId);
    const first = await chat(bob, conversation, { messages: [userMessage('Raise it')] });
    const [tool] = partsOf(first.message, 'dynamic-tool');
    expect(tool.state).toBe('approval-requested');
    expect(
      (await orgCall(harness.emulator, 'PATCH', `/sobjects/Task/${taskId}`, { Priority: 'Low' })).status,
    ).toBe(204);
    const approved = await chat(bob, conversation, {
      messages: [
        userMessage('Raise it'),
        {
          ...first.message,
          parts: [
            { ...tool, state: 'approval-responded', approval: { id: tool.approval.id, approved: true } },
          ],
        },
      ],
    });
    expect(approved.message?.metadata?.status).toBe('awaiting_approval');
    const [again] = partsOf(approved.message, 'dynamic-tool');
    // Never settled as an error: the same call waits for a new approval.
    expect(approved.chunks.map((chunk) => chunk.type)).not.toContain('tool-output-error');
    expect(again).toMatchObject({ toolCallId: tool.toolCallId, state: 'approval-requested' });
    expect(again.approval.id).not.toBe(tool.approval.id);
    const cards = partsOf(approved.message, 'data-approval');
    expect(cards.at(-1).data).toMatchObject({
      approvalId: again.approval.id,
      recordChanged: true,
      currentValues: { Priority: 'Low' },
    });
    const kept = await orgQuery(harness.emulator, `SELECT Priority FROM Task WHERE Id = '${taskId}'`);
    expect(kept.records[0].Priority).toBe('Low');
  });

  it('two requests answered at once: each resend decides the next one, until the turn completes', async () => {
    const subjects = [`First ${dialect}`, `Second ${dialect}`];
    harness.board.set(
      'mock-ui-two',
      callThenAnswer(
        subjects.map((Subject) => ({
          toolName: 'create_record',
          input: { objectType: 'Task', fields: { Subject } },
        })),
      ),
    );
    const agentId = await createAgent(harness.alice, {
      model: { provider: 'openai', modelId: 'mock-ui-two' },
    });
    const conversation = await startConversation(bob, agentId);
    const first = await chat(bob, conversation, { messages: [userMessage('Create two tasks')] });
    const tools = partsOf(first.message, 'dynamic-tool');
    expect(tools.map((tool) => tool.state)).toEqual(['approval-requested', 'approval-requested']);
    const answered = {
      messages: [
        {
          ...first.message,
          parts: tools.map((tool) => ({
            ...tool,
            state: 'approval-responded',
            approval: { id: tool.approval.id, approved: true },
          })),
        },
      ],
    };
    const once = await chat(bob, conversation, answered);
    expect(once.message?.metadata?.status).toBe('awaiting_approval');
    const twice = await chat(bob, conversation, answered);
    expect(twice.message?.metadata?.status).toBe('complete');
    expect((await chat(bob, conversation, answered)).response.status).toBe(409);
    for (const subject of subjects) {
      const created = await orgQuery(harness.emulator, `SELECT Id FROM Task WHERE Subject = '${subject}'`);
      expect(created.totalSize).toBe(1);
    }
  });

  it('a rejection with a reason is a denied tool part and the model hears the reason', async () => {
    let heard: unknown;
    harness.board.set('mock-ui-reject', (prompt) => {
      if (prompt.at(-1)?.role === 'tool') {
        heard = lastToolResults(prompt)[0]?.value;
        return { text: 'Understood.' };
      }
      return {
        toolCalls: [{ toolName: 'create_record', input: { objectType: 'Task', fields: { Subject: 'No' } } }],
      };
    });
    const agentId = await createAgent(harness.alice, {
      model: { provider: 'openai', modelId: 'mock-ui-reject' },
    });
    const conversation = await startConversation(bob, agentId);
    const first = await chat(bob, conversation, { messages: [userMessage('Create one')] });
    const [tool] = partsOf(first.message, 'dynamic-tool');
    const rejected = await chat(bob, conversation, {
      messages: [
        {
          ...first.message,
          parts: [
            {
              ...tool,
              state: 'approval-responded',
              approval: { id: tool.approval.id, approved: false, reason: 'Not today' },
            },
          ],
        },
      ],
    });
    expect(partsOf(rejected.message, 'dynamic-tool')[0].state).toBe('output-denied');
    expect(JSON.stringify(heard)).toContain('Not today');
  });

  it('a person without a Salesforce connection gets a connect part; bad requests are readable 400s', async () => {
    harness.board.set('mock-ui-connect', callThenAnswer([], 'Hi.'));
    const agentId = await createAgent(harness.alice, {
      model: { provider: 'openai', modelId: 'mock-ui-connect' },
    });
    const conversation = await startConversation(carol, agentId);
    const { message } = await chat(carol, conversation, { messages: [userMessage('Hello')] });
    expect(message?.metadata?.status).toBe('connect_required');
    const [connect] = partsOf(message, 'data-connect');
    expect(connect.data).toMatchObject({
      reason: 'no_connection',
      resumePath: expect.stringContaining(conversation),
    });

    const empty = await chat(carol, conversation, {
      messages: [{ role: 'user', parts: [{ type: 'text', text: ' ' }] }],
    });
    expect(empty.response.status).toBe(400);
    const noAnswer = await chat(carol, conversation, { messages: [{ role: 'assistant', parts: [] }] });
    expect(noAnswer.response.status).toBe(400);
    expect(noAnswer.error.error.message).toMatch(/approval request/);
    // Someone else's conversation is not found.
    expect((await chat(bob, conversation, { messages: [userMessage('Hi')] })).response.status).toBe(404);
  });
});
