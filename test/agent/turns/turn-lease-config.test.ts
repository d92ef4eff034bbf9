import type { LanguageModelV4StreamPart } from '@ai-sdk/provider';
import { MockLanguageModelV4 } from 'ai/test';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../../../src/core/config.ts';
import {
  type AgentTestService,
  createAgent,
  startConversation,
  useTwoAgentInstances,
} from '../../support/agents.ts';
import type { ServiceSession } from '../../support/connections.ts';
import { ModelBoard } from '../../support/models.ts';
import { STORE_DIALECTS } from '../../support/store.ts';

/**
 * AGENT_TURN_LEASE_SECONDS: how long a turn holds its conversation without renewing. An instance
 * that stops mid-turn (here: its model never answers, as if the process had died) keeps the
 * conversation only that long; then another instance takes the next message. Each instance has a
 * clock the test moves: nothing waits for real time.
 */

const SECRET_KEY = `k1:${Buffer.alloc(32, 5).toString('base64')}`;
const LEASE_SECONDS = 30;

/** A model whose first call never finishes until the test lets it (a stalled instance's turn). */
function stalledModel(): { model: MockLanguageModelV4; finish(): void } {
  let finish: () => void = () => {};
  const gate = new Promise<void>((resolve) => {
    finish = resolve;
  });
  const model = new MockLanguageModelV4({
    doStream: async () => ({
      stream: new ReadableStream<LanguageModelV4StreamPart>({
        async start(controller) {
          controller.enqueue({ type: 'stream-start', warnings: [] });
          await gate;
          controller.enqueue({ type: 'text-start', id: 't' });
          controller.enqueue({ type: 'text-delta', id: 't', delta: 'Late.' });
          controller.enqueue({ type: 'text-end', id: 't' });
          controller.enqueue({
            type: 'finish',
            finishReason: { unified: 'stop', raw: undefined },
            usage: {
              inputTokens: { total: 1, noCache: 1, cacheRead: 0, cacheWrite: 0 },
              outputTokens: { total: 1, text: 1, reasoning: 0 },
            },
          });
          controller.close();
        },
      }),
    }),
  });
  return { model, finish };
}

describe('AGENT_TURN_LEASE_SECONDS', () => {
  it('defaults to two minutes and refuses values below a second', () => {
    expect(parseConfig({}).AGENT_TURN_LEASE_SECONDS).toBe(120);
    expect(parseConfig({ AGENT_TURN_LEASE_SECONDS: '5' }).AGENT_TURN_LEASE_SECONDS).toBe(5);
    expect(() => parseConfig({ AGENT_TURN_LEASE_SECONDS: '0' })).toThrow(/AGENT_TURN_LEASE_SECONDS/);
  });
});

describe.each(STORE_DIALECTS)('a turn lease set by configuration (%s)', (dialect) => {
  const board = new ModelBoard();
  const instances = useTwoAgentInstances(dialect, {
    board,
    environment: { FORCEFIELD_SECRET_KEY: SECRET_KEY, AGENT_TURN_LEASE_SECONDS: String(LEASE_SECONDS) },
  });
  let first: AgentTestService;
  let second: AgentTestService;
  let alice: ServiceSession;
  let bob: ServiceSession;
  beforeAll(() => {
    ({ first, second, alice, bob } = instances);
  });

  const send = (instance: AgentTestService, conversation: string, text: string) =>
    bob.call('POST', `${instance.service.url}/api/conversations/${conversation}/messages`, { text });

  it('a stalled turn keeps the conversation for the configured lease, then another instance takes it', async () => {
    const stalled = stalledModel();
    board.use('mock-lease-stalled', stalled.model);
    const agentId = await createAgent(alice, {
      model: { provider: 'openai', modelId: 'mock-lease-stalled' },
    });
    const conversation = await startConversation(bob, agentId);
    second.clock.now = first.clock.now;
    const running = send(first, conversation, 'Think hard');
    const deadline = Date.now() + 10_000;
    while (stalled.model.doStreamCalls.length === 0) {
      if (Date.now() > deadline) throw new Error('the stalled turn never reached the model');
      await new Promise((resolve) => setTimeout(resolve, 10));
    }

    // Just inside the lease (on the second instance's clock): still the stalled turn's.
    second.clock.advance(LEASE_SECONDS * 1000 - 1000);
    const refused = await send(second, conversation, 'Anyone there?');
    expect(refused.status).toBe(409);
    expect(refused.body.error.code).toBe('turn_in_progress');

    // Past the configured lease (far short of the two-minute default): the conversation is free.
    second.clock.advance(2000);
    board.set('mock-lease-stalled', () => ({ text: 'Here.' }));
    const taken = await send(second, conversation, 'Anyone there?');
    expect(taken.status, JSON.stringify(taken.body)).toBe(200);
    expect(taken.body.message.text).toBe('Here.');

    stalled.finish();
    await running;
  });
});
