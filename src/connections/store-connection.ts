import type { Actor } from '../core/actor.ts';
import { newId } from '../core/ids.ts';
import type { ServiceContext } from '../platform/service-context.ts';
import type { TokenResponse, UserInfo } from '../salesforce/oauth.ts';
import type { ConnectionsTable, OAuthStatesTable } from '../store/schema.ts';
import { connectionTokenContext } from '../vault/token-vault.ts';
import type { ConnectionRow } from './access.ts';

/**
 * Stores the connection a finished OAuth flow produced, tokens encrypted and bound to their row.
 * Connecting the same Salesforce user again (as the same person, for personal connections) renews
 * that connection instead of adding a duplicate.
 */
export async function storeConnection({
  service,
  user,
  state,
  requestedName,
  tokens,
  userInfo,
}: {
  service: ServiceContext;
  user: Actor;
  state: OAuthStatesTable;
  requestedName: string | undefined;
  tokens: TokenResponse & { refresh_token: string };
  userInfo: UserInfo;
}): Promise<{ connectionId: string; existing: ConnectionRow | undefined }> {
  const kind = state.connection_kind;
  const name = requestedName ?? `Salesforce (${userInfo.preferred_username})`;
  const now = new Date(service.now()).toISOString();
  const scopes = JSON.stringify(
    (tokens.scope ?? service.salesforce.scopes.join(' ')).split(/\s+/).filter(Boolean),
  );

  let existingQuery = service.store.db
    .selectFrom('connections')
    .selectAll()
    .where('kind', '=', kind)
    .where('status', '!=', 'revoked')
    .where('salesforce_org_id', '=', userInfo.organization_id)
    .where('salesforce_user_id', '=', userInfo.user_id);
  if (kind === 'personal') existingQuery = existingQuery.where('created_by', '=', user.id);
  const existing: ConnectionRow | undefined = await existingQuery.executeTakeFirst();
  const connectionId = existing?.id ?? newId(service.now());
  const { encrypted, identity } = connectionFields(service, connectionId, state, tokens, userInfo, scopes);
  if (existing) {
    await service.store.db
      .updateTable('connections')
      .set({
        ...identity,
        ...encrypted,
        ...(requestedName ? { name: requestedName } : {}),
        token_version: existing.token_version + 1,
        token_refreshed_at: now,
      })
      .where('id', '=', existing.id)
      .execute();
  } else {
    const row: ConnectionsTable = {
      id: connectionId,
      kind,
      name,
      created_by: user.id,
      created_at: now,
      salesforce_org_id: userInfo.organization_id,
      salesforce_user_id: userInfo.user_id,
      ...identity,
      ...encrypted,
      token_version: 1,
      token_refreshed_at: null,
      last_used_at: null,
      api_usage_used: null,
      api_usage_max: null,
      api_usage_at: null,
    };
    await service.store.db.insertInto('connections').values(row).execute();
  }
  return { connectionId, existing };
}

/** The token and identity columns of a connection row, tokens encrypted and bound to the row. */
function connectionFields(
  service: ServiceContext,
  connectionId: string,
  state: OAuthStatesTable,
  tokens: TokenResponse & { refresh_token: string },
  userInfo: UserInfo,
  scopes: string,
) {
  const encrypted = {
    access_token: service.vault.encrypt(
      tokens.access_token,
      connectionTokenContext(connectionId, 'access_token'),
    ),
    refresh_token: service.vault.encrypt(
      tokens.refresh_token,
      connectionTokenContext(connectionId, 'refresh_token'),
    ),
  };
  const identity = {
    username: userInfo.preferred_username,
    display_name: userInfo.name,
    email: userInfo.email ?? null,
    instance_url: tokens.instance_url,
    login_host: state.login_host,
    identity_url: tokens.id,
    scopes,
    status: 'active' as const,
  };
  return { encrypted, identity };
}
