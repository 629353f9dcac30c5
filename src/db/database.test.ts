import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import SQLite from 'better-sqlite3';
import { Kysely, SqliteDialect, sql } from 'kysely';
import { withStatementCache } from './database.ts';

describe('SQLite statement cache', () => {
  test('a statement is prepared once per SQL text and reused', () => {
    const sqlite = new SQLite(':memory:');
    let prepared = 0;
    const counting = new Proxy(sqlite, {
      get: (target, key) =>
        key === 'prepare'
          ? (text: string) => {
              prepared += 1;
              return target.prepare(text);
            }
          : Reflect.get(target, key),
    });
    const cache = withStatementCache(counting, 2);
    const a = cache.prepare('select 1 as one');
    assert.equal(cache.prepare('select 1 as one'), a);
    cache.prepare('select 2 as two');
    assert.equal(prepared, 2);
    // A third text evicts the least recently used one: select 1 (select 2 is newer).
    cache.prepare('select 3 as three');
    assert.equal(prepared, 3);
    cache.prepare('select 2 as two');
    assert.equal(prepared, 3, 'the more recent text is still kept');
    assert.notEqual(cache.prepare('select 1 as one'), a, 'the oldest text was evicted and is prepared again');
    assert.equal(prepared, 4);
    cache.close();
    assert.equal(sqlite.open, false);
  });

  test('Kysely runs through it, and a kept statement survives a change of the schema', async () => {
    const db = new Kysely<{ t: { a: number; b?: number } }>({
      dialect: new SqliteDialect({ database: withStatementCache(new SQLite(':memory:')) }),
    });
    await sql`create table t (a integer)`.execute(db);
    await db.insertInto('t').values({ a: 1 }).execute();
    await db.insertInto('t').values({ a: 2 }).execute();
    assert.deepEqual(await db.selectFrom('t').selectAll().orderBy('a').execute(), [{ a: 1 }, { a: 2 }]);
    await sql`alter table t add column b integer`.execute(db);
    assert.deepEqual(await db.selectFrom('t').selectAll().orderBy('a').execute(), [
      { a: 1, b: null },
      { a: 2, b: null },
    ]);
    // A failing statement leaves the cache usable.
    await assert.rejects(sql`select * from missing`.execute(db));
    assert.equal((await db.selectFrom('t').select('a').where('a', '=', 2).execute()).length, 1);
    await db.destroy();
  });
});
