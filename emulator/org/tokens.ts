import { randomBytes } from 'node:crypto';
import type { Clock } from '../core/clock.ts';

/** What an access token stands for: the REST layer's notion of "the caller". */
export interface AccessSession {
  token: string;
  userId: string;
  clientId: string;
  scopes: string[];
  issuedAt: number;
  /** Sliding expiry: last use + session timeout, as Salesforce's inactivity timeout. */
  expiresAt: number;
  refreshToken: string | undefined;
}

export interface RefreshGrant {
  token: string;
  userId: string;
  clientId: string;
  scopes: string[];
  issuedAt: number;
  /** When the token was issued or last redeemed (the "expire if not used" policy counts from here). */
  lastUsedAt: number;
  /**
   * Access tokens issued from this grant. Rotation hands the same set on to the next refresh token,
   * so revoking the newest token of a rotated chain ends every access token of the chain.
   */
  accessTokens: Set<string>;
}

/** A refresh grant as a demo saves it between runs (without the access tokens it issued). */
export type SavedRefreshGrant = Omit<RefreshGrant, 'accessTokens'>;

/** Salesforce's refresh token policy of a connected app ("Refresh Token Policy" plus rotation). */
export type RefreshTokenPolicy =
  | { kind: 'until-revoked' }
  | { kind: 'expire-after'; seconds: number }
  | { kind: 'expire-if-unused'; seconds: number }
  | { kind: 'rotate' };

/**
 * What the store asks about the app a token belongs to. Read at every use, not copied at issue,
 * so a policy change (a shorter timeout, a blocked app) applies to tokens already out there.
 */
export interface AppTokenPolicies {
  /** The inactivity timeout of sessions issued to the app; without an app, the org's (browser sessions). */
  sessionTimeoutMs(clientId?: string): number;
  refreshTokenPolicy(clientId: string): RefreshTokenPolicy;
  isBlocked(clientId: string): boolean;
}

/** The policies of an org's connected apps, looked up by client id; unknown apps get the org's defaults. */
export function appTokenPolicies(org: {
  readonly apps: ReadonlyMap<
    string,
    { sessionTimeoutSeconds?: number; refreshTokenPolicy?: RefreshTokenPolicy; blocked?: boolean }
  >;
  readonly sessionTimeoutSeconds: number;
}): AppTokenPolicies {
  return {
    sessionTimeoutMs: (clientId) =>
      ((clientId ? org.apps.get(clientId)?.sessionTimeoutSeconds : undefined) ?? org.sessionTimeoutSeconds) *
      1000,
    refreshTokenPolicy: (clientId) => org.apps.get(clientId)?.refreshTokenPolicy ?? { kind: 'until-revoked' },
    isBlocked: (clientId) => org.apps.get(clientId)?.blocked === true,
  };
}

export interface AuthorizationCode {
  code: string;
  clientId: string;
  redirectUri: string;
  userId: string;
  scopes: string[];
  codeChallenge: string | undefined;
  expiresAt: number;
  nonce: string | undefined;
}

/** Why a code could not be redeemed: never issued, or spent/expired (Salesforce words these differently). */
export type CodeRedemption = { code: AuthorizationCode } | { failure: 'invalid' | 'expired' };

/** A signed-in browser (the `sid` cookie of the login host): lets a later authorize skip the login page. */
export interface BrowserSession {
  id: string;
  userId: string;
  expiresAt: number;
}

/** Salesforce's authorization codes live for 15 minutes. */
export const AUTHORIZATION_CODE_LIFETIME_MS = 15 * 60 * 1000;

function randomToken(bytes: number): string {
  return randomBytes(bytes)
    .toString('base64url')
    .replace(/[-_]/g, (character) => (character === '-' ? '.' : 'A'));
}

/**
 * Tokens, refresh grants and authorization codes of one org. Kept in memory: a restarted emulator
 * has forgotten every session, as a real org does after its sessions are cleared.
 */
export class TokenStore {
  readonly #clock: Clock;
  readonly #orgId15: string;
  readonly #policies: AppTokenPolicies;
  readonly #accessTokens = new Map<string, AccessSession>();
  readonly #refreshTokens = new Map<string, RefreshGrant>();
  readonly #codes = new Map<string, AuthorizationCode>();
  /** Redeemed or expired codes, remembered so a replay is told "expired" rather than "invalid". */
  readonly #spentCodes = new Set<string>();
  readonly #browserSessions = new Map<string, BrowserSession>();
  /** Scopes each user approved per connected app: `${userId} ${clientId}` → scopes. */
  readonly #approvals = new Map<string, Set<string>>();

