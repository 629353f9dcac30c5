import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../', import.meta.url));
const fixtures = join(root, 'test/fixtures/import');
const dir = mkdtempSync(join(tmpdir(), 'haven-import-cli-'));

type Run = { code: number; stdout: string; stderr: string };

/** Runs `haven import persons …` as a user would, on a private SQLite file. */
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
      [join(root, 'bin/haven.js'), 'import', 'persons', ...args],
      { env, cwd: dir },
      (err, stdout, stderr) => {
        resolve({ code: err ? Number((err as { code?: number }).code ?? 1) : 0, stdout, stderr });
      },
    );
  });
}

let withReport: Run;
let missingFile: Run;
let badHeader: Run;
let badBatch: Run;
const report = join(dir, 'rejected.csv');

before(async () => {
  writeFileSync(join(dir, 'no-given-names.csv'), 'family_name,phone\nCruz,+971501112233\n');
  [withReport, badHeader, missingFile, badBatch] = await Promise.all([
    haven([join(fixtures, 'persons-bad.csv'), '--report', report, '--batch-size', '5']),
    haven([join(dir, 'no-given-names.csv')], 'second'),
    haven([join(dir, 'nowhere.csv')]),
    haven([join(fixtures, 'persons-valid.csv'), '--batch-size', '0']),
  ]);
});
after(() => rmSync(dir, { recursive: true, force: true }));

describe('haven import persons', () => {
  test('imports a file, exits 0 despite rejected rows, prints the summary and the first rejections, writes the report', () => {
    assert.equal(withReport.code, 0, withReport.stderr);
    assert.match(withReport.stdout, /^import \S+ done in [\d.]+ s \([\d,]+ rows\/s\)$/m);
    assert.match(withReport.stdout, /^ {2}rows read\s+18$/m);
    assert.match(withReport.stdout, /^ {2}created\s+2$/m);
    assert.match(withReport.stdout, /^ {2}rejected\s+16$/m);
    assert.match(withReport.stdout, /^ {2}line 3\s+person\.phone_invalid\s+phone$/m);
    assert.match(withReport.stdout, /6 more \(write them all with --report FILE\.csv\)/);
    const lines = readFileSync(report, 'utf8').trimEnd().split('\n');
    assert.equal(lines[0], 'line,code,field,message');
    assert.equal(lines.length, 17);
    assert.equal(lines[1], '3,person.phone_invalid,phone,phone: not a valid phone number');
    assert.equal(lines[6], '8,import.column_count,,"expected 19 fields as in the header, found 20"');
  });

  test('a missing file is bad usage: exit 2 and one clear line', () => {
    assert.equal(missingFile.code, 2);
    assert.equal(missingFile.stderr, `haven: cannot read ${join(dir, 'nowhere.csv')}: no such file\n`);
  });

  test('a bad option is bad usage: exit 2', () => {
    assert.equal(badBatch.code, 2);
    assert.match(badBatch.stderr, /--batch-size must be an integer from 1 to 50,000/);
  });

  test('a file the import cannot use fails it: exit 1 with the code', () => {
    assert.equal(badHeader.code, 1);
    assert.match(badHeader.stdout, /^import \S+ FAILED/m);
    assert.match(
      badHeader.stderr,
      /haven: import failed: the required column given_names is missing \(line 1\) \[import\.missing_column\]/,
    );
  });
});
