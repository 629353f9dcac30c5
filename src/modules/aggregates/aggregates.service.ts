import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.ts';
import { ageBand } from '../../domain/registry/person.ts';

/** Cells counting fewer people than this are suppressed, so no figure points at an individual. */
export const SMALL_CELL_THRESHOLD = 5;

type By = 'country' | 'sex' | 'age_band' | 'nationality';

/**
 * Counts of registered people by one attribute, including people since erased (their anonymous
 * tombstones keep the figures true). Small cells are suppressed, and so is the total when it is small.
 */
export async function registryAggregates(db: Kysely<DB>, by: By, country?: string) {
  const now = new Date();
  const counts = new Map<string, number>();
  const add = (key: string | null, n: number) =>
    counts.set(key ?? 'unknown', (counts.get(key ?? 'unknown') ?? 0) + n);
  if (by === 'age_band') {
    let q = db
      .selectFrom('persons')
      .select((eb) => ['birth_year', eb.fn.countAll<number>().as('n')])
      .groupBy('birth_year');
    if (country) q = q.where('location_country', '=', country.toUpperCase());
    for (const r of await q.execute()) add(ageBand(r.birth_year, now), Number(r.n));
  } else {
    const col = by === 'country' ? 'location_country' : by === 'sex' ? 'sex' : 'nationality';
    let q = db
      .selectFrom('persons')
      .select((eb) => [eb.ref(col).as('k'), eb.fn.countAll<number>().as('n')])
      .groupBy(col);
    if (country) q = q.where('location_country', '=', country.toUpperCase());
    for (const r of await q.execute()) add(r.k as string | null, Number(r.n));
  }
  const col = by === 'country' ? 'location_country' : by;
  let eq = db
    .selectFrom('erased_persons')
    .select((eb) => [eb.ref(col).as('k'), eb.fn.countAll<number>().as('n')])
    .groupBy(col);
  if (country) eq = eq.where('location_country', '=', country.toUpperCase());
  let erased = 0;
  for (const r of await eq.execute()) {
    add(r.k as string | null, Number(r.n));
    erased += Number(r.n);
  }
  const total = [...counts.values()].reduce((a, b) => a + b, 0);
  const cells = [...counts.entries()]
    .sort((a, b) => a[0].localeCompare(b[0]))
    .map(([key, n]) =>
      n < SMALL_CELL_THRESHOLD
        ? { key, count: null, suppressed: true }
        : { key, count: n, suppressed: false },
    );
  return {
    by,
    total: total < SMALL_CELL_THRESHOLD ? null : total,
    cells,
    erasedIncluded: erased < SMALL_CELL_THRESHOLD ? 0 : erased,
  };
}
