import type { Kysely } from 'kysely';

// Migrations take Kysely<any>: they describe the schema as it was, not as the types say it is now.
// biome-ignore lint/suspicious/noExplicitAny: see above
type AnyDatabase = Kysely<any>;

/**
 * `meeting_sends_status` (status alone) is a prefix of `meeting_sends_unfinished` (status,
 * lease_until), which serves every query by status; the second index only cost every journal
 * insert and completion one more B-tree to write.
 */
export async function up(db: AnyDatabase): Promise<void> {
  await db.schema.dropIndex('meeting_sends_status').execute();
}

export async function down(db: AnyDatabase): Promise<void> {
  await db.schema.createIndex('meeting_sends_status').on('meeting_sends').column('status').execute();
}
