import type { ServiceContext } from '../platform/service-context.ts';
import type { AuditSurface } from '../store/schema.ts';
import { SalesforceClient } from './salesforce-client.ts';
import type { StoredConnectionTokens } from './sessions.ts';

/** The platform services a Salesforce client needs. */
export type SalesforceClientDependencies = Pick<
  ServiceContext,
  'audit' | 'salesforce' | 'salesforceSessions'
>;

/**
 * The one place a Salesforce client is built: the connection's current tokens, the configured API
 * version, the single-flight refresh of this instance, and the audit trigger of whoever acts. Callers
 * check that the person may use the connection first (connections/connection-client.ts).
 */
export async function createSalesforceClient({
  service,
  connectionId,
  trigger,
  connection,
}: {
  service: SalesforceClientDependencies;
  connectionId: string;
  trigger: { actorUserId: string | null; surface: AuditSurface };
  /** The connection's row, when the caller has just read it: its tokens are used as they are. */
  connection?: StoredConnectionTokens;
}): Promise<SalesforceClient> {
  const tokens = connection
    ? service.salesforceSessions.tokensOf(connectionId, connection)
    : await service.salesforceSessions.currentTokens(connectionId);
  return new SalesforceClient({
    connectionId,
    apiVersion: service.salesforce.apiVersion,
    tokens,
    sessions: service.salesforceSessions,
    audit: service.audit,
    trigger,
  });
}
