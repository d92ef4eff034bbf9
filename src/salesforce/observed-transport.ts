/**
 * A jsforce transport that notes the HTTP status and headers of the answer: jsforce's errors keep
 * Salesforce's errorCode but drop the status, and a 5xx (a commit may have happened) must not read
 * as a 4xx; and jsforce answers only the body, while a record's ETag is a header.
 */
import type jsforce from 'jsforce';
import { directTransport } from './direct-transport.ts';

export interface ObservedTransport {
  transport: jsforce.Connection['_transport'];
  status: number | undefined;
  /** The answer's headers (lower-case names), once it came. */
  headers: Record<string, string> | undefined;
}

/** The connection's transport, noting the HTTP status and headers of the answer (jsforce drops them). */
export function observedTransport(connection: jsforce.Connection): ObservedTransport {
  const base = directTransport(connection);
  const observed: ObservedTransport = { status: undefined, headers: undefined, transport: base };
  observed.transport = Object.assign(Object.create(base) as typeof base, {
    httpRequest: (...args: Parameters<typeof base.httpRequest>) => {
      const pending = base.httpRequest(...args);
      pending.then(
        (response) => {
          observed.status = response?.statusCode;
          observed.headers = response?.headers;
        },
        () => undefined,
      );
      return pending;
    },
  });
  return observed;
}
