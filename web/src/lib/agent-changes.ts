import {
  type AgentInput,
  CONFIGURABLE_TOOLS,
  hasConnector,
  LEVEL_LABELS,
  PROVIDER_LABELS,
  TOOL_LABELS,
} from './agents.ts';

function methodLabel(input: AgentInput): string {
  if (!hasConnector(input.connector)) return 'no connector';
  return input.connector.connectionMethod === 'shared'
    ? 'a shared Salesforce connection'
    : 'each user’s own Salesforce account';
}

/**
 * What an edit changes, in words a person reads after Save ("Create records: Needs approval →
 * Always allow"). Instructions are long: only that they changed is said.
 */
export function describeAgentChanges(
  before: AgentInput,
  after: AgentInput,
  connectionName: (id: string | undefined) => string,
): string[] {
  const changes: string[] = [];
  if (before.name !== after.name) changes.push(`Name: ${before.name} → ${after.name}`);
  if (before.instructions !== after.instructions) changes.push('Instructions changed');
  if (before.model.provider !== after.model.provider || before.model.providerId !== after.model.providerId)
    changes.push(
      `Model provider: ${PROVIDER_LABELS[before.model.provider]} → ${PROVIDER_LABELS[after.model.provider]}`,
    );
  if (before.model.modelId !== after.model.modelId)
    changes.push(`Model: ${before.model.modelId} → ${after.model.modelId}`);
  const beforeMethod = methodLabel(before);
  const afterMethod = methodLabel(after);
  if (beforeMethod !== afterMethod) changes.push(`Salesforce: ${beforeMethod} → ${afterMethod}`);
  else if (
    after.connector.connectionMethod === 'shared' &&
    before.connector.sharedConnectionId !== after.connector.sharedConnectionId
  ) {
    changes.push(
      `Shared connection: ${connectionName(before.connector.sharedConnectionId)} → ${connectionName(after.connector.sharedConnectionId)}`,
    );
  }
  if (hasConnector(after.connector)) {
    for (const tool of CONFIGURABLE_TOOLS) {
      const from = before.connector.permissions[tool];
      const to = after.connector.permissions[tool];
      if (from !== to) changes.push(`${TOOL_LABELS[tool]}: ${LEVEL_LABELS[from]} → ${LEVEL_LABELS[to]}`);
    }
  }
  return changes;
}
