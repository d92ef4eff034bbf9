import { describe, expect, it } from 'vitest';
import { createAgent, say, startConversation } from '../support/agents.ts';
import { callThenAnswer } from '../support/models.ts';
import { STORE_DIALECTS } from '../support/store.ts';
import { useChatHarness } from './chat-harness.ts';

/** An agent's Activity (and the audit API's agentId filter): its rows only; members see their own. */

describe.each(STORE_DIALECTS)('agent activity (%s)', (dialect) => {
  const chat = useChatHarness(dialect);

  it('the audit agentId filter and the Activity endpoint: one agent, admins all, members their own', async () => {
    const { board, alice, bob } = chat;
    board.set('mock-activity', callThenAnswer([{ toolName: 'search_records', input: { term: 'Acme' } }]));
    const agentId = await createAgent(alice, { model: { provider: 'openai', modelId: 'mock-activity' } });
    const otherAgent = await createAgent(alice, {
      name: 'Other',
      model: { provider: 'openai', modelId: 'mock-activity' },
    });
    await say(bob, await startConversation(bob, agentId), 'Find Acme');
    await say(bob, await startConversation(bob, otherAgent), 'Find Acme too');

    const filtered = await alice.call('GET', `/api/audit?agentId=${agentId}&limit=500`);
    expect(filtered.status).toBe(200);
    const actions = filtered.body.events.map((event: { action: string }) => event.action);
    expect(actions).toEqual(expect.arrayContaining(['agent.tool_call', 'agent.created']));
    expect(
      filtered.body.events.every(
        (event: { detail: { agentId: string } }) => event.detail.agentId === agentId,
      ),
    ).toBe(true);

    const asAdmin = await alice.call('GET', `/api/agents/${agentId}/activity?limit=500`);
    expect(asAdmin.body.events.map((event: { action: string }) => event.action).sort()).toEqual(
      actions.sort(),
    );

    const bobId = asAdmin.body.events.find(
      (event: { action: string }) => event.action === 'agent.tool_call',
    ).actorUserId;
    const asMember = await bob.call('GET', `/api/agents/${agentId}/activity?limit=500`);
    expect(asMember.status).toBe(200);
    expect(asMember.body.events.length).toBeGreaterThan(0);
    expect(asMember.body.events.every((event: { actorUserId: string }) => event.actorUserId === bobId)).toBe(
      true,
    );
    expect(asMember.body.events.map((event: { action: string }) => event.action)).not.toContain(
      'agent.created',
    );
    // A member's filter cannot widen what they see.
    const aliceId = asAdmin.body.events.find(
      (event: { action: string }) => event.action === 'agent.created',
    ).actorUserId;
    const widened = await bob.call('GET', `/api/agents/${agentId}/activity?actorUserId=${aliceId}`);
    expect(widened.body.events.map((event: { id: string }) => event.id)).toEqual(
      asMember.body.events.map((event: { id: string }) => event.id),
    );

    const exported = await bob.call('GET', `/api/agents/${agentId}/activity/export`);
    expect(exported.status).toBe(200);
    // One line parses as JSON by itself: the helper then hands back the object.
    const text = typeof exported.body === 'string' ? exported.body : JSON.stringify(exported.body);
    const lines = text
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    expect(lines.map((event) => event.id)).toEqual(
      asMember.body.events.map((event: { id: string }) => event.id).reverse(),
    );
    expect((await bob.call('GET', '/api/agents/no-such-agent/activity')).status).toBe(404);
    expect((await bob.call('GET', `/api/agents/${agentId}/activity?limit=0`)).status).toBe(400);
  });
});
