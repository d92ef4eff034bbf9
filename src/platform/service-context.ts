import type { AuditLog } from '../audit/audit-log.ts';
import type { Config } from '../core/config.ts';
import type { Logger } from '../core/logger.ts';
import type { SalesforceSettings } from '../salesforce/salesforce-settings.ts';
import type { SalesforceSessions } from '../salesforce/sessions.ts';
import type { Store } from '../store/database.ts';
import type { TokenVault } from '../vault/token-vault.ts';
import type { ServiceMetrics } from './metrics/service-metrics.ts';

/**
 * The platform services every feature may use, built once by the composition root (src/main.ts)
 * and passed in explicitly (no globals): tests build one with their own store, clock and settings.
 */
export interface ServiceContext {
  config: Config;
  store: Store;
  logger: Logger;
  audit: AuditLog;
  salesforce: SalesforceSettings;
  /** Encrypts Salesforce tokens and PKCE verifiers at rest. */
  vault: TokenVault;
  /** Salesforce token state of this instance: refreshes (single-flight), usage bookkeeping. */
  salesforceSessions: SalesforceSessions;
  /** Milliseconds since the epoch; tests move time by passing their own. */
  now: () => number;
  /** Counters and timings for /metrics, as calls on an interface (features never import prom-client). */
  metrics: ServiceMetrics;
}
