import { createHash, generateKeyPairSync, type KeyObject, sign } from 'node:crypto';
import type { Org } from '../org/org.ts';

interface SigningKey {
  kid: string;
  privateKey: KeyObject;
  publicJwk: Record<string, unknown>;
}

/** One RSA key pair per org, made on first use: id tokens of one emulator never verify against another's keys. */
const signingKeys = new WeakMap<Org, SigningKey>();

function signingKey(org: Org): SigningKey {
  let key = signingKeys.get(org);
  if (!key) {
    const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const der = publicKey.export({ format: 'der', type: 'spki' });
    const kid = createHash('sha256').update(der).digest('hex').slice(0, 8);
    key = {
      kid,
      privateKey,
      publicJwk: { ...publicKey.export({ format: 'jwk' }), kid, alg: 'RS256', use: 'sig' },
    };
    signingKeys.set(org, key);
  }
  return key;
}

function base64url(data: Buffer | string): string {
  return Buffer.from(data).toString('base64url');
}

/** A compact JWS signed RS256 with the org's key (the `id_token` of the token response). */
export function signJwt(org: Org, claims: Record<string, unknown>): string {
  const key = signingKey(org);
  const header = base64url(JSON.stringify({ alg: 'RS256', typ: 'JWT', kid: key.kid }));
  const payload = base64url(JSON.stringify(claims));
  const signature = sign('sha256', Buffer.from(`${header}.${payload}`), key.privateKey);
  return `${header}.${payload}.${base64url(signature)}`;
}

/** `GET /id/keys`: the org's public keys as a JWK set. */
export function jwks(org: Org): { keys: Array<Record<string, unknown>> } {
  return { keys: [signingKey(org).publicJwk] };
}

/** OpenID Connect's `at_hash`: the left half of SHA-256 of the access token, base64url. */
export function accessTokenHash(accessToken: string): string {
  const digest = createHash('sha256').update(accessToken).digest();
  return base64url(digest.subarray(0, digest.length / 2));
}
