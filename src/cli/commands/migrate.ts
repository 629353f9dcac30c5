import type { Command } from 'commander';
import { openDatabase } from '../../db/database.ts';
import { migrateToLatest } from '../../db/migrate.ts';
import { configOrExit } from '../main.ts';

export function registerMigrateCommand(program: Command): void {
  program
    .command('migrate')
    .description('Apply pending database migrations and exit')
    .action(async () => {
      const config = configOrExit();
      const database = openDatabase(config.database);
      try {
        const applied = await migrateToLatest(database.db as never);
        process.stdout.write(
          applied.length
            ? `applied ${applied.length} migrations: ${applied.join(', ')}\n`
            : 'database is up to date\n',
        );
      } catch (err) {
        process.stderr.write(`haven: ${(err as Error).message}\n`);
        process.exitCode = 1;
      } finally {
        await database.destroy();
      }
    });
}
