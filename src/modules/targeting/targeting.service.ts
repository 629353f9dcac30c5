import { randomBytes } from 'node:crypto';
import type { Kysely, Transaction } from 'kysely';
import type { DB } from '../../db/schema.ts';
import type { CellRange } from '../../domain/geo/cell-range.ts';
import { AppError } from '../../errors.ts';
import {
  type PlanOptions,
  planSelection,
  recoverPlan,
  type SelectionPlan,
  type TargetSpec,
} from './selection-plan.ts';
import {
  addToSelection,
  type CountryCount,
  countInCountries,
  countInCountriesByCountry,
  countInRanges,
  countInRangesByCountry,
  createSelectionTable,
  dialectOf,
  dropSelectionTable,
  findInRanges,
  findPositionsInRanges,
  findVulnerabilities,
  interleaveRanges,
  pageSelection,
  type RangeQuery,
  rangeChunks,
  restoreJit,
  type SelectedPerson,
  sealSelection,
  selectInCountries,
  selectInRanges,
  type TargetingDialect,
  turnJitOff,
} from './targeting.repository.ts';

type Db = Kysely<DB> | Transaction<DB>;

/** How many persons a target selects. */
export type RecipientCount = { total: number };

/** How many persons a target selects, in all and per country (`location_country`). */
export type RecipientBreakdown = RecipientCount & {
  /** Alpha-2 code → persons, for the persons who have a country, in code order. */
  byCountry: Record<string, number>;
  /** Persons selected by a shape who have no country on record. */
  withoutCountry: number;
};

/** One person to alert, with the languages they read in preference order (possibly none). */
export type Recipient = { personId: string; country: string | null; languages: string[] };

export type StreamOptions = {
  /** Recipients per batch (default 1000, at most 10,000); every batch but the last is full. */
  batchSize?: number;
  /** Reference time for age bands (default: now). */
  now?: Date;
} & PlanOptions;

export const DEFAULT_BATCH_SIZE = 1000;
export const MAX_BATCH_SIZE = 10_000;

/**
 * Boundary ranges per query: the candidates for the exact test are held in memory one group of ranges
 * at a time, and on PostgreSQL the groups are read side by side.
 */
const BOUNDARY_RANGES_PER_QUERY = 512;

/**
 * PostgreSQL counts the inside ranges in this many queries at once, on separate pooled connections: a
 * query runs in one server process, so this is what spreads a large count over the server's cores.
 */
const POSTGRES_COUNT_QUERIES = 4;

/** A vulnerability filter is applied a page of candidates at a time, after decryption. */
const VULNERABILITY_PAGE = 2000;

/** The range budget of the first covering of a target's shapes: cheap to compute and to query. */
const COARSE_RANGES = 500;
/** The largest range budget a target's shapes are covered again with. */
const FINE_RANGES = 12_000;
/**
 * What one more range costs (covering it, then a seek in the query) over what one boundary person costs
 * (reading the position, then the exact test), as measured on both databases: about 30 µs against 4 µs.
 */
const RANGE_COST_IN_BOUNDARY_PERSONS = 8;
/** Boundary ranges counted to estimate how many persons the whole boundary holds. */
const BOUNDARY_SAMPLE = 64;

/**
 * Runs range queries with PostgreSQL's JIT compilation off (see `turnJitOff`), in a transaction of their
 * own or in the caller's; SQLite runs them as they are.
 */
function plainly<T>(db: Db, dialect: TargetingDialect, queries: (db: Db) => Promise<T>): Promise<T> {
  if (dialect !== 'postgres') return queries(db);
  if (db.isTransaction) return turnJitOff(db, 'transaction').then(() => queries(db));
  return db.transaction().execute(async (trx) => {
    await turnJitOff(trx, 'transaction');
    return queries(trx);
  });
}

/**
 * Checks and plans a spec, choosing the covering's range budget for the data: more ranges mean finer
 * boundary cells and so fewer persons to read and test, but a longer covering and query. The shapes are
 * covered coarsely first; the persons in the boundary ranges are counted in the index, and if there are
 * many the shapes are covered again. Boundary persons fall roughly in inverse proportion to the ranges
 * (B ≈ B₀·r₀/r), so the cost c·r + B₀·r₀/r is least at r = √(B₀·r₀/c). An explicit `maxRanges` skips this.
 */
