import { type Kysely, PostgresAdapter, type RawBuilder, sql, type Transaction } from 'kysely';
import type { DB } from '../../db/schema.ts';
import type { CellRange } from '../../domain/geo/cell-range.ts';
import type { SqlFilters } from './selection-plan.ts';

type Db = Kysely<DB> | Transaction<DB>;
export type TargetingDialect = 'sqlite' | 'postgres';

/** Which SQL the queries speak, read from the Kysely instance (plugins and transactions keep the adapter). */
export const dialectOf = (db: Db): TargetingDialect =>
  db.getExecutor().adapter instanceof PostgresAdapter ? 'postgres' : 'sqlite';

/**
 * Ranges per statement on SQLite: two bound variables each, well below its limit of 32,766 with room
 * for the countries and filters. PostgreSQL takes the ranges as two array parameters, in one statement.
 */
export const SQLITE_RANGES_PER_STATEMENT = 4000;
/** Rows per multi-row INSERT into a selection table on SQLite (two variables each). */
const SQLITE_ROWS_PER_INSERT = 8000;

/** The ranges to query in one statement each. */
export function rangeChunks(
  dialect: TargetingDialect,
  ranges: readonly CellRange[],
  size = SQLITE_RANGES_PER_STATEMENT,
): CellRange[][] {
  if (ranges.length === 0) return [];
  const per = dialect === 'postgres' ? Math.max(size, ranges.length) : size;
  const chunks: CellRange[][] = [];
  for (let i = 0; i < ranges.length; i += per) chunks.push(ranges.slice(i, i + per));
  return chunks;
}

/**
 * The ranges dealt round-robin into `parts` groups, for queries run side by side on separate
 * connections: neighbouring ranges tend to be alike in population, so the groups come out even.
 */
export function interleaveRanges(ranges: readonly CellRange[], parts: number): CellRange[][] {
  const groups: CellRange[][] = Array.from({ length: Math.min(parts, ranges.length) }, () => []);
  ranges.forEach((range, i) => {
    groups[i % groups.length]!.push(range);
  });
  return groups;
}

/** Persons in cell ranges, outside some countries (already counted whole), passing the SQL filters. */
export type RangeQuery = {
  readonly ranges: readonly CellRange[];
  readonly excludedCountries: readonly string[];
  readonly filters: SqlFilters;
};

/** What a range query reads of each person: nothing (a count), the position, or id, position and country. */
type RangeColumns = 'none' | 'position' | 'person';

const LATERAL_COLUMNS: Record<RangeColumns, RawBuilder<unknown>> = {
  none: sql`1`,
  position: sql`p.lat, p.lon`,
  person: sql`p.id, p.lat, p.lon, p.location_country`,
};

/**
 * The persons (alias `p`) of a range query. The ranges drive the join, each one an index range scan
 * over `h3_cell` (byte order on both databases: COLLATE "C" on PostgreSQL), never a scan of the table:
 * - SQLite: the ranges are a VALUES table kept as the outer loop by CROSS JOIN, and the inner loop is
 *   pinned to a cell index (the narrow one for a plain count, else the one that also holds position,
 *   country and id), since a filter's own index (employer) could otherwise drive it and scan that
 *   filter's persons once per range;
 * - PostgreSQL: the ranges are two unnested array parameters, and each range's persons a LATERAL
 *   subquery kept apart by OFFSET 0, so that even without statistics (a freshly loaded table) the
 *   planner cannot join the ranges against a materialised scan of the whole table.
 */
function personsInRanges(dialect: TargetingDialect, q: RangeQuery, columns: RangeColumns) {
  const where = sql<boolean>`${outsideCountries(q.excludedCountries)} and ${filterCondition(q.filters)}`;
  if (dialect === 'postgres') {
    const los = q.ranges.map((r) => r.lo);
    const his = q.ranges.map((r) => r.hi);
    return {
      prefix: sql``,
      from: sql`unnest(${los}::text[], ${his}::text[]) as r(lo, hi) cross join lateral (
        select ${LATERAL_COLUMNS[columns]} from persons p
        where p.h3_cell between r.lo and r.hi and ${where} offset 0) as p`,
    };
  }
  const values = sql.join(q.ranges.map((r) => sql`(${r.lo}, ${r.hi})`));
  const index =
    columns === 'none' && q.excludedCountries.length === 0 ? 'persons_h3_idx' : 'persons_targeting_idx';
  return {
    prefix: sql`with r(lo, hi) as (values ${values}) `,
    from: sql`r cross join persons p indexed by ${sql.raw(index)}
      on p.h3_cell between r.lo and r.hi and ${where}`,
  };
}

