import type { Kysely } from 'kysely';

// Migrations take Kysely<any>: they describe the schema as it was, not as the types say it is now.
// biome-ignore lint/suspicious/noExplicitAny: see above
type AnyDatabase = Kysely<any>;

/**
 * The execution record of an approved agent call, in its approval's row: written with the decision
 * (before any Salesforce call), moved to `sending` just before the request leaves, and to a final
 * state after it, each by a conditional update — so an instance that dies at any point leaves a row
 * a resolver on any instance can finish (expire, or look up), and never both finish and run it.
 */
export async function up(db: AnyDatabase): Promise<void> {
  const table = () => db.schema.alterTable('agent_approvals');
  await table().addColumn('execution', 'text').execute();
  await table().addColumn('execution_lease_until', 'text').execute();
  await table().addColumn('execution_started_at', 'text').execute();
  await table().addColumn('execution_record_ids', 'text').execute();
  await table().addColumn('execution_error_code', 'text').execute();
  await db.schema
    .createIndex('agent_approvals_execution')
    .on('agent_approvals')
    .columns(['execution', 'execution_lease_until'])
    .execute();
}

export async function down(db: AnyDatabase): Promise<void> {
  await db.schema.dropIndex('agent_approvals_execution').execute();
  for (const column of [
    'execution_error_code',
    'execution_record_ids',
    'execution_started_at',
    'execution_lease_until',
    'execution',
  ]) {
    await db.schema.alterTable('agent_approvals').dropColumn(column).execute();
  }
}
