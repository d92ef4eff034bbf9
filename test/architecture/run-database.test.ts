import pg from 'pg';
import { describe, expect, it } from 'vitest';

/** With DATABASE_URL set, the run's workers see the database made for the run, not the named one. */
const RUNS_ON_POSTGRES = process.env.DATABASE_URL ? ['postgres'] : [];

describe.each(RUNS_ON_POSTGRES)('the test run on %s', () => {
  it('works in a database of its own (test/support/postgres-run-database.ts)', async () => {
    const client = new pg.Client({ connectionString: process.env.DATABASE_URL });
    await client.connect();
    try {
      const { rows } = await client.query<{ name: string }>('SELECT current_database() AS name');
      expect(rows[0].name).toMatch(/^forcefield_run_[0-9a-f]{12}$/);
    } finally {
      await client.end();
    }
  });
});
