/**
 * The audit of the MCP OAuth flow: client registrations (dynamic, metadata document,
 * pre-registered), consents, tokens issued, refreshed, revoked and refused. Written here, whatever
 * surface saw the step (the OAuth routes, the MCP endpoint, the CLI); the row names the client and
 * the person when known, never a code or a token.
 */
import type { AuditAction } from '../audit/audit-actions.ts';
import type { ServiceContext } from '../platform/service-context.ts';
import type { McpOAuthClientsTable } from '../store/mcp-oauth-tables.ts';
import type { AuditOutcome } from '../store/schema.ts';
import { type AccessTokenCheck, findClient, registerClient } from './mcp-oauth.ts';

type AuditService = Pick<ServiceContext, 'store' | 'audit'>;

/** What a step of the flow records: whose, which client, how it went; detail never holds a token. */
export interface OAuthAuditEvent {
  action: AuditAction;
  userId: string | null;
  clientId: string;
  clientName?: string;
  outcome?: AuditOutcome;
  errorCode?: string;
  detail?: Record<string, string | number | boolean | null>;
}

/** Records one step of the flow (surface `mcp`), naming the client by its stored name when not given. */
export async function recordOAuthEvent(service: AuditService, event: OAuthAuditEvent): Promise<void> {
  const clientName =
    event.clientName ?? (await findClient(service.store, event.clientId))?.name ?? 'unknown client';
  await service.audit.record({
    actorUserId: event.userId,
    surface: 'mcp',
    action: event.action,
    outcome: event.outcome ?? 'success',
    errorCode: event.errorCode ?? null,
    detail: { client: clientName, clientId: event.clientId.slice(0, 300), ...event.detail },
  });
}

/**
 * A bearer token refused at the MCP endpoint (unknown, revoked, expired, for another resource, or
 * its person disabled): audited with whose it was when it is one of ours, never its value.
 */
export async function recordRefusedToken(service: AuditService, check: AccessTokenCheck): Promise<void> {
  const subject = check.ok ? { userId: check.userId, clientId: check.clientId } : check.subject;
  const client = subject ? await findClient(service.store, subject.clientId) : undefined;
  await service.audit.record({
    actorUserId: subject?.userId ?? null,
    surface: 'mcp',
    action: 'mcp.token.refused',
    outcome: 'denied',
    errorCode: check.ok ? 'user_disabled' : check.reason,
    detail: {
      client: client?.name ?? 'unknown client',
      clientId: subject?.clientId.slice(0, 300) ?? null,
      where: 'mcp_endpoint',
    },
  });
}

/** An operator's pre-registration of a client (`forcefield mcp register-client`), audited from the CLI. */
export async function preregisterClient(
  service: AuditService & Pick<ServiceContext, 'now'>,
  input: { name: string; redirectUris: string[] },
): Promise<McpOAuthClientsTable> {
  const client = await registerClient(service.store, {
    ...input,
    registration: 'preregistered',
    now: service.now(),
  });
  await service.audit.record({
    actorUserId: null,
    surface: 'cli',
    action: 'mcp.client.registered',
    outcome: 'success',
    detail: { client: client.name, clientId: client.id, registration: 'preregistered' },
  });
  return client;
}
