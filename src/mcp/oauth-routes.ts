import { Hono } from 'hono';
import { html } from 'hono/html';
import { z } from 'zod';
import {
  exchangeCode,
  issueCode,
  OAuthFailure,
  redirectUrisOf,
  refreshTokens,
  revokeToken,
} from '../accounts/mcp-oauth.ts';
import { agentForCaller } from '../agent/direct/call-tool-directly.ts';
import { authenticate } from '../http/auth-middleware.ts';
import type { AppEnvironment } from '../http/auth-types.ts';
import type { Services } from '../services.ts';
import type { McpOAuthClientsTable } from '../store/mcp-oauth-tables.ts';
import { type ClientDirectory, clientDirectory } from './client-directory.ts';

/**
 * The OAuth 2.1 authorization server for the MCP endpoints: Protected Resource Metadata (RFC 9728)
 * per agent, authorization server metadata (RFC 8414), Dynamic Client Registration (RFC 7591),
 * the authorization code flow with PKCE S256 on the existing login with a consent page naming the
 * client and the agent, the token endpoint (code and refresh grants, tokens bound to the person and
 * the `resource`), and revocation (RFC 7009). Clients are pre-registered, dynamically registered,
 * or described by a Client ID Metadata Document (an https `client_id`, client-metadata-documents.ts).
 * Each step is audited (surface `mcp`, the client's name, the person when known; never a token).
 * The token mechanics are in accounts/mcp-oauth.ts.
 */

const authorizeSchema = z.object({
  response_type: z.literal('code'),
  client_id: z.string().min(1).max(2000),
  redirect_uri: z.string().min(1).max(2000),
  code_challenge: z.string().regex(/^[A-Za-z0-9_-]{43}$/, 'a base64url SHA-256 (S256) challenge'),
  code_challenge_method: z.literal('S256'),
  resource: z.string().min(1).max(2000),
  state: z.string().max(2000).optional(),
  scope: z.string().max(500).optional(),
});
type AuthorizeRequest = z.infer<typeof authorizeSchema>;

export function oauthRoutes(services: Services): Hono<AppEnvironment> {
  const app = new Hono<AppEnvironment>();
  const base = (url: string) =>
    (services.context.config.PUBLIC_URL ?? new URL(url).origin).replace(/\/$/, '');
  const clients = clientDirectory(services);
  discoveryRoutes(app, base);
  registrationRoutes(app, clients);
  authorizeRoutes(app, services, clients, base);
  tokenRoutes(app, services, clients);
  return app;
}

type Base = (url: string) => string;

/** Protected Resource Metadata (RFC 9728) per agent, and the authorization server's metadata (RFC 8414). */
function discoveryRoutes(app: Hono<AppEnvironment>, base: Base): void {
  app.get('/.well-known/oauth-protected-resource/mcp/agents/:agentId', (context) => {
    const origin = base(context.req.url);
    return context.json({
      resource: `${origin}/mcp/agents/${context.req.param('agentId')}`,
      authorization_servers: [origin],
      bearer_methods_supported: ['header'],
      scopes_supported: ['mcp'],
      resource_name: 'Forcefield agent',
    });
  });

  app.get('/.well-known/oauth-authorization-server', (context) => {
    const origin = base(context.req.url);
    return context.json({
      issuer: origin,
      authorization_endpoint: `${origin}/oauth/authorize`,
      token_endpoint: `${origin}/oauth/token`,
      registration_endpoint: `${origin}/oauth/register`,
      revocation_endpoint: `${origin}/oauth/revoke`,
      response_types_supported: ['code'],
      grant_types_supported: ['authorization_code', 'refresh_token'],
      code_challenge_methods_supported: ['S256'],
      token_endpoint_auth_methods_supported: ['none'],
      revocation_endpoint_auth_methods_supported: ['none'],
      scopes_supported: ['mcp'],
      client_id_metadata_document_supported: true,
    });
  });
}

