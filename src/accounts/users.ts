import { z } from 'zod';
import { auditSuccess } from '../audit/audit-success.ts';
import type { AuditActor } from '../core/actor.ts';
import { conflict, notFound } from '../core/errors.ts';
import { newId } from '../core/ids.ts';
import type { Store } from '../store/database.ts';
import type { Role, UsersTable } from '../store/schema.ts';
import { hashPassword, verifyPassword } from './passwords.ts';
import { type AccountDependencies, isUniqueViolation, type PublicUser, toPublicUser } from './types.ts';

/** Emails are compared case-insensitively: stored trimmed and lowercased. */
export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}

export const emailSchema = z
  .string()
  .max(254, 'Email addresses are at most 254 characters.')
  .transform(normalizeEmail)
  .pipe(z.email('Enter a valid email address.'));

export const nameSchema = z
  .string()
  .trim()
  .min(1, 'A name is required.')
  .max(200, 'Names are at most 200 characters.');

export const roleSchema = z.enum(['member', 'admin']);

export interface NewUser {
  email: string;
  name: string;
  role: Role;
  /** Already validated against newPasswordSchema by the caller's edge. */
  password: string;
}

export async function createUser(
  dependencies: AccountDependencies,
  input: NewUser,
  actor: AuditActor,
): Promise<PublicUser> {
  const { store, audit, now, config } = dependencies;
  const email = normalizeEmail(input.email);
  if (await findUserByEmail(store, email)) throw conflict(`A user with the email ${email} already exists.`);
  const passwordHash = await hashPassword(input.password, config?.PASSWORD_HASH_COST);
  const at = now();
  const row: UsersTable = {
    id: newId(at),
    email,
    name: input.name,
    password_hash: passwordHash,
    role: input.role,
    created_at: new Date(at).toISOString(),
    disabled_at: null,
  };
  try {
    await store.db.insertInto('users').values(row).execute();
  } catch (error) {
    // Two creations of the same email at once: the unique index decides.
    if (isUniqueViolation(error)) throw conflict(`A user with the email ${email} already exists.`);
    throw error;
  }
  await auditSuccess(audit, actor, 'user.created', { userId: row.id, email, role: row.role });
  return toPublicUser(row);
}

export async function findUserByEmail(store: Store, email: string): Promise<UsersTable | undefined> {
  return store.db
    .selectFrom('users')
    .selectAll()
    .where('email', '=', normalizeEmail(email))
    .executeTakeFirst();
}

export async function getUserRow(store: Store, userId: string): Promise<UsersTable> {
  const row = await store.db.selectFrom('users').selectAll().where('id', '=', userId).executeTakeFirst();
  if (!row) throw notFound('That user');
  return row;
}

/** Every user, oldest first (ids sort by creation time). */
export async function listUsers(store: Store): Promise<PublicUser[]> {
  const rows = await store.db.selectFrom('users').selectAll().orderBy('id').execute();
  return rows.map(toPublicUser);
}

export async function countUsers(store: Store): Promise<number> {
  const result = await store.db
    .selectFrom('users')
    .select((builder) => builder.fn.countAll<number | string>().as('count'))
    .executeTakeFirstOrThrow();
  // PostgreSQL returns bigint counts as strings.
  return Number(result.count);
}

export interface UserChanges {
  name?: string;
  role?: Role;
  disabled?: boolean;
  /** A new password set by an admin (validated by the caller's edge). */
  password?: string;
}

/**
 * Changes a user. Disabling, or a new password, ends the user's sessions at once; API keys of a
 * disabled user are refused by the authentication middleware (and work again if re-enabled).
 */
export async function updateUser(
  dependencies: AccountDependencies,
  userId: string,
  changes: UserChanges,
  actor: AuditActor,
): Promise<PublicUser> {
  const { store, audit, now, config } = dependencies;
  const current = await getUserRow(store, userId);
  const at = new Date(now()).toISOString();
  const update: Partial<UsersTable> = {};
  if (changes.name !== undefined && changes.name !== current.name) update.name = changes.name;
  if (changes.role !== undefined && changes.role !== current.role) update.role = changes.role;
  if (changes.disabled === true && current.disabled_at === null) update.disabled_at = at;
  if (changes.disabled === false && current.disabled_at !== null) update.disabled_at = null;
  if (changes.password !== undefined)
    update.password_hash = await hashPassword(changes.password, config?.PASSWORD_HASH_COST);

  const losesAdmin =
    current.role === 'admin' &&
    current.disabled_at === null &&
    (update.role === 'member' || update.disabled_at);
  if (losesAdmin && (await countActiveAdmins(store)) <= 1) {
    throw conflict('The workspace needs at least one active admin: make someone else an admin first.');
  }
  if (Object.keys(update).length === 0) return toPublicUser(current);

  await store.db.transaction().execute(async (transaction) => {
    await transaction.updateTable('users').set(update).where('id', '=', userId).execute();
    if (update.disabled_at || update.password_hash) {
      await transaction.deleteFrom('sessions').where('user_id', '=', userId).execute();
    }
  });
  const changed = Object.keys(update).filter((key) => key !== 'password_hash' && key !== 'disabled_at');
  if (changed.length > 0) {
    await auditSuccess(audit, actor, 'user.updated', {
      userId,
      changed: changed.join(','),
      ...(update.role ? { role: update.role } : {}),
    });
  }
  if ('disabled_at' in update) {
    await auditSuccess(audit, actor, update.disabled_at ? 'user.disabled' : 'user.enabled', { userId });
  }
  if (update.password_hash) {
    await auditSuccess(audit, actor, 'user.password_reset', { userId });
  }
  return toPublicUser({ ...current, ...update });
}

async function countActiveAdmins(store: Store): Promise<number> {
  const result = await store.db
    .selectFrom('users')
    .select((builder) => builder.fn.countAll<number | string>().as('count'))
    .where('role', '=', 'admin')
    .where('disabled_at', 'is', null)
    .executeTakeFirstOrThrow();
  return Number(result.count);
}

/**
 * A user changes their own password: the current one must be right. Every other session of theirs
 * ends (the one making the change stays).
 */
export async function changeOwnPassword(
  dependencies: AccountDependencies,
  userId: string,
  change: { currentPassword: string; newPassword: string; keepSessionId: string | null },
  actor: AuditActor,
): Promise<boolean> {
  const { store, audit, config } = dependencies;
  const current = await getUserRow(store, userId);
  if (!(await verifyPassword(change.currentPassword, current.password_hash))) {
    await audit.record({
      actorUserId: actor.userId,
      surface: actor.surface,
      action: 'user.password_changed',
      outcome: 'failure',
      errorCode: 'invalid_credentials',
      detail: { userId },
    });
    return false;
  }
  const passwordHash = await hashPassword(change.newPassword, config?.PASSWORD_HASH_COST);
  await store.db.transaction().execute(async (transaction) => {
    await transaction
      .updateTable('users')
      .set({ password_hash: passwordHash })
      .where('id', '=', userId)
      .execute();
    let sessions = transaction.deleteFrom('sessions').where('user_id', '=', userId);
    if (change.keepSessionId) sessions = sessions.where('id', '!=', change.keepSessionId);
    await sessions.execute();
  });
  await auditSuccess(audit, actor, 'user.password_changed', { userId });
  return true;
}
