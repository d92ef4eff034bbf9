import { z } from 'zod';
import { auditSuccess } from '../audit/audit-success.ts';
import type { AuditActor } from '../core/actor.ts';
import { conflict, notFound } from '../core/errors.ts';
import { newId } from '../core/ids.ts';
import type { Store } from '../store/database.ts';
import { type AccountDependencies, isUniqueViolation } from './types.ts';

export const groupNameSchema = z
  .string()
  .trim()
  .min(1, 'A group name is required.')
  .max(100, 'Group names are at most 100 characters.');

export interface Group {
  id: string;
  name: string;
  createdAt: string;
  /** Member user ids, oldest user first. */
  memberIds: string[];
}

export async function listGroups(store: Store): Promise<Group[]> {
  const groups = await store.db.selectFrom('groups').selectAll().orderBy('name').execute();
  const memberships = await store.db
    .selectFrom('group_members')
    .select(['group_id', 'user_id'])
    .orderBy('user_id')
    .execute();
  return groups.map((group) => ({
    id: group.id,
    name: group.name,
    createdAt: group.created_at,
    memberIds: memberships.filter((row) => row.group_id === group.id).map((row) => row.user_id),
  }));
}

export async function getGroup(store: Store, groupId: string): Promise<Group> {
  const group = await store.db.selectFrom('groups').selectAll().where('id', '=', groupId).executeTakeFirst();
  if (!group) throw notFound('That group');
  const members = await store.db
    .selectFrom('group_members')
    .select('user_id')
    .where('group_id', '=', groupId)
    .orderBy('user_id')
    .execute();
  return {
    id: group.id,
    name: group.name,
    createdAt: group.created_at,
    memberIds: members.map((row) => row.user_id),
  };
}

/** Runs a write that sets a group's name; a name another group has is a conflict. */
async function writeName(name: string, write: () => Promise<unknown>): Promise<void> {
  try {
    await write();
  } catch (error) {
    if (isUniqueViolation(error)) throw conflict(`A group named "${name}" already exists.`);
    throw error;
  }
}

export async function createGroup(
  dependencies: AccountDependencies,
  name: string,
  actor: AuditActor,
): Promise<Group> {
  const { store, audit, now } = dependencies;
  const at = now();
  const row = { id: newId(at), name, created_at: new Date(at).toISOString() };
  await writeName(name, () => store.db.insertInto('groups').values(row).execute());
  await auditSuccess(audit, actor, 'group.created', { groupId: row.id, name });
  return { id: row.id, name, createdAt: row.created_at, memberIds: [] };
}

export async function renameGroup(
  dependencies: AccountDependencies,
  groupId: string,
  name: string,
  actor: AuditActor,
): Promise<Group> {
  const { store, audit } = dependencies;
  const current = await getGroup(store, groupId);
  if (current.name === name) return current;
  await writeName(name, () =>
    store.db.updateTable('groups').set({ name }).where('id', '=', groupId).execute(),
  );
  await auditSuccess(audit, actor, 'group.renamed', { groupId, name, previousName: current.name });
  return { ...current, name };
}

export async function deleteGroup(
  dependencies: AccountDependencies,
  groupId: string,
  actor: AuditActor,
): Promise<void> {
  const { store, audit } = dependencies;
  const current = await getGroup(store, groupId);
  await store.db.transaction().execute(async (transaction) => {
    // Explicit rather than relying on ON DELETE CASCADE, which SQLite applies only with foreign keys on.
    await transaction.deleteFrom('group_members').where('group_id', '=', groupId).execute();
    await transaction.deleteFrom('groups').where('id', '=', groupId).execute();
  });
  await auditSuccess(audit, actor, 'group.deleted', { groupId, name: current.name });
}

async function assertUsersExist(store: Store, userIds: string[]): Promise<void> {
  if (userIds.length === 0) return;
  const rows = await store.db.selectFrom('users').select('id').where('id', 'in', userIds).execute();
  const found = new Set(rows.map((row) => row.id));
  const missing = userIds.find((userId) => !found.has(userId));
  if (missing !== undefined) throw notFound(`The user ${missing}`);
}

/** Replaces the group's members with exactly `userIds`. */
export async function setGroupMembers(
  dependencies: AccountDependencies,
  groupId: string,
  userIds: string[],
  actor: AuditActor,
): Promise<Group> {
  const { store, audit } = dependencies;
  await getGroup(store, groupId);
  const unique = [...new Set(userIds)];
  await assertUsersExist(store, unique);
  await store.db.transaction().execute(async (transaction) => {
    await transaction.deleteFrom('group_members').where('group_id', '=', groupId).execute();
    if (unique.length > 0) {
      await transaction
        .insertInto('group_members')
        .values(unique.map((userId) => ({ group_id: groupId, user_id: userId })))
        .execute();
    }
  });
  await auditSuccess(audit, actor, 'group.members_replaced', { groupId, memberCount: unique.length });
  return getGroup(store, groupId);
}

/** Adds one member; adding someone already in the group changes nothing. */
export async function addGroupMember(
  dependencies: AccountDependencies,
  groupId: string,
  userId: string,
  actor: AuditActor,
): Promise<Group> {
  const { store, audit } = dependencies;
  const group = await getGroup(store, groupId);
  await assertUsersExist(store, [userId]);
  if (group.memberIds.includes(userId)) return group;
  await store.db
    .insertInto('group_members')
    .values({ group_id: groupId, user_id: userId })
    .onConflict((builder) => builder.columns(['group_id', 'user_id']).doNothing())
    .execute();
  await auditSuccess(audit, actor, 'group.member_added', { groupId, userId });
  return getGroup(store, groupId);
}

export async function removeGroupMember(
  dependencies: AccountDependencies,
  groupId: string,
  userId: string,
  actor: AuditActor,
): Promise<Group> {
  const { store, audit } = dependencies;
  const group = await getGroup(store, groupId);
  if (!group.memberIds.includes(userId)) throw notFound('That member of the group');
  await store.db
    .deleteFrom('group_members')
    .where('group_id', '=', groupId)
    .where('user_id', '=', userId)
    .execute();
  await auditSuccess(audit, actor, 'group.member_removed', { groupId, userId });
  return getGroup(store, groupId);
}
