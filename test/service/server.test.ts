import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, parseConfig } from '../../src/core/config.ts';
import { emulatorSalesforce, startTestService, type TestService } from '../support/service.ts';

let test: TestService;

beforeAll(async () => {
  test = await startTestService(emulatorSalesforce('http://127.0.0.1:9'));
});

afterAll(async () => {
  await test.stop();
});

describe('service server', () => {
  it('answers health and readiness', async () => {
    const health = await fetch(`${test.service.url}/healthz`);
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({ status: 'ok' });
    const ready = await fetch(`${test.service.url}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ status: 'ready', database: 'sqlite' });
  });

  it('answers unknown endpoints and oversized bodies with JSON errors', async () => {
    const missing = await fetch(`${test.service.url}/api/nothing-here`);
    expect(missing.status).toBe(404);
    expect(await missing.json()).toEqual({ error: { code: 'not_found', message: 'No such endpoint.' } });
    const oversized = await fetch(`${test.service.url}/api/nothing-here`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ padding: 'x'.repeat(300 * 1024) }),
    });
    expect(oversized.status).toBe(413);
    const body = (await oversized.json()) as { error: { code: string } };
    expect(body.error.code).toBe('payload_too_large');
  });

  it('derives the OAuth callback URL from the listening address', () => {
    expect(test.service.publicUrl).toBe(test.service.url);
  });
});

describe('configuration', () => {
  it('applies defaults and rejects bad values with the variable named', () => {
    const config = parseConfig({});
    expect(config.PORT).toBe(3000);
    expect(config.SALESFORCE_API_VERSION).toBe('66.0');
    expect(() => parseConfig({ PORT: 'eighty' })).toThrow(/PORT/);
    expect(() => parseConfig({ SALESFORCE_CLIENT_ID: 'id-only' })).toThrow(ConfigError);
    expect(() => parseConfig({ SALESFORCE_API_VERSION: '66' })).toThrow(/SALESFORCE_API_VERSION/);
  });
});