/** Conditions on `p` from the SQL-side filters, joined with AND (true when there are none). */
function filterCondition(f: SqlFilters): RawBuilder<boolean> {
  const parts: RawBuilder<unknown>[] = [];
  if (f.sexes.length > 0) parts.push(sql`p.sex in (${sql.join(f.sexes)})`);
  if (f.birthYears.length > 0) {
    const alternatives = f.birthYears.map((r) => {
      if (r.from !== null && r.to !== null) return sql`p.birth_year between ${r.from} and ${r.to}`;
      if (r.from !== null) return sql`p.birth_year >= ${r.from}`;
      if (r.to !== null) return sql`p.birth_year <= ${r.to}`;
      return sql`p.birth_year is not null`;
    });
    parts.push(sql`(${sql.join(alternatives, sql` or `)})`);
  }
  if (f.householdHeadsOnly) parts.push(sql`p.household_role = 'head'`);
  // An expression, not the bare column: the employer index must not drive a scan per cell range.
  if (f.employerIds.length > 0) parts.push(sql`coalesce(p.employer_id, '') in (${sql.join(f.employerIds)})`);
  if (f.languages.length > 0) {
    // Tags are canonical (letters, digits, hyphens), so they need no LIKE escaping.
    const matches = f.languages.map((tag) => sql`pl.language = ${tag} or pl.language like ${`${tag}-%`}`);
    parts.push(
      sql`exists (select 1 from person_languages pl where pl.person_id = p.id and (${sql.join(matches, sql` or `)}))`,
    );
  }
  return parts.length > 0 ? sql<boolean>`${sql.join(parts, sql` and `)}` : sql<boolean>`1 = 1`;
}

/** Persons outside the listed countries, so that the geometric part never counts a country's person twice. */
function outsideCountries(countries: readonly string[]): RawBuilder<boolean> {
  if (countries.length === 0) return sql<boolean>`1 = 1`;
  return sql<boolean>`(p.location_country is null or p.location_country not in (${sql.join(countries)}))`;
}

export type CountryCount = { country: string | null; n: number };

const inCountries = (countries: readonly string[]) =>
  sql<boolean>`p.location_country in (${sql.join(countries)})`;

/** Persons of the listed countries who pass the filters. */
export async function countInCountries(
  db: Db,
  countries: readonly string[],
  filters: SqlFilters,
): Promise<number> {
  if (countries.length === 0) return 0;
  const { rows } = await sql<{ n: number }>`select count(*) as n from persons p
    where ${inCountries(countries)} and ${filterCondition(filters)}`.execute(db);
  return Number(rows[0]!.n);
}

/** Persons per country among the listed countries who pass the filters. */
export async function countInCountriesByCountry(
  db: Db,
  countries: readonly string[],
  filters: SqlFilters,
): Promise<CountryCount[]> {
  if (countries.length === 0) return [];
  const { rows } = await sql<CountryCount>`select p.location_country as country, count(*) as n from persons p
    where ${inCountries(countries)} and ${filterCondition(filters)}
    group by p.location_country`.execute(db);
  return rows.map((r) => ({ country: r.country, n: Number(r.n) }));
}

/** The statement of {@link countInRanges} (or, with `read`, of {@link findInRanges}), for checking its plan. */
export function rangeQueryStatement(
  dialect: TargetingDialect,
  q: RangeQuery,
  read = false,
): RawBuilder<unknown> {
  const { prefix, from } = personsInRanges(dialect, q, read ? 'person' : 'none');
  return read
    ? sql`${prefix}select p.id, p.lat, p.lon, p.location_country as country from ${from}`
    : sql`${prefix}select count(*) as n from ${from}`;
}

