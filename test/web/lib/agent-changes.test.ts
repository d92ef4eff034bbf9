import { describe, expect, it } from 'vitest';
import { describeAgentChanges } from '../../../web/src/lib/agent-changes.ts';
import { type AgentInput, DEFAULT_PERMISSIONS, noConnector } from '../../../web/src/lib/agents.ts';

/** What Save reports: one readable line per change, none when nothing changed. */

const BASE: AgentInput = {
  name: 'Deal desk',
  instructions: 'Help.',
  model: { provider: 'openai', modelId: 'gpt-4.1' },
  connector: { connectionMethod: 'per_user', permissions: { ...DEFAULT_PERMISSIONS } },
};
const names = (id: string | undefined) => (id === 'c1' ? 'Service account' : id === 'c2' ? 'Backup' : 'none');

describe('describeAgentChanges', () => {
  it.each<[string, Partial<AgentInput>, string[]]>([
    ['nothing', {}, []],
    ['the name', { name: 'Pipeline' }, ['Name: Deal desk → Pipeline']],
    ['the instructions (only that they changed)', { instructions: 'Longer text' }, ['Instructions changed']],
    ['the model id', { model: { provider: 'openai', modelId: 'gpt-5' } }, ['Model: gpt-4.1 → gpt-5']],
    [
      'the provider',
      { model: { provider: 'anthropic', modelId: 'gpt-4.1' } },
      ['Model provider: OpenAI → Anthropic'],
    ],
    [
      'a permission level',
      {
        connector: {
          connectionMethod: 'per_user',
          permissions: { ...DEFAULT_PERMISSIONS, delete_record: 'needs_approval' },
        },
      },
      ['Delete records: Disabled → Needs approval'],
    ],
    [
      'the connection method',
      {
        connector: {
          connectionMethod: 'shared',
          sharedConnectionId: 'c1',
          permissions: { ...DEFAULT_PERMISSIONS },
        },
      },
      ['Salesforce: each user’s own Salesforce account → a shared Salesforce connection'],
    ],
    [
      'removing every tool',
      { connector: noConnector() },
      ['Salesforce: each user’s own Salesforce account → no connector'],
    ],
  ])('reports %s', (_label, change, expected) => {
    expect(describeAgentChanges(BASE, { ...BASE, ...change }, names)).toEqual(expected);
  });

  it('names the shared connections when only the connection changes', () => {
    const shared = (id: string): AgentInput => ({
      ...BASE,
      connector: {
        connectionMethod: 'shared',
        sharedConnectionId: id,
        permissions: { ...DEFAULT_PERMISSIONS },
      },
    });
    expect(describeAgentChanges(shared('c1'), shared('c2'), names)).toEqual([
      'Shared connection: Service account → Backup',
    ]);
  });
});
