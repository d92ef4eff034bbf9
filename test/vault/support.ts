import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach } from 'vitest';
import type { Store } from '../../src/store/database.ts';
import type { TokenVault } from '../../src/vault/token-vault.ts';

/** A temp directory removed after the current test (registers its own afterEach). */
export function temporaryDirectories(): () => string {
  const directories: string[] = [];
  afterEach(() => {
    for (const directory of directories.splice(0)) rmSync(directory, { recursive: true, force: true });
  });
  return () => {
    const directory = mkdtempSync(path.join(tmpdir(), 'forcefield-vault-'));
    directories.push(directory);
    return directory;
  };
}

/** Inserts the admin user `u1` that the secrets of the rotation tests belong to. */
export async function insertOwner(store: Store, createdAt: string): Promise<void> {
  await store.db
    .insertInto('users')
    .values({
      id: 'u1',
      email: 'u1@example.com',
      name: 'U',
      password_hash: 'x',
      role: 'admin',
      created_at: createdAt,
      disabled_at: null,
    })
    .execute();
}

/** Inserts the OAuth state `h1` of `u1`, its code verifier `verifier` sealed by `vault`. */
export async function insertOAuthState(
  store: Store,
  {
    vault,
    sessionId,
    loginHost,
    at,
  }: { vault: TokenVault; sessionId: string | null; loginHost: string; at: string },
): Promise<void> {
  await store.db
    .insertInto('oauth_states')
    .values({
      state_hash: 'h1',
      user_id: 'u1',
      session_id: sessionId,
      code_verifier: vault.encrypt('verifier', 'oauth_state:h1'),
      login_host: loginHost,
      connection_kind: 'personal',
      request: '{}',
      created_at: at,
      expires_at: at,
      used_at: null,
    })
    .execute();
}
