import { decodeJwt, errors, importX509, jwtVerify } from 'jose';
import type { ConnectedApp, Org } from '../org/org.ts';
import {
  APP_BLOCKED_GRANT,
  isAdminApproved,
  isUserPermitted,
  NOT_PRE_AUTHORIZED_GRANT,
} from './app-policies.ts';
import { oauthErrorResponse } from './http.ts';
import { appScopes } from './scopes.ts';
import { successResponse } from './token-response.ts';

/**
 * The server-to-server grants Salesforce recommends: JWT bearer (a certificate on the app, an
 * assertion signed with its key) and client credentials (the app's secret and a run-as user).
 * Neither issues a refresh token.
 */

export const JWT_BEARER_GRANT = 'urn:ietf:params:oauth:grant-type:jwt-bearer';

function invalidAssertion(): Response {
  return oauthErrorResponse('invalid_grant', 'invalid assertion');
}

/** The audiences Salesforce accepts: its login host, here the emulator's base URL (with or without `/`). */
function isAudience(org: Org, audience: unknown): boolean {
  const accepted = [org.baseUrl, `${org.baseUrl}/`];
  const given = Array.isArray(audience) ? audience : [audience];
  return given.some((value) => typeof value === 'string' && accepted.includes(value));
}

/**
 * The scopes a JWT session gets: an admin-approved app's own scopes for a pre-authorized user; on a
 * self-authorize app, those the user approved before, which must include a refresh grant.
 */
function jwtScopes(org: Org, app: ConnectedApp, userId: string): string[] | undefined {
  if (isAdminApproved(app)) return isUserPermitted(org, app, userId) ? appScopes(app) : undefined;
  const approved = org.tokens.approvedScopes(userId, app.clientId);
  const refreshApproved = approved.includes('refresh_token') || approved.includes('offline_access');
  return refreshApproved ? approved : undefined;
}

/** `grant_type=urn:ietf:params:oauth:grant-type:jwt-bearer&assertion=…` */
export async function jwtBearerGrant(org: Org, assertion: string | undefined): Promise<Response> {
  let claims: ReturnType<typeof decodeJwt>;
  try {
    claims = decodeJwt(assertion ?? '');
  } catch {
    return invalidAssertion();
  }
  const app = typeof claims.iss === 'string' ? org.apps.get(claims.iss) : undefined;
  if (!app) return oauthErrorResponse('invalid_client_id', 'client identifier invalid');
  if (app.blocked) return oauthErrorResponse(APP_BLOCKED_GRANT.error, APP_BLOCKED_GRANT.description);
  if (!app.certificate) return invalidAssertion();
  try {
    const key = await importX509(app.certificate, 'RS256');
    await jwtVerify(assertion ?? '', key, {
      algorithms: ['RS256'],
      currentDate: new Date(org.clock.now()),
      requiredClaims: ['exp'],
    });
  } catch (error) {
    if (error instanceof errors.JWTExpired) {
      return oauthErrorResponse('invalid_grant', 'expired authorization code');
    }
    return invalidAssertion();
  }
  if (!isAudience(org, claims.aud)) return oauthErrorResponse('invalid_grant', 'audience is invalid');
  const userId = typeof claims.sub === 'string' ? org.userIdByUsername(claims.sub) : undefined;
  if (!userId) return invalidAssertion();
  if (!org.isActive(userId)) return oauthErrorResponse('invalid_grant', 'inactive user');
  const scopes = jwtScopes(org, app, userId);
  if (!scopes)
    return oauthErrorResponse(NOT_PRE_AUTHORIZED_GRANT.error, NOT_PRE_AUTHORIZED_GRANT.description);
  const session = org.tokens.issueAccessToken(userId, app.clientId, scopes);
  return successResponse(org, app, session, {});
}

/**
 * `grant_type=client_credentials`: the client already authenticated with its secret; the session
 * runs as the app's configured user.
 */
export function clientCredentialsGrant(org: Org, app: ConnectedApp, secretGiven: boolean): Response {
  if (!secretGiven) return oauthErrorResponse('invalid_client', 'invalid client credentials');
  const userId = app.clientCredentialsUser ? org.userIdByUsername(app.clientCredentialsUser) : undefined;
  if (!userId) return oauthErrorResponse('invalid_grant', 'no client credentials user enabled');
  if (!org.isActive(userId)) return oauthErrorResponse('invalid_grant', 'inactive user');
  const scopes = appScopes(app).filter((scope) => scope !== 'refresh_token' && scope !== 'offline_access');
  const session = org.tokens.issueAccessToken(userId, app.clientId, scopes);
  return successResponse(org, app, session, {});
}
