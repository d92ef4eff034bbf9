import { findUsableConnection } from '../connections/access.ts';
import type { Actor } from '../core/actor.ts';
import type { ServiceContext } from '../platform/service-context.ts';
import type { AuditSurface } from '../store/schema.ts';
import { SalesforceClient } from './salesforce-client.ts';

/**
 * A Salesforce client for one request, after checking that the user may use the connection
 * (404 otherwise). Needs-reconnect connections fail here with a clear SalesforceConnectionError.
 */
export async function salesforceClientFor(
  service: Pick<ServiceContext, 'store' | 'audit' | 'salesforce' | 'salesforceSessions'>,
  user: Actor,
  connectionId: string,
  surface: AuditSurface = user.surface,
): Promise<SalesforceClient> {
  const connection = await findUsableConnection(service.store, user, connectionId);
  const tokens = await service.salesforceSessions.currentTokens(connection.id);
  return new SalesforceClient({
    connectionId: connection.id,
    apiVersion: service.salesforce.apiVersion,
    tokens,
    sessions: service.salesforceSessions,
    audit: service.audit,
    trigger: { actorUserId: user.id, surface },
  });
}
