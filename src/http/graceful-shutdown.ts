import type { Server } from 'node:http';
import type { Logger } from '../core/logger.ts';
import type { ServiceLifecycle } from '../platform/service-lifecycle.ts';

export interface DrainOptions {
  server: Pick<Server, 'close' | 'closeIdleConnections' | 'closeAllConnections'>;
  lifecycle: ServiceLifecycle;
  logger: Logger;
  /** How long /readyz answers 503 while new requests are still served, before listening stops. */
  readinessDelayMs: number;
  /** From the start of the drain: when requests still under way are cut off. */
  drainTimeoutMs: number;
}

/**
 * The graceful stop of a listening instance, in three steps: readiness goes false (every answer
 * now says `Connection: close`) and, for `readinessDelayMs`, new requests are still served so the
 * load balancer can notice; then the server stops accepting connections and idle ones close; the
 * requests under way finish — or are cut off at the drain deadline. `hurry()` (a second signal)
 * skips the readiness delay, or, once past it, cuts the remaining requests off at once.
 */
export class GracefulShutdown {
  readonly #options: DrainOptions;
  #finished: Promise<void> | undefined;
  #endDelay: (() => void) | undefined;
  #cutOff: (() => void) | undefined;

  constructor(options: DrainOptions) {
    this.#options = options;
  }

  /** Drains once; later calls return the same promise. Resolves when the server has closed. */
  drain(): Promise<void> {
    this.#finished ??= this.#run();
    return this.#finished;
  }

  hurry(): void {
    if (this.#endDelay) this.#endDelay();
    else this.#cutOff?.();
  }

  async #run(): Promise<void> {
    const { server, lifecycle, logger, readinessDelayMs, drainTimeoutMs } = this.#options;
    const startedAt = Date.now();
    lifecycle.startDraining(startedAt);
    logger.info({ readinessDelayMs, drainTimeoutMs }, 'draining: readiness is now false');
    if (readinessDelayMs > 0) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, readinessDelayMs);
        this.#endDelay = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      this.#endDelay = undefined;
    }
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    server.closeIdleConnections();
    logger.info('draining: stopped accepting connections; waiting for requests under way');
    let deadline: NodeJS.Timeout | undefined;
    const cutOff = new Promise<'deadline'>((resolve) => {
      const remaining = Math.max(0, drainTimeoutMs - (Date.now() - startedAt));
      deadline = setTimeout(() => resolve('deadline'), remaining);
      this.#cutOff = () => resolve('deadline');
    });
    const outcome = await Promise.race([closed.then(() => 'drained' as const), cutOff]);
    clearTimeout(deadline);
    if (outcome === 'deadline') {
      logger.warn('draining: deadline reached; closing the connections still open');
      server.closeAllConnections();
      await closed;
    } else {
      logger.info('draining: every request finished');
    }
  }
}
