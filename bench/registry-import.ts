// Benchmark of the bulk import of persons (issue 2, item 10).
//
//   node --import tsx bench/registry-import.ts [--rows 1000000] [--seed 1] [--batch-size 2000] [--pg postgres://…] [--keep]
//
// Generates N deterministic synthetic rows into a temporary CSV file, imports them with the real import
// service into a fresh SQLite database (and into a fresh PostgreSQL schema with --pg or
// HAVEN_BENCH_PG_URL), and prints rows per second beside a ceiling measured in the same run: the same
// persons written with prepared INSERTs in one transaction (SQLite, better-sqlite3 directly) or with
// COPY (PostgreSQL). Goal: at least 0.3 of the ceiling, resident memory under 512 MB throughout.
import { randomBytes } from 'node:crypto';
import { createReadStream, mkdtempSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import pg from 'pg';
import type { DatabaseConfig } from '../src/config.ts';
import { type Database, openDatabase } from '../src/db/database.ts';
import { EncryptionPlugin } from '../src/db/encryption-plugin.ts';
import { loadDataCipher } from '../src/db/keys.ts';
import { migrateToLatest } from '../src/db/migrate.ts';
import { type ImportSummary, importPersons } from '../src/modules/imports/imports.service.ts';
import { postgresCopyCeiling, sqliteCeiling } from './lib/import-ceiling.ts';
import { writeSyntheticCsv } from './lib/import-data.ts';
import { startRssSampler } from './lib/import-rss.ts';

const RATIO_GOAL = 0.3;
const RSS_GOAL_MB = 512;

const { values: args } = parseArgs({
  options: {
    rows: { type: 'string', default: '1000000' },
    seed: { type: 'string', default: '1' },
    'batch-size': { type: 'string', default: '2000' },
    pg: { type: 'string' },
    keep: { type: 'boolean', default: false },
  },
});
const rows = Number(args.rows!.replace(/[_,]/g, ''));
const seed = Number(args.seed);
const batchSize = Number(args['batch-size']);
const pgUrl = args.pg ?? process.env.HAVEN_BENCH_PG_URL;
if (
  !Number.isInteger(rows) ||
  rows < 1 ||
  !Number.isInteger(seed) ||
  !Number.isInteger(batchSize) ||
  batchSize < 1
) {
  process.stderr.write(
    'usage: node --import tsx bench/registry-import.ts [--rows N] [--seed N] [--batch-size N] [--pg URL] [--keep]\n',
  );
  process.exit(2);
}

const fmt = (n: number) => Math.round(n).toLocaleString('en-US');
const dir = mkdtempSync(join(tmpdir(), 'haven-bench-import-'));
const csvFile = join(dir, 'persons.csv');
const rss = startRssSampler(100);

/** A migrated database with the application's encryption plugin, as the import runs in production. */
async function openForImport(config: DatabaseConfig): Promise<Database> {
  const database = openDatabase(config, { poolSize: 4 });
  await migrateToLatest(database.db as never);
  const cipher = await loadDataCipher(database.db, { kind: 'env', value: randomBytes(32) });
  return { ...database, db: database.db.withPlugin(new EncryptionPlugin(cipher)) };
}

const cpuSeconds = (since: NodeJS.CpuUsage) => {
  const d = process.cpuUsage(since);
  return (d.user + d.system) / 1e6;
};

async function timedImport(
  database: Database,
): Promise<{ summary: ImportSummary; seconds: number; cpu: number; peakMb: number }> {
  rss.reset();
  const started = performance.now();
  const cpu = process.cpuUsage();
  let lastReport = started;
  const summary = await importPersons(database.db, createReadStream(csvFile, { highWaterMark: 256 * 1024 }), {
    source: 'bench',
    filename: 'persons.csv',
    batchSize,
    onProgress: (p) => {
      if (performance.now() - lastReport > 10_000) {
        lastReport = performance.now();
        process.stderr.write(
          `  … ${fmt(p.rowsRead)} rows, ${fmt(p.rowsRead / ((lastReport - started) / 1000))} rows/s, RSS ${fmt(rss.peakMb())} MB\n`,
        );
      }
    },
  });
  const seconds = (performance.now() - started) / 1000;
  const cpuUsed = cpuSeconds(cpu);
  if (summary.status !== 'done')
    throw new Error(`the import failed: ${summary.error?.code} ${summary.error?.message}`);
  return { summary, seconds, cpu: cpuUsed, peakMb: rss.peakMb() };
}

type Result = {
  database: string;
  importRate: number;
  ceilingRate: number;
  ceilingLabel: string;
  peakMb: number;
  summary: ImportSummary;
  seconds: number;
  /** Rows per second of this process's CPU time, import and ceiling: steadier than wall time on a shared machine. */
  cpuRates?: { import: number; ceiling: number };
};

function report(r: Result): void {
  const ratio = r.importRate / r.ceilingRate;
  const s = r.summary;
  const lines = [
    `${r.database}`,
    `  import     ${fmt(r.importRate).padStart(9)} rows/s  (${r.seconds.toFixed(1)} s; created ${fmt(s.created)}, updated ${fmt(s.updated)}, unchanged ${fmt(s.unchanged)}, rejected ${fmt(s.rejected)})`,
    `  ceiling    ${fmt(r.ceilingRate).padStart(9)} rows/s  (${r.ceilingLabel})`,
    `  ratio      ${ratio.toFixed(3).padStart(9)}         goal >= ${RATIO_GOAL}: ${ratio >= RATIO_GOAL ? 'met' : 'NOT MET'}`,
    `  peak RSS   ${fmt(r.peakMb).padStart(9)} MB      goal < ${RSS_GOAL_MB} MB during the import: ${r.peakMb < RSS_GOAL_MB ? 'met' : 'NOT MET'}`,
  ];
  if (r.cpuRates) {
    lines.push(
      `  per CPU-s  ${fmt(r.cpuRates.import).padStart(9)} rows/s import, ${fmt(r.cpuRates.ceiling)} rows/s ceiling: ratio ${(r.cpuRates.import / r.cpuRates.ceiling).toFixed(3)}`,
    );
  }
  process.stdout.write(`${lines.join('\n')}\n`);
}

type ImportRun = Awaited<ReturnType<typeof timedImport>>;

async function importSqlite(): Promise<ImportRun> {
  process.stderr.write('SQLite: importing…\n');
  const file = join(dir, 'import.sqlite');
  const database = await openForImport({ kind: 'sqlite', file, url: `sqlite:${file}` });
  return timedImport(database).finally(() => database.destroy());
}

async function ceilingSqlite() {
  process.stderr.write('SQLite: ceiling (prepared INSERTs in one transaction)…\n');
  const file = join(dir, 'ceiling.sqlite');
  const database = openDatabase({ kind: 'sqlite', file, url: `sqlite:${file}` });
  await migrateToLatest(database.db as never);
  try {
    return sqliteCeiling(database.sqlite!, seed, rows);
  } finally {
    await database.destroy();
  }
}

async function withSchema<T>(url: string, use: (schema: string) => Promise<T>): Promise<T> {
  const schema = `bench_import_${process.pid}_${randomBytes(3).toString('hex')}`;
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  await admin.query(`create schema ${schema}`);
  try {
    return await use(schema);
  } finally {
    await admin.query(`drop schema if exists ${schema} cascade`);
    await admin.end();
  }
}

function importPostgres(url: string): Promise<ImportRun> {
  process.stderr.write('PostgreSQL: importing…\n');
  return withSchema(url, async (schema) => {
    const database = await openForImport({ kind: 'postgres', url, schema });
    return timedImport(database).finally(() => database.destroy());
  });
}

function ceilingPostgres(url: string) {
  process.stderr.write('PostgreSQL: ceiling (COPY in one transaction)…\n');
  return withSchema(url, async (schema) => {
    const database = openDatabase({ kind: 'postgres', url, schema }, { poolSize: 1 });
    await migrateToLatest(database.db as never);
    await database.destroy();
    const client = new pg.Client({ connectionString: url, options: `-c search_path=${schema}` });
    await client.connect();
    try {
      return await postgresCopyCeiling(client, seed, rows);
    } finally {
      await client.end();
    }
  });
}

try {
  const started = performance.now();
  const bytes = await writeSyntheticCsv(csvFile, rows, seed);
  process.stdout.write(
    `registry-import: ${fmt(rows)} rows (seed ${seed}, batch ${fmt(batchSize)}), CSV ${(bytes / 1e6).toFixed(1)} MB generated in ${((performance.now() - started) / 1000).toFixed(1)} s; ` +
      `node ${process.version}, ${cpus().length} CPUs\n`,
  );
  // Imports first, each with its own memory peak; the ceilings build large arrays that would inflate it.
  const sqliteImport = await importSqlite();
  const pgImport = pgUrl ? await importPostgres(pgUrl) : undefined;
  const sqliteCeil = await ceilingSqlite();
  report({
    database: 'SQLite',
    importRate: sqliteImport.summary.rowsRead / sqliteImport.seconds,
    ceilingRate: rows / sqliteCeil.seconds,
    ceilingLabel: 'better-sqlite3 prepared INSERTs, one transaction, same tables and indexes',
    peakMb: sqliteImport.peakMb,
    summary: sqliteImport.summary,
    seconds: sqliteImport.seconds,
    cpuRates: {
      import: sqliteImport.summary.rowsRead / sqliteImport.cpu,
      ceiling: rows / sqliteCeil.cpuSeconds,
    },
  });
  if (pgUrl && pgImport) {
    const pgCeil = await ceilingPostgres(pgUrl);
    report({
      database: 'PostgreSQL',
      importRate: pgImport.summary.rowsRead / pgImport.seconds,
      ceilingRate: rows / pgCeil.seconds,
      ceilingLabel: 'COPY FROM STDIN (text format), one transaction, same tables and indexes',
      peakMb: pgImport.peakMb,
      summary: pgImport.summary,
      seconds: pgImport.seconds,
    });
  } else process.stdout.write('PostgreSQL: skipped (pass --pg postgres://… or set HAVEN_BENCH_PG_URL)\n');
} finally {
  await rss.stop();
  if (args.keep) process.stderr.write(`kept ${dir}\n`);
  else rmSync(dir, { recursive: true, force: true });
}