  constructor(clock: Clock, orgId: string, policies: AppTokenPolicies) {
    this.#clock = clock;
    this.#orgId15 = orgId.slice(0, 15);
    this.#policies = policies;
  }

  issueAccessToken(userId: string, clientId: string, scopes: string[], refreshToken?: string): AccessSession {
    const now = this.#clock.now();
    // Shaped like Salesforce's: the 15-character org id, '!', then an opaque part.
    const token = `${this.#orgId15}!${randomToken(72)}`;
    const session: AccessSession = {
      token,
      userId,
      clientId,
      scopes,
      issuedAt: now,
      expiresAt: now + this.#policies.sessionTimeoutMs(clientId),
      refreshToken,
    };
    this.#accessTokens.set(token, session);
    if (refreshToken) this.#refreshTokens.get(refreshToken)?.accessTokens.add(token);
    return session;
  }

  issueRefreshToken(userId: string, clientId: string, scopes: string[]): RefreshGrant {
    const now = this.#clock.now();
    const grant: RefreshGrant = {
      token: `5Aep861${randomToken(60)}`,
      userId,
      clientId,
      scopes,
      issuedAt: now,
      lastUsedAt: now,
      accessTokens: new Set(),
    };
    this.#refreshTokens.set(grant.token, grant);
    return grant;
  }

  /**
   * The refresh grants, for a demo that keeps its sessions across restarts (bin/demo-org.ts):
   * clients then refresh instead of reconnecting. Access tokens are not kept: they are short-lived.
   */
  exportRefreshGrants(): SavedRefreshGrant[] {
    return [...this.#refreshTokens.values()].map(
      ({ token, userId, clientId, scopes, issuedAt, lastUsedAt }) => ({
        token,
        userId,
        clientId,
        scopes: [...scopes],
        issuedAt,
        lastUsedAt,
      }),
    );
  }

  /** Takes back grants exportRefreshGrants wrote (their policies still apply when they are used). */
  restoreRefreshGrants(grants: readonly SavedRefreshGrant[]): void {
    for (const grant of grants) {
      this.#refreshTokens.set(grant.token, { ...grant, scopes: [...grant.scopes], accessTokens: new Set() });
    }
  }

  /** A live session for the token (and extends its inactivity timeout), or undefined. */
  useAccessToken(token: string): AccessSession | undefined {
    const session = this.#accessTokens.get(token);
    if (!session) return undefined;
    const now = this.#clock.now();
    // A blocked app's sessions end for good: unblocking later does not revive them.
    if (now >= session.expiresAt || this.#policies.isBlocked(session.clientId)) {
      this.#accessTokens.delete(token);
      return undefined;
    }
    session.expiresAt = now + this.#policies.sessionTimeoutMs(session.clientId);
    return session;
  }

  /** The grant of a refresh token, whatever its policy says (no expiry check, not counted as a use). */
  findRefreshToken(token: string): RefreshGrant | undefined {
    return this.#refreshTokens.get(token);
  }

  /**
   * Redeems a refresh token under its app's policy: undefined when unknown, revoked or expired (an
   * expired token is forgotten; the access tokens it issued live on until their own timeout).
   */
  useRefreshToken(token: string): RefreshGrant | undefined {
    const grant = this.#refreshTokens.get(token);
    if (!grant) return undefined;
    const now = this.#clock.now();
    const policy = this.#policies.refreshTokenPolicy(grant.clientId);
    const expiresAt =
      policy.kind === 'expire-after'
        ? grant.issuedAt + policy.seconds * 1000
        : policy.kind === 'expire-if-unused'
          ? grant.lastUsedAt + policy.seconds * 1000
          : Number.POSITIVE_INFINITY;
    if (now >= expiresAt) {
      this.#refreshTokens.delete(token);
      return undefined;
    }
    grant.lastUsedAt = now;
    return grant;
  }

