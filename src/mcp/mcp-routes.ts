import {
  type AuthInfo,
  createMcpHandler,
  hostHeaderValidationResponse,
  isJsonContentType,
  isLegacyRequest,
  localhostAllowedHostnames,
  localhostAllowedOrigins,
  originValidationResponse,
  PROTOCOL_VERSION_META_KEY,
  readRequestBody,
} from '@modelcontextprotocol/server';
import { Hono } from 'hono';
import { resolveApiKey } from '../accounts/api-keys.ts';
import { resolveAccessToken } from '../accounts/mcp-oauth.ts';
import { recordRefusedToken } from '../accounts/mcp-oauth-audit.ts';
import { getUserRow } from '../accounts/users.ts';
import { agentForCaller } from '../agent/direct/call-tool-directly.ts';
import type { Actor } from '../core/actor.ts';
import { ServiceError } from '../core/errors.ts';
import type { Services } from '../services.ts';
import type { UsersTable } from '../store/schema.ts';
import { type AgentMcpCaller, createAgentMcpServer } from './agent-mcp-server.ts';
import { approvalPageRoutes } from './approval-page.ts';
import { LegacySessions } from './legacy-sessions.ts';
import { oauthRoutes } from './oauth-routes.ts';
import { SalesforceClientCache } from './salesforce-client-cache.ts';

/** The largest MCP request body we read (tool inputs are small; the SDK's default is 4 MiB). */
const MAX_MCP_BODY_BYTES = 256 * 1024;

/**
 * The remote MCP server: `/mcp/agents/{agentId}` over Streamable HTTP, answering the 2026-07-28
 * revision (the SDK's `createMcpHandler`) and the 2025 revisions with sessions (legacy-sessions.ts). Each request is
 * authenticated (an API key, `Authorization: Bearer ff_…`), checked against the agent, and served
 * by a fresh server instance for that person and agent. Origin and Host are validated first
 * (DNS rebinding): the public URL's host, or localhost when none is configured.
 */
export function mcpRoutes(services: Services): Hono {
  const service = services.context;
  const app = new Hono();
  const legacy = new LegacySessions();
  const salesforceClients = new SalesforceClientCache();
  const handler = createMcpHandler((context) => createAgentMcpServer(callerOf(context.authInfo)), {
    legacy: 'reject',
    maxRequestBodySize: MAX_MCP_BODY_BYTES,
    onerror: (error) => service.logger.debug({ errorName: error.name }, 'mcp request refused'),
  });
  const hostnames = service.config.PUBLIC_URL
    ? [new URL(service.config.PUBLIC_URL).hostname]
    : localhostAllowedHostnames();
  const origins = service.config.PUBLIC_URL ? hostnames : localhostAllowedOrigins();

  app.all('/mcp/agents/:agentId', async (context) => {
    const request = context.req.raw;
    const rejected =
      hostHeaderValidationResponse(request, hostnames) ?? originValidationResponse(request, origins);
    if (rejected) return rejected;
    const publicUrl = service.config.PUBLIC_URL ?? new URL(request.url).origin;
    const agentId = context.req.param('agentId');
    const resource = `${publicUrl.replace(/\/$/, '')}/mcp/agents/${agentId}`;
    const user = await authenticateMcp(services, request.headers.get('authorization'), resource);
    if (!user) {
      const metadata = `${publicUrl.replace(/\/$/, '')}/.well-known/oauth-protected-resource/mcp/agents/${agentId}`;
      return context.json(
        {
          error: {
            code: 'unauthenticated',
            message:
              'Sign in with OAuth (see the resource metadata) or send an API key: Authorization: Bearer ff_…',
          },
        },
        401,
        { 'WWW-Authenticate': `Bearer resource_metadata="${metadata}"` },
      );
    }
    const agent = await agentForCaller(
      { service, runtime: services.agent, user, clientName: 'MCP client' },
      agentId,
    );
    const caller: AgentMcpCaller = { services, user, agent, publicUrl, salesforceClients };
    const authInfo: AuthInfo = { token: 'forcefield', clientId: 'api-key', scopes: [], extra: { caller } };
    // The body is read and parsed once, here, and handed to the era check and the transport
    // (each would otherwise read and parse its own copy).
    const body = await jsonBodyOf(request);
    if (body.kind === 'refused') return body.response;
    const parsed = body.kind === 'parsed' ? { parsedBody: body.value } : {};
    // The agent was read for this very request: its tool calls need not read it again. A 2025
    // session's server is built with `caller` (it outlives this request); each request's own
    // reading reaches its handlers through authInfo.
    const fresh: AgentMcpCaller = { ...caller, agentReadForThisRequest: true };
    const freshAuthInfo: AuthInfo = { ...authInfo, extra: { caller: fresh } };
    if (
      !carriesEnvelopeClaim(parsed.parsedBody) &&
      (await isLegacyRequest(request, parsed.parsedBody, { maxRequestBodySize: MAX_MCP_BODY_BYTES }))
    ) {
      return legacy.handle(request, caller, freshAuthInfo, MAX_MCP_BODY_BYTES, parsed);
    }
    return handler.fetch(request, { authInfo: freshAuthInfo, ...parsed });
  });
  app.route('/', approvalPageRoutes(services));
  app.route('/', oauthRoutes(services));
  return app;
}

