/** A send as the API shows it, from its journal row. */
import type { Selectable } from 'kysely';
import type { MeetingSendsTable } from '../../store/schema.ts';

export interface SendView {
  id: string;
  kind: string;
  object: string;
  status: 'pending' | 'unknown' | 'succeeded' | 'failed';
  salesforceId: string | null;
  url: string | null;
  record: { type: string; id: string };
  sentBy: { id: string; name: string | null; email: string | null };
  sentAt: string;
  completedAt: string | null;
  errorCode: string | null;
}

export function sendViewOf(
  row: Selectable<MeetingSendsTable>,
  sender?: { name: string; email: string } | null,
): SendView {
  return {
    id: row.id,
    kind: row.kind,
    object: row.object_type,
    status: row.status,
    salesforceId: row.salesforce_id,
    url: row.salesforce_url,
    record: { type: row.record_type, id: row.record_id },
    sentBy: { id: row.user_id, name: sender?.name ?? null, email: sender?.email ?? null },
    sentAt: row.first_sent_at,
    completedAt: row.completed_at,
    errorCode: row.error_code,
  };
}
