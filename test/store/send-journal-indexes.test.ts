import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import * as sendIndex from '../../src/store/migrations/0011-send-index.ts';
import { openTestStore, STORE_DIALECTS } from '../support/store.ts';

/** The send journal's indexes, as each dialect lists them (the unique key's own index aside). */
async function indexesOfSends(test: Awaited<ReturnType<typeof openTestStore>>): Promise<string[]> {
  if (test.name === 'sqlite') {
    const { rows } = await sql<{ name: string }>`
      SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'meeting_sends' AND sql IS NOT NULL
    `.execute(test.store.db);
    return rows.map((row) => row.name).sort();
  }
  const { rows } = await sql<{ indexname: string }>`
    SELECT indexname FROM pg_indexes
    WHERE schemaname = ${test.options.postgresSchema} AND tablename = 'meeting_sends'
      AND indexname NOT LIKE '%_pkey' AND indexname NOT LIKE '%_key'
  `.execute(test.store.db);
  return rows.map((row) => row.indexname).sort();
}

describe.each(STORE_DIALECTS)('the send journal’s indexes on %s', (dialect) => {
  it('has no index on status alone: meeting_sends_unfinished (status, lease_until) serves those reads', async () => {
    const test = await openTestStore(dialect);
    try {
      expect(await indexesOfSends(test)).toEqual(['meeting_sends_item', 'meeting_sends_unfinished']);
      // Migration 0011 undone puts the status index back; done again takes it away.
      await sendIndex.down(test.store.db);
      expect(await indexesOfSends(test)).toEqual([
        'meeting_sends_item',
        'meeting_sends_status',
        'meeting_sends_unfinished',
      ]);
      await sendIndex.up(test.store.db);
      expect(await indexesOfSends(test)).toEqual(['meeting_sends_item', 'meeting_sends_unfinished']);
    } finally {
      await test.dispose();
    }
  });
});

describe('the resolver’s reads of the journal on SQLite', () => {
  it('find unfinished sends through meeting_sends_unfinished, not a scan of every send', async () => {
    const test = await openTestStore('sqlite');
    try {
      const plans = [
        sql`EXPLAIN QUERY PLAN SELECT id FROM meeting_sends WHERE status IN ('pending', 'unknown')`,
        sql`EXPLAIN QUERY PLAN SELECT id FROM meeting_sends
            WHERE status = 'unknown' OR (status = 'pending' AND lease_until < '2026-01-01T00:00:00.000Z')
            ORDER BY lease_until LIMIT 50`,
      ];
      for (const plan of plans) {
        const { rows } = await plan.execute(test.store.db);
        const details = (rows as Array<{ detail: string }>).map((row) => row.detail).join(' | ');
        expect(details).toMatch(/USING (COVERING )?INDEX meeting_sends_unfinished/);
        expect(details).not.toMatch(/SCAN meeting_sends(?! USING)/);
      }
    } finally {
      await test.dispose();
    }
  });
});
