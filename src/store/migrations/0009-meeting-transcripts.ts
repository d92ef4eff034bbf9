import type { Kysely } from 'kysely';

// biome-ignore lint/suspicious/noExplicitAny: migrations describe the schema as it was, not as the types say it is now
type AnyDatabase = Kysely<any>;

/**
 * Transcripts stored with their meeting (Forcefield's store only, deleted with the meeting), the
 * model's summary of each, the evidence and review state of summary items, and the intake
 * webhook's seen signatures (replay protection).
 */
export async function up(db: AnyDatabase): Promise<void> {
  await db.schema
    .createTable('meeting_transcripts')
    .addColumn('meeting_id', 'text', (column) =>
      column.primaryKey().references('meetings.id').onDelete('cascade'),
    )
    .addColumn('format', 'text', (column) => column.notNull())
    .addColumn('file_name', 'text')
    .addColumn('utterances', 'text', (column) => column.notNull())
    .addColumn('speakers', 'text', (column) => column.notNull())
    .addColumn('byte_size', 'integer', (column) => column.notNull())
    .addColumn('content_hash', 'text', (column) => column.notNull())
    .addColumn('created_at', 'text', (column) => column.notNull())
    .execute();

  await db.schema
    .createTable('meeting_summaries')
    .addColumn('meeting_id', 'text', (column) =>
      column.primaryKey().references('meetings.id').onDelete('cascade'),
    )
    .addColumn('prompt_version', 'text', (column) => column.notNull())
    .addColumn('model', 'text', (column) => column.notNull())
    .addColumn('transcript_hash', 'text', (column) => column.notNull())
    .addColumn('overview', 'text', (column) => column.notNull())
    .addColumn('kept_items', 'integer', (column) => column.notNull())
    .addColumn('flagged_items', 'integer', (column) => column.notNull())
    .addColumn('dropped_items', 'integer', (column) => column.notNull())
    .addColumn('dropped', 'text', (column) => column.notNull())
    .addColumn('chunks', 'integer', (column) => column.notNull())
    .addColumn('created_by', 'text')
    .addColumn('created_at', 'text', (column) => column.notNull())
    .execute();

  // One statement per column: SQLite adds one column per ALTER TABLE.
  await db.schema.alterTable('meeting_items').addColumn('evidence', 'text').execute();
  await db.schema.alterTable('meeting_items').addColumn('origin', 'text').execute();
  await db.schema.alterTable('meeting_items').addColumn('review_status', 'text').execute();
  await db.schema.alterTable('meeting_items').addColumn('flag', 'text').execute();
  await db.schema.alterTable('meeting_items').addColumn('owner_name', 'text').execute();

  await db.schema
    .createTable('meeting_intake_deliveries')
    .addColumn('signature', 'text', (column) => column.primaryKey())
    .addColumn('received_at', 'text', (column) => column.notNull())
    .execute();
  await db.schema
    .createIndex('meeting_intake_deliveries_received')
    .on('meeting_intake_deliveries')
    .column('received_at')
    .execute();
}
