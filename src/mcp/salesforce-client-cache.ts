import { findUsableConnection } from '../connections/access.ts';
import type { Actor } from '../core/actor.ts';
import type { ServiceContext } from '../platform/service-context.ts';
import { createSalesforceClient } from '../salesforce/client-factory.ts';
import type { SalesforceClient } from '../salesforce/salesforce-client.ts';

/** How long a client is reused, on the service clock: bounded, so tokens refreshed elsewhere are picked up. */
export const CLIENT_REUSE_MS = 60_000;
const MAX_CLIENTS = 500;

/**
 * Salesforce clients kept between MCP tool calls, per person and connection: building one per
 * call read the connection's tokens and opened a new connection to Salesforce each time. Access
 * is still checked on every call (sharing or the connection may have changed since); only the
 * client object is reused, for at most CLIENT_REUSE_MS.
 */
export class SalesforceClientCache {
  readonly #clients = new Map<string, { client: Promise<SalesforceClient>; until: number }>();

  /**
   * `accessChecked`: the caller's own read of the connection, in this same call, proved the person
   * may use it (their own active personal connection): checking again would be the same read twice.
   */
  async clientFor(
    service: ServiceContext,
    user: Actor,
    connectionId: string,
    options: { accessChecked?: boolean } = {},
  ): Promise<SalesforceClient> {
    const connection = options.accessChecked
      ? { id: connectionId }
      : await findUsableConnection(service.store, user, connectionId);
    const key = `${user.id}\u0000${connection.id}`;
    const now = service.now();
    const cached = this.#clients.get(key);
    if (cached && cached.until > now) return cached.client;
    const client = createSalesforceClient({
      service,
      connectionId: connection.id,
      trigger: { actorUserId: user.id, surface: 'mcp' },
    });
    // A failed build is not kept: the next call tries again.
    client.catch(() => {
      if (this.#clients.get(key)?.client === client) this.#clients.delete(key);
    });
    this.#clients.delete(key);
    this.#clients.set(key, { client, until: now + CLIENT_REUSE_MS });
    while (this.#clients.size > MAX_CLIENTS) {
      this.#clients.delete(this.#clients.keys().next().value as string);
    }
    return client;
  }
}
