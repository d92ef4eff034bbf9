import type { Transaction } from 'kysely';
import type { AuditLog } from '../audit/audit-log.ts';
import type { Logger } from '../core/logger.ts';
import type { ServiceMetrics } from '../platform/metrics/service-metrics.ts';
import type { Store } from '../store/database.ts';
import type { AuditSurface, Database } from '../store/schema.ts';
import { connectionTokenContext, type TokenVault } from '../vault/token-vault.ts';
import type { SalesforceCallLimits } from './call-limits.ts';
import { OAuthTokenError, SalesforceConnectionError, SalesforceUnreachableError } from './errors.ts';
import { type Fetch, refreshAccessToken } from './oauth.ts';
import type { SalesforceSettings } from './salesforce-settings.ts';

/** The tokens a client uses, and the version they had when read (refreshes compare against it). */
export interface SessionTokens {
  accessToken: string;
  instanceUrl: string;
  tokenVersion: number;
}

/** What a client needs of a stored connection row. */
export interface StoredConnectionTokens {
  name: string;
  status: string;
  access_token: string | null;
  instance_url: string;
  token_version: number;
}

/** Who caused a refresh, for the audit trail. */
export interface RefreshTrigger {
  actorUserId: string | null;
  surface: AuditSurface;
}

/** Connections whose decrypted access token an instance keeps (see SalesforceSessions). */
const DECRYPTED_TOKENS_KEPT = 10_000;

/** How often last_used_at and API usage are written per connection (they change on every call). */
export const USAGE_WRITE_INTERVAL_MS = 30_000;

export interface SalesforceSessionsOptions {
  store: Store;
  vault: TokenVault;
  settings: SalesforceSettings;
  audit: AuditLog;
  logger: Logger;
  now: () => number;
  fetch?: Fetch;
  /** This instance's per-connection call limits and API budget guard (none: unlimited). */
  callLimits?: SalesforceCallLimits;
  /** Where every Salesforce call is counted and timed. */
  metrics?: ServiceMetrics;
}

type RefreshOutcome =
  | { kind: 'current'; tokens: SessionTokens }
  | { kind: 'refreshed'; tokens: SessionTokens; rotated: boolean }
  | { kind: 'needs_reconnect'; newlyMarked: boolean; reason: string }
  | { kind: 'missing' }
  | { kind: 'failed'; reason: string };

/**
 * Token state shared by every Salesforce client of one service instance: reading tokens, the one
 * refresh at a time per connection, and throttled usage bookkeeping.
 *
 * Refreshing is single-flight twice over. In-process, concurrent callers join one promise per
 * connection. Across processes sharing PostgreSQL, the refresh runs inside a transaction holding
 * the connection row (`SELECT … FOR UPDATE`) and re-reads `token_version` first: a process that
 * lost the race finds the version moved on and uses the token the winner stored, instead of
 * spending the refresh token again (fatal when Salesforce rotates refresh tokens).
 */
export class SalesforceSessions {
  readonly fetch: Fetch;
  readonly settings: SalesforceSettings;
  readonly callLimits: SalesforceCallLimits | undefined;
  readonly metrics: ServiceMetrics | undefined;
  readonly #options: SalesforceSessionsOptions;
  readonly #inFlight = new Map<string, Promise<SessionTokens>>();
  readonly #usageWrittenAt = new Map<string, number>();
  /**
   * The last access token decrypted per connection, with the ciphertext it came from: the same
   * stored ciphertext (same row, same version) is not decrypted again on every call. A refreshed
   * or re-encrypted token has another ciphertext and is decrypted afresh.
   */
  readonly #decrypted = new Map<string, { ciphertext: string; accessToken: string }>();

  constructor(options: SalesforceSessionsOptions) {
    this.#options = options;
    this.settings = options.settings;
    this.fetch = options.fetch ?? fetch;
    this.callLimits = options.callLimits;
    this.metrics = options.metrics;
  }

  /** The stored tokens of an active connection, decrypted. */
  async currentTokens(connectionId: string): Promise<SessionTokens> {
    const row = await this.#options.store.db
      .selectFrom('connections')
      .select(['name', 'status', 'access_token', 'instance_url', 'token_version'])
      .where('id', '=', connectionId)
      .executeTakeFirst();
    return this.tokensOf(connectionId, row);
  }

  /**
   * The tokens of a connection row the caller has just read (e.g. with its access check), with
   * the same checks as currentTokens: no second read of the row.
   */
  tokensOf(connectionId: string, row: StoredConnectionTokens | undefined): SessionTokens {
    if (!row || row.status === 'revoked') {
      throw new SalesforceConnectionError(
        'needs_reconnect',
        connectionId,
        'This connection was disconnected.',
      );
    }
    if (row.status !== 'active' || row.access_token === null) throw needsReconnect(connectionId, row.name);
    return {
      accessToken: this.#accessTokenOf(connectionId, row.access_token),
      instanceUrl: row.instance_url,
      tokenVersion: row.token_version,
    };
  }

