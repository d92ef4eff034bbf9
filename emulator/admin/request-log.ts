import type { FaultKind } from '../faults/fault-rule.ts';

export const REQUEST_LOG_CAPACITY = 1000;

export interface RequestLogEntry {
  /** When the request arrived (ISO 8601, UTC). */
  time: string;
  method: string;
  /** The URL path; never the query string, which can carry tokens and codes. */
  path: string;
  /** Query parameter names with their values, except values that may be secrets (shown as `[redacted]`). */
  query?: Record<string, string>;
  /** The authenticated REST caller, when there was one. */
  userId?: string;
  username?: string;
  /** The status sent; for `drop-after`, the one the client never heard; null for `drop-before`. */
  status: number | null;
  durationMs: number;
  /** The injected fault, if any (latency included). */
  fault?: FaultKind;
}

// Parameter names that carry credentials in Salesforce's OAuth and REST APIs, or might.
const SECRET_PARAMETER = /token|secret|password|passwd|code|assertion|session|sid|signature|state|key|auth/i;

/** The query's parameters with any value that could be a secret replaced. */
export function redactedQuery(search: URLSearchParams): Record<string, string> | undefined {
  const query: Record<string, string> = {};
  let any = false;
  for (const [name, value] of search) {
    query[name] = SECRET_PARAMETER.test(name) ? '[redacted]' : value;
    any = true;
  }
  return any ? query : undefined;
}

/**
 * The last requests, oldest first, in a ring buffer. Entries hold no request or response bodies,
 * headers or secret query values: tokens, passwords and codes never reach the log.
 */
export class RequestLog {
  readonly capacity: number;
  #entries: RequestLogEntry[] = [];
  #next = 0;

  constructor(capacity = REQUEST_LOG_CAPACITY) {
    this.capacity = capacity;
  }

  add(entry: RequestLogEntry): void {
    if (this.#entries.length < this.capacity) this.#entries.push(entry);
    else this.#entries[this.#next] = entry;
    this.#next = (this.#next + 1) % this.capacity;
  }

  /** The last `limit` entries, oldest first. */
  recent(limit = this.capacity): RequestLogEntry[] {
    const ordered =
      this.#entries.length < this.capacity
        ? this.#entries
        : [...this.#entries.slice(this.#next), ...this.#entries.slice(0, this.#next)];
    return limit <= 0 ? [] : ordered.slice(-limit);
  }

  clear(): void {
    this.#entries = [];
    this.#next = 0;
  }
}
