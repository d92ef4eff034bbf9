import type { Kysely } from 'kysely';

// Migrations take Kysely<any>: they describe the schema as it was, not as the types say it is now.
// biome-ignore lint/suspicious/noExplicitAny: see above
type AnyDatabase = Kysely<any>;

/**
 * Two agent-connector changes. The audit log gets an `agent_id` column (filled from each event's
 * `detail.agentId`, for the agent's Activity tab and the audit API's `agentId` filter); existing
 * rows are filled in here, in pages, parsing the JSON in code so the same migration runs on SQLite
 * and PostgreSQL.
 *
 * A model provider's key becomes optional (a local OpenAI-compatible server needs none): the row
 * says whether one was given. Without one, `api_key` holds the vault's ciphertext of an empty
 * string, so the column keeps its NOT NULL and every row decrypts the same way.
 */
export async function up(db: AnyDatabase): Promise<void> {
  await db.schema.alterTable('audit_events').addColumn('agent_id', 'text').execute();
  await db.schema.createIndex('audit_events_agent').on('audit_events').columns(['agent_id', 'id']).execute();
  await backfillAuditAgentIds(db);
  await db.schema
    .alterTable('model_providers')
    .addColumn('has_api_key', 'integer', (column) => column.notNull().defaultTo(1))
    .execute();
}

async function backfillAuditAgentIds(db: AnyDatabase): Promise<void> {
  let after = '';
  for (;;) {
    const rows: Array<{ id: string; detail: string }> = await db
      .selectFrom('audit_events')
      .select(['id', 'detail'])
      .where('id', '>', after)
      .where('detail', 'like', '%"agentId"%')
      .orderBy('id')
      .limit(500)
      .execute();
    for (const row of rows) {
      const agentId = (JSON.parse(row.detail) as { agentId?: unknown }).agentId;
      if (typeof agentId === 'string') {
        await db.updateTable('audit_events').set({ agent_id: agentId }).where('id', '=', row.id).execute();
      }
    }
    if (rows.length < 500) return;
    after = rows[rows.length - 1].id;
  }
}

export async function down(db: AnyDatabase): Promise<void> {
  await db.schema.dropIndex('audit_events_agent').execute();
  await db.schema.alterTable('audit_events').dropColumn('agent_id').execute();
  await db.schema.alterTable('model_providers').dropColumn('has_api_key').execute();
}
