import { z } from 'zod';
import type { Actor } from '../core/actor.ts';
import { badRequest, forbidden } from '../core/errors.ts';
import type { ServiceContext } from '../platform/service-context.ts';
import { SalesforceConnectionError } from '../salesforce/errors.ts';
import { revokeToken } from '../salesforce/oauth.ts';
import type { AuditSurface } from '../store/schema.ts';
import { connectionTokenContext } from '../vault/token-vault.ts';
import {
  type ConnectionRow,
  canManage,
  findUsableConnection,
  TEAM_PRINCIPAL,
  usableConnections,
} from './access.ts';
import { salesforceClientFor } from './connection-client.ts';
import { type ConnectionShares, type ConnectionView, toConnectionView } from './connection-view.ts';

const MAX_SHARES = 1000;

export const sharesSchema = z.strictObject({
  users: z.array(z.string().min(1).max(64)).max(MAX_SHARES).default([]),
  groups: z.array(z.string().min(1).max(64)).max(MAX_SHARES).default([]),
  team: z.boolean().default(false),
});
export type SharesInput = z.infer<typeof sharesSchema>;

async function sharesOf(service: ServiceContext, connectionId: string): Promise<ConnectionShares> {
  const rows = await service.store.db
    .selectFrom('connection_shares')
    .select(['principal_type', 'principal_id'])
    .where('connection_id', '=', connectionId)
    .orderBy('principal_id')
    .execute();
  return {
    users: rows.filter((row) => row.principal_type === 'user').map((row) => row.principal_id),
    groups: rows.filter((row) => row.principal_type === 'group').map((row) => row.principal_id),
    team: rows.some((row) => row.principal_type === 'team'),
  };
}

async function viewOf(service: ServiceContext, row: ConnectionRow, user: Actor): Promise<ConnectionView> {
  const shares =
    row.kind === 'organization' && canManage(row, user) ? await sharesOf(service, row.id) : undefined;
  return toConnectionView(row, user, shares);
}

/** The connections the user may use, newest first. */
export async function listConnections(service: ServiceContext, user: Actor): Promise<ConnectionView[]> {
  const rows = await (await usableConnections(service.store, user))
    .orderBy('connections.id', 'desc')
    .execute();
  return Promise.all(rows.map((row) => viewOf(service, row, user)));
}

export async function getConnection(
  service: ServiceContext,
  user: Actor,
  connectionId: string,
): Promise<ConnectionView> {
  return viewOf(service, await findUsableConnection(service.store, user, connectionId), user);
}

async function manageableConnection(
  service: ServiceContext,
  user: Actor,
  connectionId: string,
): Promise<ConnectionRow> {
  const row = await findUsableConnection(service.store, user, connectionId);
  if (!canManage(row, user))
    throw forbidden('Only admins or the person who created this connection can change it.');
  return row;
}

/**
 * Replaces who an organization connection is shared with. Effective on the next request: access is
 * checked on every request, never cached.
 */
export async function setShares(
  service: ServiceContext,
  user: Actor,
  connectionId: string,
  input: SharesInput,
): Promise<ConnectionView> {
  const row = await manageableConnection(service, user, connectionId);
  if (row.kind !== 'organization') {
    throw badRequest('Personal connections are only for the person who connected them and cannot be shared.');
  }
  const users = [...new Set(input.users)];
  const groups = [...new Set(input.groups)];
  const knownUsers =
    users.length > 0
      ? await service.store.db.selectFrom('users').select('id').where('id', 'in', users).execute()
      : [];
  const knownGroups =
    groups.length > 0
      ? await service.store.db.selectFrom('groups').select('id').where('id', 'in', groups).execute()
      : [];
  const unknownUsers = users.filter((id) => !knownUsers.some((known) => known.id === id));
  const unknownGroups = groups.filter((id) => !knownGroups.some((known) => known.id === id));
  if (unknownUsers.length > 0 || unknownGroups.length > 0) {
    throw badRequest('Some users or groups to share with do not exist.', { unknownUsers, unknownGroups });
  }
  const now = new Date(service.now()).toISOString();
  const shares = [
    ...users.map((id) => ({ principal_type: 'user' as const, principal_id: id })),
    ...groups.map((id) => ({ principal_type: 'group' as const, principal_id: id })),
    ...(input.team ? [{ principal_type: 'team' as const, principal_id: TEAM_PRINCIPAL }] : []),
  ].map((share) => ({ ...share, connection_id: connectionId, created_at: now }));
  await service.store.db.transaction().execute(async (transaction) => {
    await transaction.deleteFrom('connection_shares').where('connection_id', '=', connectionId).execute();
    if (shares.length > 0) await transaction.insertInto('connection_shares').values(shares).execute();
  });
  await service.audit.record({
    actorUserId: user.id,
    connectionId,
    surface: user.surface,
    action: 'connection.shared',
    outcome: 'success',
    detail: { users: users.length, groups: groups.length, team: input.team },
  });
  return getConnection(service, user, connectionId);
}

export interface DisconnectResult {
  revokedAtSalesforce: boolean;
  message: string;
}

/**
 * Revokes the refresh token at Salesforce (which ends its access tokens too), then forgets the
 * tokens. When Salesforce cannot be reached the local tokens are deleted anyway — the person asked
 * to disconnect — and the answer says the token may still be valid at Salesforce.
 */