/**
 * A JSON POST body, read once within the size limit. Other requests (GET streams, DELETE, other
 * content types) are left for the SDK to answer as it does.
 */
async function jsonBodyOf(
  request: Request,
): Promise<{ kind: 'none' } | { kind: 'parsed'; value: unknown } | { kind: 'refused'; response: Response }> {
  if (request.method !== 'POST' || !isJsonContentType(request.headers.get('content-type') ?? '')) {
    return { kind: 'none' };
  }
  const read = await readRequestBody(request, MAX_MCP_BODY_BYTES);
  if (read.tooLarge)
    return { kind: 'refused', response: jsonRpcError(413, -32600, 'Request body too large.') };
  try {
    return { kind: 'parsed', value: JSON.parse(read.text) };
  } catch {
    return { kind: 'refused', response: jsonRpcError(400, -32700, 'Parse error: the body is not JSON.') };
  }
}

/**
 * A single JSON-RPC request or notification (not `initialize`, not a response) whose `_meta`
 * carries the 2026-07-28 envelope claim: the SDK's classification never calls that legacy (it
 * serves it, or answers its own error for a bad envelope), so the handler, which classifies it
 * anyway, need not be preceded by a second classification. Anything else is left to isLegacyRequest.
 */
export function carriesEnvelopeClaim(body: unknown): boolean {
  if (!isPlainObject(body) || body.jsonrpc !== '2.0' || 'result' in body || 'error' in body) return false;
  if (typeof body.method !== 'string' || body.method === 'initialize') return false;
  if ('id' in body && !(typeof body.id === 'string' || Number.isSafeInteger(body.id))) return false;
  const meta = isPlainObject(body.params) ? body.params._meta : undefined;
  return isPlainObject(meta) && PROTOCOL_VERSION_META_KEY in meta;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function jsonRpcError(status: number, code: number, message: string): Response {
  return Response.json({ jsonrpc: '2.0', error: { code, message }, id: null }, { status });
}

function callerOf(authInfo: AuthInfo | undefined): AgentMcpCaller {
  const caller = authInfo?.extra?.caller as AgentMcpCaller | undefined;
  // The route sets it on every request it hands over; anything else is a wiring mistake.
  if (!caller) throw new ServiceError(401, 'unauthenticated', 'Not authenticated.');
  return caller;
}

/**
 * The person behind a bearer credential, as an MCP actor: an API key (`ff_…`), or an OAuth access
 * token issued for exactly this `resource` (the MCP URL). Null when there is none or it is not valid.
 */
export async function authenticateMcp(
  services: Services,
  authorization: string | null,
  resource?: string,
): Promise<Actor | null> {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? '');
  if (!match) return null;
  const { store, now } = services.context;
  let user: UsersTable | undefined;
  if (match[1].startsWith('ff_')) {
    user = (await resolveApiKey(store, match[1], now()))?.user;
  } else if (resource !== undefined) {
    const check = await resolveAccessToken(store, match[1], resource, now());
    const row = check.ok ? await getUserRow(store, check.userId).catch(() => undefined) : undefined;
    user = row && row.disabled_at === null ? row : undefined;
    if (!user) {
      // A token that is not (or no longer) good here: audited with whose it was, never its value.
      await recordRefusedToken(services.context, check);
    }
  }
  if (!user) return null;
  return {
    id: user.id,
    email: user.email,
    name: user.name,
    role: user.role,
    surface: 'mcp',
    sessionId: null,
  };
}
