import type { AuditAction } from '../../audit/audit-actions.ts';
import type { AuditOutcome } from '../../store/schema.ts';
import { auditActionOfTool } from '../tools/tool-audit.ts';
import type { LiveStep } from '../turns/steps.ts';
import { callOrigin, type DispatchContext } from './dispatch-context.ts';

/** The audit event of one tool call (or of a decision on it): who, which agent and conversation, how it ended. */
export async function auditToolCall(
  context: Pick<
    DispatchContext,
    'audit' | 'userId' | 'connectionId' | 'agent' | 'conversationId' | 'surface' | 'clientName'
  >,
  step: LiveStep,
  action: AuditAction,
  outcome: AuditOutcome,
  errorCode: string | null,
): Promise<void> {
  const origin = callOrigin(context);
  await context.audit.record({
    actorUserId: context.userId,
    connectionId: context.connectionId,
    surface: origin.surface,
    action: auditActionOfTool(step.tool, action),
    objectType: step.objectType,
    recordIds: step.recordIds,
    outcome,
    errorCode,
    detail: {
      agentId: context.agent.row.id,
      conversationId: context.conversationId,
      tool: step.tool,
      stepStatus: step.status,
      durationMs: step.durationMs,
      ...(step.approvalId ? { approvalId: step.approvalId } : {}),
      ...origin.clientDetail,
    },
  });
}
