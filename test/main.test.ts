import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OAUTH_CALLBACK_PATH } from '../src/salesforce/salesforce-settings.ts';
import { emulatorSalesforce, startTestService, type TestService } from './support/service.ts';

// About the network: the one service in this directory that listens on a port.
describe('a started service', () => {
  let test: TestService;
  const salesforce = emulatorSalesforce('http://127.0.0.1:9');

  beforeAll(async () => {
    test = await startTestService(salesforce);
  });

  afterAll(async () => {
    await test.stop();
  });

  it('derives the OAuth callback URL from the listening address', () => {
    expect(test.service.publicUrl).toBe(test.service.url);
    expect(test.service.salesforce.callbackUrl).toBe(`${test.service.url}${OAUTH_CALLBACK_PATH}`);
    expect(test.service.context.salesforce.callbackUrl).toBe(`${test.service.url}${OAUTH_CALLBACK_PATH}`);
    // The composition root completes its own copy; the caller's settings are left as they were.
    expect(salesforce.callbackUrl).toBe('');
  });

  it('answers over HTTP on its port', async () => {
    const health = await fetch(`${test.service.url}/healthz`);
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({ status: 'ok' });
  });
});
