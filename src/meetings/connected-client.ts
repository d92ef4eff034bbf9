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

/** Clients kept per service instance, bounded: the oldest goes first. */
const MAX_CLIENTS = 200;
const clientsByService = new WeakMap<object, Map<string, SalesforceClient>>();

/**
 * The user's client for a connection they may use (404 otherwise), built by the one client factory.
 * Access is checked on every call; only the client object is reused, for the same person, surface,
 * connection and stored tokens (status, version and ciphertext): a refresh, reconnect or disconnect
 * changes the row and so builds (or refuses) a new one at once. Building one per send made a new
 * jsforce connection every time.
 */
export async function connectedClient(
  service: Pick<ServiceContext, 'store' | 'audit' | 'salesforce' | 'salesforceSessions'>,
  user: Actor,
  connectionId: string,
): Promise<ConnectedClient> {
  const connection = await findUsableConnection(service.store, user, connectionId);
  let clients = clientsByService.get(service.salesforceSessions);
  if (!clients) {
    clients = new Map();
    clientsByService.set(service.salesforceSessions, clients);
  }
  const key = [
    user.id,
    user.surface,
    connection.id,
    connection.status,
    connection.token_version,
    connection.access_token,
  ].join('\u0000');
  let client = clients.get(key);
  if (!client) {
    client = await createSalesforceClient({
      service,
      connectionId: connection.id,
      trigger: { actorUserId: user.id, surface: user.surface },
      // The access check read the row with its tokens: no second read on every send.
      connection,
    });
    clients.set(key, client);
    if (clients.size > MAX_CLIENTS) clients.delete(clients.keys().next().value as string);
  }
  return {
    client,
    connectionId: connection.id,
    instanceUrl: connection.instance_url,
    orgId: connection.salesforce_org_id,
    salesforceUserId: connection.salesforce_user_id,
  };
}
