// Helpers shared by the delivery outbox's SQL: the database handle type, the dialect test and the
// count of changed rows.
import { type Kysely, PostgresAdapter, type Transaction } from 'kysely';
import type { DB } from '../../db/schema.ts';

export type Db = Kysely<DB> | Transaction<DB>;

export const isPostgres = (db: Db) => db.getExecutor().adapter instanceof PostgresAdapter;

export const affected = (result: { numAffectedRows?: bigint }) => Number(result.numAffectedRows ?? 0n);
