import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { testDialect } from '../../test/helpers/database.ts';
import { loadConfig } from '../config.ts';
import { openAppDatabase } from '../db/open.ts';

const root = fileURLToPath(new URL('../../', import.meta.url));
const capFixture = fileURLToPath(new URL('../../../shared/fixtures/cap/', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'haven-open-failure-'));
const dataDir = join(dir, 'data');

type Run = { code: number; stderr: string };

/** Runs `haven ARGS` as an operator would, with only the environment given (and PATH). */
function haven(args: string[], env: Record<string, string>): Promise<Run> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [join(root, 'bin/haven.js'), ...args],
      {
        env: {
          PATH: process.env.PATH ?? '',
          LOG_LEVEL: 'silent',
          HOST: '127.0.0.1',
          PORT: String(40_000 + Math.floor(Math.random() * 20_000)),
          ...env,
        },
        cwd: dir,
        timeout: 30_000,
      },
      (err, _stdout, stderr) =>
        resolve({ code: err ? Number((err as { code?: number }).code ?? 1) : 0, stderr }),
    );
  });
}

/** The run failed with exactly one line on stderr, and that line matches. */
function saysOneLine(run: Run, code: number, line: RegExp): void {
  assert.equal(run.stderr.trim().split('\n').length, 1, `one line, got:\n${run.stderr}`);
  assert.match(run.stderr.trim(), line);
  assert.equal(run.code, code);
}

describe('the CLI says in one coded line why the database cannot be opened', () => {
  const sqliteEnv = { HAVEN_DATA_DIR: dataDir };
  let key = '';

  before(async () => {
    // A Haven that has started once: its database and the master key file that wraps its data key.
    const database = await openAppDatabase(loadConfig({ HAVEN_DATA_DIR: dataDir }));
    await database.destroy();
    assert.ok(existsSync(join(dataDir, 'master.key')));
    key = readFileSync(join(dataDir, 'master.key'), 'utf8');
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  test('a missing master key file stops start and every command with keys.no_master_key (exit 2)', async () => {
    rmSync(join(dataDir, 'master.key'));
    try {
      const line = /^haven: cannot open the data key: no master key: .*\[keys\.no_master_key\]$/;
      saysOneLine(await haven(['start'], sqliteEnv), 2, line);
      saysOneLine(await haven(['start', '--role', 'worker'], sqliteEnv), 2, line);
      saysOneLine(await haven(['cap', 'import', join(capFixture, 'canada.cap')], sqliteEnv), 2, line);
      saysOneLine(await haven(['seed', 'demo', '--people', '1'], sqliteEnv), 2, line);
      saysOneLine(await haven(['keys', 'rotate'], sqliteEnv), 2, /\[keys\.master_key_mismatch\]$/);
      assert.equal(
        existsSync(join(dataDir, 'master.key')),
        false,
        'no new key was made over the stored data key',
      );
    } finally {
      writeFileSync(join(dataDir, 'master.key'), key);
    }
  });

  test('a wrong HAVEN_MASTER_KEY is refused with keys.master_key_mismatch, and the right one still opens', async () => {
    const wrong = { ...sqliteEnv, HAVEN_MASTER_KEY: randomBytes(32).toString('base64') };
    saysOneLine(
      await haven(['start'], wrong),
      2,
      /^haven: cannot open the data key: .*\[keys\.master_key_mismatch\]$/,
    );
    const database = await openAppDatabase(loadConfig(sqliteEnv));
    await database.destroy();
  });

  test('a key file that does not hold a key is keys.bad_key_file, and is left as it was', async () => {
    writeFileSync(join(dataDir, 'master.key'), 'not a key\n');
    try {
      saysOneLine(
        await haven(['start'], sqliteEnv),
        2,
        /^haven: cannot open the data key: .*\[keys\.bad_key_file\]$/,
      );
      assert.equal(readFileSync(join(dataDir, 'master.key'), 'utf8'), 'not a key\n');
    } finally {
      writeFileSync(join(dataDir, 'master.key'), key);
    }
  });

  test('a data folder that cannot be created is database.cannot_open (exit 1)', async () => {
    const file = join(dir, 'a-file');
    writeFileSync(file, 'not a folder');
    const run = await haven(['migrate'], { HAVEN_DATA_DIR: join(file, 'data') });
    saysOneLine(run, 1, /^haven: cannot open the database file: .*\[database\.cannot_open\]$/);
    const start = await haven(['start'], { HAVEN_DATA_DIR: join(file, 'data') });
    saysOneLine(start, 1, /\[database\.cannot_open\]$/);
  });

  test('a PostgreSQL server that is not there is database.unreachable, and the password is not told', async () => {
    // Port 1 on loopback: nothing listens there, so the connection is refused at once.
    const env = { ...sqliteEnv, DATABASE_URL: 'postgres://haven:sekret@127.0.0.1:1/haven' };
    for (const args of [['start'], ['migrate'], ['users', 'totp-code', '--email', 'officer@example.org']]) {
      const run = await haven(args, env);
      saysOneLine(run, 1, /^haven: cannot reach the database: .*ECONNREFUSED.*\[database\.unreachable\]$/);
      assert.doesNotMatch(run.stderr, /sekret/);
    }
  });

  if (testDialect() === 'postgres') {
    test('a PostgreSQL database that does not exist is database.missing', async () => {
      const url = new URL(process.env.HAVEN_TEST_DATABASE_URL as string);
      url.pathname = `/haven_missing_${randomBytes(4).toString('hex')}`;
      const run = await haven(['migrate'], { ...sqliteEnv, DATABASE_URL: url.toString() });
      saysOneLine(run, 1, /^haven: the database does not exist: .*\[database\.missing\]$/);
    });

    test('a PostgreSQL role that does not exist is database.login_refused', async () => {
      const url = new URL(process.env.HAVEN_TEST_DATABASE_URL as string);
      url.username = `haven_no_role_${randomBytes(4).toString('hex')}`;
      url.password = 'sekret';
      const run = await haven(['migrate'], { ...sqliteEnv, DATABASE_URL: url.toString() });
      saysOneLine(run, 1, /^haven: the database refused the login: .*\[database\.login_refused\]$/);
      assert.doesNotMatch(run.stderr, /sekret/);
    });
  }
});
