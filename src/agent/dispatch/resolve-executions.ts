import { getUserRow } from '../../accounts/users.ts';
import { salesforceClientFor } from '../../connections/connection-client.ts';
import type { Actor } from '../../core/actor.ts';
import type { ServiceContext } from '../../platform/service-context.ts';
import type { AgentApprovalsTable } from '../../store/agent-tables.ts';
import {
  abandonedExecutions,
  finishExecution,
  openSealedCall,
  takeOverExecution,
} from '../store/approval-store.ts';
import type { ConversationStore } from '../store/conversation-store.ts';
import type { StepStatus } from '../turns/steps.ts';
import { afterLookup, nextResolverAction } from './approval-execution.ts';
import { lookUpExecution } from './look-up-execution.ts';

/**
 * The resolver of approved calls whose instance died (or stalled past its lease): run by every
 * instance at start and then periodically, safe to run concurrently — each move is a
 * compare-and-set (approval-execution.ts). It never sends a call: it expires one that had not left,
 * and looks up one that may have.
 */

export interface ResolverContext {
  service: Pick<
    ServiceContext,
    'store' | 'audit' | 'vault' | 'logger' | 'now' | 'salesforce' | 'salesforceSessions'
  >;
  conversations: ConversationStore;
  leaseMs: number;
}

type Final = Parameters<typeof finishExecution>[2];

/** Resolves what can be resolved now; answers how many executions it finished. */
export async function resolveAbandonedExecutions(context: ResolverContext): Promise<number> {
  const now = context.service.now();
  const rows = await abandonedExecutions(context.service.store, now);
  let finished = 0;
  for (const row of rows) {
    try {
      if (await resolveExecution(context, row, now)) finished++;
    } catch (error) {
      // Salesforce unreachable, the connection unusable…: the lease runs out again and it is retried.
      context.service.logger.warn(
        { approvalId: row.id, errorName: error instanceof Error ? error.name : typeof error },
        'could not resolve an interrupted agent call yet',
      );
    }
  }
  return finished;
}

async function resolveExecution(
  context: ResolverContext,
  row: AgentApprovalsTable,
  now: number,
): Promise<boolean> {
  const leaseUntil = row.execution_lease_until;
  const action = nextResolverAction(
    {
      toolName: row.tool_name,
      execution: row.execution,
      leaseUntil: leaseUntil ? Date.parse(leaseUntil) : null,
    },
    now,
  );
  const seen = { leaseUntil: leaseUntil ?? '' };
  switch (action.action) {
    case 'done':
    case 'wait':
      return false;
    case 'expire':
      return finishAndRecord(
        context,
        row,
        { state: 'not_executed', recordIds: [], errorCode: 'not_executed' },
        {
          states: ['claimed'],
          ...seen,
        },
      );
    case 'abandon':
      return finishAndRecord(
        context,
        row,
        { state: 'failed', recordIds: [], errorCode: 'interrupted' },
        {
          states: ['sending', 'resolving'],
          ...seen,
        },
      );
    case 'look-up':
      return lookUpAndRecord(context, row, now);
  }
}

async function lookUpAndRecord(
  context: ResolverContext,
  row: AgentApprovalsTable,
  now: number,
): Promise<boolean> {
  const { service } = context;
  const lease = await takeOverExecution(service.store, row, now + context.leaseMs);
  if (!lease) return false;
  const call = openSealedCall(service.vault, row);
  if (!call) {
    // The key that sealed it is gone: nobody can tell what was sent. Said so, never guessed.
    return finishAndRecord(
      context,
      row,
      { state: 'failed', recordIds: [], errorCode: 'lookup_impossible' },
      {
        states: ['resolving'],
        leaseUntil: lease,
      },
    );
  }
  const user = await getUserRow(service.store, row.user_id);
  const actor: Actor = {
    id: user.id,
    email: user.email,
    name: user.name,
    role: user.role,
    surface: 'agent',
    sessionId: null,
  };
  const client = await salesforceClientFor(service, actor, row.connection_id, 'agent');
  const connection = await service.store.db
    .selectFrom('connections')
    .select('salesforce_user_id')
    .where('id', '=', row.connection_id)
    .executeTakeFirstOrThrow();
  const startedAt = Date.parse(row.execution_started_at ?? row.decided_at ?? row.created_at);
  const found = await lookUpExecution({
    client,
    call,
    // The request could commit from when it was about to leave until its holder's lease ran out.
    window: { from: new Date(startedAt), to: new Date(Date.parse(row.execution_lease_until ?? '') || now) },
    connectedUserId: connection.salesforce_user_id,
  });
  return finishAndRecord(context, row, afterLookup(found), { states: ['resolving'], leaseUntil: lease });
}

/** Writes the final state; the one resolver that wrote it audits it and fixes the step's stored outline. */
async function finishAndRecord(
  context: ResolverContext,
  row: AgentApprovalsTable,
  final: Final,
  from: Parameters<typeof finishExecution>[3],
): Promise<boolean> {
  const { service, conversations } = context;
  if (!(await finishExecution(service.store, row.id, final, from))) return false;
  const status: StepStatus =
    final.state === 'executed'
      ? 'ok'
      : final.errorCode === 'not_executed' && from.states[0] === 'claimed'
        ? 'expired'
        : 'error';
  await service.audit.record({
    actorUserId: row.user_id,
    connectionId: row.connection_id,
    surface: 'agent',
    action: 'agent.tool_call',
    objectType: row.object_type,
    recordIds: final.recordIds,
    outcome: final.state === 'executed' ? 'success' : 'failure',
    errorCode: final.errorCode,
    detail: {
      agentId: row.agent_id,
      conversationId: row.conversation_id,
      tool: row.tool_name,
      stepStatus: status,
      approvalId: row.id,
      resolvedBy: 'resolver',
    },
  });
  await conversations.setStepOutcome(row.message_id, row.tool_call_id, {
    status,
    recordIds: final.recordIds,
    ...(final.errorCode
      ? { code: final.errorCode, reason: RESOLVED_REASONS[final.errorCode] ?? 'The action was interrupted.' }
      : {}),
  });
  return true;
}

const RESOLVED_REASONS: Record<string, string> = {
  not_executed: 'The action was interrupted before it reached Salesforce, so it did not happen.',
  interrupted: 'The action was interrupted; it changed nothing.',
  lookup_impossible: 'The action was interrupted and could not be checked in Salesforce.',
};
