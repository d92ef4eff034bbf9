/**
 * The Salesforce client of the meeting features, with what the access check read about its
 * connection: the send path keys the describe cache by org and user and links records on the
 * instance, and reading them from the access check's row saves a statement on every send.
 */
import { findUsableConnection } from '../connections/access.ts';
import type { Actor } from '../core/actor.ts';
import type { ServiceContext } from '../platform/service-context.ts';
import { createSalesforceClient } from '../salesforce/client-factory.ts';
import type { SalesforceClient } from '../salesforce/salesforce-client.ts';

export interface ConnectedClient {
  client: SalesforceClient;
  connectionId: string;
  instanceUrl: string;
  orgId: string;
  salesforceUserId: string;
}

/** The user's client for a connection they may use (404 otherwise), built by the one client factory. */
export async function connectedClient(
  service: Pick<ServiceContext, 'store' | 'audit' | 'salesforce' | 'salesforceSessions'>,
  user: Actor,
  connectionId: string,
): Promise<ConnectedClient> {
  const connection = await findUsableConnection(service.store, user, connectionId);
  const client = await createSalesforceClient({
    service,
    connectionId: connection.id,
    trigger: { actorUserId: user.id, surface: user.surface },
    // The access check read the row with its tokens: no second read on every send.
    connection,
  });
  return {
    client,
    connectionId: connection.id,
    instanceUrl: connection.instance_url,
    orgId: connection.salesforce_org_id,
    salesforceUserId: connection.salesforce_user_id,
  };
}
