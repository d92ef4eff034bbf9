import { createHook } from 'node:async_hooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  DEFAULT_PASSWORD_HASH_COST,
  dummyPasswordHash,
  hashPassword,
  verifyPassword,
} from '../../src/accounts/passwords.ts';
import { parseConfig } from '../../src/core/config.ts';
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

/** PASSWORD_HASH_COST when nothing sets it: what production runs with. */
const PRODUCTION_COST = parseConfig({}).PASSWORD_HASH_COST;

// Replaces a timing-ratio check: an unknown email must cost the same work as a wrong password,
// which is shown by what runs (one scrypt of the same shape), not by a stopwatch.
describe('a login for an unknown email', () => {
  let test: TestService;

  beforeAll(async () => {
    // The production cost, not the test harness's lower one: this suite is about that cost.
    test = await createTestService({
      salesforce: { embedded: false },
      environment: {
        FORCEFIELD_ADMIN_EMAIL: ADMIN_EMAIL,
        FORCEFIELD_ADMIN_PASSWORD: ADMIN_PASSWORD,
        PASSWORD_HASH_COST: String(PRODUCTION_COST),
      },
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
    const dummy = dummyPasswordHash(test.context.config.PASSWORD_HASH_COST);
    expect(hashShape(dummy)).toEqual(hashShape(admin.password_hash));
    expect(hashShape(dummy).cost).toBe('32768');
    expect(await verifyPassword('', dummy)).toBe(false);
    expect(await verifyPassword(ADMIN_PASSWORD, dummy)).toBe(false);
  });
});

describe('the password hash cost', () => {
  it('is N = 2^15 unless PASSWORD_HASH_COST says otherwise, in the configuration and in the hasher', async () => {
    expect(PRODUCTION_COST).toBe(15);
    expect(DEFAULT_PASSWORD_HASH_COST).toBe(15);
    expect(hashShape(await hashPassword('correct horse battery')).cost).toBe('32768');
    expect(hashShape(dummyPasswordHash()).cost).toBe('32768');
  });

  it('follows PASSWORD_HASH_COST for new hashes and the dummy one, which still verify by their own cost', async () => {
    const cost = parseConfig({ PASSWORD_HASH_COST: '10' }).PASSWORD_HASH_COST;
    const cheap = await hashPassword('correct horse battery', cost);
    expect(hashShape(cheap).cost).toBe('1024');
    expect(hashShape(dummyPasswordHash(cost))).toEqual(hashShape(cheap));
    expect(await verifyPassword('correct horse battery', cheap)).toBe(true);
    expect(await verifyPassword('wrong horse battery', cheap)).toBe(false);
  });

  it('refuses a cost below 2^10 or above 2^20 with the variable named', () => {
    expect(() => parseConfig({ PASSWORD_HASH_COST: '9' })).toThrow(/PASSWORD_HASH_COST/);
    expect(() => parseConfig({ PASSWORD_HASH_COST: '21' })).toThrow(/PASSWORD_HASH_COST/);
  });
});
