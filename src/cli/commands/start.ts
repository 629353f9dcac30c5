import type { Command } from 'commander';
import { ConfigError } from '../../config.ts';
import { configOrExit } from '../main.ts';
import { openFailure } from '../open-failure.ts';

const ROLES = ['all', 'web', 'worker'] as const;

export function registerStartCommand(program: Command): void {
  program
    .command('start')
    .description(
      'Start Haven: the API, the console and the migrant app, and the delivery worker (migrations run first)',
    )
    .option('--role <role>', 'process role: all (web and worker), web, or worker', 'all')
    .action(async (opts: { role: string }) => {
      const role = ROLES.find((r) => r === opts.role);
      if (!role) {
        process.stderr.write(`haven: --role must be all, web or worker (got "${opts.role}")\n`);
        process.exit(2);
      }
      const config = configOrExit();
      const db = config.database.kind === 'sqlite' ? `SQLite at ${config.database.file}` : 'PostgreSQL';
      const closers: (() => Promise<void>)[] = [];
      let started = false;
      let signalled: string | undefined;
      const stop = () => {
        process.stdout.write(`\n${signalled} received, shutting down\n`);
        Promise.all(closers.map((close) => close())).then(
          () => process.exit(0),
          () => process.exit(1),
        );
      };
      // Registered before anything starts, so a signal during start-up still ends in a clean stop once
      // start-up is over; a second signal (start-up hangs, say on an unreachable database) exits at once.
      const onSignal = (signal: string) => {
        if (signalled) {
          if (!started) process.exit(1);
          return;
        }
        signalled = signal;
        if (started) stop();
      };
      process.on('SIGINT', () => onSignal('SIGINT'));
      process.on('SIGTERM', () => onSignal('SIGTERM'));
      try {
        // Loaded on demand: a worker process has no use for the web app, nor a web process for the channels.
        let server: import('../../server.ts').RunningServer | undefined;
        if (role !== 'worker') {
          const { startServer } = await import('../../server.ts');
          server = await startServer(config);
          closers.push(server.close);
          process.stdout.write(
            `Haven is running at ${server.url} (console: ${server.url}/, API docs: ${server.url}/api/docs, database: ${db})\n`,
          );
        }
        if (role !== 'web') {
          const { startWorker } = await import('../../worker.ts');
          // With both roles in one process the worker shares the server's database handle (see serveWith);
          // it then stops before the server closes the database.
          const worker = await startWorker(config, server ? { database: server.database } : {});
          if (server) {
            const serverClose = server.close;
            closers.splice(closers.indexOf(serverClose), 1, async () => {
              await worker.close();
              await serverClose();
            });
          } else closers.push(worker.close);
          process.stdout.write(`Haven delivery worker ${worker.id} is running (database: ${db})\n`);
        }
      } catch (err) {
        await Promise.allSettled(closers.map((close) => close()));
        if (err instanceof ConfigError) {
          process.stderr.write(`haven: invalid configuration: ${err.message}\n`);
          process.exit(2);
        }
        const failure = openFailure(err);
        if (failure) {
          process.stderr.write(`haven: ${failure.line}\n`);
          process.exit(failure.exitCode);
        }
        throw err;
      }
      started = true;
      if (signalled) stop();
    });
}
