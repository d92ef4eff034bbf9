import { describe, expect, it } from 'vitest';
import { generateKeyEntry, Keyring } from '../../src/vault/keyring.ts';
import { keyUsage, reencryptAll } from '../../src/vault/reencrypt.ts';
import { connectionTokenContext, TokenVault } from '../../src/vault/token-vault.ts';
import { openTestStore, STORE_DIALECTS } from '../support/store.ts';
import { insertOAuthState, insertOwner } from './support.ts';

describe.each(STORE_DIALECTS)('key rotation re-encrypts stored secrets (%s)', (dialect) => {
  it('moves every token and verifier to the current key', async () => {
    const testStore = await openTestStore(dialect);
    try {
      const { store } = testStore;
      const old = generateKeyEntry();
      const oldVault = new TokenVault(new Keyring([{ ...old, id: 'old' }], { kind: 'environment' }));
      const now = new Date().toISOString();
      await insertOwner(store, now);
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
      await insertOAuthState(store, {
        vault: oldVault,
        sessionId: 's1',
        loginHost: 'https://login.salesforce.com',
        at: now,
      });
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
