import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestStore, STORE_DIALECTS, type TestStore } from '../support/store.ts';
import { createTestService, type TestService } from '../support/test-service.ts';

const ADMIN_EMAIL = 'admin@example.com';
const ADMIN_PASSWORD = 'correct horse battery';
/** No demo workspace: one admin from the environment. */
const SALESFORCE = { embedded: false };
const ADMIN = { FORCEFIELD_ADMIN_EMAIL: ADMIN_EMAIL, FORCEFIELD_ADMIN_PASSWORD: ADMIN_PASSWORD };

interface Attempt {
  status: number;
  retryAfter: string | null;
  // biome-ignore lint/suspicious/noExplicitAny: test assertions read arbitrary response shapes
  body: any;
}

async function attemptLogin(
  test: TestService,
  email: string,
  password: string,
  address?: string,
): Promise<Attempt> {
  const response = await test.fetch(`${test.url}/api/auth/login`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', ...(address ? { 'X-Forwarded-For': address } : {}) },
    body: JSON.stringify({ email, password }),
  });
  return {
    status: response.status,
    retryAfter: response.headers.get('retry-after'),
    body: await response.json(),
  };
}

// Every failed login runs scrypt (on purpose): on a loaded 2-core machine a suite of them needs
// more than the default timeout.
describe.each(STORE_DIALECTS)('login throttling on %s', { timeout: 60_000 }, (dialect) => {
  let storage: TestStore;
  let test: TestService;
  let clock = Date.parse('2026-05-01T10:00:00Z');
  const login = (email: string, password: string, address: string) =>
    attemptLogin(test, email, password, address);

  beforeAll(async () => {
    storage = await openTestStore(dialect);
    test = await createTestService({
      salesforce: SALESFORCE,
      environment: { ...ADMIN, TRUST_PROXY: 'true' },
      store: storage.store,
      clock: { now: () => clock },
    });
  });

  afterAll(async () => {
    await test?.stop();
    await storage?.dispose();
  });

  it('locks an email after 5 failures for a minute, longer on repeat, and unlocks by itself', async () => {
    const address = '192.0.2.1';
    for (let attempt = 1; attempt <= 5; attempt++) {
      expect((await login(ADMIN_EMAIL, `wrong password ${attempt}`, address)).status).toBe(401);
    }
    const locked = await login(ADMIN_EMAIL, ADMIN_PASSWORD, address);
    expect(locked.status).toBe(429);
    expect(locked.retryAfter).toBe('60');
    expect(locked.body.error).toMatchObject({
      code: 'too_many_attempts',
      message: 'Too many failed logins for this account. Try again in 1 minute.',
    });
    // The lock is on the email, whichever address asks.
    expect((await login(ADMIN_EMAIL, ADMIN_PASSWORD, '192.0.2.2')).status).toBe(429);

    clock += 30_000;
    expect((await login(ADMIN_EMAIL, ADMIN_PASSWORD, address)).retryAfter).toBe('30');
    clock += 31_000;
    // Unlocked; one more failure right away locks it again, for twice as long.
    expect((await login(ADMIN_EMAIL, 'still wrong', address)).status).toBe(401);
    const relocked = await login(ADMIN_EMAIL, ADMIN_PASSWORD, address);
    expect(relocked.status).toBe(429);
    expect(relocked.retryAfter).toBe('120');

    clock += 121_000;
    expect((await login(ADMIN_EMAIL, ADMIN_PASSWORD, address)).status).toBe(200);
    // A success starts the count afresh.
    for (let attempt = 1; attempt <= 4; attempt++) {
      expect((await login(ADMIN_EMAIL, 'wrong again', address)).status).toBe(401);
    }
    expect((await login(ADMIN_EMAIL, ADMIN_PASSWORD, address)).status).toBe(200);
  });

  it('grows the lock exponentially up to 15 minutes, for unknown emails too', async () => {
    const address = '192.0.2.10';
    const email = 'nobody@example.com';
    for (let attempt = 1; attempt <= 5; attempt++) {
      expect((await login(email, 'guess', address)).status).toBe(401);
    }
    const waits: string[] = [];
    for (let round = 0; round < 6; round++) {
      const locked = await login(email, 'guess', address);
      expect(locked.status).toBe(429);
      waits.push(locked.retryAfter!);
      clock += Number(locked.retryAfter) * 1000;
      expect((await login(email, 'guess', address)).status).toBe(401);
    }
    expect(waits).toEqual(['60', '120', '240', '480', '900', '900']);
    // After a quiet full window past the lock, the count starts from zero.
    clock += 900_000 + 15 * 60_000;
    for (let attempt = 1; attempt <= 4; attempt++) {
      expect((await login(email, 'guess', address)).status).toBe(401);
    }
  });

  it("throttles an attacker's address without locking the victim out from their own", async () => {
    const attacker = '203.0.113.9';
    // Side by side: guesses are counted before they are checked (see the burst test), so the
    // outcome is the same as one after the other, and the 20 password hashes share the cores.
    const guesses = await Promise.all(
      Array.from({ length: 20 }, (_, attempt) => login(`target${attempt}@example.com`, 'guess', attacker)),
    );
    expect(guesses.map((guess) => guess.status)).toEqual(Array(20).fill(401));
    const throttled = await login(ADMIN_EMAIL, ADMIN_PASSWORD, attacker);
    expect(throttled.status).toBe(429);
    expect(throttled.retryAfter).toBe('60');
    expect(throttled.body.error.message).toBe(
      'Too many failed logins from your network. Try again in 1 minute.',
    );
    // Through a proxy, the last X-Forwarded-For entry is the one the proxy saw; earlier ones are claims.
    expect((await login(ADMIN_EMAIL, ADMIN_PASSWORD, `198.51.100.7, ${attacker}`)).status).toBe(429);

    const victim = await login(ADMIN_EMAIL, ADMIN_PASSWORD, '198.51.100.7');
    expect(victim.status).toBe(200);
  });

  it('counts parallel guesses before checking them, so a burst cannot slip past the limit', async () => {
    const results = await Promise.all(
      Array.from({ length: 10 }, (_, index) =>
        login('burst@example.com', `guess ${index}`, `192.0.2.${50 + index}`),
      ),
    );
    const statuses = results.map((result) => result.status).sort();
    expect(statuses).toEqual([401, 401, 401, 401, 401, 429, 429, 429, 429, 429]);
  });

  it('records lockouts in the audit log without the attempted passwords', async () => {
    const rows = await storage.store.db.selectFrom('audit_events').selectAll().execute();
    const actions = rows.map((row) => row.action);
    expect(actions).toContain('auth.login.locked');
    expect(actions).toContain('auth.login.failed');
    const everything = JSON.stringify(rows) + test.logs.join('');
    expect(everything).not.toContain('wrong password');
    expect(everything).not.toContain(ADMIN_PASSWORD);
    // Attempts on unknown emails are not written down (they may be passwords typed in the wrong box).
    expect(everything).not.toContain('target3@example.com');
  });
});

describe('login throttling without a trusted proxy', { timeout: 60_000 }, () => {
  it('ignores X-Forwarded-For and throttles by the connection address', async () => {
    const storage = await openTestStore('sqlite');
    const test = await createTestService({
      salesforce: SALESFORCE,
      environment: ADMIN,
      store: storage.store,
    });
    try {
      const guesses = await Promise.all(
        Array.from({ length: 20 }, (_, attempt) =>
          attemptLogin(test, `t${attempt}@example.com`, 'guess', `10.0.0.${attempt}`),
        ),
      );
      expect(guesses.map((guess) => guess.status)).toEqual(Array(20).fill(401));
      const throttled = await attemptLogin(test, ADMIN_EMAIL, ADMIN_PASSWORD, '10.0.0.99');
      expect(throttled.status).toBe(429);
    } finally {
      await test.stop();
      await storage.dispose();
    }
  });
});
