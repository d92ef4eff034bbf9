import type { Store } from '../store/database.ts';
import { connectionTokenContext, oauthStateContext, TokenVault } from './token-vault.ts';

export interface KeyUsage {
  /** Key id → how many stored secrets it encrypts. */
  byKey: Record<string, number>;
  total: number;
}

export interface ReencryptResult {
  reencrypted: number;
  /** Secrets a concurrent refresh changed while we worked; they were re-read and done again. */
  retried: number;
  usage: KeyUsage;
}

/** How many stored secrets each key encrypts (connection tokens and pending PKCE verifiers). */
export async function keyUsage(store: Store): Promise<KeyUsage> {
  const byKey: Record<string, number> = {};
  let total = 0;
  const count = (ciphertext: string | null) => {
    if (ciphertext === null) return;
    const keyId = TokenVault.keyIdOf(ciphertext) ?? '(not encrypted)';
    byKey[keyId] = (byKey[keyId] ?? 0) + 1;
    total++;
  };
  const connections = await store.db
    .selectFrom('connections')
    .select(['access_token', 'refresh_token'])
    .execute();
  for (const row of connections) {
    count(row.access_token);
    count(row.refresh_token);
  }
  const states = await store.db.selectFrom('oauth_states').select('code_verifier').execute();
  for (const row of states) count(row.code_verifier);
  return { byKey, total };
}

/**
 * Re-encrypts every stored secret not under the vault's current key. Each row is updated only if
 * it still holds what we read (compare-and-set), so a token refresh racing the rotation is never
 * overwritten with the older token: that row is read again and redone.
 */
export async function reencryptAll(store: Store, vault: TokenVault): Promise<ReencryptResult> {
  let reencrypted = 0;
  let retried = 0;
  const ids = await store.db.selectFrom('connections').select('id').execute();
  for (const { id } of ids) {
    for (let attempt = 0; attempt < 5; attempt++) {
      const row = await store.db
        .selectFrom('connections')
        .select(['access_token', 'refresh_token', 'token_version'])
        .where('id', '=', id)
        .executeTakeFirst();
      if (!row) break;
      const stale = [row.access_token, row.refresh_token].filter(
        (value): value is string => value !== null && !vault.isUnderCurrentKey(value),
      );
      if (stale.length === 0) break;
      const rewrap = (value: string | null, column: 'access_token' | 'refresh_token') =>
        value === null || vault.isUnderCurrentKey(value)
          ? value
          : vault.encrypt(
              vault.decrypt(value, connectionTokenContext(id, column)),
              connectionTokenContext(id, column),
            );
      let update = store.db
        .updateTable('connections')
        .set({
          access_token: rewrap(row.access_token, 'access_token'),
          refresh_token: rewrap(row.refresh_token, 'refresh_token'),
        })
        .where('id', '=', id)
        .where('token_version', '=', row.token_version);
      update =
        row.access_token === null
          ? update.where('access_token', 'is', null)
          : update.where('access_token', '=', row.access_token);
      update =
        row.refresh_token === null
          ? update.where('refresh_token', 'is', null)
          : update.where('refresh_token', '=', row.refresh_token);
      const result = await update.executeTakeFirst();
      if (Number(result.numUpdatedRows) === 1) {
        reencrypted += stale.length;
        break;
      }
      retried++;
    }
  }
  const states = await store.db.selectFrom('oauth_states').select(['state_hash', 'code_verifier']).execute();
  for (const state of states) {
    if (vault.isUnderCurrentKey(state.code_verifier)) continue;
    const context = oauthStateContext(state.state_hash);
    await store.db
      .updateTable('oauth_states')
      .set({ code_verifier: vault.encrypt(vault.decrypt(state.code_verifier, context), context) })
      .where('state_hash', '=', state.state_hash)
      .where('code_verifier', '=', state.code_verifier)
      .execute();
    reencrypted++;
  }
  return { reencrypted, retried, usage: await keyUsage(store) };
}