/** How many persons a range query finds: counted in the index, no row read. */
export async function countInRanges(db: Db, dialect: TargetingDialect, q: RangeQuery): Promise<number> {
  if (q.ranges.length === 0) return 0;
  const { rows } = await (rangeQueryStatement(dialect, q) as RawBuilder<{ n: number }>).execute(db);
  return Number(rows[0]!.n);
}

/** How many persons a range query finds, per country: a grouping, so slower than {@link countInRanges}. */
export async function countInRangesByCountry(
  db: Db,
  dialect: TargetingDialect,
  q: RangeQuery,
): Promise<CountryCount[]> {
  if (q.ranges.length === 0) return [];
  const { prefix, from } = personsInRanges(dialect, q, 'person');
  const { rows } = await sql<CountryCount>`${prefix}select p.location_country as country, count(*) as n
    from ${from} group by p.location_country`.execute(db);
  return rows.map((r) => ({ country: r.country, n: Number(r.n) }));
}

export type Position = { lat: number; lon: number };
export type LocatedPerson = Position & { id: string; country: string | null };

/** Positions of the persons a range query finds: what the exact test of boundary cells needs to count. */
export async function findPositionsInRanges(
  db: Db,
  dialect: TargetingDialect,
  q: RangeQuery,
): Promise<Position[]> {
  if (q.ranges.length === 0) return [];
  const { prefix, from } = personsInRanges(dialect, q, 'position');
  const { rows } = await sql<Position>`${prefix}select p.lat, p.lon from ${from}`.execute(db);
  return rows;
}

/** Id, position and country of the persons a range query finds: the exact test's candidates to select. */
export async function findInRanges(
  db: Db,
  dialect: TargetingDialect,
  q: RangeQuery,
): Promise<LocatedPerson[]> {
  if (q.ranges.length === 0) return [];
  const { rows } = await (rangeQueryStatement(dialect, q, true) as RawBuilder<LocatedPerson>).execute(db);
  return rows;
}

/**
 * Turns PostgreSQL's JIT compilation off, for the current transaction or the whole session. A range
 * join's cost estimate is large (the planner assumes each range holds 0.5% of the table), which makes
 * the server spend about 70 ms compiling every query for a run that takes a few milliseconds more or
 * less. `transaction` needs an open transaction; a session setting is undone by {@link restoreJit}.
 */
export async function turnJitOff(db: Db, scope: 'transaction' | 'session'): Promise<void> {
  await (scope === 'transaction' ? sql`set local jit = off` : sql`set jit = off`).execute(db);
}

/** Puts the session's JIT setting back to its default. */
export async function restoreJit(db: Db): Promise<void> {
  await sql`reset jit`.execute(db);
}

/** A private table holding one selection (id, country), keyed by id, on the current connection. */
export type SelectionTable = { readonly name: string };

const selectionRef = (dialect: TargetingDialect, table: SelectionTable) =>
  sql.id(dialect === 'postgres' ? 'pg_temp' : 'temp', table.name);

/**
 * Creates an empty temporary selection table. It lives on the connection that created it: on
 * PostgreSQL the caller keeps to one connection until {@link dropSelectionTable}.
 */
export async function createSelectionTable(
  db: Db,
  dialect: TargetingDialect,
  name: string,
): Promise<SelectionTable> {
  const table = { name };
  if (dialect === 'postgres') {
    // The column keeps the database's collation: a different one (such as "C") would keep the
    // (person_id, rank) key of person_languages from serving the per-person language lookups.
    await sql`create temporary table ${sql.id(name)} (id text primary key, country text)`.execute(db);
  } else {
    await sql`create table ${selectionRef(dialect, table)} (id text primary key, country text) without rowid`.execute(
      db,
    );
  }
  return table;
}

/**
 * Gives a filled selection's statistics to the PostgreSQL planner, which never sees a temporary table
 * otherwise (autovacuum does not visit them).
 */
export async function sealSelection(db: Db, dialect: TargetingDialect, table: SelectionTable): Promise<void> {
  if (dialect === 'postgres') await sql`analyze ${selectionRef(dialect, table)}`.execute(db);
}

export async function dropSelectionTable(
  db: Db,
  dialect: TargetingDialect,
  table: SelectionTable,
): Promise<void> {
  await sql`drop table if exists ${selectionRef(dialect, table)}`.execute(db);
}

