import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import { OAuthTokenError, SalesforceUnreachableError } from './errors.ts';
import type { SalesforceSettings } from './salesforce-settings.ts';

/**
 * Salesforce's OAuth endpoints over plain fetch: authorize URL, code exchange, refresh, revoke and
 * userinfo. Plain requests rather than jsforce's OAuth2 so that a refresh happens only when the
 * token refresher decides (jsforce would retry a failing refresh on its own).
 */

const REQUEST_TIMEOUT_MS = 15_000;

export type Fetch = typeof fetch;

/** What we rely on from a token response; anything else Salesforce adds is ignored. */
export const tokenResponseSchema = z.object({
  access_token: z.string().min(1),
  refresh_token: z.string().min(1).optional(),
  instance_url: z.url(),
  id: z.url(),
  issued_at: z.string().regex(/^\d+$/),
  signature: z.string().min(1).optional(),
  scope: z.string().optional(),
  token_type: z.string().optional(),
});
export type TokenResponse = z.infer<typeof tokenResponseSchema>;

export const userInfoSchema = z.object({
  user_id: z.string().min(15),
  organization_id: z.string().min(15),
  preferred_username: z.string().min(1),
  name: z.string().default(''),
  email: z.string().nullish(),
});
export type UserInfo = z.infer<typeof userInfoSchema>;

const tokenErrorSchema = z.object({ error: z.string(), error_description: z.string().optional() });

export function pkceChallenge(verifier: string): string {
  return createHash('sha256').update(verifier).digest('base64url');
}

export function authorizationUrl(options: {
  loginHost: string;
  settings: SalesforceSettings;
  state: string;
  codeVerifier: string;
  /** `login`: make the person sign in even with a Salesforce session (service accounts). */
  prompt?: 'login' | 'consent';
}): string {
  const url = new URL('/services/oauth2/authorize', options.loginHost);
  url.searchParams.set('response_type', 'code');
  url.searchParams.set('client_id', options.settings.clientId);
  url.searchParams.set('redirect_uri', options.settings.callbackUrl);
  url.searchParams.set('scope', options.settings.scopes.join(' '));
  url.searchParams.set('state', options.state);
  url.searchParams.set('code_challenge', pkceChallenge(options.codeVerifier));
  url.searchParams.set('code_challenge_method', 'S256');
  if (options.prompt) url.searchParams.set('prompt', options.prompt);
  return url.toString();
}

async function send(fetchFunction: Fetch, url: string, init: RequestInit): Promise<Response> {
  try {
    return await fetchFunction(url, { ...init, signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS) });
  } catch (error) {
    const host = new URL(url).host;
    throw new SalesforceUnreachableError(`Salesforce (${host}) could not be reached.`, { cause: error });
  }
}

async function readJson(response: Response): Promise<unknown> {
  const text = await response.text();
  try {
    return JSON.parse(text);
  } catch {
    throw new SalesforceUnreachableError(
      `Salesforce answered ${response.status} with something that is not JSON (is the login host right?).`,
    );
  }
}

/** The HMAC Salesforce signs `id + issued_at` with, keyed by the client secret: proves the response is for our app. */
function signatureMatches(response: TokenResponse, clientSecret: string): boolean {
  if (!response.signature) return true;
  const expected = createHmac('sha256', clientSecret)
    .update(response.id + response.issued_at)
    .digest();
  const given = Buffer.from(response.signature, 'base64');
  return given.length === expected.length && timingSafeEqual(given, expected);
}

async function tokenRequest(
  fetchFunction: Fetch,
  loginHost: string,
  settings: SalesforceSettings,
  parameters: Record<string, string>,
): Promise<TokenResponse> {
  const response = await send(fetchFunction, new URL('/services/oauth2/token', loginHost).toString(), {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', Accept: 'application/json' },
    body: new URLSearchParams({
      ...parameters,
      client_id: settings.clientId,
      client_secret: settings.clientSecret,
    }).toString(),
  });
  const body = await readJson(response);
  if (!response.ok) {
    const parsed = tokenErrorSchema.safeParse(body);
    if (parsed.success) {
      throw new OAuthTokenError(parsed.data.error, parsed.data.error_description ?? '', response.status);
    }
    throw new SalesforceUnreachableError(`Salesforce's token endpoint answered ${response.status}.`);
  }
  const parsed = tokenResponseSchema.safeParse(body);
  if (!parsed.success) {
    throw new SalesforceUnreachableError("Salesforce's token response is missing fields we need.");
  }
  if (!signatureMatches(parsed.data, settings.clientSecret)) {
    throw new SalesforceUnreachableError(
      "Salesforce's token response signature does not match our client secret.",
    );
  }
  return parsed.data;
}

export function exchangeAuthorizationCode(
  fetchFunction: Fetch,
  settings: SalesforceSettings,
  options: { loginHost: string; code: string; codeVerifier: string },
): Promise<TokenResponse> {
  return tokenRequest(fetchFunction, options.loginHost, settings, {
    grant_type: 'authorization_code',
    code: options.code,
    code_verifier: options.codeVerifier,
    redirect_uri: settings.callbackUrl,
  });
}

export function refreshAccessToken(
  fetchFunction: Fetch,
  settings: SalesforceSettings,
  options: { loginHost: string; refreshToken: string },
): Promise<TokenResponse> {
  return tokenRequest(fetchFunction, options.loginHost, settings, {
    grant_type: 'refresh_token',
    refresh_token: options.refreshToken,
  });
}

export async function fetchUserInfo(
  fetchFunction: Fetch,
  options: { instanceUrl: string; accessToken: string },
): Promise<{ status: 'ok'; userInfo: UserInfo } | { status: 'invalid_session' }> {
  const response = await send(
    fetchFunction,
    new URL('/services/oauth2/userinfo', options.instanceUrl).toString(),
    {
      headers: { Authorization: `Bearer ${options.accessToken}`, Accept: 'application/json' },
    },
  );
  if (response.status === 401 || response.status === 403) {
    await response.body?.cancel();
    return { status: 'invalid_session' };
  }
  const body = await readJson(response);
  if (!response.ok)
    throw new SalesforceUnreachableError(`Salesforce's userinfo answered ${response.status}.`);
  const parsed = userInfoSchema.safeParse(body);
  if (!parsed.success)
    throw new SalesforceUnreachableError("Salesforce's userinfo response is missing fields we need.");
  return { status: 'ok', userInfo: parsed.data };
}

/**
 * Revokes a token (a refresh token revokes its access tokens too). `revoked` is true when
 * Salesforce confirmed, or said the token was already invalid.
 */
export async function revokeToken(
  fetchFunction: Fetch,
  options: { loginHost: string; token: string },
): Promise<{ revoked: true } | { revoked: false; reason: string }> {
  let response: Response;
  try {
    response = await send(fetchFunction, new URL('/services/oauth2/revoke', options.loginHost).toString(), {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', Accept: 'application/json' },
      body: new URLSearchParams({ token: options.token }).toString(),
    });
  } catch (error) {
    return { revoked: false, reason: error instanceof Error ? error.message : String(error) };
  }
  const text = await response.text();
  if (response.ok) return { revoked: true };
  // 400 invalid_token: Salesforce no longer knows the token — it is as revoked as it gets.
  if (response.status === 400 && text.includes('invalid_token')) return { revoked: true };
  return { revoked: false, reason: `Salesforce's revoke endpoint answered ${response.status}.` };
}
