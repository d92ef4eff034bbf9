import { lastAssistantMessageIsCompleteWithApprovalResponses } from 'ai';
import { describe, expect, it } from 'vitest';
import type { ApprovalRequest, ChatStep, ConversationDetail } from '../../../web/src/lib/chat-types.ts';
import {
  approvalCardsOf,
  type ChatUIMessage,
  chatFailureMessage,
  chatRequestBody,
  says,
  stepsOf,
  toUIMessages,
} from '../../../web/src/lib/chat-ui-messages.ts';

/** The stored conversation as useChat's UI messages, and the request the page sends back. */

const conversation = {
  id: 'c1',
  agentId: 'a1',
  userId: 'u1',
  title: 'Zeta',
  createdAt: '2026-12-06T07:00:00.000Z',
  updatedAt: '2026-12-06T07:00:00.000Z',
};
const search: ChatStep = {
  id: 'call-search',
  tool: 'search_records',
  objectType: null,
  status: 'ok',
  durationMs: 12,
  recordIds: ['001A'],
  live: true,
  input: { term: 'Zeta' },
  result: { records: [{ Id: '001A' }] },
};
const create: ChatStep = {
  id: 'call-create',
  tool: 'create_record',
  objectType: 'Account',
  status: 'awaiting_approval',
  durationMs: null,
  recordIds: [],
  approvalId: 'ap1',
};
const pending: ApprovalRequest = {
  approvalId: 'ap1',
  messageId: 'm2',
  toolCallId: 'call-create',
  tool: 'create_record',
  objectType: 'Account',
  recordId: null,
  input: { objectType: 'Account', fields: { Name: 'Zeta' } },
  inputHash: 'hash-1',
  expiresAt: '2026-12-06T08:00:00.000Z',
  status: 'pending',
};

function detail(overrides: Partial<ConversationDetail>): ConversationDetail {
  return {
    conversation,
    live: true,
    resultRetentionSeconds: 1800,
    messages: [],
    pendingApprovals: [],
    decidedApprovals: [],
    ...overrides,
  };
}

const asked = detail({
  messages: [
    { id: 'm1', role: 'user', kind: 'message', text: 'Create Zeta', steps: [], createdAt: '' },
    { id: 'm2', role: 'assistant', kind: 'message', text: '', steps: [search, create], createdAt: '' },
  ],
  pendingApprovals: [pending],
});

describe('toUIMessages', () => {
  it('keeps the stored ids and roles, with text parts for the person', () => {
    const messages = toUIMessages(asked);
    expect(messages.map((message) => [message.id, message.role])).toEqual([
      ['m1', 'user'],
      ['m2', 'assistant'],
    ]);
    expect(messages[0]?.parts).toEqual([{ type: 'text', text: 'Create Zeta' }]);
  });

  it('gives each step a data-step part and a tool part in the state it reached', () => {
    const answer = toUIMessages(asked)[1] as ChatUIMessage;
    expect(stepsOf(answer).map((step) => [step.id, step.status])).toEqual([
      ['call-search', 'ok'],
      ['call-create', 'awaiting_approval'],
    ]);
    const tools = answer.parts.filter((part) => part.type === 'dynamic-tool');
    expect(tools).toEqual([
      {
        type: 'dynamic-tool',
        toolName: 'search_records',
        toolCallId: 'call-search',
        state: 'output-available',
        input: { term: 'Zeta' },
        output: { records: [{ Id: '001A' }] },
      },
      {
        type: 'dynamic-tool',
        toolName: 'create_record',
        toolCallId: 'call-create',
        state: 'approval-requested',
        input: pending.input,
        approval: { id: 'ap1' },
      },
    ]);
  });

  it('shows the card of a pending approval, and none once it is decided', () => {
    const answer = toUIMessages(asked)[1] as ChatUIMessage;
    expect(approvalCardsOf(answer)).toEqual([{ approval: pending, answered: false }]);

    const decided = toUIMessages(
      detail({
        messages: [
          {
            id: 'm2',
            role: 'assistant',
            kind: 'message',
            text: 'Created.',
            steps: [{ ...create, status: 'ok', recordIds: ['001Z'] }],
            createdAt: '',
          },
        ],
        pendingApprovals: [],
      }),
    )[0] as ChatUIMessage;
    expect(approvalCardsOf(decided)).toEqual([]);
    expect(decided.parts.at(-1)).toEqual({ type: 'text', text: 'Created.', state: 'done' });
  });

  it('answers a pending approval through useChat: the card shows it answered and the message is sent', () => {
    const answer = toUIMessages(asked)[1] as ChatUIMessage;
    expect(lastAssistantMessageIsCompleteWithApprovalResponses({ messages: [answer] })).toBe(false);
    const responded: ChatUIMessage = {
      ...answer,
      parts: answer.parts.map((part) =>
        part.type === 'dynamic-tool' && part.state === 'approval-requested'
          ? { ...part, state: 'approval-responded', approval: { id: 'ap1', approved: true } }
          : part,
      ),
    };
    expect(approvalCardsOf(responded)).toEqual([{ approval: pending, answered: true }]);
    expect(lastAssistantMessageIsCompleteWithApprovalResponses({ messages: [responded] })).toBe(true);
  });

  it('shows rejected, refused and No output data steps as ended tool parts', () => {
    const steps: ChatStep[] = [
      { ...create, id: 'r', status: 'rejected', approvalId: 'ap9' },
      { ...create, id: 'x', status: 'refused', reason: 'The tool is disabled.' },
      { ...create, id: 'n', status: 'no_output_data', reason: 'Read only user.' },
    ];
    const [answer] = toUIMessages(
      detail({ messages: [{ id: 'm', role: 'assistant', kind: 'message', text: '', steps, createdAt: '' }] }),
    );
    const states = (answer?.parts ?? []).flatMap((part) =>
      part.type === 'dynamic-tool' ? [[part.toolCallId, part.state, part.errorText]] : [],
    );
    expect(states).toEqual([
      ['r', 'output-denied', undefined],
      ['x', 'output-error', 'The tool is disabled.'],
      ['n', 'output-error', 'Read only user.'],
    ]);
  });

  it('turns a connect prompt and a notice into their data parts', () => {
    const messages = toUIMessages(
      detail({
        messages: [
          {
            id: 'p',
            role: 'assistant',
            kind: 'connect_prompt',
            text: 'Connect first.',
            steps: [],
            createdAt: '',
          },
          { id: 'n', role: 'assistant', kind: 'notice', text: 'No model.', steps: [], createdAt: '' },
        ],
      }),
    );
    expect(messages.map((message) => message.parts)).toEqual([
      [{ type: 'data-connect', data: { message: 'Connect first.' } }],
      [{ type: 'data-notice', data: { code: 'notice', message: 'No model.' } }],
    ]);
  });

  it('keeps a pending approval whose message is not in the list in a message of its own', () => {
    const messages = toUIMessages(detail({ pendingApprovals: [{ ...pending, messageId: 'elsewhere' }] }));
    expect(messages).toHaveLength(1);
    expect(approvalCardsOf(messages[0] as ChatUIMessage).map((card) => card.approval.approvalId)).toEqual([
      'ap1',
    ]);
  });
});

