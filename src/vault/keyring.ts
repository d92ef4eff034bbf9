import { randomBytes } from 'node:crypto';
import {
  closeSync,
  linkSync,
  mkdirSync,
  openSync,
  readFileSync,
  renameSync,
  rmSync,
  writeSync,
} from 'node:fs';
import path from 'node:path';

/** Key ids appear inside every ciphertext, so they stay short and free of the `:` separator. */
const KEY_ID_PATTERN = /^[A-Za-z0-9_-]{1,32}$/;
const KEY_BYTES = 32;

/** Where the generated keyring lives when FORCEFIELD_SECRET_KEY is unset. */
export const KEY_FILE_NAME = 'secret-keys';

export class KeyringError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'KeyringError';
  }
}

export interface KeyEntry {
  id: string;
  key: Buffer;
}

/**
 * `id1:base64key,id2:base64key` (comma- or newline-separated, first is current), or a single bare
 * base64 key, whose id is then `k1`. Every key must decode to exactly 32 bytes.
 */
export function parseKeyList(text: string): KeyEntry[] {
  const items = text
    .split(/[,\n]/)
    .map((item) => item.trim())
    .filter((item) => item !== '' && !item.startsWith('#'));
  if (items.length === 0) throw new KeyringError('No keys given.');
  const entries = items.map((item, index) => {
    const separator = item.indexOf(':');
    const id = separator >= 0 ? item.slice(0, separator) : items.length === 1 ? 'k1' : '';
    const encoded = separator >= 0 ? item.slice(separator + 1) : item;
    if (!KEY_ID_PATTERN.test(id)) {
      throw new KeyringError(
        `Key ${index + 1}: give several keys as id:base64key (ids of letters, digits, _ or -).`,
      );
    }
    const key = Buffer.from(encoded, 'base64');
    if (key.length !== KEY_BYTES) {
      throw new KeyringError(`Key '${id}' must be base64 of exactly 32 bytes (it decodes to ${key.length}).`);
    }
    return { id, key };
  });
  const ids = new Set<string>();
  for (const entry of entries) {
    if (ids.has(entry.id)) throw new KeyringError(`Key id '${entry.id}' appears twice.`);
    ids.add(entry.id);
  }
  return entries;
}

export function formatKeyList(entries: KeyEntry[]): string {
  return entries.map((entry) => `${entry.id}:${entry.key.toString('base64')}`).join('\n');
}

/** A fresh key with a time-based id (`k` + base-36 seconds), unique enough for a keyring. */
export function generateKeyEntry(existingIds: Iterable<string> = []): KeyEntry {
  const taken = new Set(existingIds);
  let id = `k${Math.floor(Date.now() / 1000).toString(36)}`;
  for (let suffix = 2; taken.has(id); suffix++) id = `${id.replace(/-\d+$/, '')}-${suffix}`;
  return { id, key: randomBytes(KEY_BYTES) };
}

/**
 * Where the keys come from: the environment (read-only: the operator changes it) or a file in
 * DATA_DIR (which `forcefield keys rotate` may extend).
 */
export type KeySource = { kind: 'environment' } | { kind: 'file'; path: string };

/**
 * Every key the service knows: the current one encrypts, all of them decrypt. Retired keys stay
 * so ciphertexts written before a rotation still open.
 */
export class Keyring {
  readonly source: KeySource;
  #entries: KeyEntry[];

  constructor(entries: KeyEntry[], source: KeySource) {
    if (entries.length === 0) throw new KeyringError('A keyring needs at least one key.');
    this.#entries = entries;
    this.source = source;
  }

  get current(): KeyEntry {
    return this.#entries[0];
  }

  get ids(): string[] {
    return this.#entries.map((entry) => entry.id);
  }

  find(id: string): KeyEntry | undefined {
    const found = this.#entries.find((entry) => entry.id === id);
    // Another process (the CLI) may have rotated the key file since we read it: look once more.
    if (!found && this.source.kind === 'file') {
      this.#entries = readKeyFile(this.source.path);
      return this.#entries.find((entry) => entry.id === id);
    }
    return found;
  }

  /** Makes a new key current (key file only) and keeps the others for decryption. */
  addCurrentKey(entry: KeyEntry = generateKeyEntry(this.ids)): KeyEntry {
    if (this.source.kind !== 'file') {
      throw new KeyringError(
        'FORCEFIELD_SECRET_KEY is set: put the new key first in it (id:base64key,…) and run the rotation again.',
      );
    }
    const entries = [entry, ...readKeyFile(this.source.path)];
    writeFileAtomically(this.source.path, `${formatKeyList(entries)}\n`, { replace: true });
    this.#entries = entries;
    return entry;
  }
}

function readKeyFile(file: string): KeyEntry[] {
  try {
    return parseKeyList(readFileSync(file, 'utf8'));
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new KeyringError(`Cannot read the key file ${file}: ${reason}`);
  }
}

/**
 * Writes `content` to `file` with mode 0600 through a temporary file, so no reader ever sees a
 * half-written key. Without `replace`, an existing file wins (two processes starting at once
 * both end up with the one key that was linked first).
 */
function writeFileAtomically(file: string, content: string, options: { replace: boolean }): boolean {
  const temporary = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  const descriptor = openSync(temporary, 'wx', 0o600);
  try {
    writeSync(descriptor, content);
  } finally {
    closeSync(descriptor);
  }
  try {
    if (options.replace) {
      renameSync(temporary, file);
      return true;
    }
    linkSync(temporary, file);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  } finally {
    if (!options.replace) rmSync(temporary, { force: true });
  }
}

/**
 * The keyring from FORCEFIELD_SECRET_KEY, or from `DATA_DIR/secret-keys`, generating that file
 * (one new key) the first time.
 */
export function loadKeyring(options: { secretKey: string | undefined; dataDir: string }): Keyring {
  if (options.secretKey) {
    try {
      return new Keyring(parseKeyList(options.secretKey), { kind: 'environment' });
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      throw new KeyringError(`FORCEFIELD_SECRET_KEY: ${reason}`);
    }
  }
  const file = path.resolve(options.dataDir, KEY_FILE_NAME);
  mkdirSync(path.dirname(file), { recursive: true });
  try {
    readFileSync(file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    writeFileAtomically(file, `${formatKeyList([generateKeyEntry()])}\n`, { replace: false });
  }
  return new Keyring(readKeyFile(file), { kind: 'file', path: file });
}