  /**
   * Replaces a refresh token with a new one of the same chain (Salesforce's refresh token
   * rotation): the old token stops working at once, the access tokens it issued do not.
   */
  rotateRefreshToken(grant: RefreshGrant): RefreshGrant {
    this.#refreshTokens.delete(grant.token);
    const now = this.#clock.now();
    const next: RefreshGrant = {
      ...grant,
      token: `5Aep861${randomToken(60)}`,
      issuedAt: now,
      lastUsedAt: now,
    };
    this.#refreshTokens.set(next.token, next);
    return next;
  }

  /** Revokes an access or refresh token; a refresh token takes its access tokens with it. */
  revoke(token: string): boolean {
    const grant = this.#refreshTokens.get(token);
    if (grant) {
      for (const accessToken of grant.accessTokens) this.#accessTokens.delete(accessToken);
      this.#refreshTokens.delete(token);
      return true;
    }
    return this.#accessTokens.delete(token);
  }

  /** Ends every session and grant issued to an app (blocking it). */
  revokeApp(clientId: string): void {
    for (const [token, session] of this.#accessTokens)
      if (session.clientId === clientId) this.#accessTokens.delete(token);
    for (const [token, grant] of this.#refreshTokens)
      if (grant.clientId === clientId) this.#refreshTokens.delete(token);
  }

  /** Ends every session and grant of a user (deactivation). */
  revokeUser(userId: string): void {
    for (const [token, session] of this.#accessTokens)
      if (session.userId === userId) this.#accessTokens.delete(token);
    for (const [token, grant] of this.#refreshTokens)
      if (grant.userId === userId) this.#refreshTokens.delete(token);
  }

  issueCode(code: Omit<AuthorizationCode, 'code' | 'expiresAt'>): AuthorizationCode {
    const issued: AuthorizationCode = {
      ...code,
      code: `aPrx${randomToken(48)}`,
      expiresAt: this.#clock.now() + AUTHORIZATION_CODE_LIFETIME_MS,
    };
    this.#codes.set(issued.code, issued);
    return issued;
  }

  /** Takes a code out of the store (codes are single-use); undefined if unknown or expired. */
  consumeCode(code: string): AuthorizationCode | undefined {
    const found = this.#codes.get(code);
    if (!found) return undefined;
    this.#codes.delete(code);
    return this.#clock.now() < found.expiresAt ? found : undefined;
  }

  /** Like consumeCode, but says whether an unusable code was never issued or is spent/expired. */
  redeemCode(code: string): CodeRedemption {
    const found = this.#codes.get(code);
    if (!found) return { failure: this.#spentCodes.has(code) ? 'expired' : 'invalid' };
    this.#codes.delete(code);
    this.#spentCodes.add(code);
    return this.#clock.now() < found.expiresAt ? { code: found } : { failure: 'expired' };
  }

  /** Starts a browser session after an interactive login; it lasts as long as an idle API session. */
  createBrowserSession(userId: string): BrowserSession {
    const session: BrowserSession = {
      id: randomToken(32),
      userId,
      expiresAt: this.#clock.now() + this.#policies.sessionTimeoutMs(),
    };
    this.#browserSessions.set(session.id, session);
    return session;
  }

  /** The live browser session for a cookie value (and extends it), or undefined. */
  useBrowserSession(id: string): BrowserSession | undefined {
    const session = this.#browserSessions.get(id);
    if (!session) return undefined;
    const now = this.#clock.now();
    if (now >= session.expiresAt) {
      this.#browserSessions.delete(id);
      return undefined;
    }
    session.expiresAt = now + this.#policies.sessionTimeoutMs();
    return session;
  }

  endBrowserSession(id: string): void {
    this.#browserSessions.delete(id);
  }

  /** Remembers that a user approved these scopes for an app (the consent page's Allow). */
  rememberApproval(userId: string, clientId: string, scopes: string[]): void {
    const key = `${userId} ${clientId}`;
    const approved = this.#approvals.get(key) ?? new Set<string>();
    for (const scope of scopes) approved.add(scope);
    this.#approvals.set(key, approved);
  }

  /** Every scope the user has approved for the app (the JWT bearer grant issues these). */
  approvedScopes(userId: string, clientId: string): string[] {
    return [...(this.#approvals.get(`${userId} ${clientId}`) ?? [])];
  }

  /** Whether the user already approved every one of these scopes for the app. */
  hasApproval(userId: string, clientId: string, scopes: string[]): boolean {
    const approved = this.#approvals.get(`${userId} ${clientId}`);
    return approved !== undefined && scopes.every((scope) => approved.has(scope));
  }
}
