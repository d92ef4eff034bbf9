import type { AuditActor } from '../core/actor.ts';
import type { AuditAction } from './audit-actions.ts';
import type { AuditEventInput, AuditLog } from './audit-log.ts';

/** Audits a successful change made by `actor` (no connection, no Salesforce records involved). */
export async function auditSuccess(
  audit: Pick<AuditLog, 'record'>,
  actor: AuditActor,
  action: AuditAction,
  detail: AuditEventInput['detail'],
): Promise<void> {
  await audit.record({
    actorUserId: actor.userId,
    surface: actor.surface,
    action,
    outcome: 'success',
    detail,
  });
}
