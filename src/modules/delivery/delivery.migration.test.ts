import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { Migrator, sql } from 'kysely';
import { openDatabase } from '../../db/database.ts';
import { loadMigrations } from '../../db/migrations/index.ts';

// Migration 0071 rebuilds the SQLite outbox to let alert_id be null: rows, ids and indexes survive it.
// It runs on its own SQLite file in both passes of the suite: PostgreSQL alters the column in place.
test('the outbox keeps its rows, ids and indexes when it learns direct messages (SQLite rebuild)', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'haven-migration-'));
  const file = join(dir, 'haven.sqlite');
  const database = openDatabase({ kind: 'sqlite', file, url: `sqlite:${file}` });
  try {
    const migrator = new Migrator({ db: database.db, provider: { getMigrations: loadMigrations } });
    const before = await migrator.migrateTo('0070_direct_messages');
    assert.equal(before.error, undefined);
    const now = new Date().toISOString();
    const row = (i: number) => ({
      alert_id: `alert-${i % 2}`,
      person_id: `person-${i}`,
      channel: 'sms',
      state: i === 0 ? 'sent' : 'queued',
      priority: 100,
      next_attempt_at: now,
      created_at: now,
      updated_at: now,
    });
    await database.db
      .insertInto('deliveries')
      .values([row(0), row(1), row(2), row(3)])
      .execute();
    // The last row goes: its id must not come back.
    await database.db.deleteFrom('deliveries').where('person_id', '=', 'person-3').execute();
    const after = await migrator.migrateToLatest();
    assert.equal(after.error, undefined);
    const rows = await database.db.selectFrom('deliveries').selectAll().orderBy('id').execute();
    assert.deepEqual(
      rows.map((r) => [r.id, r.alert_id, r.person_id, r.state, r.message_id]),
      [
        [1, 'alert-0', 'person-0', 'sent', null],
        [2, 'alert-1', 'person-1', 'queued', null],
        [3, 'alert-0', 'person-2', 'queued', null],
      ],
    );
    const { rows: indexes } = await sql<{ name: string }>`
      select name from sqlite_master where type = 'index' and tbl_name = 'deliveries' and sql is not null
      order by name`.execute(database.db);
    assert.deepEqual(
      indexes.map((i) => i.name),
      [
        'deliveries_alert_idx',
        'deliveries_claim_idx',
        'deliveries_lease_idx',
        'deliveries_message_uq',
        'deliveries_partner_uq',
        'deliveries_person_uq',
        'deliveries_provider_idx',
      ],
    );
    await database.db.insertInto('deliveries').values(row(4)).execute();
    const last = await database.db
      .selectFrom('deliveries')
      .select('id')
      .orderBy('id', 'desc')
      .executeTakeFirst();
    assert.equal(last?.id, 5, 'ids are never reused');
    // Exactly one of alert and message.
    await assert.rejects(
      database.db
        .insertInto('deliveries')
        .values({ ...row(5), alert_id: null })
        .execute(),
      /CHECK constraint failed/,
    );
    await assert.rejects(
      database.db
        .insertInto('deliveries')
        .values({ ...row(6), message_id: 'm' })
        .execute(),
      /CHECK constraint failed/,
    );
  } finally {
    await database.destroy();
    rmSync(dir, { recursive: true, force: true });
  }
});
