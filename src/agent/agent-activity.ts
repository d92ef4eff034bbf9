import type { z } from 'zod';
import { type AuditQuery, auditQuerySchema } from '../audit/audit-log.ts';
import type { Actor } from '../core/actor.ts';
import type { ServiceContext } from '../platform/service-context.ts';
import { findAgent } from './store/agent-store.ts';

/**
 * An agent's Activity: its tool calls, refusals, approval decisions and setting changes, from the
 * audit log (who, when, tool, object, record ids, outcome — never field values). Admins see
 * everyone's; a member sees only their own rows, whatever filter they send.
 */

export const agentActivityQuerySchema = auditQuerySchema.omit({ agentId: true, connectionId: true });
export type AgentActivityQuery = z.infer<typeof agentActivityQuerySchema>;

async function activityFilters(
  service: ServiceContext,
  user: Actor,
  agentId: string,
  filters: AgentActivityQuery,
): Promise<AuditQuery> {
  const agent = await findAgent(service, agentId);
  return {
    ...filters,
    agentId: agent.row.id,
    ...(user.role === 'admin' ? {} : { actorUserId: user.id }),
  };
}

export async function agentActivity(
  service: ServiceContext,
  user: Actor,
  agentId: string,
  filters: AgentActivityQuery,
) {
  return service.audit.query(await activityFilters(service, user, agentId, filters));
}

/** Every matching row as JSON lines, oldest first (the Activity tab's export). */
export async function agentActivityExport(
  service: ServiceContext,
  user: Actor,
  agentId: string,
  filters: AgentActivityQuery,
): Promise<AsyncGenerator<string>> {
  const { cursor: _cursor, limit: _limit, ...rest } = await activityFilters(service, user, agentId, filters);
  return service.audit.exportLines(rest);
}
