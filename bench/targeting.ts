// Benchmark of recipient selection (issue 4, item 7).
//
//   node --import tsx bench/targeting.ts [--people 10000000] [--seed 1] [--runs 5] [--pg postgres://…] [--no-sqlite] [--keep]
//
// Generates N synthetic registrants clustered like real diasporas (bench/lib/targeting-population.ts),
// loads the columns selection reads into a fresh SQLite file (and, with --pg or HAVEN_BENCH_PG_URL, into
// a fresh PostgreSQL schema), then for each real-shaped target prints the preview count's median time
// beside a ceiling measured in the same run: `scanContains` over the same points held in typed arrays
// (bounding box, then ray casting). Also timed: the count per country (countRecipientsByCountry, median)
// and, once, the issue-time stream of every recipient in batches, which must equal the exact check.
// Goals: exactly the exact check's set; median count at most 3× the ceiling on SQLite, 2× on PostgreSQL.
// PostGIS (ST_Covers with a GiST index) is timed only where the extension is installed.

import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { sql } from 'kysely';
import pg from 'pg';
import type { DatabaseConfig } from '../src/config.ts';
import { type Database, openDatabase } from '../src/db/database.ts';
import { EncryptionPlugin } from '../src/db/encryption-plugin.ts';
import { loadDataCipher } from '../src/db/keys.ts';
import { scanContains } from '../src/domain/geo/scan-contains.ts';
import {
  countRecipients,
  countRecipientsByCountry,
  streamRecipients,
} from '../src/modules/targeting/targeting.service.ts';
import { startRssSampler } from './lib/import-rss.ts';
import { dropPostgresSchema, type LoadReport, loadPostgres, loadSqlite } from './lib/targeting-load.ts';
import { generatePopulation, type Population, personIndex } from './lib/targeting-population.ts';
import { type BenchTarget, benchTargets } from './lib/targeting-targets.ts';

const GOAL = { sqlite: 3, postgres: 2 } as const;
const NOW = new Date('2026-06-01T00:00:00Z');

const { values: args } = parseArgs({
  options: {
    people: { type: 'string', default: '10000000' },
    seed: { type: 'string', default: '1' },
    runs: { type: 'string', default: '5' },
    pg: { type: 'string' },
    'no-sqlite': { type: 'boolean', default: false },
    keep: { type: 'boolean', default: false },
  },
});
const people = Number(args.people!.replace(/[_,]/g, ''));
const seed = Number(args.seed);
const runs = Number(args.runs);
const pgUrl = args.pg ?? process.env.HAVEN_BENCH_PG_URL;
if (
  !Number.isInteger(people) ||
  people < 1 ||
  !Number.isInteger(seed) ||
  !Number.isInteger(runs) ||
  runs < 1
) {
  process.stderr.write(
    'usage: node --import tsx bench/targeting.ts [--people N] [--seed N] [--runs N] [--pg URL] [--no-sqlite] [--keep]\n',
  );
  process.exit(2);
}

const rss = startRssSampler(100);
let peakRss = 0;
/** Starts a new RSS window, keeping the whole run's peak. */
const resetRss = () => {
  peakRss = Math.max(peakRss, rss.peakMb());
  rss.reset();
};
const fmt = (n: number) => Math.round(n).toLocaleString('en-US');
const ms = (n: number) => (n < 10 ? n.toFixed(1) : fmt(n));
const log = (line: string) => process.stdout.write(`${line}\n`);
const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};

function timed<T>(f: () => T): [T, number] {
  const started = performance.now();
  const value = f();
  return [value, performance.now() - started];
}

async function timedAsync<T>(f: () => Promise<T>): Promise<[T, number]> {
  const started = performance.now();
  const value = await f();
  return [value, performance.now() - started];
}

/** The in-memory ceiling: the exact set by a scan of every point (or every country code). */
function scanTarget(population: Population, target: BenchTarget): Uint32Array {
  if ('shapes' in target.scan) return scanContains(population.lons, population.lats, target.scan.shapes);
  const code = population.countries.indexOf(target.scan.country);
  const found: number[] = [];
  const { country } = population;
  for (let n = 0; n < country.length; n++) if (country[n] === code) found.push(n);
  return Uint32Array.from(found);
}

type Ceiling = { target: BenchTarget; expected: Uint32Array; ms: number };

const sameSet = (a: Uint32Array, b: Uint32Array) => a.length === b.length && a.every((v, i) => v === b[i]);

/** Every selected person's index, read through the issue-time stream. */
async function streamIndexes(database: Database, target: BenchTarget): Promise<Uint32Array> {
  let found = new Uint32Array(1 << 16);
  let count = 0;
  for await (const batch of streamRecipients(database.db, target.spec, { batchSize: 10_000, now: NOW })) {
    if (count + batch.length > found.length) {
      const grown = new Uint32Array(Math.max(found.length * 2, count + batch.length));
      grown.set(found);
      found = grown;
    }
    for (const r of batch) found[count++] = personIndex(r.personId);
  }
  return found.slice(0, count);
}

async function withPlugin(database: Database): Promise<Database> {
  const cipher = await loadDataCipher(database.db, { kind: 'env', value: randomBytes(32) });
  return { ...database, db: database.db.withPlugin(new EncryptionPlugin(cipher)) };
}

