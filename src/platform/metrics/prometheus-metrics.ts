import { Counter, collectDefaultMetrics, type Gauge, Histogram, Registry } from 'prom-client';
import type { AuditAction } from '../../audit/audit-actions.ts';
import type { Store } from '../../store/database.ts';
import type { AuditOutcome } from '../../store/schema.ts';
import type { CallRefusal, ServiceMetrics } from './service-metrics.ts';
import { storeGauges } from './store-gauges.ts';

/** Which counter an audited action adds to, and under which outcome label. */
function auditCounterOf(action: AuditAction, outcome: AuditOutcome) {
  if (action === 'meeting.send') return { counter: 'sends', label: outcome } as const;
  if (action === 'meeting.send.replayed') return { counter: 'sends', label: 'replayed' } as const;
  if (action === 'meeting.send.resolved') return { counter: 'sends', label: `resolved_${outcome}` } as const;
  if (action === 'connection.refreshed') return { counter: 'refreshes', label: outcome } as const;
  if (action === 'connection.needs_reconnect')
    return { counter: 'refreshes', label: 'needs_reconnect' } as const;
  if (action.startsWith('agent.approval.') && action !== 'agent.approval.requested') {
    return { counter: 'approvals', label: action.slice('agent.approval.'.length) } as const;
  }
  return undefined;
}

/**
 * The instance's Prometheus metrics (prom-client), in a registry of its own: counters and
 * histograms fed through ServiceMetrics, and gauges read from the store at scrape time (open sends,
 * API usage per org, pool use) so that every instance reports the shared state the same way.
 */
export class PrometheusMetrics implements ServiceMetrics {
  readonly registry = new Registry();
  readonly #sends: Counter<'outcome'>;
  readonly #refreshes: Counter<'outcome'>;
  readonly #approvals: Counter<'outcome'>;
  readonly #salesforceCalls: Histogram<'route' | 'status'>;
  readonly #refusals: Counter<'reason'>;
  #processMetrics = false;

  constructor(store: Store) {
    const registers = [this.registry];
    this.#sends = new Counter({
      name: 'forcefield_meeting_sends_total',
      help: 'Meeting sends by outcome (success, failure, replayed, resolved_success, resolved_failure).',
      labelNames: ['outcome'],
      registers,
    });
    this.#refreshes = new Counter({
      name: 'forcefield_token_refreshes_total',
      help: 'Salesforce token refreshes by outcome (success, needs_reconnect).',
      labelNames: ['outcome'],
      registers,
    });
    this.#approvals = new Counter({
      name: 'forcefield_agent_approvals_total',
      help: 'Agent approval decisions by outcome (approved, rejected, refused, expired).',
      labelNames: ['outcome'],
      registers,
    });
    this.#salesforceCalls = new Histogram({
      name: 'forcefield_salesforce_call_duration_seconds',
      help: 'Salesforce API calls by route template and HTTP status (or unreachable), with latency.',
      labelNames: ['route', 'status'],
      buckets: [0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
      registers,
    });
    this.#refusals = new Counter({
      name: 'forcefield_salesforce_calls_refused_total',
      help: 'Salesforce calls refused before they left, by reason (concurrency, rate, budget).',
      labelNames: ['reason'],
      registers,
    });
    for (const gauge of storeGauges(store)) this.registry.registerMetric(gauge as Gauge);
  }

  /** Adds the process's own metrics (CPU, memory, event loop lag): once, for a listening service. */
  collectProcessMetrics(): void {
    if (this.#processMetrics) return;
    this.#processMetrics = true;
    collectDefaultMetrics({ register: this.registry, prefix: 'forcefield_' });
  }

  auditRecorded(action: AuditAction, outcome: AuditOutcome): void {
    const target = auditCounterOf(action, outcome);
    if (!target) return;
    const counter =
      target.counter === 'sends'
        ? this.#sends
        : target.counter === 'refreshes'
          ? this.#refreshes
          : this.#approvals;
    counter.inc({ outcome: target.label });
  }

  salesforceCall(call: { route: string; status: string; seconds: number }): void {
    this.#salesforceCalls.observe({ route: call.route, status: call.status }, call.seconds);
  }

  salesforceCallRefused(reason: CallRefusal): void {
    this.#refusals.inc({ reason });
  }

  /** The exposition text and its content type. */
  async scrape(): Promise<{ contentType: string; text: string }> {
    return { contentType: this.registry.contentType, text: await this.registry.metrics() };
  }
}
