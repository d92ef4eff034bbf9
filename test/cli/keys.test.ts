import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { migrate, openStore } from '../../src/store/database.ts';
import { loadKeyring } from '../../src/vault/keyring.ts';
import { TokenVault } from '../../src/vault/token-vault.ts';
import { insertOAuthState, insertOwner, temporaryDirectories } from '../vault/support.ts';

const run = promisify(execFile);
const temporaryDirectory = temporaryDirectories();

// A CLI child process on purpose: the command as an operator runs it. Two children in a row
// boot Node each, more than the default timeout on a loaded 2-core machine.
describe('forcefield keys', { timeout: 60_000 }, () => {
  it('rotates the key file and re-encrypts through the CLI', async () => {
    const directory = temporaryDirectory();
    const environment = { ...process.env, DATA_DIR: directory, FORCEFIELD_SECRET_KEY: '', DATABASE_URL: '' };
    // A store with one secret under the first key.
    const keyring = loadKeyring({ secretKey: undefined, dataDir: directory });
    const store = openStore({ sqlitePath: path.join(directory, 'forcefield.db') });
    await migrate(store);
    const vault = new TokenVault(keyring);
    await insertOwner(store, '');
    await insertOAuthState(store, { vault, sessionId: null, loginHost: 'x', at: '' });
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
