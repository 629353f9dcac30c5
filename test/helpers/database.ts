import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import type { DatabaseConfig } from '../../src/config.ts';
import { type Database, openDatabase } from '../../src/db/database.ts';
import { EncryptionPlugin } from '../../src/db/encryption-plugin.ts';
import { loadDataCipher } from '../../src/db/keys.ts';
import { migrateToLatest } from '../../src/db/migrate.ts';

/**
 * The database the suite runs on: SQLite by default, PostgreSQL when HAVEN_TEST_DATABASE_URL is a
 * postgres:// URL. Each call gets a private, migrated database (a temp file, or a fresh schema), so test
 * files run in parallel without seeing each other's rows.
 */
export const testDialect = (): 'sqlite' | 'postgres' =>
  process.env.HAVEN_TEST_DATABASE_URL?.startsWith('postgres') ? 'postgres' : 'sqlite';

export type TestDatabase = Database & { config: DatabaseConfig; drop: () => Promise<void> };

/** The master key of test databases: random per process, so nothing depends on a key on disk. */
export const testMasterKey = { kind: 'env' as const, value: randomBytes(32) };

async function withEncryption(database: Database): Promise<Database> {
  const cipher = await loadDataCipher(database.db, testMasterKey);
  return { ...database, db: database.db.withPlugin(new EncryptionPlugin(cipher)) };
}

export async function openTestDatabase(): Promise<TestDatabase> {
  const url = process.env.HAVEN_TEST_DATABASE_URL;
  if (url?.startsWith('postgres')) {
    const schema = `t_${process.pid}_${randomBytes(4).toString('hex')}`;
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    await admin.query(`create schema if not exists ${schema}`);
    await admin.end();
    const config: DatabaseConfig = { kind: 'postgres', url, schema };
    const raw = openDatabase(config, { poolSize: 5 });
    await migrateToLatest(raw.db as never);
    const database = await withEncryption(raw);
    const drop = async () => {
      await database.destroy();
      const c = new pg.Client({ connectionString: url });
      await c.connect();
      await c.query(`drop schema if exists ${schema} cascade`);
      await c.end();
    };
    return { ...database, config, drop };
  }
  const dir = mkdtempSync(join(tmpdir(), 'haven-test-'));
  const config: DatabaseConfig = {
    kind: 'sqlite',
    file: join(dir, 'haven.sqlite'),
    url: `sqlite:${join(dir, 'haven.sqlite')}`,
  };
  const raw = openDatabase(config);
  await migrateToLatest(raw.db as never);
  const database = await withEncryption(raw);
  const drop = async () => {
    await database.destroy();
    rmSync(dir, { recursive: true, force: true });
  };
  return { ...database, config, drop };
}
