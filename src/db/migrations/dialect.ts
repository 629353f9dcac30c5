import { type Kysely, PostgresAdapter } from 'kysely';

// Frozen helpers for migrations only: they must not import application code.
export const isPostgres = (db: Kysely<unknown>) => db.getExecutor().adapter instanceof PostgresAdapter;
