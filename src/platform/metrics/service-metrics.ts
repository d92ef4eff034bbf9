import type { AuditAction } from '../../audit/audit-actions.ts';
import type { AuditOutcome } from '../../store/schema.ts';

/** Why a Salesforce call was refused before it left (see salesforce/call-limits.ts). */
export type CallRefusal = 'concurrency' | 'rate' | 'budget';

/**
 * What the service reports to its metrics, as calls on one injected interface: features and the
 * platform never import the metrics library. Sends, token refreshes and approvals are counted from
 * the audit events they record (every one of them is audited), so no feature needs its own hook.
 */
export interface ServiceMetrics {
  auditRecorded(action: AuditAction, outcome: AuditOutcome): void;
  /** One Salesforce API call: a route template (`/sobjects/:type`), its status, how long it took. */
  salesforceCall(call: { route: string; status: string; seconds: number }): void;
  salesforceCallRefused(reason: CallRefusal): void;
}

/** Reports nothing (in-process callers that do not scrape). */
export const NO_METRICS: ServiceMetrics = {
  auditRecorded() {},
  salesforceCall() {},
  salesforceCallRefused() {},
};