/** Adds the persons of the listed countries who pass the filters to the selection. */
export async function selectInCountries(
  db: Db,
  dialect: TargetingDialect,
  table: SelectionTable,
  countries: readonly string[],
  filters: SqlFilters,
): Promise<void> {
  if (countries.length === 0) return;
  await sql`insert into ${selectionRef(dialect, table)} (id, country)
    select p.id, p.location_country from persons p
    where ${inCountries(countries)} and ${filterCondition(filters)} order by p.id`.execute(db);
}

/**
 * Adds the persons a range query finds to the selection, in id order: the rows then append to the
 * table's key instead of landing all over it.
 */
export async function selectInRanges(
  db: Db,
  dialect: TargetingDialect,
  table: SelectionTable,
  q: RangeQuery,
): Promise<void> {
  if (q.ranges.length === 0) return;
  const { prefix, from } = personsInRanges(dialect, q, 'person');
  await sql`${prefix}insert into ${selectionRef(dialect, table)} (id, country)
    select p.id, p.location_country from ${from} order by p.id`.execute(db);
}

/** Adds persons already checked (the boundary persons that passed the exact test). */
export async function addToSelection(
  db: Db,
  dialect: TargetingDialect,
  table: SelectionTable,
  persons: readonly { id: string; country: string | null }[],
): Promise<void> {
  const ref = selectionRef(dialect, table);
  if (dialect === 'postgres') {
    if (persons.length === 0) return;
    const ids = persons.map((p) => p.id);
    const countries = persons.map((p) => p.country);
    await sql`insert into ${ref} (id, country) select * from unnest(${ids}::text[], ${countries}::text[])`.execute(
      db,
    );
    return;
  }
  for (let i = 0; i < persons.length; i += SQLITE_ROWS_PER_INSERT) {
    const rows = persons.slice(i, i + SQLITE_ROWS_PER_INSERT).map((p) => sql`(${p.id}, ${p.country})`);
    await sql`insert into ${ref} (id, country) values ${sql.join(rows)}`.execute(db);
  }
}

export type SelectedPerson = { id: string; country: string | null; languages: string[] };

/**
 * The next page of a selection in id order, each person with their languages in preference order: the
 * keyset is the last id of the previous page, so every page costs the same wherever it starts. The
 * languages are looked up person by person in the (person_id, rank) key: on PostgreSQL as a correlated
 * ARRAY subquery, since a join lets the planner hash the whole languages table for every page.
 */
export async function pageSelection(
  db: Db,
  dialect: TargetingDialect,
  table: SelectionTable,
  afterId: string | null,
  limit: number,
): Promise<SelectedPerson[]> {
  const ref = selectionRef(dialect, table);
  const after = afterId === null ? sql`` : sql`where id > ${afterId}`;
  const page = sql`(select id, country from ${ref} ${after} order by id limit ${limit}) as s`;
  if (dialect === 'postgres') {
    const { rows } = await sql<SelectedPerson>`select s.id, s.country, array(
        select pl.language from person_languages pl where pl.person_id = s.id order by pl.rank
      ) as languages
      from ${page} order by s.id`.execute(db);
    return rows;
  }
  const { rows } = await sql<{ id: string; country: string | null; language: string | null }>`
    select s.id, s.country, pl.language from ${page}
    left join person_languages pl on pl.person_id = s.id
    order by s.id, pl.rank`.execute(db);
  const persons: SelectedPerson[] = [];
  for (const r of rows) {
    const last = persons[persons.length - 1];
    if (last?.id === r.id) {
      if (r.language !== null) last.languages.push(r.language);
    } else persons.push({ id: r.id, country: r.country, languages: r.language === null ? [] : [r.language] });
  }
  return persons;
}

/** Vulnerability codes of persons, by id: decrypted by the encryption plugin on read. */
export async function findVulnerabilities(db: Db, ids: readonly string[]): Promise<Map<string, string[]>> {
  const out = new Map<string, string[]>();
  if (ids.length === 0) return out;
  const rows = await db
    .selectFrom('persons')
    .select(['id', 'vulnerabilities'])
    .where('id', 'in', ids as string[])
    .execute();
  for (const r of rows) out.set(r.id, JSON.parse(r.vulnerabilities) as string[]);
  return out;
}
