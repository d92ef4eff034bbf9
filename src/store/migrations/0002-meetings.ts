import type { Kysely } from 'kysely';

// Migrations take Kysely<any>: they describe the schema as it was, not as the types say it is now.
// biome-ignore lint/suspicious/noExplicitAny: see above
type AnyDatabase = Kysely<any>;

/** Meetings, their participants, summary items and shares; the send journal; workspace settings. */
export async function up(db: AnyDatabase): Promise<void> {
  await db.schema
    .createTable('meetings')
    .addColumn('id', 'text', (column) => column.primaryKey())
    .addColumn('title', 'text', (column) => column.notNull())
    .addColumn('start_time', 'text', (column) => column.notNull())
    .addColumn('end_time', 'text', (column) => column.notNull())
    .addColumn('created_by', 'text')
    .addColumn('source', 'text', (column) => column.notNull())
    .addColumn('created_at', 'text', (column) => column.notNull())
    .execute();

  await db.schema
    .createTable('meeting_participants')
    .addColumn('meeting_id', 'text', (column) =>
      column.notNull().references('meetings.id').onDelete('cascade'),
    )
    .addColumn('position', 'integer', (column) => column.notNull())
    .addColumn('name', 'text', (column) => column.notNull())
    .addColumn('email', 'text', (column) => column.notNull())
    .addColumn('internal', 'integer', (column) => column.notNull())
    .addPrimaryKeyConstraint('meeting_participants_pk', ['meeting_id', 'position'])
    .execute();
  // Visibility looks meetings up by a participant's email.
  await db.schema
    .createIndex('meeting_participants_email')
    .on('meeting_participants')
    .column('email')
    .execute();

  await db.schema
    .createTable('meeting_items')
    .addColumn('meeting_id', 'text', (column) =>
      column.notNull().references('meetings.id').onDelete('cascade'),
    )
    .addColumn('item_id', 'text', (column) => column.notNull())
    .addColumn('position', 'integer', (column) => column.notNull())
    .addColumn('kind', 'text', (column) => column.notNull())
    .addColumn('text', 'text', (column) => column.notNull())
    .addColumn('owner_email', 'text')
    .addColumn('due_date', 'text')
    .addPrimaryKeyConstraint('meeting_items_pk', ['meeting_id', 'item_id'])
    .execute();

  await db.schema
    .createTable('meeting_shares')
    .addColumn('meeting_id', 'text', (column) =>
      column.notNull().references('meetings.id').onDelete('cascade'),
    )
    .addColumn('principal_type', 'text', (column) => column.notNull())
    .addColumn('principal_id', 'text', (column) => column.notNull())
    .addColumn('created_at', 'text', (column) => column.notNull())
    .addPrimaryKeyConstraint('meeting_shares_pk', ['meeting_id', 'principal_type', 'principal_id'])
    .execute();

  // The send journal: one row per idempotency key, written before Salesforce is called.
  await db.schema
    .createTable('meeting_sends')
    .addColumn('id', 'text', (column) => column.primaryKey())
    .addColumn('idempotency_key', 'text', (column) => column.notNull().unique())
    .addColumn('user_id', 'text', (column) => column.notNull())
    .addColumn('meeting_id', 'text', (column) => column.notNull())
    .addColumn('item_id', 'text', (column) => column.notNull())
    .addColumn('connection_id', 'text', (column) => column.notNull())
    .addColumn('salesforce_user_id', 'text', (column) => column.notNull())
    .addColumn('kind', 'text', (column) => column.notNull())
    .addColumn('object_type', 'text', (column) => column.notNull())
    .addColumn('record_type', 'text', (column) => column.notNull())
    .addColumn('record_id', 'text', (column) => column.notNull())
    .addColumn('request_hash', 'text', (column) => column.notNull())
    .addColumn('status', 'text', (column) => column.notNull())
    .addColumn('attempt_id', 'text', (column) => column.notNull())
    .addColumn('attempts', 'integer', (column) => column.notNull())
    .addColumn('first_sent_at', 'text', (column) => column.notNull())
    .addColumn('attempt_started_at', 'text', (column) => column.notNull())
    .addColumn('lease_until', 'text')
    .addColumn('salesforce_id', 'text')
    .addColumn('salesforce_url', 'text')
    .addColumn('error_code', 'text')
    .addColumn('created_at', 'text', (column) => column.notNull())
    .addColumn('completed_at', 'text')
    .execute();
  await db.schema
    .createIndex('meeting_sends_item')
    .on('meeting_sends')
    .columns(['meeting_id', 'item_id'])
    .execute();
  await db.schema.createIndex('meeting_sends_status').on('meeting_sends').column('status').execute();

  await db.schema
    .createTable('workspace_settings')
    .addColumn('key', 'text', (column) => column.primaryKey())
    .addColumn('value', 'text', (column) => column.notNull())
    .addColumn('updated_at', 'text', (column) => column.notNull())
    .execute();
}

export async function down(db: AnyDatabase): Promise<void> {
  for (const table of [
    'workspace_settings',
    'meeting_sends',
    'meeting_shares',
    'meeting_items',
    'meeting_participants',
    'meetings',
  ]) {
    await db.schema.dropTable(table).ifExists().execute();
  }
}
