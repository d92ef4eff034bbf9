import { AuditLog } from '../audit/audit-log.ts';
import { loadConfig } from '../core/config.ts';
import { openConfiguredStore } from '../store/configured-store.ts';
import { migrate } from '../store/database.ts';
import { formatKeyList, generateKeyEntry, loadKeyring } from '../vault/keyring.ts';
import { keyUsage, reencryptAll } from '../vault/reencrypt.ts';
import { TokenVault } from '../vault/token-vault.ts';

export const KEYS_USAGE = `Usage: forcefield keys <command>

Commands:
  status     the keyring (current key first) and how many stored secrets each key encrypts
  rotate     make a new key current and re-encrypt every stored token and PKCE verifier under it
  generate   print a new key (id:base64) to put first in FORCEFIELD_SECRET_KEY

With the generated key file (DATA_DIR/secret-keys), rotate adds the new key itself. With
FORCEFIELD_SECRET_KEY set, put a new key first in it (keep the old ones after it), restart the
service, then run rotate to re-encrypt. Old keys stay in the keyring: remove one only once status
shows it encrypts nothing.
`;

/** `forcefield keys …`: manages the keys that encrypt Salesforce tokens at rest. */
export async function runKeysCommand(argv: string[]): Promise<number> {
  const [command] = argv;
  if (command === 'generate') {
    process.stdout.write(`${formatKeyList([generateKeyEntry()])}\n`);
    return 0;
  }
  if (command !== 'status' && command !== 'rotate') {
    process.stdout.write(KEYS_USAGE);
    return command === undefined || command === 'help' || command === '--help' ? 0 : 2;
  }
  const config = loadConfig();
  const keyring = loadKeyring({ secretKey: config.FORCEFIELD_SECRET_KEY, dataDir: config.DATA_DIR });
  const store = openConfiguredStore(config);
  try {
    await migrate(store);
    const vault = new TokenVault(keyring);
    if (command === 'status') {
      const usage = await keyUsage(store);
      const source = keyring.source.kind === 'file' ? keyring.source.path : 'FORCEFIELD_SECRET_KEY';
      const lines = keyring.ids.map(
        (id, index) => `  ${id}${index === 0 ? ' (current)' : ''}: ${usage.byKey[id] ?? 0} secrets`,
      );
      const unknown = Object.keys(usage.byKey).filter((id) => !keyring.ids.includes(id));
      for (const id of unknown) lines.push(`  ${id} (NOT IN THE KEYRING): ${usage.byKey[id]} secrets`);
      process.stdout.write(`Keys from ${source}:\n${lines.join('\n')}\n`);
      return unknown.length > 0 ? 1 : 0;
    }
    const before = keyring.current.id;
    if (keyring.source.kind === 'file') {
      const added = keyring.addCurrentKey();
      process.stdout.write(`Added key ${added.id} as the current key (previous: ${before}).\n`);
    }
    const result = await reencryptAll(store, vault);
    const retired = keyring.ids.filter((id) => id !== keyring.current.id && !(id in result.usage.byKey));
    await new AuditLog(store).record({
      actorUserId: null,
      surface: 'cli',
      action: 'vault.keys_rotated',
      outcome: 'success',
      detail: { currentKeyId: keyring.current.id, reencrypted: result.reencrypted },
    });
    process.stdout.write(
      [
        `Re-encrypted ${result.reencrypted} secrets under key ${keyring.current.id}.`,
        keyring.source.kind === 'environment' && before === keyring.current.id && result.reencrypted === 0
          ? 'Everything was already under the current key: to rotate, put a new key first in FORCEFIELD_SECRET_KEY (see: forcefield keys generate).'
          : '',
        retired.length > 0
          ? `Keys no longer encrypting anything (kept, remove when no instance still runs with them): ${retired.join(', ')}.`
          : '',
      ]
        .filter(Boolean)
        .join('\n') + '\n',
    );
    return 0;
  } finally {
    await store.close();
  }
}