export async function disconnect(
  service: ServiceContext,
  user: Actor,
  connectionId: string,
  surface: AuditSurface = user.surface,
): Promise<DisconnectResult> {
  const row = await manageableConnection(service, user, connectionId);
  const stored = row.refresh_token ?? row.access_token;
  let result: DisconnectResult;
  if (stored === null) {
    result = {
      revokedAtSalesforce: true,
      message: 'Disconnected. Salesforce had already ended this connection.',
    };
  } else {
    const column = row.refresh_token !== null ? 'refresh_token' : 'access_token';
    let token: string | undefined;
    try {
      token = service.vault.decrypt(stored, connectionTokenContext(row.id, column));
    } catch (error) {
      service.logger.warn({ err: error, connectionId }, 'cannot decrypt the token to revoke');
    }
    const revoked = token
      ? await revokeToken(service.salesforceSessions.fetch, { loginHost: row.login_host, token })
      : { revoked: false as const, reason: 'the stored token could not be decrypted' };
    result = revoked.revoked
      ? { revokedAtSalesforce: true, message: 'Disconnected, and Salesforce revoked the access.' }
      : {
          revokedAtSalesforce: false,
          message:
            `Disconnected here, but Salesforce could not revoke the access (${revoked.reason}). To end it there too, ` +
            "remove Forcefield under Connected Apps in the Salesforce user's settings (or OAuth Usage in Setup).",
        };
  }
  await service.store.db
    .updateTable('connections')
    .set({ status: 'revoked', access_token: null, refresh_token: null, token_version: row.token_version + 1 })
    .where('id', '=', row.id)
    .execute();
  await service.audit.record({
    actorUserId: user.id,
    connectionId,
    surface,
    action: 'connection.disconnected',
    outcome: 'success',
    detail: { revokedAtSalesforce: result.revokedAtSalesforce },
  });
  return result;
}

export interface CheckPart {
  ok: boolean;
  hint: string;
}

export interface ConnectionCheck {
  identity: CheckPart;
  api: CheckPart;
  limits: CheckPart & { remaining: number | null; max: number | null };
}

/** Below this share of the daily API limit left, the check warns. */
const LOW_API_REMAINING = 0.1;

function hintOf(error: unknown): string {
  if (error instanceof SalesforceConnectionError && error.code === 'needs_reconnect') return error.message;
  if (error instanceof Error) return error.message;
  return String(error);
}

/**
 * Checks a connection end to end: who it acts as, whether the API answers at our API version, and
 * how much of the org's daily API limit is left. Each part fails on its own with a hint.
 */
export async function checkConnection(
  service: ServiceContext,
  user: Actor,
  connectionId: string,
): Promise<ConnectionCheck> {
  const row = await findUsableConnection(service.store, user, connectionId);
  const surface = user.surface;
  const result: ConnectionCheck = {
    identity: { ok: false, hint: '' },
    api: { ok: false, hint: '' },
    limits: { ok: false, hint: '', remaining: null, max: null },
  };
  try {
    const client = await salesforceClientFor(service, user, connectionId, surface);
    try {
      const identity = await client.userInfo();
      const same =
        identity.organization_id === row.salesforce_org_id && identity.user_id === row.salesforce_user_id;
      result.identity = same
        ? { ok: true, hint: `Connected as ${identity.preferred_username}.` }
        : {
            ok: false,
            hint: `The tokens now act as ${identity.preferred_username}, not ${row.username}. Reconnect as the intended user.`,
          };
    } catch (error) {
      result.identity = { ok: false, hint: hintOf(error) };
    }
    try {
      const versions = await client.apiVersions();
      result.api = versions.includes(service.salesforce.apiVersion)
        ? { ok: true, hint: `The REST API answers at version ${service.salesforce.apiVersion}.` }
        : {
            ok: false,
            hint: `This org does not serve API version ${service.salesforce.apiVersion} (newest: ${versions.at(-1) ?? 'none'}). The operator should set SALESFORCE_API_VERSION.`,
          };
    } catch (error) {
      result.api = { ok: false, hint: hintOf(error) };
    }
    try {
      const { dailyApiRequests } = await client.limits();
      const low = dailyApiRequests.remaining < dailyApiRequests.max * LOW_API_REMAINING;
      result.limits = {
        ok: !low,
        remaining: dailyApiRequests.remaining,
        max: dailyApiRequests.max,
        hint: low
          ? `Only ${dailyApiRequests.remaining} of ${dailyApiRequests.max} daily API requests are left in this org.`
          : `${dailyApiRequests.remaining} of ${dailyApiRequests.max} daily API requests left.`,
      };
    } catch (error) {
      result.limits = { ok: false, remaining: null, max: null, hint: hintOf(error) };
    }
  } catch (error) {
    const hint = hintOf(error);
    result.identity = { ok: false, hint };
    result.api = { ok: false, hint };
    result.limits = { ok: false, remaining: null, max: null, hint };
  }
  const ok = result.identity.ok && result.api.ok && result.limits.ok;
  await service.audit.record({
    actorUserId: user.id,
    connectionId,
    surface,
    action: 'connection.checked',
    outcome: ok ? 'success' : 'failure',
    detail: { identity: result.identity.ok, api: result.api.ok, limits: result.limits.ok },
  });
  return result;
}