async function planForData(
  db: Db,
  dialect: TargetingDialect,
  spec: TargetSpec,
  now: Date,
  options: PlanOptions,
): Promise<SelectionPlan> {
  if (options.maxRanges !== undefined) return planSelection(spec, now, options);
  const coarse = planSelection(spec, now, { maxRanges: COARSE_RANGES });
  if (coarse.boundary.length === 0) return coarse;
  // An estimate is enough to choose a budget: a systematic sample of the boundary ranges is counted.
  const step = Math.ceil(coarse.boundary.length / BOUNDARY_SAMPLE);
  const sample = coarse.boundary.filter((_, i) => i % step === 0);
  const noFilters = { sexes: [], birthYears: [], householdHeadsOnly: false, employerIds: [], languages: [] };
  const sampled = await plainly(db, dialect, (conn) =>
    countInRanges(conn, dialect, { ranges: sample, excludedCountries: [], filters: noFilters }),
  );
  const boundaryPersons = (sampled * coarse.boundary.length) / sample.length;
  const ranges = coarse.inside.length + coarse.boundary.length;
  const best = Math.sqrt((boundaryPersons * ranges) / RANGE_COST_IN_BOUNDARY_PERSONS);
  return best < 2 * ranges ? coarse : recoverPlan(coarse, Math.min(FINE_RANGES, Math.round(best)));
}

const rangeQuery = (plan: SelectionPlan, ranges: readonly CellRange[]): RangeQuery => ({
  ranges,
  excludedCountries: plan.countries,
  filters: plan.filters,
});

/** The inside ranges in the groups counted by one query each. */
const insideGroups = (dialect: TargetingDialect, ranges: readonly CellRange[]): CellRange[][] =>
  dialect === 'postgres' ? interleaveRanges(ranges, POSTGRES_COUNT_QUERIES) : rangeChunks(dialect, ranges);

const boundaryGroups = (ranges: readonly CellRange[]): CellRange[][] =>
  rangeChunks('sqlite', ranges, BOUNDARY_RANGES_PER_QUERY);

/**
 * Counts the persons a target selects, exactly, for the live preview while an officer draws. Persons
 * of whole countries and of the covering's inside cells are counted in the index, without reading a
 * row; only the positions of persons in boundary cells are read, and tested against the shapes. The
 * independent queries run side by side on PostgreSQL (separate pooled connections), one after another
 * on SQLite. A vulnerability filter needs decryption, so with one the selection is read in pages
 * instead (as {@link streamRecipients} does). Throws AppError 422 for an invalid or empty spec.
 */
export async function countRecipients(
  db: Db,
  spec: TargetSpec,
  now: Date,
  options: PlanOptions = {},
): Promise<RecipientCount> {
  const dialect = dialectOf(db);
  const plan = await planForData(db, dialect, spec, now, options);
  if (plan.vulnerabilities !== null) return { total: (await countPages(db, plan)).total };
  const shapes = plan.shapes;
  const parts: Promise<number>[] = [countInCountries(db, plan.countries, plan.filters)];
  for (const ranges of insideGroups(dialect, plan.inside)) {
    parts.push(plainly(db, dialect, (conn) => countInRanges(conn, dialect, rangeQuery(plan, ranges))));
  }
  for (const ranges of boundaryGroups(plan.boundary)) {
    parts.push(
      plainly(db, dialect, (conn) => findPositionsInRanges(conn, dialect, rangeQuery(plan, ranges))).then(
        (positions) => {
          let n = 0;
          for (const p of positions) if (shapes!.contains(p.lon, p.lat)) n++;
          return n;
        },
      ),
    );
  }
  let total = 0;
  for (const n of await Promise.all(parts)) total += n;
  return { total };
}

/**
 * Counts the persons a target selects per country: the same persons as {@link countRecipients}, at the
 * price of grouping every person of the inside cells by country, several times slower on a large
 * target. Throws AppError 422 for an invalid or empty spec.
 */
export async function countRecipientsByCountry(
  db: Db,
  spec: TargetSpec,
  now: Date,
  options: PlanOptions = {},
): Promise<RecipientBreakdown> {
  const dialect = dialectOf(db);
  const plan = await planForData(db, dialect, spec, now, options);
  if (plan.vulnerabilities !== null) return countPages(db, plan);
  const shapes = plan.shapes;
  const parts: Promise<CountryCount[]>[] = [countInCountriesByCountry(db, plan.countries, plan.filters)];
  for (const ranges of insideGroups(dialect, plan.inside)) {
    parts.push(
      plainly(db, dialect, (conn) => countInRangesByCountry(conn, dialect, rangeQuery(plan, ranges))),
    );
  }
  for (const ranges of boundaryGroups(plan.boundary)) {
    parts.push(
      plainly(db, dialect, (conn) => findInRanges(conn, dialect, rangeQuery(plan, ranges))).then((persons) =>
        persons.filter((p) => shapes!.contains(p.lon, p.lat)).map((p) => ({ country: p.country, n: 1 })),
      ),
    );
  }
  const counts = new Map<string | null, number>();
  for (const rows of await Promise.all(parts)) {
    for (const r of rows) counts.set(r.country, (counts.get(r.country) ?? 0) + r.n);
  }
  return toBreakdown(counts);
}

