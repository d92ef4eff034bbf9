/**
 * Every action the audit log can record, in one place: `area.verb`. Recording an action that is
 * not listed here is a type error, and so is declaring a route or tool audited by one.
 */
export const AUDIT_ACTIONS = [
  'auth.login.succeeded',
  'auth.login.failed',
  'auth.login.locked',
  'auth.login.denied',
  'auth.logout',
  'user.created',
  'user.updated',
  'user.disabled',
  'user.enabled',
  'user.password_changed',
  'user.password_reset',
  'api_key.created',
  'api_key.revoked',
  'group.created',
  'group.renamed',
  'group.deleted',
  'group.member_added',
  'group.member_removed',
  'group.members_replaced',
  'connection.created',
  'connection.reconnected',
  'connection.shared',
  'connection.checked',
  'connection.refreshed',
  'connection.needs_reconnect',
  'connection.disconnected',
  'vault.keys_rotated',
  'meeting.created',
  'meeting.imported',
  'meeting.summarised',
  'meeting.item_reviewed',
  'meeting.intake',
  'meetings.intake_secret_rotated',
  'meetings.summary_model_changed',
  'meeting.shared',
  'meeting.deleted',
  'meeting.send',
  'meeting.send.replayed',
  'meeting.send.resolved',
  'meetings.settings_changed',
  'agent.created',
  'agent.updated',
  'agent.deleted',
  'model_provider.created',
  'model_provider.deleted',
  'model_provider.tested',
  'agent.tool_call',
  'agent.tool_call.refused',
  'agent.connection.refused',
  'agent.approval.requested',
  'agent.approval.approved',
  'agent.approval.rejected',
  'agent.approval.refused',
  'agent.approval.expired',
  // The MCP authorization server (src/mcp/oauth-routes.ts; pre-registration: `forcefield mcp register-client`).
  'mcp.client.registered',
  'mcp.consent.granted',
  'mcp.consent.denied',
  'mcp.token.issued',
  'mcp.token.refreshed',
  'mcp.token.revoked',
  'mcp.token.refused',
  // Recorded by the Salesforce adapter itself for writes declared `{ kind: 'audit' }`.
  'salesforce.record.created',
  'salesforce.record.updated',
  'salesforce.record.deleted',
  'salesforce.composite',
] as const;

export type AuditAction = (typeof AUDIT_ACTIONS)[number];

/**
 * How an endpoint, command or tool is audited — declared where it is defined, never implied:
 * `audited(...)` names the actions it records; `noAudit(why)` says why it records none.
 */
export type AuditPolicy =
  | { kind: 'audited'; actions: readonly AuditAction[] }
  | { kind: 'no-audit'; reason: string };

export function audited(...actions: [AuditAction, ...AuditAction[]]): AuditPolicy {
  return { kind: 'audited', actions };
}

export function noAudit(reason: string): AuditPolicy {
  if (reason.trim().length < 8) throw new Error('noAudit needs a real reason');
  return { kind: 'no-audit', reason };
}
