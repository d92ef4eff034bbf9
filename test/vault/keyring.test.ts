import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { KEY_FILE_NAME, KeyringError, loadKeyring, parseKeyList } from '../../src/vault/keyring.ts';
import { TokenVault } from '../../src/vault/token-vault.ts';
import { temporaryDirectories } from './support.ts';

const temporaryDirectory = temporaryDirectories();

describe('keyring', () => {
  it('reads FORCEFIELD_SECRET_KEY forms and rejects bad keys', () => {
    const key = Buffer.alloc(32, 1).toString('base64');
    expect(parseKeyList(key).map((entry) => entry.id)).toEqual(['k1']);
    expect(
      parseKeyList(`new:${key},old:${Buffer.alloc(32, 2).toString('base64')}`).map((entry) => entry.id),
    ).toEqual(['new', 'old']);
    expect(() => parseKeyList('short')).toThrow(/32 bytes/);
    expect(() => parseKeyList(`a:${key},a:${key}`)).toThrow(/twice/);
    expect(() => loadKeyring({ secretKey: 'nope', dataDir: temporaryDirectory() })).toThrow(KeyringError);
  });

  it('generates one key file, mode 0600, and reads the same key back', () => {
    const directory = temporaryDirectory();
    const first = loadKeyring({ secretKey: undefined, dataDir: directory });
    const second = loadKeyring({ secretKey: undefined, dataDir: directory });
    expect(second.current.id).toBe(first.current.id);
    expect(second.current.key.equals(first.current.key)).toBe(true);
    const file = path.join(directory, KEY_FILE_NAME);
    expect(statSync(file).mode & 0o777).toBe(0o600);
  });

  it('keeps old keys after a rotation and another keyring reloads the file for new ones', () => {
    const directory = temporaryDirectory();
    const keyring = loadKeyring({ secretKey: undefined, dataDir: directory });
    const running = loadKeyring({ secretKey: undefined, dataDir: directory });
    const vault = new TokenVault(keyring);
    const old = vault.encrypt('token', 'context');
    const added = keyring.addCurrentKey();
    const fresh = vault.encrypt('token', 'context');
    expect(TokenVault.keyIdOf(fresh)).toBe(added.id);
    expect(vault.decrypt(old, 'context')).toBe('token');
    // A service that read the file before the rotation still opens the new ciphertexts.
    expect(new TokenVault(running).decrypt(fresh, 'context')).toBe('token');
    expect(readFileSync(path.join(directory, KEY_FILE_NAME), 'utf8').split('\n').filter(Boolean).length).toBe(
      2,
    );
  });
});
