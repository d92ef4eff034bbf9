import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/** A random secret of `bytes` bytes, base64url (session tokens, CSRF tokens, API keys). */
export function randomToken(bytes = 32): string {
  return randomBytes(bytes).toString('base64url');
}

/**
 * SHA-256 in hex. Session tokens and API keys carry 256 random bits, so a fast hash is enough to
 * keep a database leak from turning into working credentials (no salt or stretching needed).
 */
export function sha256Hex(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/** Compares two strings without leaking, through timing, how much of them matches. */
export function constantTimeEqual(left: string, right: string): boolean {
  // Hashing first gives equal lengths, so the comparison time does not depend on either length.
  const leftDigest = createHash('sha256').update(left).digest();
  const rightDigest = createHash('sha256').update(right).digest();
  return timingSafeEqual(leftDigest, rightDigest);
}