function toBreakdown(counts: Map<string | null, number>): RecipientBreakdown {
  const byCountry: Record<string, number> = {};
  let total = 0;
  for (const country of [...counts.keys()].filter((c): c is string => c !== null).sort()) {
    byCountry[country] = counts.get(country)!;
  }
  for (const n of counts.values()) total += n;
  return { total, byCountry, withoutCountry: counts.get(null) ?? 0 };
}

/** Counts by reading the selection page by page: the way when a filter cannot be applied in SQL. */
async function countPages(db: Db, plan: SelectionPlan): Promise<RecipientBreakdown> {
  const counts = new Map<string | null, number>();
  for await (const page of selectionPages(db, plan, VULNERABILITY_PAGE)) {
    for (const p of page) counts.set(p.country, (counts.get(p.country) ?? 0) + 1);
  }
  return toBreakdown(counts);
}

/**
 * The selection in pages, in id order, each person with country and languages, the vulnerability filter
 * applied. The selection is first written to a temporary table keyed by id (whole countries and inside
 * cells by the database alone, boundary persons after the exact test), then read by keyset pagination
 * on that table: each page costs the same however large the selection, and only one page is in memory.
 * Once filtered, a page may come out shorter than `pageSize`, even empty.
 */
async function* selectionPages(
  db: Db,
  plan: SelectionPlan,
  pageSize: number,
): AsyncGenerator<SelectedPerson[]> {
  const dialect = dialectOf(db);
  yield* onOneConnection(db, dialect, async function* (conn) {
    if (dialect === 'postgres') await turnJitOff(conn, conn.isTransaction ? 'transaction' : 'session');
    const table = await createSelectionTable(conn, dialect, `targeting_${randomBytes(8).toString('hex')}`);
    try {
      await selectInCountries(conn, dialect, table, plan.countries, plan.filters);
      for (const ranges of rangeChunks(dialect, plan.inside)) {
        await selectInRanges(conn, dialect, table, rangeQuery(plan, ranges));
      }
      for (const ranges of boundaryGroups(plan.boundary)) {
        const persons = await findInRanges(conn, dialect, rangeQuery(plan, ranges));
        await addToSelection(
          conn,
          dialect,
          table,
          persons.filter((p) => plan.shapes!.contains(p.lon, p.lat)).sort((a, b) => (a.id < b.id ? -1 : 1)),
        );
      }
      await sealSelection(conn, dialect, table);
      let afterId: string | null = null;
      for (;;) {
        const page = await pageSelection(conn, dialect, table, afterId, pageSize);
        if (page.length === 0) return;
        afterId = page[page.length - 1]!.id;
        yield plan.vulnerabilities === null
          ? page
          : await withVulnerability(conn, page, plan.vulnerabilities);
        if (page.length < pageSize) return;
      }
    } finally {
      await dropSelectionTable(conn, dialect, table);
      if (dialect === 'postgres' && !conn.isTransaction) await restoreJit(conn);
    }
  });
}

async function withVulnerability(
  db: Db,
  page: SelectedPerson[],
  wanted: ReadonlySet<string>,
): Promise<SelectedPerson[]> {
  const codes = await findVulnerabilities(
    db,
    page.map((p) => p.id),
  );
  return page.filter((p) => (codes.get(p.id) ?? []).some((code) => wanted.has(code)));
}

/**
 * Streams the recipients of a target in batches, in person-id order, for issuing an alert: exactly the
 * persons {@link countRecipients} counts. Every batch but the last holds `batchSize` recipients, and at
 * most a batch and a page are in memory at once. On PostgreSQL the stream holds one pooled connection
 * until it ends or the consumer stops (a `break` out of `for await` releases it). Throws AppError 422
 * for an invalid or empty spec or batch size.
 */
