/**
 * Where this instance is in its life: serving, or draining after SIGTERM. Readiness answers 503 and
 * every response asks the client to close its connection once draining starts, so a load balancer
 * takes the instance out of rotation while the requests already under way finish.
 */
export class ServiceLifecycle {
  #drainingSince: number | undefined;
  readonly #listeners = new Set<() => void>();

  get draining(): boolean {
    return this.#drainingSince !== undefined;
  }

  /** When draining began (ms since the epoch), or undefined while serving. */
  get drainingSince(): number | undefined {
    return this.#drainingSince;
  }

  /** Starts draining (once; later calls change nothing). */
  startDraining(now: number = Date.now()): void {
    if (this.#drainingSince !== undefined) return;
    this.#drainingSince = now;
    for (const listener of this.#listeners) listener();
  }

  /** Calls `listener` when draining starts. */
  onDraining(listener: () => void): void {
    this.#listeners.add(listener);
  }
}
