import { randomBytes, type ScryptOptions, scrypt, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';

export const MIN_PASSWORD_LENGTH = 10;
/** scrypt's cost grows with the input only slightly, but there is no reason to accept novels. */
export const MAX_PASSWORD_LENGTH = 1024;

/** What a new password must satisfy, with messages meant for the person choosing it. */
export const newPasswordSchema = z
  .string()
  .min(MIN_PASSWORD_LENGTH, `Passwords must be at least ${MIN_PASSWORD_LENGTH} characters long.`)
  .max(MAX_PASSWORD_LENGTH, `Passwords must be at most ${MAX_PASSWORD_LENGTH} characters long.`);

/**
 * scrypt parameters for new hashes: N=2^15, r=8, p=1 (32 MiB, the interactive-login setting
 * recommended with scrypt). They are stored in every hash, so raising them later only affects new
 * hashes and old ones still verify. N is 2^PASSWORD_HASH_COST (configuration, default 15: test
 * suites lower it to spend less time hashing; core/config.ts keeps the same default).
 */
export const DEFAULT_PASSWORD_HASH_COST = 15;
const BLOCK_SIZE = 8;
const PARALLELIZATION = 1;
const KEY_LENGTH = 64;
const SALT_BYTES = 16;
/** Upper bounds on stored parameters, so a tampered row cannot make one login eat the machine. */
const MAX_COST = 2 ** 20;
const MAX_MEMORY = 256 * 1024 * 1024;

function derive(password: string, salt: Buffer, options: ScryptOptions, keyLength: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    scrypt(password.normalize('NFC'), salt, keyLength, { ...options, maxmem: MAX_MEMORY }, (error, key) =>
      error ? reject(error) : resolve(key),
    );
  });
}

/** `scrypt$N$r$p$salt$hash` (salt and hash base64url), with N = 2^cost. */
export async function hashPassword(password: string, cost = DEFAULT_PASSWORD_HASH_COST): Promise<string> {
  const salt = randomBytes(SALT_BYTES);
  const options = { N: 2 ** cost, r: BLOCK_SIZE, p: PARALLELIZATION };
  const key = await derive(password, salt, options, KEY_LENGTH);
  return formatHash(options, salt, key);
}

function formatHash(options: { N: number; r: number; p: number }, salt: Buffer, key: Buffer): string {
  return [
    'scrypt',
    options.N,
    options.r,
    options.p,
    salt.toString('base64url'),
    key.toString('base64url'),
  ].join('$');
}

/** True when `password` matches `storedHash`; false (never an exception) for a malformed hash. */
export async function verifyPassword(password: string, storedHash: string): Promise<boolean> {
  const parts = storedHash.split('$');
  if (parts.length !== 6 || parts[0] !== 'scrypt') return false;
  const [cost, blockSize, parallelization] = parts.slice(1, 4).map(Number);
  const salt = Buffer.from(parts[4], 'base64url');
  const expected = Buffer.from(parts[5], 'base64url');
  const valid =
    Number.isInteger(cost) &&
    cost > 1 &&
    cost <= MAX_COST &&
    (cost & (cost - 1)) === 0 &&
    Number.isInteger(blockSize) &&
    blockSize >= 1 &&
    blockSize <= 32 &&
    Number.isInteger(parallelization) &&
    parallelization >= 1 &&
    parallelization <= 16 &&
    expected.length >= 16;
  if (!valid) return false;
  try {
    const actual = await derive(
      password,
      salt,
      { N: cost, r: blockSize, p: parallelization },
      expected.length,
    );
    return timingSafeEqual(actual, expected);
  } catch {
    return false;
  }
}

const dummyHashes = new Map<number, string>();

/**
 * A hash nobody knows the password of, with the parameters of new hashes (N = 2^cost). Logins for
 * unknown emails verify against it so they take as long as a wrong password for a real account.
 */
export function dummyPasswordHash(cost = DEFAULT_PASSWORD_HASH_COST): string {
  let hash = dummyHashes.get(cost);
  if (!hash) {
    hash = formatHash(
      { N: 2 ** cost, r: BLOCK_SIZE, p: PARALLELIZATION },
      randomBytes(SALT_BYTES),
      randomBytes(KEY_LENGTH),
    );
    dummyHashes.set(cost, hash);
  }
  return hash;
}