export async function* streamRecipients(
  db: Db,
  spec: TargetSpec,
  options: StreamOptions = {},
): AsyncGenerator<Recipient[]> {
  const batchSize = options.batchSize ?? DEFAULT_BATCH_SIZE;
  if (!Number.isInteger(batchSize) || batchSize < 1 || batchSize > MAX_BATCH_SIZE) {
    throw new AppError(
      'target.batch_size_invalid',
      `batch size must be an integer in 1..${MAX_BATCH_SIZE}`,
      422,
    );
  }
  const plan = await planForData(db, dialectOf(db), spec, options.now ?? new Date(), options);
  const toRecipient = (p: SelectedPerson): Recipient => ({
    personId: p.id,
    country: p.country,
    languages: p.languages,
  });
  let pending: Recipient[] = [];
  for await (const page of selectionPages(db, plan, batchSize)) {
    pending = pending.length === 0 ? page.map(toRecipient) : pending.concat(page.map(toRecipient));
    while (pending.length >= batchSize) {
      yield pending.slice(0, batchSize);
      pending = pending.slice(batchSize);
    }
  }
  if (pending.length > 0) yield pending;
}

/** Every selected person's id, in id order: the whole selection in memory, for tests and small targets. */
export async function selectRecipientIds(
  db: Db,
  spec: TargetSpec,
  now: Date,
  options: PlanOptions = {},
): Promise<string[]> {
  const ids: string[] = [];
  for await (const batch of streamRecipients(db, spec, { ...options, now, batchSize: MAX_BATCH_SIZE })) {
    for (const r of batch) ids.push(r.personId);
  }
  return ids;
}

/**
 * Runs a generator that needs one connection throughout (a temporary table lives on the connection
 * that made it) and relays what it yields. On PostgreSQL a pooled connection is reserved until the
 * generator ends or the consumer stops; SQLite has a single connection, which is never reserved, so
 * that the consumer's own queries between batches still run. A transaction is already one connection.
 */
async function* onOneConnection<T>(
  db: Db,
  dialect: TargetingDialect,
  body: (conn: Db) => AsyncGenerator<T>,
): AsyncGenerator<T> {
  if (dialect === 'sqlite' || db.isTransaction) {
    yield* body(db);
    return;
  }
  // Kysely lends a connection only for the duration of a callback, so the callback runs the generator
  // and hands each item over; the consumer's pace, and its stopping early, flow back through `send`.
  const channel = new Handoff<T>();
  const running = (db as Kysely<DB>)
    .connection()
    .execute(async (conn) => {
      for await (const item of body(conn)) if (!(await channel.send(item))) return;
    })
    .finally(() => channel.close());
  // Awaited below; this keeps a failure from counting as unhandled while the consumer catches up.
  running.catch(() => {});
  try {
    for (;;) {
      const next = await channel.receive();
      if (next.done) break;
      yield next.item;
    }
  } finally {
    channel.stop();
    await running;
  }
}

/** One item at a time from a producer to a consumer; the producer waits until the consumer asks again. */
class Handoff<T> {
  private offered: { item: T; ack: (more: boolean) => void } | null = null;
  private waiting: ((next: { done: false; item: T } | { done: true }) => void) | null = null;
  private ack: ((more: boolean) => void) | null = null;
  private closed = false;
  private stopped = false;

  /** Offers an item; resolves true when the consumer wants another, false when it has stopped. */
  send(item: T): Promise<boolean> {
    if (this.stopped) return Promise.resolve(false);
    return new Promise((ack) => {
      if (this.waiting) {
        const deliver = this.waiting;
        this.waiting = null;
        this.ack = ack;
        deliver({ done: false, item });
      } else this.offered = { item, ack };
    });
  }

  /** The next item, once the consumer is done with the previous one; done when the producer has ended. */
  receive(): Promise<{ done: false; item: T } | { done: true }> {
    this.ack?.(true);
    this.ack = null;
    if (this.offered) {
      const { item, ack } = this.offered;
      this.offered = null;
      this.ack = ack;
      return Promise.resolve({ done: false, item });
    }
    if (this.closed) return Promise.resolve({ done: true });
    return new Promise((resolve) => {
      this.waiting = resolve;
    });
  }

  /** The producer has ended. */
  close(): void {
    this.closed = true;
    this.waiting?.({ done: true });
    this.waiting = null;
  }

  /** The consumer has stopped: the producer's pending and later offers answer false. */
  stop(): void {
    this.stopped = true;
    this.ack?.(false);
    this.offered?.ack(false);
    this.ack = null;
    this.offered = null;
  }
}
