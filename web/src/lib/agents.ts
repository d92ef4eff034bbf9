import { useQuery } from '@tanstack/react-query';
import { api } from './api.ts';

/** Agents and model providers, as the JSON API shows them (src/agent/store/*). */

export const MODEL_PROVIDER_KINDS = ['openai', 'anthropic', 'google', 'openai_compatible'] as const;
export type ModelProviderKind = (typeof MODEL_PROVIDER_KINDS)[number];

export const PROVIDER_LABELS: Record<ModelProviderKind, string> = {
  openai: 'OpenAI',
  anthropic: 'Anthropic',
  google: 'Google',
  openai_compatible: 'OpenAI-compatible',
};

/** The tools an admin sets a level for, in the order the editor lists them, with their names. */
export const TOOL_LABELS = {
  search_records: 'Search records',
  get_record: 'Read records',
  query_records: 'Query records',
  describe_object: 'Describe objects',
  create_record: 'Create records',
  update_record: 'Update records',
  delete_record: 'Delete records',
} as const;
export type ConfigurableTool = keyof typeof TOOL_LABELS;
export const CONFIGURABLE_TOOLS = Object.keys(TOOL_LABELS) as ConfigurableTool[];

export const TOOL_DESCRIPTIONS: Record<ConfigurableTool, string> = {
  search_records:
    'Find records by name, email or phone across accounts, contacts, leads, opportunities and cases.',
  get_record: 'Read one record by its id.',
  query_records: 'Run one read-only SOQL query (checked and limited on the server).',
  describe_object: "List an object's fields.",
  create_record: 'Create one record.',
  update_record: 'Change fields of one record.',
  delete_record: 'Delete one record.',
};

export const PERMISSION_LEVELS = ['always_allow', 'needs_approval', 'disabled'] as const;
export type PermissionLevel = (typeof PERMISSION_LEVELS)[number];
export const LEVEL_LABELS: Record<PermissionLevel, string> = {
  always_allow: 'Always allow',
  needs_approval: 'Needs approval',
  disabled: 'Disabled',
};

export const DEFAULT_PERMISSIONS: Record<ConfigurableTool, PermissionLevel> = {
  search_records: 'always_allow',
  get_record: 'always_allow',
  query_records: 'always_allow',
  describe_object: 'always_allow',
  create_record: 'needs_approval',
  update_record: 'needs_approval',
  delete_record: 'disabled',
};

export interface ConnectorSettings {
  connectionMethod: 'per_user' | 'shared';
  sharedConnectionId?: string;
  permissions: Record<ConfigurableTool, PermissionLevel>;
}

export interface AgentModel {
  provider: ModelProviderKind;
  modelId: string;
  providerId?: string;
}

export interface Agent {
  id: string;
  name: string;
  instructions: string;
  model: AgentModel;
  connector: ConnectorSettings;
  offeredTools: string[];
  createdBy: string;
  createdAt: string;
  updatedAt: string;
}

export interface AgentInput {
  name: string;
  instructions: string;
  model: AgentModel;
  connector: ConnectorSettings;
}

export interface ModelProvider {
  id: string;
  kind: ModelProviderKind;
  name: string;
  baseUrl: string | null;
  hasApiKey: boolean;
  createdAt: string;
}

export function useAgents() {
  return useQuery({
    queryKey: ['agents'],
    queryFn: () => api<{ agents: Agent[] }>('/agents'),
    select: (answer) => answer.agents,
  });
}

export function useAgent(id: string | undefined) {
  return useQuery({
    queryKey: ['agents', id],
    queryFn: () => api<{ agent: Agent }>(`/agents/${encodeURIComponent(id ?? '')}`),
    select: (answer) => answer.agent,
    enabled: id !== undefined,
  });
}

/** Admins only: members get a 403, so callers enable it for admins. */
export function useModelProviders(enabled = true) {
  return useQuery({
    queryKey: ['model-providers'],
    queryFn: () => api<{ providers: ModelProvider[]; environment: ModelProviderKind[] }>('/model-providers'),
    enabled,
  });
}

/** A connector with no tool left is the same as no connector: nothing reaches Salesforce. */
export function hasConnector(settings: ConnectorSettings): boolean {
  return (
    settings.connectionMethod === 'shared' ||
    CONFIGURABLE_TOOLS.some((tool) => settings.permissions[tool] !== 'disabled')
  );
}

export function noConnector(): ConnectorSettings {
  const permissions = { ...DEFAULT_PERMISSIONS };
  for (const tool of CONFIGURABLE_TOOLS) permissions[tool] = 'disabled';
  return { connectionMethod: 'per_user', permissions };
}
