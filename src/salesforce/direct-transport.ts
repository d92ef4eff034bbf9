/**
 * The HTTP transport of our REST calls through jsforce: undici's `request` on one keep-alive pool.
 * jsforce's own transport runs undici's `fetch` behind a duplex of PassThrough streams, writes the
 * body a timer tick later as a chunked upload and converts web streams back to Node streams: about
 * 0.3 ms of CPU and a timer tick more per call. jsforce still builds the request (URL, access
 * token) and reads the answer (errors, JSON, session refresh); only the bytes go another way.
 *
 * No automatic retries: jsforce's retried GET/PUT/DELETE on 5xx and dropped connections for up to
 * ~15 s, while our callers decide for themselves (a read fails with a retryable error, a write's
 * outcome is looked up). With an HTTP proxy in the environment, jsforce's transport (which honours
 * it) is used instead.
 */
import { PassThrough } from 'node:stream';
import type jsforce from 'jsforce';
import type { HttpRequest, HttpRequestOptions, HttpResponse } from 'jsforce/lib/types/common.js';
import { StreamPromise } from 'jsforce/lib/util/promise.js';
import { Agent, request } from 'undici';

type Transport = jsforce.Connection['_transport'];

const PROXY_VARIABLES = ['https_proxy', 'http_proxy', 'HTTPS_PROXY', 'HTTP_PROXY'];

let pool: Agent | undefined;

async function send(req: HttpRequest, options: HttpRequestOptions): Promise<HttpResponse> {
  pool ??= new Agent({ connect: { allowH2: false } });
  const answer = await request(req.url, {
    method: req.method,
    headers: req.headers,
    body: req.body as string | Buffer | undefined,
    dispatcher: pool,
    ...(options.timeout ? { signal: AbortSignal.timeout(options.timeout) } : {}),
  });
  const body = await answer.body.text();
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(answer.headers)) {
    if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  return { statusCode: answer.statusCode, headers, body };
}

const direct = {
  httpRequest(req: HttpRequest, options: HttpRequestOptions = {}): StreamPromise<HttpResponse> {
    // jsforce pipes its lazy stream through this one; REST calls never read it.
    return StreamPromise.create(() => ({ stream: new PassThrough(), promise: send(req, options) }));
  },
};

/** The transport for `connection`'s REST calls: ours, or jsforce's behind an HTTP proxy. */
export function directTransport(connection: jsforce.Connection): Transport {
  if (PROXY_VARIABLES.some((name) => process.env[name])) return connection._transport;
  return direct as unknown as Transport;
}
