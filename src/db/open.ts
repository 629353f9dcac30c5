import type { Config } from '../config.ts';
import { type Database, openDatabase } from './database.ts';
import { EncryptionPlugin } from './encryption-plugin.ts';
import { loadDataCipher } from './keys.ts';
import { migrateToLatest } from './migrate.ts';

/**
 * Opens the database as the application uses it: migrated, with sensitive columns encrypted at rest.
 * Every entry point (server, worker, CLI commands that touch personal data) opens it this way.
 */
export async function openAppDatabase(
  config: Config,
  options: { migrate?: boolean; poolSize?: number } = {},
): Promise<Database> {
  const database = openDatabase(config.database, options);
  try {
    if (options.migrate !== false) await migrateToLatest(database.db as never);
    const cipher = await loadDataCipher(database.db, config.masterKey);
    return { ...database, db: database.db.withPlugin(new EncryptionPlugin(cipher)) };
  } catch (err) {
    await database.destroy();
    throw err;
  }
}
