import { z } from 'zod';
import { auditSuccess } from '../audit/audit-success.ts';
import type { AuditActor } from '../core/actor.ts';
import { notFound } from '../core/errors.ts';
import { newId } from '../core/ids.ts';
import type { Store } from '../store/database.ts';
import type { ApiKeysTable, Role, UsersTable } from '../store/schema.ts';
import { JOINED_USER_COLUMNS, userOfJoinedRow } from './joined-user.ts';
import { randomToken, sha256Hex } from './secrets.ts';
import type { AccountDependencies } from './types.ts';

export const API_KEY_PREFIX = 'ff_';
/** `ff_` and the base64url of 32 random bytes (43 characters). */
const API_KEY_PATTERN = /^ff_[A-Za-z0-9_-]{43}$/;
/** How many leading characters of a key are kept, to recognise it in a list. */
const SHOWN_PREFIX_LENGTH = 8;
/** last_used_at is written at most this often, not on every request. */
const LAST_USED_INTERVAL_MS = 60 * 1000;

export const apiKeyNameSchema = z
  .string()
  .trim()
  .min(1, 'Give the key a name (what will use it).')
  .max(100, 'Key names are at most 100 characters.');

export interface ApiKeySummary {
  id: string;
  name: string;
  prefix: string;
  createdAt: string;
  lastUsedAt: string | null;
}

function toSummary(row: ApiKeysTable): ApiKeySummary {
  return {
    id: row.id,
    name: row.name,
    prefix: row.prefix,
    createdAt: row.created_at,
    lastUsedAt: row.last_used_at,
  };
}

/** Creates a key for `userId`. The key itself is in the result only: it is never stored or shown again. */
export async function createApiKey(
  dependencies: AccountDependencies,
  userId: string,
  name: string,
  actor: AuditActor,
): Promise<ApiKeySummary & { key: string }> {
  const { store, audit, now } = dependencies;
  const key = API_KEY_PREFIX + randomToken(32);
  const at = now();
  const row: ApiKeysTable = {
    id: newId(at),
    user_id: userId,
    name,
    key_hash: sha256Hex(key),
    prefix: key.slice(0, SHOWN_PREFIX_LENGTH),
    created_at: new Date(at).toISOString(),
    last_used_at: null,
    revoked_at: null,
  };
  await store.db.insertInto('api_keys').values(row).execute();
  await auditSuccess(audit, actor, 'api_key.created', {
    apiKeyId: row.id,
    ownerUserId: userId,
    name,
    prefix: row.prefix,
  });
  return { ...toSummary(row), key };
}

/** The user's keys that still work, newest first. */
export async function listApiKeys(store: Store, userId: string): Promise<ApiKeySummary[]> {
  const rows = await store.db
    .selectFrom('api_keys')
    .selectAll()
    .where('user_id', '=', userId)
    .where('revoked_at', 'is', null)
    .orderBy('id', 'desc')
    .execute();
  return rows.map(toSummary);
}

/** Revokes a key: your own, or anyone's for an admin. Others' keys are "not found" to members. */
export async function revokeApiKey(
  dependencies: AccountDependencies,
  keyId: string,
  requester: { id: string; role: Role },
  actor: AuditActor,
): Promise<void> {
  const { store, audit, now } = dependencies;
  const row = await store.db
    .selectFrom('api_keys')
    .selectAll()
    .where('id', '=', keyId)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  if (!row || (row.user_id !== requester.id && requester.role !== 'admin')) throw notFound('That API key');
  await store.db
    .updateTable('api_keys')
    .set({ revoked_at: new Date(now()).toISOString() })
    .where('id', '=', keyId)
    .execute();
  await auditSuccess(audit, actor, 'api_key.revoked', {
    apiKeyId: keyId,
    ownerUserId: row.user_id,
    prefix: row.prefix,
  });
}

/**
 * The active user behind a presented key, or null (malformed, unknown, revoked, or user disabled).
 * Checked against the database on every request (a revocation takes effect at once, on every
 * instance): the key and its owner in one read.
 */
export async function resolveApiKey(
  store: Store,
  key: string,
  now: number,
): Promise<{ apiKey: ApiKeysTable; user: UsersTable } | null> {
  if (!API_KEY_PATTERN.test(key)) return null;
  const row = await store.db
    .selectFrom('api_keys')
    .innerJoin('users', 'users.id', 'api_keys.user_id')
    .select([
      'api_keys.id as key_id',
      'api_keys.user_id as key_user_id',
      'api_keys.name as key_name',
      'api_keys.key_hash as key_hash',
      'api_keys.prefix as key_prefix',
      'api_keys.created_at as key_created_at',
      'api_keys.last_used_at as key_last_used_at',
      'api_keys.revoked_at as key_revoked_at',
      'users.id as user_id',
      ...JOINED_USER_COLUMNS,
    ])
    .where('api_keys.key_hash', '=', sha256Hex(key))
    .executeTakeFirst();
  if (!row || row.key_revoked_at !== null || row.user_disabled_at !== null) return null;
  const apiKey: ApiKeysTable = {
    id: row.key_id,
    user_id: row.key_user_id,
    name: row.key_name,
    key_hash: row.key_hash,
    prefix: row.key_prefix,
    created_at: row.key_created_at,
    last_used_at: row.key_last_used_at,
    revoked_at: row.key_revoked_at,
  };
  const user = userOfJoinedRow(row);
  if (apiKey.last_used_at === null || now - Date.parse(apiKey.last_used_at) >= LAST_USED_INTERVAL_MS) {
    await store.db
      .updateTable('api_keys')
      .set({ last_used_at: new Date(now).toISOString() })
      .where('id', '=', apiKey.id)
      .execute();
  }
  return { apiKey, user };
}