async function measure(
  label: 'sqlite' | 'postgres',
  database: Database,
  ceilings: Ceiling[],
): Promise<boolean> {
  const goal = GOAL[label];
  let allMet = true;
  log('');
  log(
    `${'target'.padEnd(30)} ${'selected'.padStart(10)} ${'ceiling'.padStart(9)} ${'count'.padStart(9)} ${'ratio'.padStart(6)}  ${`goal ≤${goal}×`.padEnd(8)} ${'by country'.padStart(10)} ${'stream'.padStart(9)}  exact`,
  );
  for (const { target, expected, ms: ceilingMs } of ceilings) {
    const countTimes: number[] = [];
    let countsExact = true;
    await countRecipients(database.db, target.spec, NOW); // warm the caches once
    for (let i = 0; i < runs; i++) {
      const [count, t] = await timedAsync(() => countRecipients(database.db, target.spec, NOW));
      countTimes.push(t);
      if (count.total !== expected.length) countsExact = false;
    }
    const breakdownTimes: number[] = [];
    for (let i = 0; i < runs; i++) {
      const [breakdown, t] = await timedAsync(() => countRecipientsByCountry(database.db, target.spec, NOW));
      breakdownTimes.push(t);
      if (breakdown.total !== expected.length) countsExact = false;
    }
    const [streamed, streamMs] = await timedAsync(() => streamIndexes(database, target));
    const exact = countsExact && sameSet(streamed, expected);
    const countMs = median(countTimes);
    const ratio = countMs / ceilingMs;
    const met = ratio <= goal;
    allMet &&= met && exact;
    log(
      `${target.name.padEnd(30)} ${fmt(expected.length).padStart(10)} ${`${ms(ceilingMs)} ms`.padStart(9)} ${`${ms(countMs)} ms`.padStart(9)} ${`${ratio.toFixed(2)}×`.padStart(6)}  ${(met ? 'met' : 'MISSED').padEnd(8)} ${`${ms(median(breakdownTimes))} ms`.padStart(10)} ${`${(streamMs / 1000).toFixed(1)} s`.padStart(9)}  ${exact ? 'yes' : 'NO'}`,
    );
  }
  log(`peak RSS while selecting: ${fmt(rss.peakMb())} MB (the population's typed arrays included)`);
  return allMet;
}

async function postgisNote(url: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  const { rows } = await client.query("select 1 from pg_available_extensions where name = 'postgis'");
  await client.end();
  log(
    rows.length === 0
      ? 'PostGIS not installed (apt-get install postgresql-15-postgis-3): ST_Covers comparison skipped'
      : 'PostGIS is available but this benchmark does not time ST_Covers yet',
  );
}

log(`# Recipient selection: ${fmt(people)} synthetic registrants, seed ${seed}, median of ${runs} runs`);
const [population, genMs] = timed(() =>
  generatePopulation(people, seed, (done) => log(`  generated ${fmt(done)}`)),
);
log(`generated in ${(genMs / 1000).toFixed(1)} s (positions, countries and resolution-9 cells)`);

const ceilings: Ceiling[] = benchTargets().map((target) => {
  const times: number[] = [];
  let expected: Uint32Array = new Uint32Array();
  for (let i = 0; i < runs; i++) {
    const [found, t] = timed(() => scanTarget(population, target));
    times.push(t);
    expected = found;
  }
  return { target, expected, ms: median(times) };
});
log('ceiling: scanContains over the same points in typed arrays (a country-code scan for the country rule)');

const goalsMet: boolean[] = [];
const report = (label: string, load: LoadReport) =>
  log(
    `${label}: loaded in ${load.seconds.toFixed(1)} s (${fmt(people / load.seconds)} persons/s, of which indexes ${load.indexSeconds.toFixed(1)} s)`,
  );

if (!args['no-sqlite']) {
  const dir = mkdtempSync(join(tmpdir(), 'haven-bench-targeting-'));
  const file = join(dir, 'haven.sqlite');
  try {
    const load = await loadSqlite(file, population, (done) => log(`  SQLite: loaded ${fmt(done)}`));
    report('\nSQLite', load);
    const config: DatabaseConfig = { kind: 'sqlite', file, url: `sqlite:${file}` };
    const database = await withPlugin(openDatabase(config));
    try {
      goalsMet.push(await measure('sqlite', database, ceilings));
    } finally {
      await database.destroy();
    }
  } finally {
    if (args.keep) log(`kept ${file}`);
    else rmSync(dir, { recursive: true, force: true });
  }
}

if (pgUrl) {
  const schema = `bench_targeting_${process.pid}`;
  try {
    const load = await loadPostgres(pgUrl, schema, population, (done) =>
      log(`  PostgreSQL: loaded ${fmt(done)}`),
    );
    report('\nPostgreSQL', load);
    log(`visibility map: ${Math.round(100 * (load.allVisible ?? 0))}% of the persons pages all-visible`);
    const database = await withPlugin(
      openDatabase({ kind: 'postgres', url: pgUrl, schema }, { poolSize: 8 }),
    );
    try {
      const { rows } = await sql<{ server_version: string }>`show server_version`.execute(database.db);
      log(`server ${rows[0]?.server_version}`);
      goalsMet.push(await measure('postgres', database, ceilings));
    } finally {
      await database.destroy();
    }
    await postgisNote(pgUrl);
  } finally {
    if (args.keep) log(`kept schema ${schema}`);
    else await dropPostgresSchema(pgUrl, schema);
  }
}

resetRss();
log(`\npeak RSS over the whole run: ${fmt(peakRss)} MB`);
log(goalsMet.every(Boolean) ? 'all goals met' : 'some goals missed');
await rss.stop();
