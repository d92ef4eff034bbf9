import { describe, expect, it } from 'vitest';
import { auditActionOfTool, TOOL_AUDIT_POLICIES } from '../../../src/agent/tools/tool-audit.ts';
import { TOOL_NAMES } from '../../../src/agent/tools/tool-permissions.ts';
import { AUDIT_ACTIONS } from '../../../src/audit/audit-actions.ts';

describe('every agent tool declares its audit', () => {
  it('declares each tool once, with actions of the audit list', () => {
    expect(Object.keys(TOOL_AUDIT_POLICIES).sort()).toEqual([...TOOL_NAMES].sort());
    for (const policy of Object.values(TOOL_AUDIT_POLICIES)) {
      expect(policy.kind).toBe('audited');
      if (policy.kind === 'audited')
        for (const action of policy.actions) expect(AUDIT_ACTIONS).toContain(action);
    }
  });

  it('lets the dispatcher record what a tool declared, and refuses what it did not', () => {
    expect(auditActionOfTool('create_record', 'agent.approval.requested')).toBe('agent.approval.requested');
    expect(auditActionOfTool('next_page', 'agent.tool_call')).toBe('agent.tool_call');
    expect(() => auditActionOfTool('next_page', 'agent.approval.requested')).toThrow(/does not declare/);
    expect(() => auditActionOfTool('get_record', 'meeting.send')).toThrow(/does not declare/);
  });

  it('still records the refusal of a tool the model made up', () => {
    expect(auditActionOfTool('drop_database', 'agent.tool_call.refused')).toBe('agent.tool_call.refused');
  });
});