describe('chatRequestBody', () => {
  it('sends only the last message: a new user message as it is', () => {
    const messages = toUIMessages(asked).slice(0, 1);
    expect(chatRequestBody({ id: 'c1', messages, trigger: 'submit-message', messageId: undefined })).toEqual({
      id: 'c1',
      messages: [{ id: 'm1', role: 'user', parts: [{ type: 'text', text: 'Create Zeta' }] }],
      trigger: 'submit-message',
    });
  });

  it('sends of an assistant message only its answered approval requests, never Salesforce results', () => {
    const answer = toUIMessages(asked)[1] as ChatUIMessage;
    const responded: ChatUIMessage = {
      ...answer,
      parts: answer.parts.map((part) =>
        part.type === 'dynamic-tool' && part.state === 'approval-requested'
          ? {
              ...part,
              state: 'approval-responded',
              approval: { id: 'ap1', approved: false, reason: 'Wrong name' },
            }
          : part,
      ),
    };
    const body = chatRequestBody({
      id: 'c1',
      messages: [...toUIMessages(asked).slice(0, 1), responded],
      trigger: 'submit-message',
      messageId: 'm2',
    });
    expect(body).toEqual({
      id: 'c1',
      messages: [
        {
          id: 'm2',
          role: 'assistant',
          parts: [
            {
              type: 'dynamic-tool',
              toolName: 'create_record',
              toolCallId: 'call-create',
              state: 'approval-responded',
              input: pending.input,
              approval: { id: 'ap1', approved: false, reason: 'Wrong name' },
            },
          ],
        },
      ],
      trigger: 'submit-message',
      messageId: 'm2',
    });
    expect(JSON.stringify(body)).not.toContain('001A');
  });
});

describe('chatFailureMessage', () => {
  it("reads the server's refusal, a lost connection, or the error's own words", () => {
    const refusal = new Error(
      JSON.stringify({ error: { code: 'turn_in_progress', message: 'The agent is still answering.' } }),
    );
    expect(chatFailureMessage(refusal)).toBe('The agent is still answering.');
    expect(chatFailureMessage(new TypeError('Failed to fetch'))).toBe(
      'Forcefield cannot be reached. Check your connection and try again.',
    );
    expect(chatFailureMessage(new Error('Something went wrong on our side. Try again.'))).toBe(
      'Something went wrong on our side. Try again.',
    );
    expect(chatFailureMessage('nope')).toBe('Something went wrong.');
  });
});

describe('says', () => {
  it('finds a failure already in the answer: a streamed data-error or the stored text', () => {
    const streamed: ChatUIMessage = {
      id: 'm',
      role: 'assistant',
      parts: [{ type: 'data-error', data: { code: 'model_error', message: 'The model failed.' } }],
    };
    const stored: ChatUIMessage = {
      id: 'm',
      role: 'assistant',
      parts: [{ type: 'text', text: 'The model failed.' }],
    };
    expect(says(streamed, 'The model failed.')).toBe(true);
    expect(says(stored, 'The model failed.')).toBe(true);
    expect(says(stored, 'Stopped. A step already running finishes on the server.')).toBe(false);
    expect(says(stored, '')).toBe(false);
    expect(says(undefined, 'The model failed.')).toBe(false);
  });
});
