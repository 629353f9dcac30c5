// Helpers shared by the delivery outbox's SQL: the database handle type, the dialect test and the
// count of changed rows, and an alert's countries.
import { type Kysely, PostgresAdapter, type Transaction } from 'kysely';
import type { DB } from '../../db/schema.ts';

export type Db = Kysely<DB> | Transaction<DB>;

export const isPostgres = (db: Db) => db.getExecutor().adapter instanceof PostgresAdapter;

export const affected = (result: { numAffectedRows?: bigint }) => Number(result.numAffectedRows ?? 0n);

/** The countries an alert is for. */
export async function findAlertCountries(db: Db, alertId: string): Promise<string[]> {
  const rows = await db
    .selectFrom('alert_countries')
    .select('country')
    .where('alert_id', '=', alertId)
    .execute();
  return rows.map((r) => r.country);
}
