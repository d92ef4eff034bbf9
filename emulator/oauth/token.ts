import { createHash, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import type { ConnectedApp, Org } from '../org/org.ts';
import { APP_BLOCKED_GRANT, isUserPermitted, NOT_PRE_AUTHORIZED_GRANT } from './app-policies.ts';
import { oauthErrorResponse, readForm } from './http.ts';
import { appScopes, grantsRefreshToken } from './scopes.ts';
import { clientCredentialsGrant, JWT_BEARER_GRANT, jwtBearerGrant } from './server-grants.ts';
import { successResponse } from './token-response.ts';

const tokenParameters = z.object({
  grant_type: z.string().optional(),
  client_id: z.string().optional(),
  client_secret: z.string().optional(),
  code: z.string().optional(),
  redirect_uri: z.string().optional(),
  code_verifier: z.string().optional(),
  refresh_token: z.string().optional(),
  username: z.string().optional(),
  password: z.string().optional(),
  assertion: z.string().optional(),
});

type TokenParameters = z.infer<typeof tokenParameters>;

function invalidClientId(): Response {
  return oauthErrorResponse('invalid_client_id', 'client identifier invalid');
}

function invalidClientCredentials(): Response {
  return oauthErrorResponse('invalid_client', 'invalid client credentials');
}

function notPreAuthorized(): Response {
  return oauthErrorResponse(NOT_PRE_AUTHORIZED_GRANT.error, NOT_PRE_AUTHORIZED_GRANT.description);
}

function safeEqual(expected: string, given: string): boolean {
  const left = Buffer.from(expected);
  const right = Buffer.from(given);
  return left.length === right.length && timingSafeEqual(left, right);
}

/** Client credentials from HTTP Basic (`client_id:client_secret`, each form-encoded), which Salesforce accepts too. */
function basicCredentials(request: Request): { clientId: string; clientSecret: string } | undefined {
  const match = /^Basic\s+(\S+)$/i.exec(request.headers.get('authorization') ?? '');
  if (!match) return undefined;
  const decoded = Buffer.from(match[1], 'base64').toString('utf8');
  const separator = decoded.indexOf(':');
  if (separator < 0) return undefined;
  const decode = (text: string) => {
    try {
      return decodeURIComponent(text.replace(/\+/g, ' '));
    } catch {
      return text;
    }
  };
  return {
    clientId: decode(decoded.slice(0, separator)),
    clientSecret: decode(decoded.slice(separator + 1)),
  };
}

/** Issues the access token (and a refresh token when the scopes ask for one) for a fresh grant. */
function grant(org: Org, app: ConnectedApp, userId: string, scopes: string[], nonce?: string): Response {
  const refresh = grantsRefreshToken(scopes)
    ? org.tokens.issueRefreshToken(userId, app.clientId, scopes)
    : undefined;
  const session = org.tokens.issueAccessToken(userId, app.clientId, scopes, refresh?.token);
  return successResponse(org, app, session, { refreshToken: refresh?.token, nonce });
}

function pkceChallenge(verifier: string): string {
  return createHash('sha256').update(verifier).digest('base64url');
}

function authorizationCodeGrant(
  org: Org,
  app: ConnectedApp,
  parameters: TokenParameters,
  secretGiven: boolean,
): Response {
  const redemption = org.tokens.redeemCode(parameters.code ?? '');
  if ('failure' in redemption) {
    return oauthErrorResponse(
      'invalid_grant',
      redemption.failure === 'expired' ? 'expired authorization code' : 'invalid authorization code',
    );
  }
  const code = redemption.code;
  if (code.clientId !== app.clientId)
    return oauthErrorResponse('invalid_grant', 'invalid authorization code');
  // A public client (no secret) is only trusted when PKCE binds the code to it.
  if (!secretGiven && !code.codeChallenge) return invalidClientCredentials();
  if (code.codeChallenge) {
    const verifier = parameters.code_verifier;
    if (!verifier || !safeEqual(code.codeChallenge, pkceChallenge(verifier))) {
      return oauthErrorResponse('invalid_grant', 'invalid code verifier');
    }
  }
  if (parameters.redirect_uri !== code.redirectUri) {
    return oauthErrorResponse('redirect_uri_mismatch', 'redirect_uri must match configuration');
  }
  if (!org.isActive(code.userId)) return oauthErrorResponse('invalid_grant', 'inactive user');
  // The admin may have taken the user off the app since the code was issued.
  if (!isUserPermitted(org, app, code.userId)) return notPreAuthorized();
  return grant(org, app, code.userId, code.scopes, code.nonce);
}

function refreshTokenGrant(org: Org, app: ConnectedApp, parameters: TokenParameters): Response {
  const known = parameters.refresh_token ? org.tokens.findRefreshToken(parameters.refresh_token) : undefined;
  // Another app's token is not even looked at (and not counted as a use of it).
  const refresh = known?.clientId === app.clientId ? org.tokens.useRefreshToken(known.token) : undefined;
  if (!refresh) return oauthErrorResponse('invalid_grant', 'expired access/refresh token');
  if (!org.isActive(refresh.userId)) return oauthErrorResponse('invalid_grant', 'inactive user');
  if (!isUserPermitted(org, app, refresh.userId)) return notPreAuthorized();
  if (app.refreshTokenPolicy?.kind === 'rotate') {
    // Rotation: a new refresh token in every response; the one just used is spent.
    const next = org.tokens.rotateRefreshToken(refresh);
    const session = org.tokens.issueAccessToken(next.userId, app.clientId, next.scopes, next.token);
    return successResponse(org, app, session, { refreshToken: next.token });
  }
  // No rotation: the same refresh token stays valid and no new one is returned.
  const session = org.tokens.issueAccessToken(refresh.userId, app.clientId, refresh.scopes, refresh.token);
  return successResponse(org, app, session, {});
}

function passwordGrant(
  org: Org,
  app: ConnectedApp,
  parameters: TokenParameters,
  secretGiven: boolean,
): Response {
  if (!secretGiven) return invalidClientCredentials();
  const userId = org.authenticate(parameters.username ?? '', parameters.password ?? '');
  if (!userId) return oauthErrorResponse('invalid_grant', 'authentication failure');
  if (!isUserPermitted(org, app, userId)) return notPreAuthorized();
  // Salesforce's username-password flow never issues a refresh token, whatever the app's scopes.
  const session = org.tokens.issueAccessToken(userId, app.clientId, appScopes(app));
  return successResponse(org, app, session, {});
}

/** `POST /services/oauth2/token`. */
export async function handleToken(org: Org, request: Request): Promise<Response> {
  if (request.method !== 'POST') return oauthErrorResponse('invalid_request', 'must use HTTP POST');
  // Salesforce reads parameters from the query string as well as the form body.
  const merged = new URLSearchParams(new URL(request.url).search);
  for (const [name, value] of await readForm(request)) merged.set(name, value);
  const parameters = tokenParameters.parse(Object.fromEntries(merged));

  const grantType = parameters.grant_type;
  // The assertion names the app (iss): no client id or secret is sent.
  if (grantType === JWT_BEARER_GRANT) return jwtBearerGrant(org, parameters.assertion);
  if (
    grantType !== 'authorization_code' &&
    grantType !== 'refresh_token' &&
    grantType !== 'password' &&
    grantType !== 'client_credentials'
  ) {
    return oauthErrorResponse('unsupported_grant_type', 'grant type not supported');
  }

  const basic = basicCredentials(request);
  const clientId = parameters.client_id ?? basic?.clientId;
  // An empty secret is a public client saying it has none.
  const clientSecret = parameters.client_secret || basic?.clientSecret || undefined;
  const app = clientId ? org.apps.get(clientId) : undefined;
  if (!app) return invalidClientId();
  if (basic && basic.clientId !== app.clientId) return invalidClientCredentials();
  if (clientSecret !== undefined && !safeEqual(app.clientSecret, clientSecret))
    return invalidClientCredentials();
  const secretGiven = clientSecret !== undefined;
  // A blocked app gets nothing, whatever the grant (its tokens were ended when it was blocked).
  if (app.blocked) return oauthErrorResponse(APP_BLOCKED_GRANT.error, APP_BLOCKED_GRANT.description);

  switch (grantType) {
    case 'authorization_code':
      return authorizationCodeGrant(org, app, parameters, secretGiven);
    case 'refresh_token':
      return refreshTokenGrant(org, app, parameters);
    case 'password':
      return passwordGrant(org, app, parameters, secretGiven);
    case 'client_credentials':
      return clientCredentialsGrant(org, app, secretGiven);
  }
}
