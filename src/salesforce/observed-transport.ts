/**
 * A jsforce transport that notes the HTTP status of the answer: jsforce's errors keep Salesforce's
 * errorCode but drop the status, and a 5xx (a commit may have happened) must not read as a 4xx.
 */
import type jsforce from 'jsforce';

/** The connection's transport, noting the HTTP status of the answer (jsforce's errors drop it). */
export function observedTransport(connection: jsforce.Connection): {
  transport: jsforce.Connection['_transport'];
  status: number | undefined;
} {
  const base = connection._transport;
  const observed: { transport: jsforce.Connection['_transport']; status: number | undefined } = {
    status: undefined,
    transport: base,
  };
  observed.transport = Object.assign(Object.create(base) as typeof base, {
    httpRequest: (...args: Parameters<typeof base.httpRequest>) => {
      const pending = base.httpRequest(...args);
      pending.then(
        (response) => {
          observed.status = response?.statusCode;
        },
        () => undefined,
      );
      return pending;
    },
  });
  return observed;
}
