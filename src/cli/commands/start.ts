import type { Command } from 'commander';
import { startServer } from '../../server.ts';
import { configOrExit } from '../main.ts';

export function registerStartCommand(program: Command): void {
  program
    .command('start')
    .description('Start Haven: the API, the console and the migrant app (migrations run first)')
    .option('--role <role>', 'process role: all (web and worker), web, or worker', 'all')
    .action(async (opts: { role: string }) => {
      if (!['all', 'web', 'worker'].includes(opts.role)) {
        process.stderr.write(`haven: --role must be all, web or worker (got "${opts.role}")\n`);
        process.exit(2);
      }
      const config = configOrExit();
      const server = await startServer(config);
      const db = config.database.kind === 'sqlite' ? `SQLite at ${config.database.file}` : 'PostgreSQL';
      process.stdout.write(
        `Haven is running at ${server.url} (console: ${server.url}/, API docs: ${server.url}/api/docs, database: ${db})\n`,
      );
      const stop = (signal: string) => {
        process.stdout.write(`\n${signal} received, shutting down\n`);
        server.close().then(
          () => process.exit(0),
          () => process.exit(1),
        );
      };
      process.once('SIGINT', () => stop('SIGINT'));
      process.once('SIGTERM', () => stop('SIGTERM'));
    });
}
