import { Random } from '../seed/random.ts';
import type { FaultConfiguration, FaultKind, ParsedFaultRule } from './fault-rule.ts';
import { HeldRequests, type HeldRequestView } from './held-requests.ts';
import { compilePathGlob, matchesPathGlob } from './path-glob.ts';

export const DEFAULT_FAULT_SEED = 1;

/** A rule as listed by the admin API: its id and how many more faults it will inject. */
export interface FaultRuleView extends ParsedFaultRule {
  id: string;
  /** Faults left before the rule retires; absent for rules without `times`. */
  remaining?: number;
  /** Faults injected so far (latency included). */
  fired: number;
}

interface ActiveRule {
  rule: ParsedFaultRule & { id: string; method: string };
  matcher: RegExp;
  remaining?: number;
  fired: number;
}

/** What to do with one request: wait, then maybe answer with (or drop on) a fault. */
export interface FaultDecision {
  delayMs: number;
  /** The first firing `hold` rule: the request is parked until released, before the delay and fault. */
  holdRuleId?: string;
  fault?: {
    kind: Exclude<FaultKind, 'latency'>;
    ruleId: string;
    /** A `validation-error` rule's answer. */
    validation?: { errorCode?: string; message?: string; fields?: string[] };
  };
}

export class DuplicateFaultRuleError extends Error {
  constructor(id: string) {
    super(`A fault rule with id '${id}' already exists`);
    this.name = 'DuplicateFaultRuleError';
  }
}

/**
 * Decides, request by request, which faults to inject. Rules are tried in order: every firing
 * `latency` rule adds its delay, and the first firing rule of another kind is the fault (after the
 * delays, including its own `latencyMs`). All chance — `probability` and `jitterMs` — comes from one
 * seeded generator, so the same seed and the same request sequence give the same faults.
 */
export class FaultInjector {
  #rules: ActiveRule[] = [];
  #seed: number;
  #random: Random;
  #nextId = 1;
  #held = new HeldRequests();

  constructor(configuration: FaultConfiguration = { rules: [] }) {
    this.#seed = configuration.seed ?? DEFAULT_FAULT_SEED;
    this.#random = new Random(this.#seed);
    this.replace(configuration);
  }

  get seed(): number {
    return this.#seed;
  }

  list(): FaultRuleView[] {
    return this.#rules.map(({ rule, remaining, fired }) =>
      remaining === undefined ? { ...rule, fired } : { ...rule, remaining, fired },
    );
  }

  /**
   * Replaces every rule and restarts the generator from the seed (the given one, else the current
   * one), so a test that installs its rules gets the same outcomes on every run.
   */
  replace(configuration: FaultConfiguration): FaultRuleView[] {
    const ids = new Set<string>();
    for (const rule of configuration.rules) {
      if (rule.id === undefined) continue;
      if (ids.has(rule.id)) throw new DuplicateFaultRuleError(rule.id);
      ids.add(rule.id);
    }
    this.#seed = configuration.seed ?? this.#seed;
    this.#random = new Random(this.#seed);
    this.#rules = [];
    for (const rule of configuration.rules) this.add(rule);
    return this.list();
  }

  add(rule: ParsedFaultRule): FaultRuleView {
    if (rule.id !== undefined && this.#rules.some((active) => active.rule.id === rule.id))
      throw new DuplicateFaultRuleError(rule.id);
    const id = rule.id ?? this.#freshId();
    const active: ActiveRule = {
      rule: { ...rule, id, method: rule.method ?? '*' },
      matcher: compilePathGlob(rule.path),
      fired: 0,
    };
    if (rule.times !== undefined) active.remaining = rule.times;
    this.#rules.push(active);
    return this.list().find((view) => view.id === id)!;
  }

  remove(id: string): boolean {
    const before = this.#rules.length;
    this.#rules = this.#rules.filter((active) => active.rule.id !== id);
    return this.#rules.length !== before;
  }

  clear(): void {
    this.#rules = [];
  }

  /** The requests parked by `hold` rules, oldest first. */
  heldRequests(): HeldRequestView[] {
    return this.#held.list();
  }

  /** Parks a request for a decision's `holdRuleId`; resolves once it is released. */
  park(ruleId: string, method: string, path: string): Promise<void> {
    return this.#held.park(ruleId, method, path);
  }

  /** Lets the requests parked by `ruleId` (every parked request when absent) go on; answers how many. */
  release(ruleId?: string): number {
    return this.#held.release(ruleId);
  }

  decide(method: string, path: string): FaultDecision {
    const decision: FaultDecision = { delayMs: 0 };
    const upperMethod = method.toUpperCase();
    for (const active of [...this.#rules]) {
      const { rule } = active;
      if (rule.method !== '*' && rule.method !== upperMethod) continue;
      if (!matchesPathGlob(active.matcher, path)) continue;
      // Draw only for real chances, so adding an always-firing rule leaves other rules' draws alone.
      if (rule.probability !== undefined && rule.probability < 1 && !this.#random.chance(rule.probability))
        continue;
      active.fired++;
      if (active.remaining !== undefined && --active.remaining === 0) this.remove(rule.id);
      if (rule.hold && decision.holdRuleId === undefined) decision.holdRuleId = rule.id;
      decision.delayMs += (rule.latencyMs ?? 0) + (rule.jitterMs ? this.#random.int(0, rule.jitterMs) : 0);
      if (rule.kind !== 'latency') {
        decision.fault = {
          kind: rule.kind,
          ruleId: rule.id,
          ...(rule.kind === 'validation-error'
            ? { validation: { errorCode: rule.errorCode, message: rule.message, fields: rule.fields } }
            : {}),
        };
        break;
      }
    }
    return decision;
  }

  #freshId(): string {
    let id: string;
    do id = `fault-${this.#nextId++}`;
    while (this.#rules.some((active) => active.rule.id === id));
    return id;
  }
}
