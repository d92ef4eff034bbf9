import { findUsableConnection } from '../connections/access.ts';
import type { Actor } from '../core/actor.ts';
import type { ServiceContext } from '../platform/service-context.ts';
import type { AuditSurface } from '../store/schema.ts';
import { SalesforceClient } from './salesforce-client.ts';

type ClientServices = Pick<ServiceContext, 'store' | 'audit' | 'salesforce' | 'salesforceSessions'>;

/** A client and what the access check read about its connection (callers key caches by org and user). */
export interface ConnectedSalesforceClient {
  client: SalesforceClient;
  connectionId: string;
  instanceUrl: string;
  orgId: string;
  salesforceUserId: string;
}

/**
 * A Salesforce client for one request, after checking that the user may use the connection
 * (404 otherwise). Needs-reconnect connections fail here with a clear SalesforceConnectionError.
 */
export async function salesforceClientFor(
  service: ClientServices,
  user: Actor,
  connectionId: string,
  surface: AuditSurface = user.surface,
): Promise<SalesforceClient> {
  return (await connectedSalesforceClient(service, user, connectionId, surface)).client;
}

/**
 * As salesforceClientFor, with the connection's instance URL and Salesforce org and user: the
 * access check's row has them, which saves callers that need them a statement per request (the
 * tokens are still read by the sessions, which own them).
 */
export async function connectedSalesforceClient(
  service: ClientServices,
  user: Actor,
  connectionId: string,
  surface: AuditSurface = user.surface,
): Promise<ConnectedSalesforceClient> {
  const connection = await findUsableConnection(service.store, user, connectionId);
  const tokens = await service.salesforceSessions.currentTokens(connection.id);
  const client = new SalesforceClient({
    connectionId: connection.id,
    apiVersion: service.salesforce.apiVersion,
    tokens,
    sessions: service.salesforceSessions,
    audit: service.audit,
    trigger: { actorUserId: user.id, surface },
  });
  return {
    client,
    connectionId: connection.id,
    instanceUrl: connection.instance_url,
    orgId: connection.salesforce_org_id,
    salesforceUserId: connection.salesforce_user_id,
  };
}
