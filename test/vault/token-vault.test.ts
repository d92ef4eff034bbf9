import { describe, expect, it } from 'vitest';
import { generateKeyEntry, Keyring } from '../../src/vault/keyring.ts';
import { TokenVault, VaultError } from '../../src/vault/token-vault.ts';

function vaultWith(...ids: string[]): TokenVault {
  return new TokenVault(
    new Keyring(
      ids.map((id) => ({ ...generateKeyEntry(), id })),
      { kind: 'environment' },
    ),
  );
}

describe('token vault', () => {
  it('round-trips with a fresh IV each time and the key id in the text', () => {
    const vault = vaultWith('main');
    const first = vault.encrypt('00Dxx!secret-token', 'connection:1:access_token');
    const second = vault.encrypt('00Dxx!secret-token', 'connection:1:access_token');
    expect(first).toMatch(/^v1:main:[\w-]{16}:[\w-]{22}:[\w-]+$/);
    expect(first).not.toBe(second);
    expect(first).not.toContain('secret-token');
    expect(vault.decrypt(first, 'connection:1:access_token')).toBe('00Dxx!secret-token');
  });

  it('refuses tampered text, another row or column, and unknown keys', () => {
    const vault = vaultWith('main');
    const text = vault.encrypt('token', 'connection:1:access_token');
    const parts = text.split(':');
    const flip = (value: string) => (value[0] === 'A' ? 'B' : 'A') + value.slice(1);
    for (const index of [2, 3, 4]) {
      const tampered = parts.map((part, position) => (position === index ? flip(part) : part)).join(':');
      expect(() => vault.decrypt(tampered, 'connection:1:access_token')).toThrow(VaultError);
    }
    expect(() => vault.decrypt(text, 'connection:2:access_token')).toThrow(/integrity/);
    expect(() => vault.decrypt(text, 'connection:1:refresh_token')).toThrow(/integrity/);
    expect(() => vault.decrypt(text.replace(':main:', ':other:'), 'connection:1:access_token')).toThrow(
      /not in the keyring/,
    );
    expect(() => vault.decrypt('plain text', 'connection:1:access_token')).toThrow(/vault format/);
  });
});
