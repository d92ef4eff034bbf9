import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_BODY_BYTES } from '../../src/http/app.ts';
import { createTestService, type TestService } from '../support/test-service.ts';

let test: TestService;

beforeAll(async () => {
  test = await createTestService();
});

afterAll(async () => {
  await test.stop();
});

/** A body sent as a stream in chunks, with no Content-Length (chunked on the wire). */
function streamed(text: string): ReadableStream<Uint8Array> {
  const bytes = new TextEncoder().encode(text);
  let offset = 0;
  return new ReadableStream({
    pull(controller) {
      if (offset >= bytes.length) return controller.close();
      controller.enqueue(bytes.subarray(offset, offset + 16 * 1024));
      offset += 16 * 1024;
    },
  });
}

const login = (init: RequestInit) =>
  test.fetch(`${test.url}/api/auth/login`, {
    method: 'POST',
    ...init,
    headers: { 'Content-Type': 'application/json', ...init.headers },
  });

describe('request body limit', () => {
  it('refuses a body whose Content-Length is over the limit, by its header', async () => {
    const body = JSON.stringify({ email: 'x'.repeat(MAX_BODY_BYTES), password: 'p' });
    const refused = await login({ body, headers: { 'Content-Length': String(body.length) } });
    expect(refused.status).toBe(413);
    expect(((await refused.json()) as { error: { code: string } }).error.code).toBe('payload_too_large');
  });

  it('refuses a streamed body without Content-Length once it grows over the limit', async () => {
    const body = streamed(JSON.stringify({ email: 'x'.repeat(MAX_BODY_BYTES), password: 'p' }));
    const refused = await login({ body, duplex: 'half' } as RequestInit);
    expect(refused.status).toBe(413);
    expect(((await refused.json()) as { error: { code: string } }).error.code).toBe('payload_too_large');
  });

  it('hands bodies under the limit to the handler, with or without Content-Length', async () => {
    const text = JSON.stringify({ email: 'nobody@forcefield.demo', password: 'wrong password' });
    const sized = await login({ body: text, headers: { 'Content-Length': String(text.length) } });
    const streamedAnswer = await login({ body: streamed(text), duplex: 'half' } as RequestInit);
    for (const answer of [sized, streamedAnswer]) {
      // The login handler read the JSON and refused the credentials (not the body).
      expect(answer.status).toBe(401);
      expect(((await answer.json()) as { error: { code: string } }).error.code).not.toBe('payload_too_large');
    }
  });
});