  #accessTokenOf(connectionId: string, ciphertext: string): string {
    const known = this.#decrypted.get(connectionId);
    if (known?.ciphertext === ciphertext) return known.accessToken;
    const accessToken = this.#options.vault.decrypt(
      ciphertext,
      connectionTokenContext(connectionId, 'access_token'),
    );
    // Bounded: the oldest connection's entry goes first (it is only a saved decryption).
    if (this.#decrypted.size >= DECRYPTED_TOKENS_KEPT) {
      this.#decrypted.delete(this.#decrypted.keys().next().value as string);
    }
    this.#decrypted.delete(connectionId);
    this.#decrypted.set(connectionId, { ciphertext, accessToken });
    return accessToken;
  }

  /**
   * New tokens for a connection whose access token (at `staleVersion`) Salesforce refused. Makes
   * at most one token request per expiry, whoever asks and however many ask at once.
   */
  refresh(connectionId: string, staleVersion: number, trigger: RefreshTrigger): Promise<SessionTokens> {
    const pending = this.#inFlight.get(connectionId);
    // Any refresh under way yields tokens at least as new as the ones the caller found stale.
    if (pending) return pending;
    const flight = this.#refreshOnce(connectionId, staleVersion, trigger).finally(() => {
      this.#inFlight.delete(connectionId);
    });
    this.#inFlight.set(connectionId, flight);
    return flight;
  }

  async #refreshOnce(
    connectionId: string,
    staleVersion: number,
    trigger: RefreshTrigger,
  ): Promise<SessionTokens> {
    const { store, audit, logger } = this.#options;
    // Cheap check first: another process may have refreshed already, and then no lock is needed.
    const latest = await store.db
      .selectFrom('connections')
      .select('token_version')
      .where('id', '=', connectionId)
      .executeTakeFirst();
    if (latest && latest.token_version !== staleVersion) return this.currentTokens(connectionId);

    const outcome = await store.db
      .transaction()
      .execute((transaction) => this.#refreshLocked(transaction, connectionId, staleVersion));
    const name = await this.#connectionName(connectionId);
    switch (outcome.kind) {
      case 'current':
        return outcome.tokens;
      case 'refreshed':
        await audit.record({
          actorUserId: trigger.actorUserId,
          connectionId,
          surface: trigger.surface,
          action: 'connection.refreshed',
          outcome: 'success',
          detail: { rotated: outcome.rotated, generation: outcome.tokens.tokenVersion },
        });
        return outcome.tokens;
      case 'needs_reconnect':
        if (outcome.newlyMarked) {
          logger.warn(
            { connectionId, reason: outcome.reason },
            'Salesforce refused the refresh token; connection needs reconnecting',
          );
          await audit.record({
            actorUserId: trigger.actorUserId,
            connectionId,
            surface: trigger.surface,
            action: 'connection.needs_reconnect',
            outcome: 'failure',
            errorCode: 'invalid_grant',
            detail: { reason: outcome.reason },
          });
        }
        throw needsReconnect(connectionId, name);
      case 'missing':
        throw new SalesforceConnectionError(
          'needs_reconnect',
          connectionId,
          'This connection was disconnected.',
        );
      case 'failed':
        logger.warn({ connectionId, reason: outcome.reason }, 'Salesforce token refresh failed');
        throw new SalesforceConnectionError(
          'refresh_failed',
          connectionId,
          `Could not renew the Salesforce session of '${name}' (${outcome.reason}). Try again in a moment.`,
        );
    }
  }

  async #refreshLocked(
    transaction: Transaction<Database>,
    connectionId: string,
    staleVersion: number,
  ): Promise<RefreshOutcome> {
    const { vault, store } = this.#options;
    let select = transaction
      .selectFrom('connections')
      .select(['status', 'access_token', 'refresh_token', 'instance_url', 'login_host', 'token_version'])
      .where('id', '=', connectionId);
    // SQLite has no row locks: its transactions begin immediate (store/sqlite-adapter.ts), so a
    // second process waits here for the first one's refresh and then reads its new tokens.
    if (store.dialect === 'postgres') select = select.forUpdate();
    const row = await select.executeTakeFirst();
    if (!row || row.status === 'revoked') return { kind: 'missing' };
    if (row.status === 'needs_reconnect')
      return { kind: 'needs_reconnect', newlyMarked: false, reason: 'already marked' };
    if (row.token_version !== staleVersion && row.access_token !== null) {
      // The race was lost: the winner's token is the one to use.
      return {
        kind: 'current',
        tokens: {
          accessToken: vault.decrypt(row.access_token, connectionTokenContext(connectionId, 'access_token')),
          instanceUrl: row.instance_url,
          tokenVersion: row.token_version,
        },
      };
    }
    if (row.refresh_token === null) {
      return this.#markNeedsReconnect(
        transaction,
        connectionId,
        row.token_version,
        'no refresh token stored',
      );
    }
    const refreshToken = vault.decrypt(
      row.refresh_token,
      connectionTokenContext(connectionId, 'refresh_token'),
    );
    let response: Awaited<ReturnType<typeof refreshAccessToken>>;
    try {
      response = await refreshAccessToken(this.fetch, this.settings, {
        loginHost: row.login_host,
        refreshToken,
      });
    } catch (error) {
      if (error instanceof OAuthTokenError && error.error === 'invalid_grant') {
        return this.#markNeedsReconnect(
          transaction,
          connectionId,
          row.token_version,
          error.description || 'invalid_grant',
        );
      }
      if (error instanceof OAuthTokenError)
        return { kind: 'failed', reason: `${error.error}: ${error.description}` };
      if (error instanceof SalesforceUnreachableError) return { kind: 'failed', reason: error.message };
      throw error;
    }
    return this.#storeRefreshed(transaction, connectionId, row.token_version, refreshToken, response);
  }

  /**
   * Stores a refresh's tokens. A rotated refresh token is stored in the same statement as the access
   * token: the old one is already spent at Salesforce, so losing the new one would strand the connection.
   */
  async #storeRefreshed(
    transaction: Transaction<Database>,
    connectionId: string,
    staleVersion: number,
    refreshToken: string,
    response: Awaited<ReturnType<typeof refreshAccessToken>>,
  ): Promise<RefreshOutcome> {
    const { vault, now } = this.#options;
    const tokenVersion = staleVersion + 1;
    const rotated = response.refresh_token !== undefined && response.refresh_token !== refreshToken;
    await transaction
      .updateTable('connections')
      .set({
        access_token: vault.encrypt(
          response.access_token,
          connectionTokenContext(connectionId, 'access_token'),
        ),
        ...(rotated && response.refresh_token
          ? {
              refresh_token: vault.encrypt(
                response.refresh_token,
                connectionTokenContext(connectionId, 'refresh_token'),
              ),
            }
          : {}),
        instance_url: response.instance_url,
        token_version: tokenVersion,
        token_refreshed_at: new Date(now()).toISOString(),
      })
      .where('id', '=', connectionId)
      .execute();
    return {
      kind: 'refreshed',
      rotated,
      tokens: { accessToken: response.access_token, instanceUrl: response.instance_url, tokenVersion },
    };
  }

  async #markNeedsReconnect(
    transaction: Transaction<Database>,
    connectionId: string,
    tokenVersion: number,
    reason: string,
  ): Promise<RefreshOutcome> {
    await transaction
      .updateTable('connections')
      .set({
        status: 'needs_reconnect',
        access_token: null,
        refresh_token: null,
        token_version: tokenVersion + 1,
      })
      .where('id', '=', connectionId)
      .execute();
    return { kind: 'needs_reconnect', newlyMarked: true, reason };
  }

  async #connectionName(connectionId: string): Promise<string> {
    const row = await this.#options.store.db
      .selectFrom('connections')
      .select('name')
      .where('id', '=', connectionId)
      .executeTakeFirst();
    return row?.name ?? connectionId;
  }

  /**
   * Notes that a connection was used, with the API usage Salesforce reported. Written at most
   * every USAGE_WRITE_INTERVAL_MS per connection: a busy agent must not turn every Salesforce
   * call into a database write.
   */
  async recordUsage(
    connectionId: string,
    apiUsage: { used: number; max: number } | undefined,
  ): Promise<void> {
    this.callLimits?.observeUsage(connectionId, apiUsage);
    const now = this.#options.now();
    const last = this.#usageWrittenAt.get(connectionId);
    if (last !== undefined && now - last < USAGE_WRITE_INTERVAL_MS) return;
    this.#usageWrittenAt.set(connectionId, now);
    const at = new Date(now).toISOString();
    try {
      await this.#options.store.db
        .updateTable('connections')
        .set({
          last_used_at: at,
          ...(apiUsage
            ? { api_usage_used: apiUsage.used, api_usage_max: apiUsage.max, api_usage_at: at }
            : {}),
        })
        .where('id', '=', connectionId)
        .execute();
    } catch (error) {
      // Bookkeeping must never fail the caller's Salesforce call.
      this.#options.logger.warn({ err: error, connectionId }, 'could not record connection usage');
    }
  }
}

function needsReconnect(connectionId: string, name: string): SalesforceConnectionError {
  return new SalesforceConnectionError(
    'needs_reconnect',
    connectionId,
    `Salesforce no longer accepts the connection '${name}' (its access was revoked or expired). Reconnect it on the Connections page.`,
  );
}
