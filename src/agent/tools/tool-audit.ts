import { type AuditAction, type AuditPolicy, audited } from '../../audit/audit-actions.ts';
import { TOOL_NAMES, type ToolName } from './tool-permissions.ts';

/** Every call of a tool the admin can set a level for: run, refused, or paused for a person's decision. */
const LEVELLED_TOOL_ACTIONS = [
  'agent.tool_call',
  'agent.tool_call.refused',
  'agent.approval.requested',
  'agent.approval.approved',
  'agent.approval.rejected',
  'agent.approval.refused',
  'agent.approval.expired',
] as const satisfies readonly AuditAction[];

/**
 * How each agent tool is audited, declared per tool like the API's endpoints: a tool added to
 * TOOL_NAMES without a line here does not compile, and the dispatcher refuses to record an action
 * its tool did not declare (auditActionOfTool).
 */
export const TOOL_AUDIT_POLICIES = {
  search_records: audited(...LEVELLED_TOOL_ACTIONS),
  get_record: audited(...LEVELLED_TOOL_ACTIONS),
  query_records: audited(...LEVELLED_TOOL_ACTIONS),
  describe_object: audited(...LEVELLED_TOOL_ACTIONS),
  create_record: audited(...LEVELLED_TOOL_ACTIONS),
  update_record: audited(...LEVELLED_TOOL_ACTIONS),
  delete_record: audited(...LEVELLED_TOOL_ACTIONS),
  // Continues a query or search already allowed: it has no level of its own, so no approval.
  next_page: audited('agent.tool_call', 'agent.tool_call.refused'),
} as const satisfies Record<ToolName, AuditPolicy>;

/**
 * The action to record for a step of `tool`, checked against the tool's declaration. A tool name
 * the model made up has no declaration; its refusal is still recorded.
 */
export function auditActionOfTool(tool: string, action: AuditAction): AuditAction {
  if (!(TOOL_NAMES as readonly string[]).includes(tool)) return action;
  const policy: AuditPolicy = TOOL_AUDIT_POLICIES[tool as ToolName];
  if (policy.kind === 'audited' && !policy.actions.includes(action)) {
    throw new Error(`The ${tool} tool does not declare the audit action ${action}`);
  }
  return action;
}