/** Dynamic Client Registration (RFC 7591): public clients with exact https or loopback redirect URIs. */
function registrationRoutes(app: Hono<AppEnvironment>, clients: ClientDirectory): void {
  app.post('/oauth/register', async (context) => {
    const body = (await context.req.json().catch(() => ({}))) as {
      redirect_uris?: unknown;
      client_name?: unknown;
    };
    const redirectUris = Array.isArray(body.redirect_uris)
      ? body.redirect_uris.filter((uri) => typeof uri === 'string')
      : [];
    try {
      const client = await clients.register({
        name: typeof body.client_name === 'string' ? body.client_name : 'MCP client',
        redirectUris,
      });
      return context.json(
        {
          client_id: client.id,
          client_name: client.name,
          redirect_uris: redirectUrisOf(client),
          token_endpoint_auth_method: 'none',
          grant_types: ['authorization_code', 'refresh_token'],
          response_types: ['code'],
        },
        201,
      );
    } catch (error) {
      return oauthError(context, error);
    }
  });
}

/** The consent page on the existing login, and the person's decision (a code, or access_denied). */
function authorizeRoutes(
  app: Hono<AppEnvironment>,
  services: Services,
  clients: ClientDirectory,
  base: Base,
): void {
  const service = services.context;
  app.use('/oauth/authorize', authenticate(service));
  app.use('/oauth/authorize/*', authenticate(service));
  app.get('/oauth/authorize', async (context) => {
    const user = context.get('user');
    const checked = await checkAuthorize(
      clients,
      context.req.query(),
      base(context.req.url),
      user?.id ?? null,
    );
    if (!checked.ok) return context.html(html`<!doctype html><p>${checked.message}</p>`, 400);
    if (!user)
      return context.redirect(
        `/login?next=${encodeURIComponent(context.req.url.slice(base(context.req.url).length))}`,
      );
    const agent = await agentForCaller(
      { service, runtime: services.agent, user, clientName: checked.clientName },
      checked.agentId,
    );
    return context.html(consentPage(checked.clientName, agent.row.name, checked.request));
  });

  app.post('/oauth/authorize/decision', async (context) => {
    const user = context.get('user');
    if (!user) return context.json({ error: 'login_required' }, 401);
    const body = (await context.req.json().catch(() => ({}))) as Record<string, string> & {
      decision?: string;
    };
    const checked = await checkAuthorize(clients, body, base(context.req.url), user.id);
    if (!checked.ok)
      return context.json({ error: 'invalid_request', error_description: checked.message }, 400);
    await agentForCaller(
      { service, runtime: services.agent, user, clientName: checked.clientName },
      checked.agentId,
    );
    const target = new URL(checked.request.redirect_uri);
    if (checked.request.state !== undefined) target.searchParams.set('state', checked.request.state);
    target.searchParams.set('iss', base(context.req.url));
    const consent = {
      userId: user.id,
      clientId: checked.request.client_id,
      clientName: checked.clientName,
      detail: { agentId: checked.agentId },
    };
    if (body.decision !== 'approve') {
      await clients.audit({ ...consent, action: 'mcp.consent.denied', outcome: 'denied' });
      target.searchParams.set('error', 'access_denied');
      return context.json({ redirectTo: target.toString() });
    }
    await clients.audit({ ...consent, action: 'mcp.consent.granted' });
    const code = await issueCode(service.store, {
      clientId: checked.request.client_id,
      userId: user.id,
      resource: checked.request.resource,
      redirectUri: checked.request.redirect_uri,
      codeChallenge: checked.request.code_challenge,
      now: service.now(),
    });
    target.searchParams.set('code', code);
    return context.json({ redirectTo: target.toString() });
  });
}

