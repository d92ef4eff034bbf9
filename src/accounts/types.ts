import type { AuditAction } from '../audit/audit-actions.ts';
import type { AuditEventInput } from '../audit/audit-log.ts';
import type { AuditActor } from '../core/actor.ts';
import type { ServiceContext } from '../platform/service-context.ts';
import type { Role, UsersTable } from '../store/schema.ts';

/** What account operations need; the CLI builds one without the HTTP server's other parts. */
export type AccountDependencies = Pick<ServiceContext, 'store' | 'audit' | 'now'>;

/** Audits a successful account change made by `actor`. */
export async function auditSuccess(
  audit: AccountDependencies['audit'],
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

/** A user as the API shows it: never the password hash. */
export interface PublicUser {
  id: string;
  email: string;
  name: string;
  role: Role;
  createdAt: string;
  disabledAt: string | null;
}

export function toPublicUser(row: UsersTable): PublicUser {
  return {
    id: row.id,
    email: row.email,
    name: row.name,
    role: row.role,
    createdAt: row.created_at,
    disabledAt: row.disabled_at,
  };
}

/** Unique-constraint violations on both dialects (SQLite's message, PostgreSQL's SQLSTATE 23505). */
export function isUniqueViolation(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  if ((error as { code?: unknown }).code === '23505') return true;
  return /UNIQUE constraint failed/i.test(error.message);
}
