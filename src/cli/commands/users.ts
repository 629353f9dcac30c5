import type { Command } from 'commander';
import type { Database } from '../../db/database.ts';
import { ORGANIZATION_TYPES, type OrganizationType } from '../../domain/registry/person.ts';
import { AppError } from '../../errors.ts';
import { createApiToken, createUser, totpCode } from '../../modules/access/auth.service.ts';
import { createOrganization } from '../../modules/registry/directory.service.ts';
import { configOrExit } from '../main.ts';
import { openAppDatabaseOrExit } from '../open-failure.ts';

/** Runs a command body against the app database, turning coded errors into one line and exit code 1. */
export async function withAppDatabase(fn: (database: Database) => Promise<void>): Promise<void> {
  const config = configOrExit();
  const database = await openAppDatabaseOrExit(config);
  try {
    await fn(database);
  } catch (err) {
    const code = err instanceof AppError ? ` [${err.code}]` : '';
    process.stderr.write(`haven: ${(err as Error).message}${code}\n`);
    process.exitCode = 1;
  } finally {
    await database.destroy();
  }
}

async function resolveId(db: Database['db'], table: 'organizations' | 'posts', ref: string): Promise<string> {
  const byId = await db.selectFrom(table).select('id').where('id', '=', ref).executeTakeFirst();
  if (byId) return byId.id;
  const byName = await db.selectFrom(table).select('id').where('name', '=', ref).execute();
  if (byName.length === 1) return byName[0]!.id;
  throw new AppError(
    `${table === 'posts' ? 'post' : 'organization'}.not_found`,
    `no single ${table === 'posts' ? 'post' : 'organization'} with this id or name`,
    404,
  );
}

export function registerUsersCommand(program: Command): void {
  const users = program.command('users').description('Manage accounts');
  users
    .command('create')
    .description(
      'Create an account and print its one-time password (the person changes it and sets up TOTP at first sign-in)',
    )
    .requiredOption('--email <email>', 'e-mail address, used to sign in')
    .requiredOption(
      '--role <role>',
      'hq_admin, crisis_manager, consular_officer, partner_caseworker, employer_liaison, host_authority, analyst or auditor',
    )
    .requiredOption('--org <organization>', 'organization id or exact name')
    .option(
      '--org-type <type>',
      'create the organization with this type if it does not exist yet (first set-up), e.g. origin_state',
    )
    .option('--post <post>', 'post id or exact name (required for consular officers)')
    .action(async (opts: { email: string; role: string; org: string; orgType?: string; post?: string }) => {
      await withAppDatabase(async (database) => {
        let organizationId: string;
        try {
          organizationId = await resolveId(database.db, 'organizations', opts.org);
        } catch (err) {
          if (!opts.orgType) throw err;
          if (!(ORGANIZATION_TYPES as readonly string[]).includes(opts.orgType)) {
            throw new AppError(
              'organization.type_unknown',
              `--org-type must be one of ${ORGANIZATION_TYPES.join(', ')}`,
              422,
            );
          }
          organizationId = (
            await createOrganization(database.db, { name: opts.org, type: opts.orgType as OrganizationType })
          ).id;
          process.stdout.write(`created organization ${opts.org} (${opts.orgType})\n`);
        }
        const postId = opts.post ? await resolveId(database.db, 'posts', opts.post) : null;
        const { user, oneTimePassword } = await createUser(database.db, {
          email: opts.email,
          role: opts.role,
          organizationId,
          postId,
        });
        process.stdout.write(`created ${user.role} ${user.email}\none-time password: ${oneTimePassword}\n`);
      });
    });

  users
    .command('totp-code')
    .description(
      'Print the current TOTP code of an account (for demo and test accounts; people use their authenticator app)',
    )
    .requiredOption('--email <email>', 'the account')
    .action(async (opts: { email: string }) => {
      await withAppDatabase(async (database) => {
        const u = await database.db
          .selectFrom('users')
          .select('totp_secret_enc')
          .where('email', '=', opts.email.trim().toLowerCase())
          .executeTakeFirst();
        if (!u?.totp_secret_enc)
          throw new AppError(
            'user.totp_not_enrolled',
            'no account with an enrolled second factor for this e-mail',
            404,
          );
        process.stdout.write(`${totpCode(u.totp_secret_enc)}\n`);
      });
    });
}

const DURATION = /^(\d+)d$/;

export function registerTokensCommand(program: Command): void {
  const tokens = program.command('tokens').description('Manage API tokens for partner systems');
  tokens
    .command('create')
    .description('Create an API token for an account; send it as "Authorization: Bearer <token>"')
    .requiredOption('--user <email>', 'the account the token acts as')
    .option('--expires <days>', 'lifetime such as 30d (1d to 366d)', '30d')
    .option('--label <label>', 'what the token is for')
    .action(async (opts: { user: string; expires: string; label?: string }) => {
      const m = DURATION.exec(opts.expires.trim());
      if (!m) {
        process.stderr.write(`haven: --expires must look like 30d (got "${opts.expires}")\n`);
        process.exitCode = 2;
        return;
      }
      await withAppDatabase(async (database) => {
        const { token, expiresAt } = await createApiToken(database.db, {
          email: opts.user,
          expiresInDays: Number(m[1]),
          label: opts.label,
        });
        process.stdout.write(`${token}\n`);
        process.stderr.write(`expires ${expiresAt}; shown once, store it now\n`);
      });
    });
}
