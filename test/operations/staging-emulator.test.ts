import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningEmulator, startEmulator } from '../../emulator/index.ts';
import { acceptsInstanceUrl, isLoopbackUrl } from '../../src/salesforce/instance-url-policy.ts';
import { connect } from '../support/connections.ts';
import { createTestService, type TestService } from '../support/test-service.ts';

describe('a deployment pointed at a standalone emulator (staging)', () => {
  let emulator: RunningEmulator;
  let test: TestService;

  beforeAll(async () => {
    emulator = await startEmulator({ port: 0, seed: 'demo' });
    // Configured as a real connected app would be (not demo mode): SALESFORCE_LOGIN_URL is the emulator.
    test = await createTestService({
      emulator,
      salesforce: { embedded: false },
      environment: {
        FORCEFIELD_ADMIN_EMAIL: 'ops@example.com',
        FORCEFIELD_ADMIN_PASSWORD: 'a-long-admin-password',
      },
    });
  });

  afterAll(async () => {
    await test?.stop();
    await emulator?.stop();
  });

  it('connects through OAuth although the emulator instance URL is http, because it is loopback', async () => {
    expect(emulator.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const admin = await test.logIn('ops@example.com', 'a-long-admin-password');
    const id = await connect(admin, emulator, { kind: 'personal', username: 'alice@acme.demo' });
    const check = await admin.call('POST', `/api/connections/${id}/check`);
    expect(check.status).toBe(200);
    const row = await test.store.db
      .selectFrom('connections')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    expect(row.instance_url).toBe(emulator.url);
    expect(row.status).toBe('active');
  });
});

describe('acceptsInstanceUrl', () => {
  it.each([
    ['https://login.salesforce.com', 'https://acme.my.salesforce.com', false, true],
    ['https://login.salesforce.com', 'http://acme.my.salesforce.com', false, false],
    ['http://127.0.0.1:4100', 'http://127.0.0.1:4100', false, true],
    ['http://localhost:4100', 'http://localhost:4100', false, true],
    ['http://[::1]:4100', 'http://[::1]:4100', false, true],
    // A loopback login host cannot vouch for an instance elsewhere, nor the reverse.
    ['http://127.0.0.1:4100', 'http://10.0.0.5:4100', false, false],
    ['http://emulator.internal:4100', 'http://127.0.0.1:4100', false, false],
    ['http://emulator.internal:4100', 'http://emulator.internal:4100', false, false],
    ['http://127.0.0.1:4100', 'ftp://127.0.0.1:4100', false, false],
    // Demo mode: the embedded emulator is the only org there is.
    ['http://127.0.0.1:4100', 'http://127.0.0.1:4100', true, true],
  ])('login %s, instance %s, embedded %s → %s', (loginHost, instanceUrl, embedded, accepted) => {
    expect(acceptsInstanceUrl({ loginHost, instanceUrl, embedded })).toBe(accepted);
  });

  it('knows loopback hosts', () => {
    expect(isLoopbackUrl(new URL('http://127.8.9.10'))).toBe(true);
    expect(isLoopbackUrl(new URL('http://api.localhost'))).toBe(true);
    expect(isLoopbackUrl(new URL('http://128.0.0.1'))).toBe(false);
    expect(isLoopbackUrl(new URL('http://127.0.0.1.example.com'))).toBe(false);
  });
});
