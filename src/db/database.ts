import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import SQLite from 'better-sqlite3';
import { Kysely, SqliteDialect } from 'kysely';
import pg from 'pg';
import type { DatabaseConfig } from '../config.ts';
import { CurrentSchemaPostgresDialect } from './current-schema-introspector.ts';
import type { DB } from './schema.ts';

export type Dialect = 'sqlite' | 'postgres';

/** An open database: the Kysely instance, which dialect it speaks, and how to close it. */
export type Database = {
  db: Kysely<DB>;
  dialect: Dialect;
  /** The raw better-sqlite3 handle, for bulk paths that measure against it (SQLite only). */
  sqlite?: SQLite.Database;
  /** The raw pg pool, for COPY-based bulk paths (PostgreSQL only). */
  pool?: pg.Pool;
  destroy: () => Promise<void>;
};

// int8 (COUNT(*), SUM) arrives as a string by default; Haven's counts stay well below 2^53.
const pgTypes = {
  getTypeParser: ((oid: number, format?: string) => {
    if (oid === 20) return (v: string) => Number(v);
    if (oid === 1700) return (v: string) => Number(v);
    return pg.types.getTypeParser(oid, format as 'text');
  }) as typeof pg.types.getTypeParser,
};

/**
 * The SQLite handle as Kysely sees it, with its prepared statements kept and reused by SQL text (the
 * most recent `size`): Kysely prepares every query anew, which costs more than running a small one.
 * A statement is never used by two queries at once: Kysely runs one query at a time on the connection
 * (a stream holds it until it ends). SQLite re-prepares a kept statement itself after a schema change.
 */
export function withStatementCache(sqlite: SQLite.Database, size = 500) {
  const kept = new Map<string, SQLite.Statement>();
  return {
    close: () => {
      kept.clear();
      sqlite.close();
    },
    prepare: (text: string): SQLite.Statement => {
      const statement = kept.get(text);
      if (statement) {
        // Most recently used last, so the oldest is first to go.
        kept.delete(text);
        kept.set(text, statement);
        return statement;
      }
      const prepared = sqlite.prepare(text);
      kept.set(text, prepared);
      if (kept.size > size) kept.delete(kept.keys().next().value!);
      return prepared;
    },
  };
}

/** Opens the configured database. SQLite runs in WAL mode with foreign keys on. */
export function openDatabase(config: DatabaseConfig, options: { poolSize?: number } = {}): Database {
  if (config.kind === 'sqlite') {
    if (config.file !== ':memory:') mkdirSync(dirname(config.file), { recursive: true });
    const sqlite = new SQLite(config.file);
    sqlite.pragma('journal_mode = WAL');
    sqlite.pragma('foreign_keys = ON');
    sqlite.pragma('synchronous = NORMAL');
    sqlite.pragma('busy_timeout = 5000');
    // Deleted rows are overwritten, so an erased person cannot be recovered from free pages.
    sqlite.pragma('secure_delete = ON');
    const db = new Kysely<DB>({ dialect: new SqliteDialect({ database: withStatementCache(sqlite) }) });
    return { db, dialect: 'sqlite', sqlite, destroy: () => db.destroy() };
  }
  const pool = new pg.Pool({
    connectionString: config.url,
    max: options.poolSize ?? 10,
    types: pgTypes,
    ...(config.schema ? { options: `-c search_path=${config.schema}` } : {}),
  });
  // An idle client losing its server (a restart) must not crash the process; the pool replaces it.
  pool.on('error', () => {});
  // A client checked out when the server goes away emits 'error' too; without a listener that would
  // crash the process. The query in flight still fails and the pool replaces the client.
  pool.on('connect', (client) => client.on('error', () => {}));
  const db = new Kysely<DB>({ dialect: new CurrentSchemaPostgresDialect({ pool }) });
  return { db, dialect: 'postgres', pool, destroy: () => db.destroy() };
}
