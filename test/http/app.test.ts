import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestService, type TestService } from '../support/test-service.ts';

let test: TestService;

beforeAll(async () => {
  test = await createTestService();
});

afterAll(async () => {
  await test.stop();
});

describe('service app', () => {
  it('answers health and readiness', async () => {
    const health = await test.fetch(`${test.url}/healthz`);
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({ status: 'ok' });
    const ready = await test.fetch(`${test.url}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ status: 'ready', database: 'sqlite' });
  });

  it('answers unknown endpoints and oversized bodies with JSON errors', async () => {
    const missing = await test.fetch(`${test.url}/api/nothing-here`);
    expect(missing.status).toBe(404);
    expect(await missing.json()).toEqual({ error: { code: 'not_found', message: 'No such endpoint.' } });
    const oversized = await test.fetch(`${test.url}/api/nothing-here`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ padding: 'x'.repeat(300 * 1024) }),
    });
    expect(oversized.status).toBe(413);
    const body = (await oversized.json()) as { error: { code: string } };
    expect(body.error.code).toBe('payload_too_large');
  });
});
