import { createHash } from 'node:crypto';
import { newId } from '../core/ids.ts';
import type { Store } from '../store/database.ts';
import type { McpOAuthClientsTable, McpOAuthGrantsTable } from '../store/mcp-oauth-tables.ts';
import { randomToken, sha256Hex } from './secrets.ts';

/**
 * Forcefield as the OAuth 2.1 authorization server for its MCP endpoints: clients (dynamic or
 * pre-registered), authorization codes bound to PKCE S256, a redirect URI, a person and one MCP
 * resource, and access/refresh tokens bound to the same person and resource. Only hashes are
 * stored; a code is exchanged once, a refresh token rotates (the old one dies), revocation ends
 * both tokens of the grant chain at once.
 */

export const CODE_TTL_MS = 10 * 60 * 1000;
export const ACCESS_TTL_MS = 60 * 60 * 1000;
export const REFRESH_TTL_MS = 30 * 24 * 60 * 60 * 1000;
const ACCESS_PREFIX = 'ffa_';
const REFRESH_PREFIX = 'ffr_';

/** A refusal in the OAuth error vocabulary (RFC 6749 §5.2). */
export class OAuthFailure extends Error {
  readonly code:
    | 'invalid_request'
    | 'invalid_client'
    | 'invalid_grant'
    | 'unsupported_grant_type'
    | 'invalid_target';
  /** Whose grant was refused, when the presented code or token was one of ours (for the audit log). */
  readonly subject: { userId: string; clientId: string } | undefined;

  constructor(code: OAuthFailure['code'], message: string, subject?: { userId: string; clientId: string }) {
    super(message);
    this.name = 'OAuthFailure';
    this.code = code;
    this.subject = subject;
  }
}

/** Tokens issued, with whose grant they continue (for the audit log; never the token values). */
export interface IssuedTokens {
  tokens: TokenPair;
  userId: string;
  clientId: string;
}

export interface TokenPair {
  access_token: string;
  token_type: 'Bearer';
  expires_in: number;
  refresh_token: string;
}

/** A redirect URI a public client may use: https, or http on a loopback host (native apps). */
export function isAllowedRedirectUri(uri: string): boolean {
  try {
    const url = new URL(uri);
    if (url.hash) return false;
    if (url.protocol === 'https:') return true;
    return url.protocol === 'http:' && ['localhost', '127.0.0.1', '[::1]'].includes(url.hostname);
  } catch {
    return false;
  }
}

export async function registerClient(
  store: Store,
  input: {
    name: string;
    redirectUris: string[];
    registration: McpOAuthClientsTable['registration'];
    now: number;
  },
): Promise<McpOAuthClientsTable> {
  if (input.redirectUris.length === 0 || !input.redirectUris.every(isAllowedRedirectUri)) {
    throw new OAuthFailure('invalid_request', 'redirect_uris must be https URLs, or http on localhost.');
  }
  const row: McpOAuthClientsTable = {
    id: `mcp_${randomToken(16)}`,
    name: input.name.trim().slice(0, 100) || 'MCP client',
    redirect_uris: JSON.stringify(input.redirectUris),
    registration: input.registration,
    created_at: new Date(input.now).toISOString(),
  };
  await store.db.insertInto('mcp_oauth_clients').values(row).execute();
  return row;
}

export async function findClient(store: Store, clientId: string): Promise<McpOAuthClientsTable | undefined> {
  return store.db.selectFrom('mcp_oauth_clients').selectAll().where('id', '=', clientId).executeTakeFirst();
}

/**
 * A client described by its metadata document (its client_id is the document's URL): stored, or
 * refreshed with the document's current name and redirect URIs, so grants can refer to it.
 * `created` says whether this server saw it for the first time.
 */
