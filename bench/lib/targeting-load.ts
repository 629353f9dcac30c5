import SQLite from 'better-sqlite3';
import pg from 'pg';
import { openDatabase } from '../../src/db/database.ts';
import { migrateToLatest } from '../../src/db/migrate.ts';
import { copyFrom } from './import-pg-copy.ts';
import { cellText, LANGUAGES, type Population, personId, SEX_CODES } from './targeting-population.ts';

/**
 * Loads a synthetic population into Haven's own (migrated) tables, filling only the columns that
 * recipient selection reads; the other required columns get constant placeholders. Secondary indexes
 * are dropped for the load and rebuilt after it (a sorted build is far faster than 10 million random
 * insertions), exactly as the migrations define them.
 */

const CREATED_AT = '2026-01-01T00:00:00.000Z';
const PERSON_COLUMNS = [
  'id',
  'given_names',
  'name_search',
  'sex',
  'birth_year',
  'lat',
  'lon',
  'location_country',
  'h3_cell',
  'vulnerabilities',
  'document_status',
  'created_at',
  'updated_at',
] as const;
const TABLES = ['persons', 'person_languages'];

export type LoadReport = {
  seconds: number;
  indexSeconds: number;
  /** PostgreSQL: the share of the persons table's pages marked all-visible (index-only scans need it). */
  allVisible?: number;
};

/** Creates and fills a fresh SQLite file: migrations, then one transaction of prepared INSERTs. */
export async function loadSqlite(
  file: string,
  population: Population,
  onProgress: (done: number) => void,
): Promise<LoadReport> {
  const started = performance.now();
  const migrated = openDatabase({ kind: 'sqlite', file, url: `sqlite:${file}` });
  await migrateToLatest(migrated.db as never);
  await migrated.destroy();

  const db = new SQLite(file);
  db.pragma('journal_mode = OFF');
  db.pragma('synchronous = OFF');
  db.pragma('cache_size = -262144');
  const placeholders = TABLES.map((t) => `'${t}'`).join(',');
  const indexes = db
    .prepare(
      `select name, sql from sqlite_master where type = 'index' and tbl_name in (${placeholders}) and sql is not null`,
    )
    .all() as Array<{ name: string; sql: string }>;
  for (const index of indexes) db.exec(`drop index ${index.name}`);

  const insertPerson = db.prepare(
    `insert into persons (${PERSON_COLUMNS.join(', ')}) values (${PERSON_COLUMNS.map(() => '?').join(', ')})`,
  );
  const insertLanguage = db.prepare(
    'insert into person_languages (person_id, rank, language) values (?, 0, ?)',
  );
  const { countries } = population;
  db.transaction(() => {
    for (let n = 0; n < population.size; n++) {
      const id = personId(n);
      insertPerson.run(
        id,
        '',
        '',
        SEX_CODES[population.sex[n]!]!,
        population.birthYear[n]!,
        population.lats[n]!,
        population.lons[n]!,
        countries[population.country[n]!]!,
        cellText(population, n),
        '[]',
        'unknown',
        CREATED_AT,
        CREATED_AT,
      );
      insertLanguage.run(id, LANGUAGES[population.language[n]!]!);
      if ((n + 1) % 1_000_000 === 0) onProgress(n + 1);
    }
  })();
  const indexStarted = performance.now();
  for (const index of indexes) db.exec(index.sql);
  const done = performance.now();
  db.close();
  return { seconds: (done - started) / 1000, indexSeconds: (done - indexStarted) / 1000 };
}

/** Rows per COPY statement: bounds the text buffer held in memory. */
const COPY_ROWS = 250_000;

/**
 * Creates a fresh schema, migrates it and fills it with COPY (through the COPY helper of the import
 * benchmark: pg 8 without pg-copy-streams), then rebuilds the indexes and runs VACUUM ANALYZE, which
 * sets the visibility map that index-only scans need and gives the planner its statistics.
 */
export async function loadPostgres(
  url: string,
  schema: string,
  population: Population,
  onProgress: (done: number) => void,
): Promise<LoadReport> {
  const started = performance.now();
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  await admin.query(`create schema ${schema}`);
  await admin.end();
  const migrated = openDatabase({ kind: 'postgres', url, schema }, { poolSize: 1 });
  await migrateToLatest(migrated.db as never);
  await migrated.destroy();

  const client = new pg.Client({ connectionString: url, options: `-c search_path=${schema}` });
  await client.connect();
  try {
    const { rows: indexes } = await client.query<{ name: string; definition: string }>(
      `select i.indexname as name, i.indexdef as definition from pg_indexes i
       where i.schemaname = $1 and i.tablename = any($2)
         and not exists (select 1 from pg_constraint c where c.conname = i.indexname and c.connamespace = $1::regnamespace)`,
      [schema, TABLES],
    );
    for (const index of indexes) await client.query(`drop index ${schema}.${index.name}`);
    // The person_languages foreign key would be checked row by row; every id comes from the same load.
    await client.query('set session_replication_role = replica');
    // COPY FREEZE (into tables emptied in the same transaction) writes the rows already frozen and marks
    // their pages all-visible, as a vacuumed table in service is: index-only scans need that, and a plain
    // VACUUM cannot do it while any other session on the server holds an older snapshot.
    await client.query('begin');
    await client.query('truncate persons, person_languages cascade');
    const { countries } = population;
    for (let from = 0; from < population.size; from += COPY_ROWS) {
      const to = Math.min(population.size, from + COPY_ROWS);
      const persons: string[] = [];
      const languages: string[] = [];
      for (let n = from; n < to; n++) {
        const id = personId(n);
        persons.push(
          `${id}\t\t\t${SEX_CODES[population.sex[n]!]}\t${population.birthYear[n]}\t${population.lats[n]}\t${population.lons[n]}\t${countries[population.country[n]!]}\t${cellText(population, n)}\t[]\tunknown\t${CREATED_AT}\t${CREATED_AT}\n`,
        );
        languages.push(`${id}\t0\t${LANGUAGES[population.language[n]!]}\n`);
      }
      await copyFrom(
        client,
        `copy persons (${PERSON_COLUMNS.join(', ')}) from stdin with (freeze)`,
        Buffer.from(persons.join('')),
      );
      await copyFrom(
        client,
        'copy person_languages (person_id, rank, language) from stdin',
        Buffer.from(languages.join('')),
      );
      if (Math.floor(to / 1_000_000) > Math.floor(from / 1_000_000)) onProgress(to);
    }
    await client.query('commit');
    await client.query('set session_replication_role = origin');
    const indexStarted = performance.now();
    await client.query(`set maintenance_work_mem = '512MB'`);
    for (const index of indexes) await client.query(index.definition);
    await client.query('vacuum (analyze) persons');
    await client.query('vacuum (analyze) person_languages');
    const done = performance.now();
    const { rows } = await client.query<{ visible: number }>(
      `select relallvisible::float / greatest(relpages, 1) as visible from pg_class
       where oid = 'persons'::regclass`,
    );
    return {
      seconds: (done - started) / 1000,
      indexSeconds: (done - indexStarted) / 1000,
      allVisible: Number(rows[0]?.visible ?? 0),
    };
  } finally {
    await client.end();
  }
}

/** Drops a benchmark schema. */
export async function dropPostgresSchema(url: string, schema: string): Promise<void> {
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  await admin.query(`drop schema if exists ${schema} cascade`);
  await admin.end();
}
