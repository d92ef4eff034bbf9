import { type Agent, TOOL_LABELS } from './agents.ts';
import { api } from './api.ts';
import type { AuditEvent } from './types.ts';

/** An agent's trail, read from the audit API (never field values: the audit holds none). */

export const ACTIVITY_OUTCOMES: Record<string, string> = {
  'agent.tool_call': 'Ran',
  'agent.tool_call.refused': 'Refused',
  'agent.connection.refused': 'No connection',
  'agent.approval.requested': 'Approval requested',
  'agent.approval.approved': 'Approved',
  'agent.approval.rejected': 'Rejected',
  'agent.approval.refused': 'Decision refused',
  'agent.approval.expired': 'Approval expired',
};

export function activityOutcome(event: AuditEvent): string {
  const base = ACTIVITY_OUTCOMES[event.action] ?? event.action;
  if (event.action === 'agent.tool_call' && event.outcome !== 'success') {
    return event.detail.stepStatus === 'no_output_data' ? 'No output data' : 'Failed';
  }
  return base;
}

export function toolLabel(event: AuditEvent): string {
  const tool = typeof event.detail.tool === 'string' ? event.detail.tool : '';
  if (tool === 'next_page') return 'Next page';
  return TOOL_LABELS[tool as keyof typeof TOOL_LABELS] ?? (tool || '—');
}

/** One page of the agent's events: admins get everyone's, a member their own (the server decides). */
export async function fetchActivityPage(
  agent: Agent,
  filters: { actorUserId?: string; cursor?: string; limit: number },
): Promise<{ events: AuditEvent[]; nextCursor: string | null }> {
  const query: Record<string, string> = { surface: 'agent', limit: String(filters.limit) };
  if (filters.actorUserId) query.actorUserId = filters.actorUserId;
  if (filters.cursor) query.cursor = filters.cursor;
  return api<{ events: AuditEvent[]; nextCursor: string | null }>(
    `/agents/${encodeURIComponent(agent.id)}/activity`,
    { query },
  );
}

function csvCell(value: string): string {
  // Quote every cell; a leading = + - @ would be run as a formula by spreadsheets.
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return `"${safe.replaceAll('"', '""')}"`;
}

export function activityCsv(events: AuditEvent[], nameOf: (userId: string | null) => string): string {
  const header = ['Time', 'Person', 'Tool', 'Object', 'Record ids', 'Outcome', 'Error code', 'Conversation'];
  const lines = events.map((event) =>
    [
      event.at,
      nameOf(event.actorUserId),
      toolLabel(event),
      event.objectType ?? '',
      event.recordIds.join(' '),
      activityOutcome(event),
      event.errorCode ?? '',
      typeof event.detail.conversationId === 'string' ? event.detail.conversationId : '',
    ]
      .map(csvCell)
      .join(','),
  );
  return `${[header.map(csvCell).join(','), ...lines].join('\r\n')}\r\n`;
}
