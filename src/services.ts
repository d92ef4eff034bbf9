import type { AgentRuntime } from './agent/turns/agent-runtime.ts';
import type { MeetingRuntime } from './meetings/meeting-runtime.ts';
import type { PrometheusMetrics } from './platform/metrics/prometheus-metrics.ts';
import type { ServiceContext } from './platform/service-context.ts';
import type { ServiceLifecycle } from './platform/service-lifecycle.ts';

/**
 * What the composition root (src/main.ts) hands a surface: the platform services and the feature
 * runtimes, each built once per instance. Surfaces call these; they construct nothing themselves.
 */
export interface Services {
  context: ServiceContext;
  agent: AgentRuntime;
  /** The meeting features' state: describe cache, sends in flight, unknown-outcome timers. */
  meetings: MeetingRuntime;
  /** Serving or draining (readiness, `Connection: close`). */
  lifecycle: ServiceLifecycle;
  /** The instance's Prometheus registry, scraped at GET /metrics. */
  metrics: PrometheusMetrics;
}
