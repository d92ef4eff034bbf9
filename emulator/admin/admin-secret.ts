import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

export const ADMIN_SECRET_ENVIRONMENT_VARIABLE = 'FORCEFIELD_EMULATOR_ADMIN_SECRET';

export function generateAdminSecret(): string {
  return randomBytes(24).toString('base64url');
}

function digest(value: string): Buffer {
  return createHash('sha256').update(value, 'utf8').digest();
}

/**
 * True when `Authorization: Bearer <secret>` carries the admin secret. Both sides are hashed first
 * so the comparison takes the same time whatever the length or content of the guess.
 */
export function isAdminAuthorized(header: string | undefined, secret: string): boolean {
  const match = /^Bearer\s+(\S+)$/i.exec(header ?? '');
  const presented = match?.[1] ?? '';
  return timingSafeEqual(digest(presented), digest(secret)) && match !== null;
}
