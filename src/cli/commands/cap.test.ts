import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const fixtures = fileURLToPath(new URL('../../../../shared/fixtures/cap/', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'haven-cap-cli-'));

type Run = { code: number; stdout: string; stderr: string };

/** Runs `haven cap import FILE` as an operator would, on a private SQLite file. */
function haven(args: string[], database = 'haven'): Promise<Run> {
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '',
    DATABASE_URL: `sqlite:${join(dir, `${database}.sqlite`)}`,
    HAVEN_DATA_DIR: join(dir, database),
    LOG_LEVEL: 'silent',
  };
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [join(root, 'bin/haven.js'), 'cap', 'import', ...args],
      { env, cwd: dir },
      (err, stdout, stderr) => {
        resolve({ code: err ? Number((err as { code?: number }).code ?? 1) : 0, stdout, stderr });
      },
    );
  });
}

let canada: Run;
let xee: Run;
let invalid: Run;
let missing: Run;
let first: Run;
let duplicate: Run;

before(async () => {
  [canada, xee, invalid, missing, first] = await Promise.all([
    haven([join(fixtures, 'canada.cap')], 'canada'),
    haven([join(fixtures, 'xee.cap')], 'xee'),
    haven([join(fixtures, 'invalid.cap')], 'invalid'),
    haven([join(dir, 'nowhere.cap')], 'missing'),
    haven([join(fixtures, 'australia.cap')], 'twice'),
  ]);
  duplicate = await haven([join(fixtures, 'australia.cap')], 'twice');
});
after(() => rmSync(dir, { recursive: true, force: true }));

describe('haven cap import', () => {
  test('imports a file and prints the incident, its areas and its reach', () => {
    assert.equal(canada.code, 0, canada.stderr);
    assert.match(canada.stdout, /^incident \S+ imported \(CAP 1\.2, Actual, Update\)$/m);
    assert.match(canada.stdout, /^ {2}headline {3}\[en-CA\] severe thunderstorm watch$/m);
    assert.match(canada.stdout, /^ {2}areas {6}\d+ usable, \d+ left out$/m);
    assert.equal(first.code, 0, first.stderr);
    assert.match(first.stdout, /reaches {4}0 registered people now/);
  });

  test('refuses a DTD, an invalid message and a second import with coded reasons (exit 1)', () => {
    assert.equal(xee.code, 1);
    assert.match(xee.stderr, /\[cap\.dtd_forbidden\]/);
    assert.equal(invalid.code, 1);
    assert.match(invalid.stderr, /scope is required.*\[cap\.missing_field\]/);
    assert.equal(duplicate.code, 1);
    assert.match(duplicate.stderr, /\[cap\.duplicate\]/);
  });

  test('a missing file is a usage error (exit 2)', () => {
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /cannot read .*nowhere\.cap/);
  });
});
