import { Command } from 'commander';
import { type Config, ConfigError, loadConfig } from '../config.ts';
import { registerAuditCommand } from './commands/audit.ts';
import { registerCapCommand } from './commands/cap.ts';
import { registerConfigCommand } from './commands/config.ts';
import { registerImportCommand } from './commands/import.ts';
import { registerKeysCommand } from './commands/keys.ts';
import { registerMigrateCommand } from './commands/migrate.ts';
import { registerSeedCommand } from './commands/seed.ts';
import { registerStartCommand } from './commands/start.ts';
import { registerTokensCommand, registerUsersCommand } from './commands/users.ts';

/** Loads configuration or exits with code 2 after one clear line: bad configuration is never half-used. */
export function configOrExit(): Config {
  try {
    return loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`haven: invalid configuration: ${err.message}\n`);
      process.exit(2);
    }
    throw err;
  }
}

const program = new Command('haven')
  .description(
    'Haven: protect people abroad in a crisis. Configuration comes from environment variables (see README).',
  )
  .showHelpAfterError()
  .exitOverride((err) => process.exit(err.exitCode === 0 ? 0 : 2));

registerStartCommand(program);
registerMigrateCommand(program);
registerImportCommand(program);
registerSeedCommand(program);
registerConfigCommand(program);
registerUsersCommand(program);
registerTokensCommand(program);
registerAuditCommand(program);
registerKeysCommand(program);
registerCapCommand(program);

await program.parseAsync(process.argv);
