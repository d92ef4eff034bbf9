import type { CallRefusal, ServiceMetrics } from '../platform/metrics/service-metrics.ts';
import { SalesforceConnectionError } from './errors.ts';

export interface CallLimitSettings {
  /** Calls one connection may have under way at once; more wait in line. */
  maxConcurrent: number;
  /** Calls that may wait in line per connection; beyond that a call is refused. */
  maxQueued: number;
  /** Calls per connection per minute (0 = no limit). */
  perMinute: number;
  /** Percent of the org's daily API limit left to others: at `100 - reserve` percent used, calls stop. */
  reservePercent: number;
}

/**
 * How long a reading of the org's API usage is trusted: once the budget is spent, one call per
 * period is let through to read Salesforce's counter again (the daily limit is a rolling 24 hours).
 */
export const BUDGET_RECHECK_MS = 5 * 60 * 1000;

interface ConnectionState {
  running: number;
  waiting: Array<() => void>;
  tokens: number;
  refilledAt: number;
  usage: { used: number; max: number; readAt: number } | undefined;
}

/**
 * The Salesforce call limits of this instance, per connection: a concurrency limit with a bounded
 * line, a calls-per-minute token bucket, and a guard on the org's daily API budget fed by the
 * `Sforce-Limit-Info` usage of every answer. A refused call never leaves: it fails with a
 * retryable SalesforceConnectionError carrying `retryAfterSeconds`.
 */
export class SalesforceCallLimits {
  readonly #settings: CallLimitSettings;
  readonly #metrics: ServiceMetrics;
  readonly #now: () => number;
  readonly #connections = new Map<string, ConnectionState>();

  constructor(options: { settings: CallLimitSettings; metrics: ServiceMetrics; now: () => number }) {
    this.#settings = options.settings;
    this.#metrics = options.metrics;
    this.#now = options.now;
  }

  #state(connectionId: string): ConnectionState {
    let state = this.#connections.get(connectionId);
    if (!state) {
      state = {
        running: 0,
        waiting: [],
        tokens: this.#settings.perMinute,
        refilledAt: this.#now(),
        usage: undefined,
      };
      this.#connections.set(connectionId, state);
    }
    return state;
  }

  /**
   * Waits for a slot to call Salesforce on the connection; returns the function that frees it.
   * Throws (before anything is sent) when the budget, the rate or the line is exhausted.
   */
  async acquire(connectionId: string): Promise<() => void> {
    const state = this.#state(connectionId);
    this.#checkBudget(connectionId, state);
    this.#takeToken(connectionId, state);
    if (state.running >= this.#settings.maxConcurrent) {
      if (state.waiting.length >= this.#settings.maxQueued) {
        throw this.#refuse(
          'concurrency',
          connectionId,
          `Too many Salesforce calls are under way on this connection (${this.#settings.maxConcurrent} at once, ${this.#settings.maxQueued} waiting). Try again in a moment.`,
          1,
        );
      }
      // The slot is handed over by release(): `running` stays counted for the waiter.
      await new Promise<void>((resolve) => state.waiting.push(resolve));
    } else {
      state.running += 1;
    }
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const next = state.waiting.shift();
      if (next) next();
      else state.running -= 1;
    };
  }

  /** Salesforce's latest count of the org's API requests, as an answer on the connection reported it. */
  observeUsage(connectionId: string, usage: { used: number; max: number } | undefined): void {
    if (!usage || usage.max <= 0) return;
    this.#state(connectionId).usage = { ...usage, readAt: this.#now() };
  }

  #checkBudget(connectionId: string, state: ConnectionState): void {
    const usage = state.usage;
    if (!usage) return;
    const allowed = usage.max * (1 - this.#settings.reservePercent / 100);
    if (usage.used < allowed) return;
    const now = this.#now();
    const recheckAt = usage.readAt + BUDGET_RECHECK_MS;
    if (now >= recheckAt) {
      // Let this one call read the counter again; the others wait for its reading.
      usage.readAt = now;
      return;
    }
    throw this.#refuse(
      'budget',
      connectionId,
      `The Salesforce org has used ${usage.used} of its ${usage.max} daily API requests; Forcefield stops at ${Math.floor(allowed)} to leave the rest to the org's other users. Try again later.`,
      Math.ceil((recheckAt - now) / 1000),
    );
  }

  #takeToken(connectionId: string, state: ConnectionState): void {
    const perMinute = this.#settings.perMinute;
    if (perMinute <= 0) return;
    const now = this.#now();
    const perMs = perMinute / 60_000;
    state.tokens = Math.min(perMinute, state.tokens + (now - state.refilledAt) * perMs);
    state.refilledAt = now;
    if (state.tokens >= 1) {
      state.tokens -= 1;
      return;
    }
    throw this.#refuse(
      'rate',
      connectionId,
      `This connection may make ${perMinute} Salesforce calls a minute, and has. Try again in a moment.`,
      Math.max(1, Math.ceil((1 - state.tokens) / perMs / 1000)),
    );
  }

  #refuse(
    reason: CallRefusal,
    connectionId: string,
    message: string,
    retryAfterSeconds: number,
  ): SalesforceConnectionError {
    this.#metrics.salesforceCallRefused(reason);
    const code =
      reason === 'budget'
        ? 'salesforce_api_budget'
        : reason === 'rate'
          ? 'salesforce_rate_limited'
          : 'salesforce_busy';
    return new SalesforceConnectionError(code, connectionId, message, { retryAfterSeconds });
  }
}
