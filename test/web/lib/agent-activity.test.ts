import { describe, expect, it } from 'vitest';
import { activityCsv, activityOutcome } from '../../../web/src/lib/agent-activity.ts';
import type { AuditEvent } from '../../../web/src/lib/types.ts';

/** The Activity tab's words for audit events, and its CSV export (quoted, formula-safe, no field values). */

function event(overrides: Partial<AuditEvent>): AuditEvent {
  return {
    id: 'e1',
    at: '2027-02-01T15:00:00.000Z',
    actorUserId: 'u1',
    connectionId: 'c1',
    surface: 'agent',
    action: 'agent.tool_call',
    outcome: 'success',
    errorCode: null,
    objectType: 'Account',
    recordIds: ['001000000000001AAA'],
    detail: { agentId: 'a1', conversationId: 'v1', tool: 'create_record', stepStatus: 'ok' },
    ...overrides,
  };
}

describe('activityOutcome', () => {
  it.each<[Partial<AuditEvent>, string]>([
    [{}, 'Ran'],
    [{ outcome: 'failure', detail: { stepStatus: 'no_output_data' } }, 'No output data'],
    [{ outcome: 'failure', detail: { stepStatus: 'error' } }, 'Failed'],
    [{ action: 'agent.tool_call.refused', outcome: 'denied' }, 'Refused'],
    [{ action: 'agent.approval.approved' }, 'Approved'],
    [{ action: 'agent.approval.rejected' }, 'Rejected'],
    [{ action: 'agent.approval.expired' }, 'Approval expired'],
  ])('%o → %s', (overrides, expected) => {
    expect(activityOutcome(event(overrides))).toBe(expected);
  });
});

describe('activityCsv', () => {
  it('quotes every cell and defuses spreadsheet formulas', () => {
    const csv = activityCsv(
      [event({}), event({ id: 'e2', action: 'agent.tool_call.refused', detail: { tool: 'delete_record' } })],
      (userId) => (userId === 'u1' ? '=HYPERLINK("x")' : 'Nobody'),
    );
    expect(csv.split('\r\n')).toEqual([
      '"Time","Person","Tool","Object","Record ids","Outcome","Error code","Conversation"',
      `"2027-02-01T15:00:00.000Z","'=HYPERLINK(""x"")","Create records","Account","001000000000001AAA","Ran","","v1"`,
      `"2027-02-01T15:00:00.000Z","'=HYPERLINK(""x"")","Delete records","Account","001000000000001AAA","Refused","",""`,
      '',
    ]);
  });
});
