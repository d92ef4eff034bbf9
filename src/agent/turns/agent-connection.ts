import { findUsableConnection } from '../../connections/access.ts';
import type { Actor } from '../../core/actor.ts';
import { ServiceError } from '../../core/errors.ts';
import type { ServiceContext } from '../../platform/service-context.ts';
import type { Agent } from '../store/agent-store.ts';
import type { ConnectPrompt } from './chat-events.ts';

/** Which Salesforce connection a person's turn with an agent uses, and whether they may use it. */

/** A shared agent works only for the people its organization connection is shared with (403, audited). */
export async function checkSharedAccess(service: ServiceContext, user: Actor, agent: Agent): Promise<void> {
  if (agent.connector.connectionMethod !== 'shared') return;
  try {
    await findUsableConnection(service.store, user, agent.connector.sharedConnectionId ?? '');
  } catch (error) {
    if (!(error instanceof ServiceError && error.status === 404)) throw error;
    await service.audit.record({
      actorUserId: user.id,
      connectionId: agent.connector.sharedConnectionId ?? null,
      surface: 'agent',
      action: 'agent.connection.refused',
      outcome: 'denied',
      errorCode: 'connection_not_shared',
      detail: { agentId: agent.row.id },
    });
    throw new ServiceError(
      403,
      'connection_not_shared',
      'This agent uses an organization Salesforce connection that is not shared with you. Ask an admin to share it.',
    );
  }
}

/**
 * The connection of the turn: the shared one, or the person's newest active one (else why not).
 * `accessChecked` says whether this very read proved the person may use it: a personal connection
 * found here is theirs and active; a shared one is only named (its access is checked apart).
 */
export async function connectionFor(
  service: ServiceContext,
  user: Actor,
  agent: Agent,
): Promise<
  | { kind: 'ok'; connectionId: string; accessChecked: boolean }
  | { kind: 'connect'; reason: ConnectPrompt['reason'] }
> {
  if (agent.connector.connectionMethod === 'shared') {
    return { kind: 'ok', connectionId: agent.connector.sharedConnectionId ?? '', accessChecked: false };
  }
  const rows = await service.store.db
    .selectFrom('connections')
    .select(['id', 'status'])
    .where('kind', '=', 'personal')
    .where('created_by', '=', user.id)
    .where('status', '!=', 'revoked')
    .orderBy('id', 'desc')
    .execute();
  const active = rows.find((row) => row.status === 'active');
  if (active) return { kind: 'ok', connectionId: active.id, accessChecked: true };
  return { kind: 'connect', reason: rows.length > 0 ? 'needs_reconnect' : 'no_connection' };
}
