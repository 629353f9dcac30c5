import type { Command } from 'commander';
import { type Database, openDatabase } from '../../db/database.ts';
import { migrateToLatest } from '../../db/migrate.ts';
import { configOrExit } from '../main.ts';
import { reportCommandFailure } from '../open-failure.ts';

export function registerMigrateCommand(program: Command): void {
  program
    .command('migrate')
    .description('Apply pending database migrations and exit')
    .action(async () => {
      const config = configOrExit();
      let database: Database | undefined;
      try {
        database = openDatabase(config.database);
        const applied = await migrateToLatest(database.db as never);
        process.stdout.write(
          applied.length
            ? `applied ${applied.length} migrations: ${applied.join(', ')}\n`
            : 'database is up to date\n',
        );
      } catch (err) {
        reportCommandFailure(err);
      } finally {
        await database?.destroy();
      }
    });
}
