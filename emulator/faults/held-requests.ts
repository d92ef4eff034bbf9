/** A request parked by a `hold` fault rule, as the admin API lists it. */
export interface HeldRequestView {
  ruleId: string;
  method: string;
  path: string;
  /** When it was parked (ISO time). */
  since: string;
}

interface HeldRequest extends HeldRequestView {
  release: () => void;
}

/**
 * The requests parked by `hold` rules until a test releases them (admin API): an explicit signal in
 * place of a latency that races a client's timeout. A parked request outlives its rule (a `times: 1`
 * rule retires as it parks its request), so the parked requests are kept here, by rule id.
 */
export class HeldRequests {
  #held: HeldRequest[] = [];

  list(): HeldRequestView[] {
    return this.#held.map(({ ruleId, method, path, since }) => ({ ruleId, method, path, since }));
  }

  /** Parks a request; resolves when it is released. */
  park(ruleId: string, method: string, path: string): Promise<void> {
    return new Promise((resolve) => {
      this.#held.push({ ruleId, method, path, since: new Date().toISOString(), release: resolve });
    });
  }

  /** Releases the requests parked by `ruleId` (every one when absent), oldest first; answers how many. */
  release(ruleId?: string): number {
    const released = this.#held.filter((held) => ruleId === undefined || held.ruleId === ruleId);
    this.#held = this.#held.filter((held) => !released.includes(held));
    for (const held of released) held.release();
    return released.length;
  }
}
