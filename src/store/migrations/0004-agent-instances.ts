import type { Kysely } from 'kysely';

// Migrations take Kysely<any>: they describe the schema as it was, not as the types say it is now.
// biome-ignore lint/suspicious/noExplicitAny: see above
type AnyDatabase = Kysely<any>;

/**
 * The agent connector on several instances. A conversation's turn lock moves into the database
 * (an owner with a lease, taken by a conditional update) and counts turns, so an instance can tell
 * that another one answered since it last did. An approval keeps its call (tool and input)
 * encrypted until it is decided or expires, so any instance can execute it.
 */
export async function up(db: AnyDatabase): Promise<void> {
  await db.schema.alterTable('conversations').addColumn('turn_owner', 'text').execute();
  await db.schema.alterTable('conversations').addColumn('turn_locked_until', 'text').execute();
  await db.schema
    .alterTable('conversations')
    .addColumn('turn_sequence', 'integer', (column) => column.notNull().defaultTo(0))
    .execute();
  await db.schema.alterTable('agent_approvals').addColumn('sealed_call', 'text').execute();
}

export async function down(db: AnyDatabase): Promise<void> {
  await db.schema.alterTable('agent_approvals').dropColumn('sealed_call').execute();
  for (const column of ['turn_sequence', 'turn_locked_until', 'turn_owner']) {
    await db.schema.alterTable('conversations').dropColumn(column).execute();
  }
}
