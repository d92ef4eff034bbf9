import { loadConfig } from '../core/config.ts';
import { openConfiguredStore } from '../main.ts';
import { migrate } from '../store/database.ts';

/** `forcefield migrate`: applies pending migrations to the configured database and exits. */
export async function runMigrate(): Promise<void> {
  const config = loadConfig();
  const store = openConfiguredStore(config);
  try {
    const applied = await migrate(store);
    process.stdout.write(
      applied.length > 0 ? `Applied migrations: ${applied.join(', ')}\n` : 'The database is up to date.\n',
    );
  } finally {
    await store.close();
  }
}
