import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import type { Keyring } from './keyring.ts';

const FORMAT_VERSION = 'v1';
const IV_BYTES = 12;
const TAG_BYTES = 16;

/** A ciphertext that cannot be opened: tampered, truncated, for another row, or under an unknown key. */
export class VaultError extends Error {
  readonly code: 'malformed' | 'unknown_key' | 'tampered';

  constructor(code: 'malformed' | 'unknown_key' | 'tampered', message: string) {
    super(message);
    this.name = 'VaultError';
    this.code = code;
  }
}

/**
 * Encrypts secrets at rest (Salesforce tokens, PKCE verifiers) with AES-256-GCM:
 * `v1:<keyId>:<iv>:<tag>:<data>`, each part base64url. The key id says which key of the keyring
 * opens it, so keys can rotate without a flag day.
 *
 * `context` is bound as additional authenticated data (e.g. `connection:<id>:refresh_token`), so a
 * ciphertext copied into another row or column fails to decrypt instead of yielding a token.
 */
export class TokenVault {
  readonly keyring: Keyring;

  constructor(keyring: Keyring) {
    this.keyring = keyring;
  }

  encrypt(plaintext: string, context: string): string {
    const { id, key } = this.keyring.current;
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', key, iv);
    cipher.setAAD(Buffer.from(context, 'utf8'));
    const data = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    const tag = cipher.getAuthTag();
    return [
      FORMAT_VERSION,
      id,
      iv.toString('base64url'),
      tag.toString('base64url'),
      data.toString('base64url'),
    ].join(':');
  }

  decrypt(ciphertext: string, context: string): string {
    const parts = ciphertext.split(':');
    if (parts.length !== 5 || parts[0] !== FORMAT_VERSION) {
      throw new VaultError('malformed', 'The stored secret is not in the vault format.');
    }
    const [, keyId, ivText, tagText, dataText] = parts;
    const entry = this.keyring.find(keyId);
    if (!entry) {
      throw new VaultError(
        'unknown_key',
        `The stored secret was encrypted with key '${keyId}', which is not in the keyring (FORCEFIELD_SECRET_KEY or the key file).`,
      );
    }
    const iv = Buffer.from(ivText, 'base64url');
    const tag = Buffer.from(tagText, 'base64url');
    if (iv.length !== IV_BYTES || tag.length !== TAG_BYTES) {
      throw new VaultError('malformed', 'The stored secret is not in the vault format.');
    }
    try {
      const decipher = createDecipheriv('aes-256-gcm', entry.key, iv);
      decipher.setAAD(Buffer.from(context, 'utf8'));
      decipher.setAuthTag(tag);
      return Buffer.concat([decipher.update(Buffer.from(dataText, 'base64url')), decipher.final()]).toString(
        'utf8',
      );
    } catch {
      throw new VaultError('tampered', 'The stored secret failed its integrity check.');
    }
  }

  /** The key id a ciphertext names (for rotation reports), or undefined when it is not vault text. */
  static keyIdOf(ciphertext: string): string | undefined {
    const parts = ciphertext.split(':');
    return parts.length === 5 && parts[0] === FORMAT_VERSION ? parts[1] : undefined;
  }

  isUnderCurrentKey(ciphertext: string): boolean {
    return TokenVault.keyIdOf(ciphertext) === this.keyring.current.id;
  }
}

/** The additional data that binds a connection token to its row and column. */
export function connectionTokenContext(
  connectionId: string,
  column: 'access_token' | 'refresh_token',
): string {
  return `connection:${connectionId}:${column}`;
}

/** The additional data that binds a PKCE verifier to its state row. */
export function oauthStateContext(stateHash: string): string {
  return `oauth_state:${stateHash}`;
}
