// scratch: PG fan-out statement variants (not committed)
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { openDatabase } from '../src/db/database.ts';
import { migrateToLatest } from '../src/db/migrate.ts';
import { seedAuthor, seedIssuedAlert } from '../src/modules/delivery/delivery.test-kit.ts';

const N = Number(process.argv[2] ?? 200000);
const url = 'postgres://postgres@127.0.0.1:5432/test';
const schema = `probe_${randomBytes(3).toString('hex')}`;
const admin = new pg.Client({ connectionString: url });
await admin.connect();
await admin.query(`create schema ${schema}`);
const database = openDatabase({ kind: 'postgres', url, schema }, { poolSize: 4 });
try {
  await migrateToLatest(database.db as never);
  const now = new Date().toISOString();
  const author = await seedAuthor(database.db);
  const alertId = await seedIssuedAlert(database.db, { author, recipients: [] });
  const uuid = `lpad(to_hex(i), 8, '0') || '-0000-7000-8000-' || lpad(to_hex(i), 12, '0')`;
  const q = (text: string, params: unknown[] = []) => database.pool!.query(text, params);
  await q(`insert into persons (id, given_names, name_search, sex, nationality, location_country, vulnerabilities, document_status, created_at, updated_at) select ${uuid}, 'S', 's', 'female', 'PH', 'AE', '[]', 'unknown', $2, $2 from generate_series(1, $1) i`, [N, now]);
  await q(`insert into contacts (id, person_id, kind, value, verified, consent, rank, created_at) select 'c' || i, ${uuid}, 'phone', '+9715' || lpad(i::text, 8, '0'), 1, 1, 0, $2 from generate_series(1, $1) i`, [N, now]);
  await q(`insert into alert_recipients (alert_id, person_id, language, matched_by, country) select $2, ${uuid}, 'en', 'preferred', 'AE' from generate_series(1, $1) i`, [N, alertId]);
  await q('analyze');
  const variants: Record<string, string> = {
    current: `insert into deliveries (alert_id, person_id, channel, language, state, priority, attempts, reclaims, next_attempt_at, created_at, updated_at)
      select $1, x.person_id, case x.pos when 0 then 'push' when 1 then 'sms' when 2 then 'email' end, x.language, 'queued', 100, 0, 0, $2, $2, $2
      from (select ar.person_id, ar.language, min(case c.kind when 'push' then 0 when 'phone' then 1 when 'email' then 2 end) as pos
        from alert_recipients ar join contacts c on c.person_id = ar.person_id and c.consent = 1 and c.kind in ('push','phone','email')
        where ar.alert_id = $1 group by ar.person_id, ar.language) x where x.pos is not null on conflict do nothing`,
    lateral: `insert into deliveries (alert_id, person_id, channel, language, state, priority, attempts, reclaims, next_attempt_at, created_at, updated_at)
      select $1, ar.person_id, case x.pos when 0 then 'push' when 1 then 'sms' when 2 then 'email' end, ar.language, 'queued', 100, 0, 0, $2, $2, $2
      from alert_recipients ar cross join lateral (select min(case c.kind when 'push' then 0 when 'phone' then 1 when 'email' then 2 end) as pos
        from contacts c where c.person_id = ar.person_id and c.consent = 1 and c.kind in ('push','phone','email')) x
        where ar.alert_id = $1 and x.pos is not null on conflict do nothing`,
    noConflict: `insert into deliveries (alert_id, person_id, channel, language, state, priority, attempts, reclaims, next_attempt_at, created_at, updated_at)
      select $1, x.person_id, case x.pos when 0 then 'push' when 1 then 'sms' when 2 then 'email' end, x.language, 'queued', 100, 0, 0, $2, $2, $2
      from (select ar.person_id, ar.language, min(case c.kind when 'push' then 0 when 'phone' then 1 when 'email' then 2 end) as pos
        from alert_recipients ar join contacts c on c.person_id = ar.person_id and c.consent = 1 and c.kind in ('push','phone','email')
        where ar.alert_id = $1 group by ar.person_id, ar.language) x where x.pos is not null`,
    selectOnly: `select count(*) from (select ar.person_id, ar.language, min(case c.kind when 'push' then 0 when 'phone' then 1 when 'email' then 2 end) as pos
        from alert_recipients ar join contacts c on c.person_id = ar.person_id and c.consent = 1 and c.kind in ('push','phone','email')
        where ar.alert_id = $1 group by ar.person_id, ar.language) x where x.pos is not null`,
  };
  for (let round = 0; round < 2; round++) {
    for (const [name, text] of Object.entries(variants)) {
      const client = await database.pool!.connect();
      try {
        await client.query('begin');
        const t0 = performance.now();
        await client.query(text, name === 'selectOnly' ? [alertId] : [alertId, now]);
        const ms = performance.now() - t0;
        console.log(name.padEnd(12), ms.toFixed(0), 'ms', (N / ms * 1000).toFixed(0), 'rows/s');
        await client.query('rollback');
      } finally {
        client.release();
      }
    }
  }
  if (process.argv[3] === 'explain') {
    const client = await database.pool!.connect();
    await client.query('begin');
    const r = await client.query(`explain (analyze, buffers) ${variants.current}`, [alertId, now]);
    for (const row of r.rows) console.log(row['QUERY PLAN']);
    await client.query('rollback');
    client.release();
  }
} finally {
  await database.destroy();
  await admin.query(`drop schema ${schema} cascade`);
  await admin.end();
}
