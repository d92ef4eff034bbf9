import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ServiceSession } from '../../support/connections.ts';
import { createTestService, type TestService } from '../../support/test-service.ts';

/**
 * Removing a model provider that something still names is refused (409 `provider_in_use`), saying
 * what uses it: an agent, or the meeting summary model. Once nothing does, it goes, audited.
 */

let service: TestService;
let alice: ServiceSession;

beforeAll(async () => {
  service = await createTestService();
  alice = await service.logIn('alice@forcefield.demo');
});

afterAll(async () => {
  await service?.stop();
});

async function addProvider(name: string): Promise<string> {
  const created = await alice.call('POST', '/api/model-providers', {
    kind: 'openai_compatible',
    name,
    baseUrl: 'http://127.0.0.1:9/v1',
  });
  expect(created.status).toBe(201);
  return created.body.provider.id;
}

const modelOf = (providerId: string) => ({ provider: 'openai_compatible', modelId: 'local-1', providerId });

describe('removing a model provider', () => {
  it('is refused while an agent uses it, naming the agent, and allowed once the agent moves', async () => {
    const providerId = await addProvider('Local for agents');
    const created = await alice.call('POST', '/api/agents', {
      name: 'Pipeline helper',
      instructions: 'Help.',
      model: modelOf(providerId),
    });
    expect(created.status).toBe(201);
    const agentId = created.body.agent.id;

    const refused = await alice.call('DELETE', `/api/model-providers/${providerId}`);
    expect(refused.status).toBe(409);
    expect(refused.body.error).toMatchObject({
      code: 'provider_in_use',
      details: { agentIds: [agentId], settings: [] },
    });
    expect(refused.body.error.message).toContain('the agent “Pipeline helper”');
    const listed = await alice.call('GET', '/api/model-providers');
    expect(listed.body.providers.map((provider: { id: string }) => provider.id)).toContain(providerId);

    const moved = await alice.call('PUT', `/api/agents/${agentId}`, {
      name: 'Pipeline helper',
      instructions: 'Help.',
      model: { provider: 'openai', modelId: 'gpt-4.1-mini' },
    });
    expect(moved.status).toBe(200);
    const removed = await alice.call('DELETE', `/api/model-providers/${providerId}`);
    expect(removed.status).toBe(204);
    const audit = await alice.call('GET', '/api/audit?action=model_provider.deleted');
    expect(
      audit.body.events.map((event: { detail: { providerId: string } }) => event.detail.providerId),
    ).toContain(providerId);
  });

  it('is refused while the meeting summary model uses it, and allowed once another is chosen', async () => {
    const providerId = await addProvider('Local for summaries');
    const chosen = await alice.call('PUT', '/api/meetings/summary-settings', { model: modelOf(providerId) });
    expect(chosen.status).toBe(200);

    const refused = await alice.call('DELETE', `/api/model-providers/${providerId}`);
    expect(refused.status).toBe(409);
    expect(refused.body.error).toMatchObject({
      code: 'provider_in_use',
      details: { agentIds: [], settings: ['meetings.summaryModel'] },
    });
    expect(refused.body.error.message).toContain('the meeting summary model');

    const other = await alice.call('PUT', '/api/meetings/summary-settings', {
      model: { provider: 'openai', modelId: 'gpt-4.1-mini' },
    });
    expect(other.status).toBe(200);
    expect((await alice.call('DELETE', `/api/model-providers/${providerId}`)).status).toBe(204);
    expect((await alice.call('DELETE', `/api/model-providers/${providerId}`)).status).toBe(404);
  });
});
