import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { migrate, openStore } from '../../src/store/database.ts';
import {
  generateKeyEntry,
  KEY_FILE_NAME,
  Keyring,
  KeyringError,
  loadKeyring,
  parseKeyList,
} from '../../src/vault/keyring.ts';
import { keyUsage, reencryptAll } from '../../src/vault/reencrypt.ts';
import { connectionTokenContext, TokenVault, VaultError } from '../../src/vault/token-vault.ts';
import { openTestStore, STORE_DIALECTS } from '../support/store.ts';

const run = promisify(execFile);
const directories: string[] = [];

function temporaryDirectory(): string {
  const directory = mkdtempSync(path.join(tmpdir(), 'forcefield-vault-'));
  directories.push(directory);
  return directory;
}

afterEach(() => {
  for (const directory of directories.splice(0)) rmSync(directory, { recursive: true, force: true });
});

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

describe.each(STORE_DIALECTS)('key rotation re-encrypts stored secrets (%s)', (dialect) => {
  it('moves every token and verifier to the current key', async () => {
    const testStore = await openTestStore(dialect);
    try {
      const { store } = testStore;
      const old = generateKeyEntry();
      const oldVault = new TokenVault(new Keyring([{ ...old, id: 'old' }], { kind: 'environment' }));
      const now = new Date().toISOString();
      await store.db
        .insertInto('users')
        .values({
          id: 'u1',
          email: 'u1@example.com',
          name: 'U',
          password_hash: 'x',
          role: 'admin',
          created_at: now,
          disabled_at: null,
        })
        .execute();
      await store.db
        .insertInto('connections')
        .values({
          id: 'c1',
          kind: 'personal',
          name: 'C',
          created_by: 'u1',
          created_at: now,
          salesforce_org_id: '00D000000000001AAA',
          salesforce_user_id: '005000000000001AAA',
          username: 'u@acme.demo',
          display_name: 'U',
          email: null,
          instance_url: 'https://acme.my.salesforce.com',
          login_host: 'https://login.salesforce.com',
          identity_url: 'https://login.salesforce.com/id/x/y',
          scopes: '[]',
          status: 'active',
          access_token: oldVault.encrypt('access', connectionTokenContext('c1', 'access_token')),
          refresh_token: oldVault.encrypt('refresh', connectionTokenContext('c1', 'refresh_token')),
          token_version: 3,
          token_refreshed_at: null,
          last_used_at: null,
          api_usage_used: null,
          api_usage_max: null,
          api_usage_at: null,
        })
        .execute();
      await store.db
        .insertInto('oauth_states')
        .values({
          state_hash: 'h1',
          user_id: 'u1',
          session_id: 's1',
          code_verifier: oldVault.encrypt('verifier', 'oauth_state:h1'),
          login_host: 'https://login.salesforce.com',
          connection_kind: 'personal',
          request: '{}',
          created_at: now,
          expires_at: now,
          used_at: null,
        })
        .execute();
      expect((await keyUsage(store)).byKey).toEqual({ old: 3 });

      const vault = new TokenVault(
        new Keyring(
          [
            { ...generateKeyEntry(), id: 'new' },
            { ...old, id: 'old' },
          ],
          { kind: 'environment' },
        ),
      );
      const result = await reencryptAll(store, vault);
      expect(result.reencrypted).toBe(3);
      expect(result.usage.byKey).toEqual({ new: 3 });
      const row = await store.db.selectFrom('connections').selectAll().executeTakeFirstOrThrow();
      expect(row.token_version).toBe(3);
      expect(vault.decrypt(row.access_token!, connectionTokenContext('c1', 'access_token'))).toBe('access');
      expect(vault.decrypt(row.refresh_token!, connectionTokenContext('c1', 'refresh_token'))).toBe(
        'refresh',
      );
      const state = await store.db.selectFrom('oauth_states').selectAll().executeTakeFirstOrThrow();
      expect(vault.decrypt(state.code_verifier, 'oauth_state:h1')).toBe('verifier');
      // Nothing left to do the second time.
      expect((await reencryptAll(store, vault)).reencrypted).toBe(0);
    } finally {
      await testStore.dispose();
    }
  });
});

describe('forcefield keys', () => {
  it('rotates the key file and re-encrypts through the CLI', async () => {
    const directory = temporaryDirectory();
    const environment = { ...process.env, DATA_DIR: directory, FORCEFIELD_SECRET_KEY: '', DATABASE_URL: '' };
    // A store with one secret under the first key.
    const keyring = loadKeyring({ secretKey: undefined, dataDir: directory });
    const store = openStore({ sqlitePath: path.join(directory, 'forcefield.db') });
    await migrate(store);
    const vault = new TokenVault(keyring);
    await store.db
      .insertInto('users')
      .values({
        id: 'u1',
        email: 'u1@example.com',
        name: 'U',
        password_hash: 'x',
        role: 'admin',
        created_at: '',
        disabled_at: null,
      })
      .execute();
    await store.db
      .insertInto('oauth_states')
      .values({
        state_hash: 'h1',
        user_id: 'u1',
        session_id: null,
        code_verifier: vault.encrypt('verifier', 'oauth_state:h1'),
        login_host: 'x',
        connection_kind: 'personal',
        request: '{}',
        created_at: '',
        expires_at: '',
        used_at: null,
      })
      .execute();
    await store.close();
    const cli = path.resolve('bin/forcefield.ts');
    const rotated = await run(process.execPath, [cli, 'keys', 'rotate'], {
      env: environment,
      cwd: directory,
    });
    expect(rotated.stdout).toMatch(/Re-encrypted 1 secrets/);
    const status = await run(process.execPath, [cli, 'keys', 'status'], { env: environment, cwd: directory });
    expect(status.stdout).toMatch(/\(current\): 1 secrets/);
    expect(status.stdout).toContain(`${keyring.current.id}: 0 secrets`);
  });
});
