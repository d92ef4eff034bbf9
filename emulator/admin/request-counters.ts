import { routeTemplate } from './route-template.ts';

export interface CountersSnapshot {
  /** Every request received outside /__emulator, faulted and dropped ones included. */
  total: number;
  /** Route template → requests, sorted by template. */
  routes: Record<string, number>;
}

/**
 * Counts requests per route, so a test can assert what an action costs in Salesforce calls. A
 * composite request is one HTTP call and counts once, as it does against Salesforce's limit.
 */
export class RequestCounters {
  #counts = new Map<string, number>();
  #total = 0;

  count(method: string, path: string): void {
    const template = routeTemplate(method, path);
    this.#counts.set(template, (this.#counts.get(template) ?? 0) + 1);
    this.#total++;
  }

  snapshot(): CountersSnapshot {
    const routes: Record<string, number> = {};
    for (const template of [...this.#counts.keys()].sort()) routes[template] = this.#counts.get(template)!;
    return { total: this.#total, routes };
  }

  reset(): void {
    this.#counts.clear();
    this.#total = 0;
  }
}
