import { describe, expect, it } from 'vitest';
import { createAgent, say, startConversation } from '../../support/agents.ts';
import { callThenAnswer } from '../../support/models.ts';
import { STORE_DIALECTS } from '../../support/store.ts';
import { useChatHarness } from '../chat-harness.ts';

/** The runtime's answers: a turn streamed as Server-Sent Events; results kept in memory only for a while. */

describe.each(STORE_DIALECTS)('agent runtime over HTTP (%s)', (dialect) => {
  const chat = useChatHarness(dialect);

  it('streams a turn as Server-Sent Events', async () => {
    const { test, board, alice, bob } = chat;
    board.set(
      'mock-sse',
      callThenAnswer(
        [{ toolName: 'search_records', input: { term: 'Pager1', objects: ['Lead'] } }],
        'Found some leads.',
      ),
    );
    const agentId = await createAgent(alice, { model: { provider: 'openai', modelId: 'mock-sse' } });
    const conversation = await startConversation(bob, agentId);
    const response = await bob.browser.fetch(
      `${test.service.url}/api/conversations/${conversation}/messages`,
      {
        method: 'POST',
        headers: {
          'Content-Type': 'application/json',
          Accept: 'text/event-stream',
          'X-CSRF-Token': bob.csrfToken,
        },
        body: JSON.stringify({ text: 'Search' }),
      },
    );
    expect(response.headers.get('content-type')).toMatch(/text\/event-stream/);
    const body = await response.text();
    const events = [...body.matchAll(/^event: (\w+)$/gm)].map((match) => match[1]);
    expect(events[0]).toBe('turn');
    expect(events).toContain('step');
    expect(events).toContain('text');
    expect(events.at(-1)).toBe('done');
    const text = [...body.matchAll(/^data: (.*)$/gm)]
      .map((match) => JSON.parse(match[1]))
      .filter((event) => event.type === 'text')
      .map((event) => event.delta)
      .join('');
    expect(text).toBe('Found some leads.');
  });

  it('keeps tool results in memory only for the retention time; afterwards the outline remains', async () => {
    const { test, board, alice, bob, carol } = chat;
    board.set(
      'mock-retention',
      callThenAnswer([
        { toolName: 'query_records', input: { soql: 'SELECT Id, Name FROM Account LIMIT 3' } },
      ]),
    );
    const agentId = await createAgent(alice, { model: { provider: 'openai', modelId: 'mock-retention' } });
    const conversation = await startConversation(bob, agentId);
    const turn = await say(bob, conversation, 'Accounts');
    const stepId = turn.body.message.steps[0].id;
    const live = await bob.call('GET', `/api/conversations/${conversation}/steps/${stepId}`);
    expect(live.status).toBe(200);
    expect(live.body.step.result.rows).toHaveLength(3);
    expect((await carol.call('GET', `/api/conversations/${conversation}/steps/${stepId}`)).status).toBe(404);
    test.clock.advance(31 * 60 * 1000);
    expect((await bob.call('GET', `/api/conversations/${conversation}/steps/${stepId}`)).status).toBe(410);
    const view = await bob.call('GET', `/api/conversations/${conversation}`);
    const step = view.body.messages.at(-1).steps[0];
    expect(step).toMatchObject({ tool: 'query_records', objectType: 'Account', status: 'ok', live: false });
    expect(step.result).toBeUndefined();
    expect(step.recordIds).toHaveLength(3);
  });
});
