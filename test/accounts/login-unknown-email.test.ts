import { createHook } from 'node:async_hooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DUMMY_PASSWORD_HASH, verifyPassword } from '../../src/accounts/passwords.ts';
import { createTestService, type TestService } from '../support/test-service.ts';

const ADMIN_EMAIL = 'admin@example.com';
const ADMIN_PASSWORD = 'correct horse battery';

/**
 * How many scrypt computations ran while `action` did: Node creates one SCRYPTREQUEST async
 * resource per crypto.scrypt call, so this counts password hashing without timing anything.
 */
async function scryptRuns(action: () => Promise<unknown>): Promise<number> {
  let runs = 0;
  const hook = createHook({
    init(_asyncId, type) {
      if (type === 'SCRYPTREQUEST') runs++;
    },
  }).enable();
  try {
    await action();
  } finally {
    hook.disable();
  }
  return runs;
}

/** The cost parameters and sizes of a `scrypt$N$r$p$salt$hash` string: everything but the secrets. */
function hashShape(hash: string) {
  const [scheme, cost, blockSize, parallelization, salt, key] = hash.split('$');
  return {
    scheme,
    cost,
    blockSize,
    parallelization,
    saltBytes: Buffer.from(salt, 'base64url').length,
    keyBytes: Buffer.from(key, 'base64url').length,
  };
}

// Replaces a timing-ratio check: an unknown email must cost the same work as a wrong password,
// which is shown by what runs (one scrypt of the same shape), not by a stopwatch.
describe('a login for an unknown email', () => {
  let test: TestService;

  beforeAll(async () => {
    test = await createTestService({
      salesforce: { embedded: false },
      environment: { FORCEFIELD_ADMIN_EMAIL: ADMIN_EMAIL, FORCEFIELD_ADMIN_PASSWORD: ADMIN_PASSWORD },
    });
  });

  afterAll(async () => {
    await test.stop();
  });

  const attempt = (email: string) =>
    test.fetch(`${test.url}/api/auth/login`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ email, password: 'wrong password' }),
    });

  it('computes one password hash, as a wrong password for a real account does', async () => {
    let known: Response | undefined;
    let unknown: Response | undefined;
    const knownRuns = await scryptRuns(async () => {
      known = await attempt(ADMIN_EMAIL);
    });
    const unknownRuns = await scryptRuns(async () => {
      unknown = await attempt('ghost@example.com');
    });
    expect(known?.status).toBe(401);
    expect(unknown?.status).toBe(401);
    expect(await unknown?.json()).toEqual(await known?.json());
    expect(knownRuns).toBe(1);
    expect(unknownRuns).toBe(knownRuns);
  });

  it('verifies against a dummy hash with the same cost as real ones, which nothing matches', async () => {
    const admin = await test.store.db
      .selectFrom('users')
      .select('password_hash')
      .where('email', '=', ADMIN_EMAIL)
      .executeTakeFirstOrThrow();
    expect(hashShape(DUMMY_PASSWORD_HASH)).toEqual(hashShape(admin.password_hash));
    expect(hashShape(DUMMY_PASSWORD_HASH).cost).toBe('32768');
    expect(await verifyPassword('', DUMMY_PASSWORD_HASH)).toBe(false);
    expect(await verifyPassword(ADMIN_PASSWORD, DUMMY_PASSWORD_HASH)).toBe(false);
  });
});
