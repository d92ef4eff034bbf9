import type { Actor } from '../core/actor.ts';
import type { ServiceContext } from '../platform/service-context.ts';
import { createSalesforceClient } from '../salesforce/client-factory.ts';
import type { SalesforceClient } from '../salesforce/salesforce-client.ts';
import type { AuditSurface } from '../store/schema.ts';
import { findUsableConnection } from './access.ts';

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
  return createSalesforceClient({
    service,
    connectionId: connection.id,
    trigger: { actorUserId: user.id, surface },
  });
}