export async function upsertMetadataDocumentClient(
  store: Store,
  input: { clientId: string; name: string; redirectUris: string[]; now: number },
): Promise<{ client: McpOAuthClientsTable; created: boolean }> {
  const existing = await findClient(store, input.clientId);
  const row: McpOAuthClientsTable = {
    id: input.clientId,
    name: input.name.trim().slice(0, 100) || 'MCP client',
    redirect_uris: JSON.stringify(input.redirectUris),
    registration: 'metadata_document',
    created_at: existing?.created_at ?? new Date(input.now).toISOString(),
  };
  if (existing && existing.registration !== 'metadata_document') {
    throw new OAuthFailure('invalid_client', 'This client_id belongs to another registration.');
  }
  if (existing?.name === row.name && existing.redirect_uris === row.redirect_uris) {
    return { client: existing, created: false };
  }
  await store.db
    .insertInto('mcp_oauth_clients')
    .values(row)
    .onConflict((conflict) =>
      conflict.column('id').doUpdateSet({ name: row.name, redirect_uris: row.redirect_uris }),
    )
    .execute();
  return { client: row, created: !existing };
}

export function redirectUrisOf(client: McpOAuthClientsTable): string[] {
  return JSON.parse(client.redirect_uris) as string[];
}

async function insertGrant(
  store: Store,
  grant: Omit<McpOAuthGrantsTable, 'id' | 'token_hash' | 'consumed_at' | 'created_at'>,
  secret: string,
  now: number,
): Promise<void> {
  await store.db
    .insertInto('mcp_oauth_grants')
    .values({
      ...grant,
      id: newId(now),
      token_hash: sha256Hex(secret),
      consumed_at: null,
      created_at: new Date(now).toISOString(),
    })
    .execute();
}

export async function issueCode(
  store: Store,
  input: {
    clientId: string;
    userId: string;
    resource: string;
    redirectUri: string;
    codeChallenge: string;
    now: number;
  },
): Promise<string> {
  const code = randomToken(32);
  await insertGrant(
    store,
    {
      kind: 'code',
      client_id: input.clientId,
      user_id: input.userId,
      resource: input.resource,
      redirect_uri: input.redirectUri,
      code_challenge: input.codeChallenge,
      expires_at: new Date(input.now + CODE_TTL_MS).toISOString(),
    },
    code,
    input.now,
  );
  return code;
}

