import { Hono } from 'hono';
import { normalizeId } from '../core/ids.ts';
import type { Org } from '../org/org.ts';
import type { AccessSession } from '../org/tokens.ts';
import { handleAuthorize, handleAuthorizeForm, handleLogout } from './authorize.ts';
import { accessTokenOf, JSON_CONTENT_TYPE, jsonResponse, plainTextResponse, readForm } from './http.ts';
import { identityResponse, userInfoResponse } from './identity.ts';
import { jwks } from './jwt.ts';
import { ALL_SCOPES } from './scopes.ts';
import { handleToken } from './token.ts';

/** The caller of an identity-service request, or the bare-word 403 Salesforce answers with. */
async function identityCaller(org: Org, request: Request): Promise<AccessSession | Response> {
  const form = await readForm(request);
  const token = accessTokenOf(request, form);
  if (!token) return plainTextResponse(403, 'Missing_OAuth_Token');
  const session = org.tokens.useAccessToken(token);
  if (!session || !org.isActive(session.userId)) return plainTextResponse(403, 'Bad_OAuth_Token');
  return session;
}

/**
 * `POST /services/oauth2/revoke` (and GET with `?token=`, which Salesforce also allows). An
 * unknown token is a 400; like Salesforce, the error is form-encoded unless JSON is asked for
 * (jsforce parses it as a query string).
 */
async function handleRevoke(org: Org, request: Request): Promise<Response> {
  const form = await readForm(request);
  const query = new URL(request.url).searchParams;
  const token = form.get('token') ?? query.get('token');
  if (token && org.tokens.revoke(token)) return new Response(null, { status: 200 });
  const error = { error: 'unsupported_token_type', error_description: 'this token type is not supported' };
  const wantsJson =
    (request.headers.get('accept') ?? '').includes('application/json') ||
    (form.get('format') ?? query.get('format')) === 'json';
  if (wantsJson) return jsonResponse(400, error);
  return new Response(new URLSearchParams(error).toString().replace(/\+/g, '%20'), {
    status: 400,
    headers: { 'Content-Type': 'application/x-www-form-urlencoded;charset=UTF-8' },
  });
}

async function handleUserInfo(org: Org, request: Request): Promise<Response> {
  const caller = await identityCaller(org, request);
  if (caller instanceof Response) return caller;
  const version = new URL(request.url).searchParams.get('version') ?? undefined;
  const body = userInfoResponse(org, caller.userId, version);
  return body ? jsonResponse(200, body) : plainTextResponse(404, 'Bad_Id');
}

async function handleIdentity(org: Org, request: Request, orgId: string, userId: string): Promise<Response> {
  const caller = await identityCaller(org, request);
  if (caller instanceof Response) return caller;
  const normalizedUser = normalizeId(userId);
  const user = normalizedUser ? org.user(normalizedUser) : undefined;
  if (normalizeId(orgId) !== org.id || !normalizedUser || !user) return plainTextResponse(404, 'Bad_Id');
  const version = new URL(request.url).searchParams.get('version') ?? undefined;
  const body = identityResponse(org, normalizedUser, normalizedUser === caller.userId, version);
  return body ? jsonResponse(200, body) : plainTextResponse(404, 'Bad_Id');
}

function openIdConfiguration(org: Org): Record<string, unknown> {
  const base = org.baseUrl;
  return {
    issuer: base,
    authorization_endpoint: `${base}/services/oauth2/authorize`,
    token_endpoint: `${base}/services/oauth2/token`,
    revocation_endpoint: `${base}/services/oauth2/revoke`,
    userinfo_endpoint: `${base}/services/oauth2/userinfo`,
    jwks_uri: `${base}/id/keys`,
    scopes_supported: [...ALL_SCOPES],
    response_types_supported: ['code'],
    grant_types_supported: [
      'authorization_code',
      'refresh_token',
      'password',
      'client_credentials',
      'urn:ietf:params:oauth:grant-type:jwt-bearer',
    ],
    subject_types_supported: ['public'],
    id_token_signing_alg_values_supported: ['RS256'],
    token_endpoint_auth_methods_supported: ['client_secret_post', 'client_secret_basic', 'none'],
    code_challenge_methods_supported: ['S256'],
    claims_supported: [
      'active',
      'address',
      'email',
      'email_verified',
      'family_name',
      'given_name',
      'is_app_installed',
      'language',
      'locale',
      'name',
      'nickname',
      'organization_id',
      'picture',
      'preferred_username',
      'profile',
      'sub',
      'updated_at',
      'user_id',
      'user_type',
      'utcOffset',
      'zoneinfo',
    ],
  };
}

/** Mounts /services/oauth2/*, the identity URL /id/{orgId}/{userId}, /id/keys and OpenID discovery. */
export function oauthRoutes(org: Org): Hono {
  const app = new Hono();
  app.get('/services/oauth2/authorize', (context) => handleAuthorize(org, context.req.raw));
  app.post('/services/oauth2/authorize', (context) => handleAuthorizeForm(org, context.req.raw));
  app.all('/services/oauth2/token', (context) => handleToken(org, context.req.raw));
  app.on(['GET', 'POST'], '/services/oauth2/revoke', (context) => handleRevoke(org, context.req.raw));
  app.on(['GET', 'POST'], '/services/oauth2/userinfo', (context) => handleUserInfo(org, context.req.raw));
  app.get('/id/keys', () =>
    jsonResponse(200, jwks(org), {
      'Content-Type': JSON_CONTENT_TYPE,
      'Cache-Control': 'public, max-age=3600',
    }),
  );
  app.on(['GET', 'POST'], '/id/:orgId/:userId', (context) =>
    handleIdentity(org, context.req.raw, context.req.param('orgId'), context.req.param('userId')),
  );
  app.get('/.well-known/openid-configuration', () => jsonResponse(200, openIdConfiguration(org)));
  app.get('/secur/logout.jsp', (context) => handleLogout(org, context.req.raw));
  return app;
}
