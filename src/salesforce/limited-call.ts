import type { ServiceMetrics } from '../platform/metrics/service-metrics.ts';
import type { SalesforceCallLimits } from './call-limits.ts';
import { SalesforceApiError, SalesforceConnectionError } from './errors.ts';
import { isInvalidSession } from './translate-error.ts';

/** The status label of a failed call: Salesforce's class of answer, or why it never got one. */
function failureStatusOf(error: unknown): string {
  if (isInvalidSession(error)) return '401';
  if (error instanceof SalesforceApiError) return error.status >= 500 ? '5xx' : '4xx';
  if (error instanceof SalesforceConnectionError && error.code !== 'salesforce_unreachable')
    return error.code;
  // jsforce's errors (translated by the caller): ERROR_HTTP_nnn carries the status, a named code is a 4xx.
  const errorCode = error instanceof Error ? (error as { errorCode?: unknown }).errorCode : undefined;
  if (typeof errorCode === 'string') {
    const status = /^ERROR_HTTP_(\d)\d\d$/.exec(errorCode)?.[1];
    return status ? `${status}xx` : '4xx';
  }
  return 'unreachable';
}

/**
 * One Salesforce call under the connection's limits (a slot, the rate, the API budget; refused
 * before it leaves otherwise), timed into the metrics by route and status.
 */
export async function limitedCall<T>({
  limits,
  metrics,
  connectionId,
  route,
  run,
}: {
  limits: SalesforceCallLimits | undefined;
  metrics: ServiceMetrics | undefined;
  connectionId: string;
  route: string;
  run: () => Promise<T>;
}): Promise<T> {
  const release = limits ? await limits.acquire(connectionId) : undefined;
  const started = performance.now();
  let status = '2xx';
  try {
    return await run();
  } catch (error) {
    status = failureStatusOf(error);
    throw error;
  } finally {
    release?.();
    metrics?.salesforceCall({ route, status, seconds: (performance.now() - started) / 1000 });
  }
}
