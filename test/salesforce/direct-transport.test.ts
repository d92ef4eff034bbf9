/**
 * The transport of our REST calls (src/salesforce/direct-transport.ts) against a plain HTTP server:
 * what it sends and answers, its timeout, no retries of its own, and jsforce's transport behind a
 * proxy.
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import jsforce from 'jsforce';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { directTransport } from '../../src/salesforce/direct-transport.ts';

interface Seen {
  method: string | undefined;
  url: string | undefined;
  headers: IncomingMessage['headers'];
  body: string;
}

describe('the direct transport', () => {
  let server: Server;
  let base: string;
  const seen: Seen[] = [];
  /** What the server answers next; `hang` never answers. */
  let answer: { status: number; body: string; headers?: Record<string, string | string[]> } | 'hang';

  beforeAll(async () => {
    server = createServer((request, response) => {
      let body = '';
      request.on('data', (chunk) => {
        body += chunk;
      });
      request.on('end', () => {
        seen.push({ method: request.method, url: request.url, headers: request.headers, body });
        if (answer === 'hang') return;
        response.writeHead(answer.status, { 'content-type': 'application/json', ...answer.headers });
        response.end(answer.body);
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterEach(() => {
    seen.length = 0;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  const transport = () => directTransport(new jsforce.Connection({ version: '66.0' }));

  it('sends the method, headers and body in one piece, and answers status, headers and body', async () => {
    answer = { status: 201, body: '{"id":"001"}', headers: { etag: '"v1"', 'set-cookie': ['a=1', 'b=2'] } };
    const response = await transport().httpRequest(
      {
        method: 'POST',
        url: `${base}/services/data/v66.0/sobjects/Task`,
        headers: { Authorization: 'Bearer token', 'Content-Type': 'application/json' },
        body: '{"Subject":"Call"}',
      },
      {},
    );
    expect(response).toMatchObject({ statusCode: 201, body: '{"id":"001"}' });
    expect(response.headers).toMatchObject({ etag: '"v1"', 'set-cookie': 'a=1, b=2' });
    expect(seen).toEqual([
      expect.objectContaining({
        method: 'POST',
        url: '/services/data/v66.0/sobjects/Task',
        body: '{"Subject":"Call"}',
      }),
    ]);
    // One body with its length, not a chunked upload.
    expect(seen[0].headers['content-length']).toBe('18');
    expect(seen[0].headers['transfer-encoding']).toBeUndefined();
    expect(seen[0].headers.authorization).toBe('Bearer token');
  });

  it('answers a 503 as it came, without retrying (jsforce retried a GET five times)', async () => {
    answer = { status: 503, body: '[{"errorCode":"SERVER_UNAVAILABLE","message":"busy"}]' };
    const response = await transport().httpRequest({ method: 'GET', url: `${base}/limits` }, {});
    expect(response.statusCode).toBe(503);
    expect(seen).toHaveLength(1);
  });

  it('gives up on an answer that never comes once the timeout has passed', async () => {
    answer = 'hang';
    await expect(
      transport().httpRequest({ method: 'GET', url: `${base}/slow` }, { timeout: 50 }),
    ).rejects.toThrow(/timeout|aborted/i);
  });

  it("leaves the request to jsforce's own transport behind an HTTP proxy", () => {
    const connection = new jsforce.Connection({ version: '66.0' });
    expect(directTransport(connection)).not.toBe(connection._transport);
    const saved = process.env.HTTPS_PROXY;
    process.env.HTTPS_PROXY = 'http://proxy.example:3128';
    try {
      expect(directTransport(connection)).toBe(connection._transport);
    } finally {
      if (saved === undefined) delete process.env.HTTPS_PROXY;
      else process.env.HTTPS_PROXY = saved;
    }
  });
});
