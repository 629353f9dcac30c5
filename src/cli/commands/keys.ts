import type { Command } from 'commander';
import { type Database, openDatabase } from '../../db/database.ts';
import { rotateMasterKey } from '../../db/keys.ts';
import { migrateToLatest } from '../../db/migrate.ts';
import { configOrExit } from '../main.ts';
import { reportCommandFailure } from '../open-failure.ts';

export function registerKeysCommand(program: Command): void {
  const keys = program.command('keys').description('Encryption keys');
  keys
    .command('rotate')
    .description('Re-wrap the data-encryption key under a new master key (data is not re-encrypted)')
    .action(async () => {
      const config = configOrExit();
      let database: Database | undefined;
      try {
        database = openDatabase(config.database);
        await migrateToLatest(database.db as never);
        const r = await rotateMasterKey(database.db, config.masterKey);
        if (r.file) {
          process.stdout.write(
            `master key rotated (fingerprint ${r.fingerprint}); new key in ${r.file}, previous key kept as ${r.file}.old — destroy it once backups are re-keyed\n`,
          );
        } else {
          process.stdout.write(
            `master key rotated (fingerprint ${r.fingerprint}). Set HAVEN_MASTER_KEY to this value before the next start:\n${r.newKeyBase64}\n`,
          );
        }
      } catch (err) {
        reportCommandFailure(err);
      } finally {
        await database?.destroy();
      }
    });
}
