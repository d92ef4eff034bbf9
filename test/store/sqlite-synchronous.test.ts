import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { afterAll, describe, expect, it } from 'vitest';
import { ConfigError, parseConfig } from '../../src/core/config.ts';
import { openConfiguredStore } from '../../src/main.ts';
import { openStore, type SqliteSynchronous } from '../../src/store/database.ts';

const dataDir = mkdtempSync(path.join(tmpdir(), 'forcefield-synchronous-'));

afterAll(() => {
  rmSync(dataDir, { recursive: true, force: true });
});

/** SQLite's own answer: 1 is NORMAL, 2 is FULL. */
async function synchronousLevel(environment: Record<string, string>): Promise<number> {
  const directory = mkdtempSync(path.join(dataDir, 'store-'));
  const store = openConfiguredStore(parseConfig({ DATA_DIR: directory, ...environment }));
  try {
    const { rows } = await sql<{ synchronous: number }>`PRAGMA synchronous`.execute(store.db);
    return rows[0].synchronous;
  } finally {
    await store.close();
  }
}

describe('SQLITE_SYNCHRONOUS', () => {
  it('is FULL unless set: every commit is on disk before it is answered', async () => {
    expect(parseConfig({}).SQLITE_SYNCHRONOUS).toBe('FULL');
    expect(await synchronousLevel({})).toBe(2);
  });

  it('can be NORMAL (any case), which SQLite then uses', async () => {
    expect(parseConfig({ SQLITE_SYNCHRONOUS: 'normal' }).SQLITE_SYNCHRONOUS).toBe('NORMAL');
    expect(await synchronousLevel({ SQLITE_SYNCHRONOUS: 'NORMAL' })).toBe(1);
    expect(await synchronousLevel({ SQLITE_SYNCHRONOUS: 'FULL' })).toBe(2);
  });

  it('refuses any other value at start with an error naming the setting and its choices', () => {
    for (const value of ['OFF', 'EXTRA', '1', 'fast']) {
      expect(() => parseConfig({ SQLITE_SYNCHRONOUS: value })).toThrow(ConfigError);
      expect(() => parseConfig({ SQLITE_SYNCHRONOUS: value })).toThrow(
        'SQLITE_SYNCHRONOUS: must be FULL (the default) or NORMAL',
      );
    }
  });

  it('is never put into the PRAGMA unchecked', () => {
    expect(() =>
      openStore({ sqlitePath: ':memory:', sqliteSynchronous: 'OFF; DROP TABLE users' as SqliteSynchronous }),
    ).toThrow('Invalid SQLite synchronous setting');
  });
});
