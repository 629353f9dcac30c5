import type { Command } from 'commander';
import { verifyAuditChain } from '../../modules/audit/audit.service.ts';
import { withAppDatabase } from './users.ts';

export function registerAuditCommand(program: Command): void {
  const audit = program.command('audit').description('The hash-chained audit log');
  audit
    .command('verify')
    .description('Check every link of the audit chain; exits 1 and names the first broken entry if any')
    .action(async () => {
      await withAppDatabase(async (database) => {
        const result = await verifyAuditChain(database.db, (n) => {
          if (process.stderr.isTTY) process.stderr.write(`\rchecked ${n} entries`);
        });
        if (process.stderr.isTTY) process.stderr.write('\n');
        if (result.ok) {
          process.stdout.write(`audit chain intact: ${result.entries} entries\n`);
        } else {
          process.stdout.write(
            `audit chain BROKEN at entry ${result.brokenAt}: ${result.reason} (${result.entries} entries before it check out)\n`,
          );
          process.exitCode = 1;
        }
      });
    });
}
