import { z } from 'zod';
import type { AuditAction } from '../../audit/audit-actions.ts';
import { findUsableConnection } from '../../connections/access.ts';
import type { Actor } from '../../core/actor.ts';
import { badRequest, notFound, ServiceError } from '../../core/errors.ts';
import { newId } from '../../core/ids.ts';
import type { ServiceContext } from '../../platform/service-context.ts';
import type { AgentsTable } from '../../store/agent-tables.ts';
import type { AuditSurface } from '../../store/schema.ts';
import { type AgentModelSettings, agentModelSchema } from '../models/language-model.ts';
import {
  type ConnectorSettings,
  connectorSettingsSchema,
  defaultConnectorSettings,
  toolsOfferedToModel,
} from '../tools/tool-permissions.ts';

/** Agents: admins create and edit them; every member can list them and chat with them. */

export const agentInputSchema = z.strictObject({
  name: z.string().trim().min(1).max(100),
  instructions: z.string().max(20_000).default(''),
  model: agentModelSchema,
  connector: connectorSettingsSchema.default(defaultConnectorSettings()),
});

export interface AgentView {
  id: string;
  name: string;
  instructions: string;
  model: AgentModelSettings;
  connector: ConnectorSettings;
  /** The tools the model is offered under these settings. */
  offeredTools: string[];
  createdBy: string;
  createdAt: string;
  updatedAt: string;
}

export interface Agent {
  row: AgentsTable;
  model: AgentModelSettings;
  connector: ConnectorSettings;
}

export function parseAgentRow(row: AgentsTable): Agent {
  return {
    row,
    model: {
      provider: row.model_provider,
      modelId: row.model_id,
      ...(row.model_provider_id ? { providerId: row.model_provider_id } : {}),
    },
    // Parsed again on every read: settings written by an older version get today's defaults.
    connector: connectorSettingsSchema.parse(JSON.parse(row.connector)),
  };
}

export function toAgentView(agent: Agent): AgentView {
  return {
    id: agent.row.id,
    name: agent.row.name,
    instructions: agent.row.instructions,
    model: agent.model,
    connector: agent.connector,
    offeredTools: toolsOfferedToModel(agent.connector),
    createdBy: agent.row.created_by,
    createdAt: agent.row.created_at,
    updatedAt: agent.row.updated_at,
  };
}

export async function findAgent(service: ServiceContext, id: string): Promise<Agent> {
  const row = await service.store.db.selectFrom('agents').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row) throw notFound('Agent');
  return parseAgentRow(row);
}

export async function listAgents(service: ServiceContext): Promise<AgentView[]> {
  const rows = await service.store.db.selectFrom('agents').selectAll().orderBy('id').execute();
  return rows.map((row) => toAgentView(parseAgentRow(row)));
}

/** The settings must point at things that exist: an organization connection, a provider of the right kind. */
async function checkReferences(
  service: ServiceContext,
  admin: Actor,
  input: z.output<typeof agentInputSchema>,
): Promise<void> {
  if (input.connector.connectionMethod === 'shared') {
    const connectionId = input.connector.sharedConnectionId ?? '';
    let kind: string | undefined;
    try {
      kind = (await findUsableConnection(service.store, admin, connectionId)).kind;
    } catch (error) {
      if (!(error instanceof ServiceError && error.status === 404)) throw error;
    }
    if (kind !== 'organization') {
      throw badRequest('connector.sharedConnectionId: choose an active organization connection.');
    }
  }
  if (input.model.providerId) {
    const provider = await service.store.db
      .selectFrom('model_providers')
      .select(['kind'])
      .where('id', '=', input.model.providerId)
      .executeTakeFirst();
    if (!provider) throw badRequest('model.providerId: no such model provider.');
    if (provider.kind !== input.model.provider) {
      throw badRequest(`model.providerId: that provider is ${provider.kind}, not ${input.model.provider}.`);
    }
  }
}

/** The columns an admin's input sets, on creation and on every update. */
function agentColumns(input: z.output<typeof agentInputSchema>) {
  return {
    name: input.name,
    instructions: input.instructions,
    model_provider: input.model.provider,
    model_id: input.model.modelId,
    model_provider_id: input.model.providerId ?? null,
    connector: JSON.stringify(input.connector),
  };
}

export async function createAgent(
  service: ServiceContext,
  admin: Actor,
  surface: AuditSurface,
  input: z.output<typeof agentInputSchema>,
): Promise<AgentView> {
  await checkReferences(service, admin, input);
  const now = service.now();
  const at = new Date(now).toISOString();
  const row: AgentsTable = {
    id: newId(now),
    ...agentColumns(input),
    created_by: admin.id,
    created_at: at,
    updated_at: at,
  };
  await service.store.db.insertInto('agents').values(row).execute();
  await auditAgent(service, admin, surface, 'agent.created', row.id, input.connector);
  return toAgentView(parseAgentRow(row));
}

export async function updateAgent(
  service: ServiceContext,
  admin: Actor,
  surface: AuditSurface,
  id: string,
  input: z.output<typeof agentInputSchema>,
): Promise<AgentView> {
  await findAgent(service, id);
  await checkReferences(service, admin, input);
  const updatedAt = new Date(service.now()).toISOString();
  await service.store.db
    .updateTable('agents')
    .set({ ...agentColumns(input), updated_at: updatedAt })
    .where('id', '=', id)
    .execute();
  await auditAgent(service, admin, surface, 'agent.updated', id, input.connector);
  return toAgentView(await findAgent(service, id));
}

export async function deleteAgent(
  service: ServiceContext,
  admin: Actor,
  surface: AuditSurface,
  id: string,
): Promise<void> {
  const deleted = await service.store.db.deleteFrom('agents').where('id', '=', id).executeTakeFirst();
  if (Number(deleted.numDeletedRows) === 0) throw notFound('Agent');
  await service.audit.record({
    actorUserId: admin.id,
    surface,
    action: 'agent.deleted',
    outcome: 'success',
    detail: { agentId: id },
  });
}

async function auditAgent(
  service: ServiceContext,
  admin: Actor,
  surface: AuditSurface,
  action: AuditAction,
  agentId: string,
  connector: ConnectorSettings,
): Promise<void> {
  await service.audit.record({
    actorUserId: admin.id,
    connectionId: connector.sharedConnectionId ?? null,
    surface,
    action,
    outcome: 'success',
    // The permission levels, one key per tool: who allowed what is part of the trail.
    detail: { agentId, connectionMethod: connector.connectionMethod, ...connector.permissions },
  });
}
