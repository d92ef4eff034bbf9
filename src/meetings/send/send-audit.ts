/** The audit rows of meeting sends: every attempt, replay and resolution, with its real outcome. */
import type { AuditEventInput } from '../../audit/audit-log.ts';
import type { AuditSurface } from '../../store/schema.ts';
import type { MeetingContext } from '../meeting-runtime.ts';
import type { SendRow } from './send-journal.ts';

/** Who a send is audited as. */
export interface SendAuditActor {
  actorUserId: string;
  surface: AuditSurface;
  /** The person sending (the row's user), so a completed send is answered without reading it back. */
  sender?: { name: string; email: string };
}

export type AuditedSendRow = Pick<
  SendRow,
  'id' | 'meeting_id' | 'item_id' | 'kind' | 'record_type' | 'connection_id' | 'object_type'
>;

type SendAuditAction = 'meeting.send' | 'meeting.send.replayed' | 'meeting.send.resolved';
type SendAuditExtra = { recordIds?: string[]; errorCode?: string | null; attempt?: number };

export async function auditSend(
  service: MeetingContext,
  actor: SendAuditActor,
  action: SendAuditAction,
  row: AuditedSendRow,
  outcome: 'success' | 'failure',
  extra: SendAuditExtra = {},
): Promise<void> {
  await service.audit.record(sendAuditEvent(actor, action, row, outcome, extra));
}

/** The audit event of a send, for AuditLog.record or, inside a journal transaction, recordWithin. */
export function sendAuditEvent(
  actor: SendAuditActor,
  action: SendAuditAction,
  row: AuditedSendRow,
  outcome: 'success' | 'failure',
  extra: SendAuditExtra = {},
): AuditEventInput {
  return {
    actorUserId: actor.actorUserId,
    connectionId: row.connection_id,
    surface: actor.surface,
    action,
    objectType: row.object_type,
    recordIds: extra.recordIds ?? [],
    outcome,
    errorCode: extra.errorCode ?? null,
    detail: {
      meetingId: row.meeting_id,
      itemId: row.item_id,
      sendId: row.id,
      kind: row.kind,
      recordType: row.record_type,
      ...(extra.attempt !== undefined ? { attempt: extra.attempt } : {}),
    },
  };
}