/** Takes a live grant of `kind` out of use; exactly one caller wins (a conditional update). */
async function consume(store: Store, kind: McpOAuthGrantsTable['kind'], secret: string, now: number) {
  const row = await store.db
    .selectFrom('mcp_oauth_grants')
    .selectAll()
    .where('token_hash', '=', sha256Hex(secret))
    .where('kind', '=', kind)
    .executeTakeFirst();
  if (!row || row.consumed_at !== null || Date.parse(row.expires_at) <= now) return undefined;
  const result = await store.db
    .updateTable('mcp_oauth_grants')
    .set({ consumed_at: new Date(now).toISOString() })
    .where('id', '=', row.id)
    .where('consumed_at', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1 ? row : undefined;
}

async function issueTokens(store: Store, from: McpOAuthGrantsTable, now: number): Promise<IssuedTokens> {
  const access = `${ACCESS_PREFIX}${randomToken(32)}`;
  const refresh = `${REFRESH_PREFIX}${randomToken(32)}`;
  const bound = {
    client_id: from.client_id,
    user_id: from.user_id,
    resource: from.resource,
    redirect_uri: null,
    code_challenge: null,
  };
  await insertGrant(
    store,
    { ...bound, kind: 'access', expires_at: new Date(now + ACCESS_TTL_MS).toISOString() },
    access,
    now,
  );
  await insertGrant(
    store,
    { ...bound, kind: 'refresh', expires_at: new Date(now + REFRESH_TTL_MS).toISOString() },
    refresh,
    now,
  );
  return {
    tokens: {
      access_token: access,
      token_type: 'Bearer',
      expires_in: ACCESS_TTL_MS / 1000,
      refresh_token: refresh,
    },
    userId: from.user_id,
    clientId: from.client_id,
  };
}

/** Whose grant a presented code or token is, if it is one of ours (expired or used included). */
async function subjectOf(store: Store, kind: McpOAuthGrantsTable['kind'], secret: string) {
  const row = await store.db
    .selectFrom('mcp_oauth_grants')
    .select(['user_id', 'client_id'])
    .where('token_hash', '=', sha256Hex(secret))
    .where('kind', '=', kind)
    .executeTakeFirst();
  return row ? { userId: row.user_id, clientId: row.client_id } : undefined;
}

/** The authorization code grant with PKCE S256: the code once, for its client, redirect URI and resource. */
export async function exchangeCode(
  store: Store,
  input: {
    code: string;
    clientId: string;
    redirectUri: string;
    codeVerifier: string;
    resource?: string;
    now: number;
  },
): Promise<IssuedTokens> {
  const row = await consume(store, 'code', input.code, input.now);
  const challenge = createHash('sha256').update(input.codeVerifier).digest('base64url');
  if (
    !row ||
    row.client_id !== input.clientId ||
    row.redirect_uri !== input.redirectUri ||
    row.code_challenge !== challenge ||
    (input.resource !== undefined && input.resource !== row.resource)
  ) {
    throw new OAuthFailure(
      'invalid_grant',
      'The code is not valid, was used, expired, or does not match.',
      row ? { userId: row.user_id, clientId: row.client_id } : await subjectOf(store, 'code', input.code),
    );
  }
  return issueTokens(store, row, input.now);
}

/** The refresh token grant: the old refresh token is spent, a new pair comes back. */
export async function refreshTokens(
  store: Store,
  input: { refreshToken: string; clientId: string; resource?: string; now: number },
): Promise<IssuedTokens> {
  const row = await consume(store, 'refresh', input.refreshToken, input.now);
  if (
    !row ||
    row.client_id !== input.clientId ||
    (input.resource !== undefined && input.resource !== row.resource)
  ) {
    throw new OAuthFailure(
      'invalid_grant',
      'The refresh token is not valid, was used, expired, or does not match.',
      row
        ? { userId: row.user_id, clientId: row.client_id }
        : await subjectOf(store, 'refresh', input.refreshToken),
    );
  }
  return issueTokens(store, row, input.now);
}

/**
 * Revokes an access or refresh token (RFC 7009): unknown tokens are ignored, as the RFC asks.
 * Answers whose token it was and its kind when a live one was revoked.
 */
export async function revokeToken(
  store: Store,
  token: string,
  now: number,
): Promise<{ userId: string; clientId: string; kind: McpOAuthGrantsTable['kind'] } | undefined> {
  const row = await store.db
    .selectFrom('mcp_oauth_grants')
    .select(['id', 'user_id', 'client_id', 'kind'])
    .where('token_hash', '=', sha256Hex(token))
    .where('kind', 'in', ['access', 'refresh'])
    .where('consumed_at', 'is', null)
    .executeTakeFirst();
  if (!row) return undefined;
  const result = await store.db
    .updateTable('mcp_oauth_grants')
    .set({ consumed_at: new Date(now).toISOString() })
    .where('id', '=', row.id)
    .where('consumed_at', 'is', null)
    .executeTakeFirst();
  if (Number(result.numUpdatedRows) !== 1) return undefined;
  return { userId: row.user_id, clientId: row.client_id, kind: row.kind };
}

export type AccessTokenCheck =
  | { ok: true; userId: string; clientId: string; expiresAt: number }
  | {
      ok: false;
      reason: 'unknown' | 'revoked' | 'expired' | 'other_resource';
      /** Whose token it was, when it is one of ours. */
      subject?: { userId: string; clientId: string };
    };

/** The person an access token was issued to, when it is live and for exactly this resource; else why not. */
export async function resolveAccessToken(
  store: Store,
  token: string,
  resource: string,
  now: number,
): Promise<AccessTokenCheck> {
  if (!token.startsWith(ACCESS_PREFIX)) return { ok: false, reason: 'unknown' };
  const row = await store.db
    .selectFrom('mcp_oauth_grants')
    .selectAll()
    .where('token_hash', '=', sha256Hex(token))
    .where('kind', '=', 'access')
    .executeTakeFirst();
  if (!row) return { ok: false, reason: 'unknown' };
  const subject = { userId: row.user_id, clientId: row.client_id };
  if (row.consumed_at !== null) return { ok: false, reason: 'revoked', subject };
  const expiresAt = Date.parse(row.expires_at);
  if (expiresAt <= now) return { ok: false, reason: 'expired', subject };
  if (row.resource !== resource) return { ok: false, reason: 'other_resource', subject };
  return { ok: true, ...subject, expiresAt };
}
