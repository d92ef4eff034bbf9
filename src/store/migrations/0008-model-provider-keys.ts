import type { Kysely } from 'kysely';

// Migrations take Kysely<any>: they describe the schema as it was, not as the types say it is now.
// biome-ignore lint/suspicious/noExplicitAny: see above
type AnyDatabase = Kysely<any>;

/**
 * A model provider's key becomes optional (a local OpenAI-compatible server needs none): the row
 * says whether one was given. Without one, `api_key` holds the vault's ciphertext of an empty
 * string, so the column keeps its NOT NULL and every row decrypts the same way.
 */
export async function up(db: AnyDatabase): Promise<void> {
  await db.schema
    .alterTable('model_providers')
    .addColumn('has_api_key', 'integer', (column) => column.notNull().defaultTo(1))
    .execute();
}

export async function down(db: AnyDatabase): Promise<void> {
  await db.schema.alterTable('model_providers').dropColumn('has_api_key').execute();
}
