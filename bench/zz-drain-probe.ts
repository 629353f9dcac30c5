// scratch: time SQLite statements during a worker drain (not committed)
import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import SQLite from 'better-sqlite3';
import { sent } from '../src/channels/channel.ts';
import { openDatabase } from '../src/db/database.ts';
import { EncryptionPlugin } from '../src/db/encryption-plugin.ts';
import { loadDataCipher } from '../src/db/keys.ts';
import { migrateToLatest } from '../src/db/migrate.ts';
import { enqueueDeliveries } from '../src/modules/delivery/delivery.fanout.ts';
import { deliverySettingsFrom } from '../src/modules/delivery/delivery.settings.ts';
import { seedAuthor, seedIssuedAlert } from '../src/modules/delivery/delivery.test-kit.ts';
import { DeliveryWorker } from '../src/modules/delivery/delivery.worker.ts';

const N = Number(process.argv[2] ?? 100000);
const times = new Map<string, { n: number; ms: number }>();
const proto = (SQLite as unknown as { prototype: unknown }).prototype;
void proto;
const dir = mkdtempSync(join(tmpdir(), 'probe-'));
const file = join(dir, 'h.sqlite');
const raw = openDatabase({ kind: 'sqlite', file, url: `sqlite:${file}` });
await migrateToLatest(raw.db as never);
const cipher = await loadDataCipher(raw.db, { kind: 'env', value: randomBytes(32) });
const database = { ...raw, db: raw.db.withPlugin(new EncryptionPlugin(cipher)) };
const sqlite = database.sqlite!;
const origPrepare = sqlite.prepare.bind(sqlite);
if (process.env.PROBE_TIMES) (sqlite as unknown as { prepare: unknown }).prepare = (text: string) => {
  const st = origPrepare(text);
  const key = text.replace(/\s+/g, ' ').slice(0, 70);
  for (const m of ['all', 'run', 'get', 'iterate'] as const) {
    const f = (st as never as Record<string, (...a: unknown[]) => unknown>)[m]!.bind(st);
    (st as never as Record<string, unknown>)[m] = (...a: unknown[]) => {
      const t0 = performance.now();
      const r = f(...a);
      const e = times.get(key) ?? { n: 0, ms: 0 };
      e.n++;
      e.ms += performance.now() - t0;
      times.set(key, e);
      return r;
    };
  }
  return st;
};
const now = new Date().toISOString();
const author = await seedAuthor(database.db);
const alertId = await seedIssuedAlert(database.db, { author, recipients: [] });
const uuid = `printf('%08x-0000-7000-8000-%012x', i, i)`;
const series = 'with recursive s(i) as (select 1 union all select i + 1 from s where i < ?)';
sqlite.prepare(`${series} insert into persons (id, given_names, name_search, sex, nationality, location_country, vulnerabilities, document_status, created_at, updated_at) select ${uuid}, 'S', 's', 'female', 'PH', 'AE', '[]', 'unknown', ?, ? from s`).run(N, now, now);
sqlite.prepare(`${series} insert into contacts (id, person_id, kind, value, verified, consent, rank, created_at) select 'c' || i, ${uuid}, 'phone', printf('+9715%08d', i), 1, 1, 0, ? from s`).run(N, now);
sqlite.prepare(`${series} insert into alert_recipients (alert_id, person_id, language, matched_by, country) select ?, ${uuid}, 'en', 'preferred', 'AE' from s`).run(N, alertId);
sqlite.exec('analyze');
const settings = { ...deliverySettingsFrom({ HAVEN_PUBLIC_URL: 'https://h.example.org', HAVEN_DELIVERY_INLINE_LIMIT: String(N) }), replyTokenSecret: randomBytes(32) };
await database.db.transaction().execute((trx) => enqueueDeliveries(trx, alertId, { settings }));
times.clear();
const fast = { ...settings, claimBatch: 500, limits: { ...settings.limits, sms: { ratePerSecond: null, burst: 1, concurrency: 1000 } } };
let written = 0;
let end = 0;
let reached: () => void = () => {};
const p = new Promise<void>((r) => { reached = r; });
let k = 0;
const w = new DeliveryWorker({ database, settings: fast, channels: { sms: { name: 'n', kind: 'sms', send: async () => sent(`n-${k++}`), close: async () => {} } }, replySecret: settings.replyTokenSecret, onEvent: (e) => { if (e.type === 'written') { written += e.outcomes; if (written >= N / 2 && !end) { end = performance.now(); reached(); } } } });
const t0 = performance.now();
w.start();
await p;
await w.close();
const total = end - t0;
console.log(`drain ${N/2} in ${total.toFixed(0)} ms = ${(N / 2 / total * 1000).toFixed(0)}/s`);
let sum = 0;
for (const [k2, v] of [...times].sort((a, b) => b[1].ms - a[1].ms).slice(0, 12)) { sum += v.ms; console.log(v.ms.toFixed(0).padStart(6), 'ms', String(v.n).padStart(6), k2); }
console.log('sql total', sum.toFixed(0));

times.clear();
import { sql } from 'kysely';
const b0 = performance.now();
let done = 0;
while (done < N / 2 - 1000) {
  const now2 = new Date().toISOString();
  const lease = new Date(Date.now() + 30_000).toISOString();
  const { rows } = await sql<{ id: number }>`
    update deliveries set state = 'sending', claimed_by = 'bare', lease_until = ${lease},
      attempts = deliveries.attempts + 1, updated_at = ${now2}
    where deliveries.id in (
      select q.id from deliveries q where q.state = 'queued' and q.channel = 'sms' and q.next_attempt_at <= ${now2}
      order by q.priority desc, q.next_attempt_at, q.id limit 500)
    returning deliveries.id`.execute(database.db);
  if (rows.length === 0) break;
  await database.db.updateTable('deliveries').set({ state: 'sent', sent_at: now2, lease_until: null, updated_at: now2 }).where('id', 'in', rows.map((r) => Number(r.id))).execute();
  done += rows.length;
}
const bt = performance.now() - b0;
console.log(`bare ${done} in ${bt.toFixed(0)} ms = ${(done / bt * 1000).toFixed(0)}/s`);
for (const [k2, v] of [...times].sort((a, b) => b[1].ms - a[1].ms).slice(0, 6)) console.log(v.ms.toFixed(0).padStart(6), 'ms', String(v.n).padStart(6), k2);
