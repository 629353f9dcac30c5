import { type Command, InvalidArgumentError } from 'commander';
import { AppError } from '../../errors.ts';
import { seedDemoUsers } from '../../modules/seed/demo-users.ts';
import { DEMO_ORIGINS } from '../../modules/seed/origin-profiles.ts';
import { MAX_DEMO_PEOPLE, type SeedDemoSummary, seedDemo } from '../../modules/seed/seed.service.ts';
import { configOrExit } from '../main.ts';
import { openAppDatabaseOrExit } from '../open-failure.ts';

/** Parses an integer option; `50_000` and `50,000` are accepted as written in the docs. */
const integer = (name: string, min: number, max: number) => (raw: string) => {
  const text = raw.replace(/[_,]/g, '');
  const n = Number(text);
  if (!/^\d+$/.test(text) || n < min || n > max)
    throw new InvalidArgumentError(`${name} must be an integer from ${min} to ${max}`);
  return n;
};

const fmt = (n: number) => n.toLocaleString('en-US');

function printSummary(s: SeedDemoSummary, seconds: number): void {
  const shares = Object.entries(s.byCountry)
    .sort((a, b) => b[1] - a[1])
    .map(([c, n]) => `${c} ${fmt(n)}`)
    .join(', ');
  const lines = [
    `demo population of ${s.origin} nationals, seed ${s.seed}: ${fmt(s.people)} people in ${seconds.toFixed(1)} s`,
    `  created ${fmt(s.created)}, already present ${fmt(s.skipped)}${s.removed ? `, removed first ${fmt(s.removed)}` : ''}`,
    `  households and groups created: ${fmt(s.households)}`,
    `  organisations created ${s.organizations.created}, reused ${s.organizations.existing}; posts created ${s.posts.created}, reused ${s.posts.existing}`,
    `  by host country: ${shares}`,
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
}

export function registerSeedCommand(program: Command): void {
  const seed = program.command('seed').description('Load data into the database');
  seed
    .command('demo')
    .description(
      "Load a deterministic synthetic population: one origin country's nationals across host countries, with posts, partners and employers. " +
        'People get external references DEMO-<origin>-<n>; running again with the same seed adds nothing. ' +
        'Refuses a registry that holds non-demo persons (see --force) or demo persons from another seed or origin (see --replace).',
    )
    .option('--people <n>', 'number of persons', integer('--people', 1, MAX_DEMO_PEOPLE), 50_000)
    .option(
      '--seed <n>',
      'seed of the generator: the same seed gives the same people',
      integer('--seed', 0, Number.MAX_SAFE_INTEGER),
      1,
    )
    .option('--origin <code>', `origin country, ISO 3166-1 alpha-2 (${DEMO_ORIGINS.join(', ')})`, 'PH')
    .option(
      '--replace',
      'first remove every earlier demo person and household (to change seed or origin)',
      false,
    )
    .option('--force', 'seed even though the registry holds persons that are not demo data', false)
    .action(
      async (opts: { people: number; seed: number; origin: string; replace: boolean; force: boolean }) => {
        const config = configOrExit();
        const database = await openAppDatabaseOrExit(config);
        const tty = process.stderr.isTTY;
        const started = performance.now();
        let lastLine = 0;
        try {
          const summary = await seedDemo(database, {
            people: opts.people,
            seed: opts.seed,
            origin: opts.origin,
            replace: opts.replace,
            force: opts.force,
            onProgress: (p) => {
              const line = `seeding: ${fmt(p.generated)} / ${fmt(p.total)} people (${Math.floor((100 * p.generated) / p.total)}%)`;
              if (tty) process.stderr.write(`\r${line}`);
              else if (p.generated === p.total || performance.now() - lastLine > 2000) {
                process.stderr.write(`${line}\n`);
                lastLine = performance.now();
              }
            },
          });
          if (tty) process.stderr.write('\n');
          printSummary(summary, (performance.now() - started) / 1000);
          const users = await seedDemoUsers(database.db);
          process.stdout.write(
            '\ndemo accounts (synthetic; passwords reset on every run; TOTP: add the secret to an authenticator app, or run `npx haven users totp-code --email E`):\n',
          );
          for (const u of users) {
            process.stdout.write(
              `  ${u.role.padEnd(19)} ${u.email.padEnd(38)} password ${u.password}${u.totpSecret ? `  totp secret ${u.totpSecret}` : ''}\n`,
            );
          }
        } catch (err) {
          if (tty) process.stderr.write('\n');
          if (!(err instanceof AppError)) throw err;
          process.stderr.write(`haven: ${err.message} (${err.code})\n`);
          process.exitCode = 1;
        } finally {
          await database.destroy();
        }
      },
    );
}
