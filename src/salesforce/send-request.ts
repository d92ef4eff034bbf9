import type jsforce from 'jsforce';
import { observedTransport } from './observed-transport.ts';

/**
 * One REST request through a jsforce connection, answering the body and the answer's headers
 * (jsforce answers the body only). A failure carries the HTTP status as `httpStatus` (jsforce's
 * error keeps Salesforce's errorCode but not the status). `deadline`: epoch milliseconds after
 * which the request is aborted.
 */
export async function sendRequest(
  connection: jsforce.Connection,
  request: {
    method: string;
    url: string;
    body?: unknown;
    deadline?: number | undefined;
    headers?: Record<string, string> | undefined;
  },
): Promise<{ body: unknown; headers: Record<string, string> }> {
  const { body, deadline } = request;
  const headers = {
    ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
    ...request.headers,
  };
  const observed = observedTransport(connection);
  try {
    const answer = await connection.request(
      {
        method: request.method as 'GET',
        url: request.url,
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        ...(Object.keys(headers).length > 0 ? { headers } : {}),
      },
      {
        transport: observed.transport,
        ...(deadline === undefined ? {} : { timeout: Math.max(1, deadline - Date.now()) }),
      },
    );
    return { body: answer, headers: observed.headers ?? {} };
  } catch (error) {
    if (error instanceof Error && observed.status !== undefined) {
      Object.assign(error, { httpStatus: observed.status });
    }
    throw error;
  }
}
