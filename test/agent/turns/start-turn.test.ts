import { describe, expect, it } from 'vitest';
import { createAgent, say, startConversation } from '../../support/agents.ts';
import { connect } from '../../support/connections.ts';
import { callThenAnswer } from '../../support/models.ts';
import { STORE_DIALECTS } from '../../support/store.ts';
import { useChatHarness } from '../chat-harness.ts';

/** What a turn needs before the model runs: a configured model, a connection, access to a shared one. */

describe.each(STORE_DIALECTS)('starting a turn (%s)', (dialect) => {
  const chat = useChatHarness(dialect);

  it.each([
    ['google', 'gemini-2.5-pro', 'GOOGLE_GENERATIVE_AI_API_KEY'],
    ['openai', 'gpt-4.1', 'OPENAI_API_KEY'],
    ['anthropic', 'claude-sonnet-4-5', 'ANTHROPIC_API_KEY'],
    ['openai_compatible', 'llama3', 'OPENAI_COMPATIBLE_BASE_URL'],
  ])('says clearly when no model is configured (%s)', async (provider, modelId, setting) => {
    const { alice, bob } = chat;
    const agentId = await createAgent(alice, { model: { provider, modelId } });
    const conversation = await startConversation(bob, agentId);
    const turn = await say(bob, conversation, 'Hello');
    expect(turn.status).toBe(200);
    expect(turn.body.status).toBe('model_not_configured');
    expect(turn.body.message.kind).toBe('notice');
    expect(turn.body.message.text).toMatch(/No AI model is configured/);
    expect(turn.body.message.text).toContain(setting);
  });

  it('asks a person without a connection to connect, then answers after connecting', async () => {
    const { emulator, board, alice, carol } = chat;
    board.set(
      'mock-connect',
      callThenAnswer(
        [{ toolName: 'query_records', input: { soql: 'SELECT Id, Name FROM Account' } }],
        'Here you go.',
      ),
    );
    const agentId = await createAgent(alice, { model: { provider: 'openai', modelId: 'mock-connect' } });
    const conversation = await startConversation(carol, agentId);
    const first = await say(carol, conversation, 'Show accounts');
    expect(first.body.status).toBe('connect_required');
    expect(first.body.message.kind).toBe('connect_prompt');
    const prompt = first.body.events.find((event: { type: string }) => event.type === 'connect').connect;
    expect(prompt.start).toEqual({
      method: 'POST',
      path: '/api/connections/oauth/start',
      body: { kind: 'personal', loginHost: 'production' },
    });
    expect(prompt.resumePath).toBe(`/api/conversations/${conversation}/resume`);

    // Carol's Salesforce user is the profile-limited contractor (no Case, no Opportunity.Amount).
    await connect(carol, emulator, { kind: 'personal', username: 'dave@acme.demo' });
    const resumed = await carol.call('POST', prompt.resumePath);
    expect(resumed.status).toBe(200);
    expect(resumed.body.status).toBe('complete');
    expect(resumed.body.message.text).toBe('Here you go.');
    expect(resumed.body.message.steps[0].status).toBe('ok');
    expect((await carol.call('POST', prompt.resumePath)).status).toBe(409);
  });

  it('uses a shared organization connection only for the people it is shared with, auditing the real person', async () => {
    const { emulator, board, alice, bob, carol, auditEvents } = chat;
    const orgConnection = await connect(alice, emulator, {
      kind: 'organization',
      username: 'alice@acme.demo',
      name: 'Service account',
    });
    const users = await alice.call('GET', '/api/users');
    const bobId = users.body.users.find((user: { email: string }) => user.email === 'bob@forcefield.demo').id;
    expect(
      (await alice.call('PUT', `/api/connections/${orgConnection}/shares`, { users: [bobId] })).status,
    ).toBe(200);
    board.set(
      'mock-shared',
      callThenAnswer([{ toolName: 'describe_object', input: { objectType: 'Account' } }]),
    );
    const memberRefused = await bob.call('POST', '/api/agents', {
      name: 'x',
      model: { provider: 'openai', modelId: 'm' },
    });
    expect(memberRefused.status).toBe(403);
    const agentId = await createAgent(alice, {
      model: { provider: 'openai', modelId: 'mock-shared' },
      connector: { connectionMethod: 'shared', sharedConnectionId: orgConnection },
    });
    const conversation = await startConversation(bob, agentId);
    const turn = await say(bob, conversation, 'Describe accounts');
    expect(turn.body.message.steps[0].status).toBe('ok');
    const calls = (await auditEvents('agent.tool_call')).filter((event) => event.detail.agentId === agentId);
    expect(calls[0]).toMatchObject({ actorUserId: bobId, connectionId: orgConnection });

    const carolRefused = await carol.call('POST', '/api/conversations', { agentId });
    expect(carolRefused.status).toBe(403);
    expect(carolRefused.body.error.code).toBe('connection_not_shared');
    // Unsharing takes effect on the next message.
    expect((await alice.call('PUT', `/api/connections/${orgConnection}/shares`, { users: [] })).status).toBe(
      200,
    );
    const afterUnshare = await say(bob, conversation, 'Again');
    expect(afterUnshare.status).toBe(403);
    expect((await auditEvents('agent.connection.refused')).length).toBeGreaterThanOrEqual(2);
  });
});