/** The token endpoint (code + PKCE, refresh rotation) and revocation. */
function tokenRoutes(app: Hono<AppEnvironment>, services: Services, clients: ClientDirectory): void {
  const service = services.context;
  app.post('/oauth/token', async (context) => {
    const form = await context.req.parseBody().catch(() => ({}) as Record<string, unknown>);
    const field = (name: string) => (typeof form[name] === 'string' ? (form[name] as string) : undefined);
    const clientId = field('client_id') ?? '';
    const grantType = field('grant_type');
    try {
      if (!(await clients.find(clientId, null)))
        throw new OAuthFailure('invalid_client', 'Unknown client_id.');
      const resource = field('resource');
      const now = service.now();
      const issued =
        grantType === 'authorization_code'
          ? await exchangeCode(service.store, {
              code: field('code') ?? '',
              clientId,
              redirectUri: field('redirect_uri') ?? '',
              codeVerifier: field('code_verifier') ?? '',
              ...(resource === undefined ? {} : { resource }),
              now,
            })
          : grantType === 'refresh_token'
            ? await refreshTokens(service.store, {
                refreshToken: field('refresh_token') ?? '',
                clientId,
                ...(resource === undefined ? {} : { resource }),
                now,
              })
            : (() => {
                throw new OAuthFailure('unsupported_grant_type', 'Use authorization_code or refresh_token.');
              })();
      await clients.audit({
        action: grantType === 'refresh_token' ? 'mcp.token.refreshed' : 'mcp.token.issued',
        userId: issued.userId,
        clientId: issued.clientId,
        detail: { grantType: grantType ?? null },
      });
      return context.json(issued.tokens, 200, { 'Cache-Control': 'no-store' });
    } catch (error) {
      if (error instanceof OAuthFailure) {
        await clients.audit({
          action: 'mcp.token.refused',
          userId: error.subject?.userId ?? null,
          clientId: error.subject?.clientId ?? clientId,
          outcome: 'denied',
          errorCode: error.code,
          detail: { grantType: grantType?.slice(0, 50) ?? null, where: 'token_endpoint' },
        });
      }
      return oauthError(context, error);
    }
  });

  app.post('/oauth/revoke', async (context) => {
    const form = await context.req.parseBody().catch(() => ({}) as Record<string, unknown>);
    const revoked =
      typeof form.token === 'string'
        ? await revokeToken(service.store, form.token, service.now())
        : undefined;
    if (revoked) {
      await clients.audit({
        action: 'mcp.token.revoked',
        userId: revoked.userId,
        clientId: revoked.clientId,
        detail: { kind: revoked.kind },
      });
    }
    return context.body(null, 200);
  });
}

type Checked =
  | { ok: true; request: AuthorizeRequest; clientName: string; agentId: string }
  | { ok: false; message: string };

/** The authorization request checked before anyone is redirected anywhere: client, redirect URI, PKCE, resource. */
async function checkAuthorize(
  clients: ClientDirectory,
  query: Record<string, unknown>,
  origin: string,
  userId: string | null,
): Promise<Checked> {
  const parsed = authorizeSchema.safeParse(query);
  if (!parsed.success) {
    return {
      ok: false,
      message: `Invalid authorization request: ${parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; ')}`,
    };
  }
  const request = parsed.data;
  let client: McpOAuthClientsTable | undefined;
  try {
    client = await clients.find(request.client_id, userId);
  } catch (error) {
    if (!(error instanceof OAuthFailure)) throw error;
    return { ok: false, message: error.message };
  }
  if (!client || !redirectUrisOf(client).includes(request.redirect_uri)) {
    return { ok: false, message: 'Unknown client, or a redirect URI it did not register.' };
  }
  const prefix = `${origin}/mcp/agents/`;
  const agentId = request.resource.startsWith(prefix) ? request.resource.slice(prefix.length) : '';
  if (!/^[A-Za-z0-9_-]{1,100}$/.test(agentId))
    return { ok: false, message: 'The resource is not a Forcefield MCP server URL.' };
  return { ok: true, request, clientName: client.name, agentId };
}

function consentPage(clientName: string, agentName: string, request: AuthorizeRequest) {
  return html`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Allow ${clientName} · Forcefield</title></head>
<body style="font-family: system-ui, sans-serif; max-width: 36rem; margin: 2rem auto; padding: 0 1rem">
<h1>Allow ${clientName} to use the agent “${agentName}”?</h1>
<p><strong>${clientName}</strong> will call the Salesforce tools of the Forcefield agent <strong>${agentName}</strong> as you, with the agent's permissions: actions that need approval will still ask you.</p>
<p><button type="button" data-decision="approve">Allow</button> <button type="button" data-decision="deny">Deny</button></p>
<div id="request" data-request="${JSON.stringify(request)}"></div>
<script>
const request = JSON.parse(document.getElementById('request').dataset.request);
for (const button of document.querySelectorAll('button[data-decision]')) {
  button.addEventListener('click', async () => {
    const me = await (await fetch('/api/me')).json();
    const response = await fetch('/oauth/authorize/decision', {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-csrf-token': me.csrfToken },
      body: JSON.stringify({ ...request, decision: button.dataset.decision }),
    });
    const body = await response.json();
    if (body.redirectTo) location.href = body.redirectTo;
  });
}
</script></body></html>`;
}

function oauthError(
  context: { json: (body: unknown, status: 400 | 401) => Response },
  error: unknown,
): Response {
  if (!(error instanceof OAuthFailure)) throw error;
  return context.json(
    { error: error.code, error_description: error.message },
    error.code === 'invalid_client' ? 401 : 400,
  );
}
