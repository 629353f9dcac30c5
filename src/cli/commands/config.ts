import type { Command } from 'commander';
import { CONFIG_VARIABLES } from '../../config.ts';
import { configOrExit } from '../main.ts';

export function registerConfigCommand(program: Command): void {
  program
    .command('config')
    .description('Check the configuration and print it (secrets and database credentials are never printed)')
    .option('--markdown', 'print the table of every configuration variable, as in the README')
    .action((opts: { markdown?: boolean }) => {
      if (opts.markdown) {
        const rows = CONFIG_VARIABLES.map((v) => `| \`${v.name}\` | \`${v.default}\` | ${v.description} |`);
        process.stdout.write(
          `${['| Variable | Default | Meaning |', '| --- | --- | --- |', ...rows].join('\n')}\n`,
        );
        return;
      }
      const c = configOrExit();
      const db = c.database.kind === 'sqlite' ? `sqlite:${c.database.file}` : 'postgres (URL hidden)';
      process.stdout.write(
        `port ${c.port}\nhost ${c.host}\ndata dir ${c.dataDir}\ndatabase ${db}\nlog level ${c.logLevel}\nweb dir ${c.webDir}\nbody limit ${c.bodyLimitBytes}\n`,
      );
    });
}
