import type { Config } from '../core/config.ts';
import type { ServiceContext } from '../platform/service-context.ts';
import type { Role, UsersTable } from '../store/schema.ts';

/** What account operations need; the CLI builds one without the HTTP server's other parts. */
export type AccountDependencies = Pick<ServiceContext, 'store' | 'audit' | 'now'> & {
  /** PASSWORD_HASH_COST for new password hashes; without it, the production default. */
  config?: Pick<Config, 'PASSWORD_HASH_COST'>;
};

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
