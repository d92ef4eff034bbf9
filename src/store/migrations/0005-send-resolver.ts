import type { Kysely } from 'kysely';

// Migrations take Kysely<any>: they describe the schema as it was, not as the types say it is now.
// biome-ignore lint/suspicious/noExplicitAny: see above
type AnyDatabase = Kysely<any>;

/**
 * Meeting sends resolved on every instance: a journal row names the instance holding its attempt
 * (each instance's periodic resolver takes over rows whose lease expired), and keeps the title an
 * Enhanced Note was sent with, so the unknown-outcome lookup reads only notes of that title.
 */
export async function up(db: AnyDatabase): Promise<void> {
  await db.schema.alterTable('meeting_sends').addColumn('owner_instance', 'text').execute();
  await db.schema.alterTable('meeting_sends').addColumn('lookup_title', 'text').execute();
  await db.schema
    .createIndex('meeting_sends_unfinished')
    .on('meeting_sends')
    .columns(['status', 'lease_until'])
    .execute();
}

export async function down(db: AnyDatabase): Promise<void> {
  await db.schema.dropIndex('meeting_sends_unfinished').execute();
  await db.schema.alterTable('meeting_sends').dropColumn('lookup_title').execute();
  await db.schema.alterTable('meeting_sends').dropColumn('owner_instance').execute();
}
