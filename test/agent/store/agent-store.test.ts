import { describe, expect, it } from 'vitest';
import { createAgent } from '../../support/agents.ts';
import { STORE_DIALECTS } from '../../support/store.ts';
import { useChatHarness } from '../chat-harness.ts';
import { EXPECTED_DEFAULT_CONNECTOR } from '../expected-connector.ts';

/** Agents: admins create and edit them with validated connector settings; members read them. */

describe.each(STORE_DIALECTS)('agents over HTTP (%s)', (dialect) => {
  const chat = useChatHarness(dialect);

  it('lets admins create and edit agents with validated connector settings; members only read', async () => {
    const { alice, bob, auditEvents } = chat;
    const refused = await bob.call('POST', '/api/agents', {
      name: 'x',
      model: { provider: 'openai', modelId: 'm' },
    });
    expect(refused.status).toBe(403);
    const invalid = await alice.call('POST', '/api/agents', {
      name: 'x',
      model: { provider: 'openai', modelId: 'm' },
      connector: { connectionMethod: 'shared' },
    });
    expect(invalid.status).toBe(400);
    const badLevel = await alice.call('POST', '/api/agents', {
      name: 'x',
      model: { provider: 'openai', modelId: 'm' },
      connector: { permissions: { next_page: 'always_allow' } },
    });
    expect(badLevel.status).toBe(400);
    const id = await createAgent(alice, { name: 'Defaults' });
    const read = await bob.call('GET', `/api/agents/${id}`);
    expect(read.status).toBe(200);
    expect(read.body.agent.connector).toEqual(EXPECTED_DEFAULT_CONNECTOR);
    expect(read.body.agent.offeredTools).not.toContain('delete_record');
    const updated = await alice.call('PUT', `/api/agents/${id}`, {
      name: 'Renamed',
      model: { provider: 'anthropic', modelId: 'claude' },
      connector: { permissions: { delete_record: 'needs_approval' } },
    });
    expect(updated.status).toBe(200);
    expect(updated.body.agent.connector.permissions.delete_record).toBe('needs_approval');
    expect(
      (
        await bob.call('PUT', `/api/agents/${id}`, {
          name: 'no',
          model: { provider: 'openai', modelId: 'm' },
        })
      ).status,
    ).toBe(403);
    const events = await auditEvents('agent.updated');
    expect(events[0].detail).toMatchObject({ agentId: id, delete_record: 'needs_approval' });
  });
});
