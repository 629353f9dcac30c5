import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import pg from 'pg';
import { openTestDatabase, type TestDatabase, testDialect } from '../../test/helpers/database.ts';
import { migrateToLatest } from './migrate.ts';

// PostgreSQL only: SQLite has one schema per file, and Kysely's own SQLite introspector reads only it.
if (testDialect() === 'postgres') {
  describe('PostgreSQL introspection stays in the current schema', () => {
    const url = process.env.HAVEN_TEST_DATABASE_URL as string;
    const tag = randomBytes(4).toString('hex');
    /** Schemas dropped around the migrator in the second test. */
    const victims = 100;
    let database: TestDatabase;
    let admin: pg.Client;

    before(async () => {
      database = await openTestDatabase();
      admin = new pg.Client({ connectionString: url });
      await admin.connect();
    });
    after(async () => {
      await admin.query(`drop schema if exists other_${tag} cascade`);
      for (let i = 0; i < victims; i++) await admin.query(`drop schema if exists gone_${tag}_${i} cascade`);
      await admin.end();
      await database.drop();
    });

    test("tables are Haven's own: a same-named table in another schema is not listed", async () => {
      await admin.query(
        `create schema other_${tag}; create table other_${tag}.persons (id serial primary key, note text)`,
      );
      const tables = await database.db.introspection.getTables();
      const schemas = new Set(tables.map((t) => t.schema));
      assert.deepEqual([...schemas], [database.config.kind === 'postgres' ? database.config.schema : '']);
      const persons = tables.filter((t) => t.name === 'persons');
      assert.equal(persons.length, 1, 'one persons table: the current schema’s');
      assert.equal(
        persons[0]?.columns.some((c) => c.name === 'note'),
        false,
      );
      assert.equal(
        tables.some((t) => t.name === 'kysely_migration'),
        false,
        'Kysely’s own tables are left out unless asked for',
      );
      const withInternal = await database.db.introspection.getTables({ withInternalKyselyTables: true });
      const migrations = withInternal.find((t) => t.name === 'kysely_migration');
      assert.deepEqual(
        migrations?.columns.map((c) => [c.name, c.dataType, c.isNullable]),
        [
          ['name', 'varchar', false],
          ['timestamp', 'varchar', false],
        ],
      );
      const schemaNames = (await database.db.introspection.getSchemas()).map((s) => s.name);
      assert.ok(schemaNames.includes(`other_${tag}`) && schemaNames.includes('public'));
    });

    test('the migrator runs while other schemas are dropped around it', async () => {
      // Kysely's own introspector lists every schema's columns and names each schema in catalogue calls:
      // a schema dropped during that query fails the migrator with "schema … does not exist" (or
      // "relation … does not exist"). Here a hundred schemas are dropped one by one while the migrator
      // runs again and again on Haven's schema; every run must succeed.
      for (let i = 0; i < victims; i++) {
        const tables = Array.from(
          { length: 5 },
          (_, k) => `create table gone_${tag}_${i}.t${k} (id serial primary key, a text, b text);`,
        ).join('');
        await admin.query(`create schema gone_${tag}_${i}; ${tables}`);
      }
      let dropped = 0;
      const dropper = (async () => {
        const c = new pg.Client({ connectionString: url });
        await c.connect();
        for (let i = 0; i < victims; i++) {
          await c.query(`drop schema gone_${tag}_${i} cascade`);
          dropped += 1;
        }
        await c.end();
      })();
      let runs = 0;
      const failures: string[] = [];
      while (dropped < victims) {
        try {
          assert.deepEqual(await migrateToLatest(database.db as never), [], 'nothing is left to apply');
        } catch (err) {
          failures.push(err instanceof Error ? err.message : String(err));
        }
        runs += 1;
      }
      await dropper;
      assert.deepEqual(failures, []);
      assert.ok(runs >= 10, `the migrator ran ${runs} times while the schemas were dropped`);
    });
  });
}
