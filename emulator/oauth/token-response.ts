import { createHmac } from 'node:crypto';
import type { ConnectedApp, Org } from '../org/org.ts';
import type { AccessSession } from '../org/tokens.ts';
import { jsonResponse } from './http.ts';
import { idTokenUserClaims } from './identity.ts';
import { accessTokenHash, signJwt } from './jwt.ts';

/** How long an id token is valid. */
const ID_TOKEN_LIFETIME_SECONDS = 300;

/** `signature`: HMAC-SHA256 of `id + issued_at` keyed with the consumer secret, base64 (lets a client check the response). */
export function tokenSignature(clientSecret: string, identityUrl: string, issuedAt: string): string {
  return createHmac('sha256', clientSecret)
    .update(identityUrl + issuedAt)
    .digest('base64');
}

/** The token endpoint's 200 answer for a session, in Salesforce's key order. */
export function successResponse(
  org: Org,
  app: ConnectedApp,
  session: AccessSession,
  options: { refreshToken?: string; nonce?: string },
): Response {
  const identityUrl = org.identityUrl(session.userId);
  const issuedAt = String(session.issuedAt);
  const body: Record<string, unknown> = { access_token: session.token };
  if (options.refreshToken) body.refresh_token = options.refreshToken;
  body.signature = tokenSignature(app.clientSecret, identityUrl, issuedAt);
  body.scope = session.scopes.join(' ');
  if (session.scopes.includes('openid')) {
    const issuedSeconds = Math.floor(session.issuedAt / 1000);
    body.id_token = signJwt(org, {
      at_hash: accessTokenHash(session.token),
      sub: identityUrl,
      aud: app.clientId,
      iss: org.baseUrl,
      exp: issuedSeconds + ID_TOKEN_LIFETIME_SECONDS,
      iat: issuedSeconds,
      ...(options.nonce !== undefined ? { nonce: options.nonce } : {}),
      ...idTokenUserClaims(org, session.userId, session.scopes),
    });
  }
  body.instance_url = org.baseUrl;
  body.id = identityUrl;
  body.token_type = 'Bearer';
  body.issued_at = issuedAt;
  return jsonResponse(200, body, { 'Cache-Control': 'no-store', Pragma: 'no-cache' });
}
