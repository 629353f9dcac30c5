// Fault test (a): worker processes killed with SIGKILL in the middle of a fan-out, again and again, each
// replaced at once. By the outbox and by the protocol peers' own logs, every (recipient, channel) is
// sent, nobody is lost, and a message arrives twice only where a killed worker's row went back to the
// queue after its send may have happened (counted in deliveries.reclaims).
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import {
  deliveriesOf,
  enqueue,
  eventually,
  seedAuthor,
  seedIssuedAlert,
  seedPeople,
  testSettings,
} from '../../src/modules/delivery/delivery.test-kit.ts';
import { openTestDatabase, type TestDatabase } from '../helpers/database.ts';
import { type SmppPeer, startSmppPeer } from '../peers/smpp-server.ts';
import { type SmtpPeer, startSmtpPeer } from '../peers/smtp-server.ts';
import { spawnWorker, type WorkerProcess } from './worker-process.ts';

const PEOPLE = 240;
const KILLS = 3;

let database: TestDatabase;
let smsc: SmppPeer;
let mail: SmtpPeer;
const workers: WorkerProcess[] = [];

before(async () => {
  database = await openTestDatabase();
  smsc = await startSmppPeer({ latencyMs: 20 });
  mail = await startSmtpPeer();
});
after(async () => {
  for (const w of workers)
    if (w.child.exitCode === null && w.child.signalCode === null) w.child.kill('SIGKILL');
  await smsc?.close();
  await mail?.close();
  await database?.drop();
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

test('SIGKILL mid fan-out, several times: every recipient reached on every channel, none lost', {
  timeout: 90_000,
}, async (t) => {
  const author = await seedAuthor(database.db);
  const phones = Array.from({ length: PEOPLE }, (_, i) => `+9715009${String(i).padStart(5, '0')}`);
  const emails = phones.map((_, i) => `recipient${i}@mail.test`);
  const ids = await seedPeople(
    database.db,
    phones.map((phone, i) => ({
      contacts: [
        { kind: 'phone', value: phone },
        { kind: 'email', value: emails[i]! },
      ],
    })),
  );
  // Level 3: every channel at once, so each person has two deliveries.
  const alertId = await seedIssuedAlert(database.db, { author, recipients: ids, level: 3 });
  // Above the inline limit: the worker processes write the deliveries themselves, slice by slice.
  const queued = await enqueue(database.db, alertId, { ...testSettings(), inlineFanoutLimit: 100 });
  assert.equal(queued.mode, 'job');

  const env = {
    HAVEN_PUBLIC_URL: 'https://haven.test',
    HAVEN_DELIVERY_LEASE_MS: '1200',
    HAVEN_DELIVERY_POLL_MS: '50',
    HAVEN_DELIVERY_RETRY_BASE_MS: '50',
    HAVEN_DELIVERY_RETRY_MAX_MS: '200',
    HAVEN_DELIVERY_FANOUT_BATCH: '100',
    HAVEN_SMS_RATE: '40',
    HAVEN_EMAIL_RATE: '40',
    HAVEN_SMPP_HOST: '127.0.0.1',
    HAVEN_SMPP_PORT: String(smsc.port),
    HAVEN_SMPP_SYSTEM_ID: 'haven',
    HAVEN_SMPP_PASSWORD: 'secret',
    HAVEN_SMPP_SOURCE_ADDR: 'EMBASSY',
    HAVEN_SMTP_URL: `smtp://127.0.0.1:${mail.port}`,
    HAVEN_SMTP_FROM: 'Embassy <alerts@embassy.test>',
  };
  const launch = () => {
    const worker = spawnWorker(database.config, env);
    workers.push(worker);
    return worker;
  };
  const first = [launch(), launch()];
  await Promise.all(first.map((w) => w.ready));
  await smsc.waitFor(() => smsc.submits.length >= 20, 20_000);

  let kills = 0;
  const live = () => workers.filter((w) => w.child.exitCode === null && w.child.signalCode === null);
  while (kills < KILLS) {
    await sleep(700);
    const victim = live()[kills % live().length];
    if (!victim) break;
    victim.child.kill('SIGKILL');
    await victim.exited;
    kills += 1;
    launch();
  }
  assert.equal(kills, KILLS);
  const sentBeforeTheEnd = smsc.submits.length + mail.messages.length;
  assert.ok(sentBeforeTheEnd < PEOPLE * 2, 'the kills happened in the middle of the fan-out');

  await eventually(
    async () => (await deliveriesOf(database.db, alertId)).every((r) => r.state === 'sent'),
    60_000,
    'every delivery sent',
  );
  const rows = await deliveriesOf(database.db, alertId);
  assert.equal(rows.length, PEOPLE * 2);

  const smsCount = new Map<string, number>();
  for (const s of smsc.submits)
    smsCount.set(`+${s.destinationAddr}`, (smsCount.get(`+${s.destinationAddr}`) ?? 0) + 1);
  const mailCount = new Map<string, number>();
  for (const m of mail.messages) for (const r of m.rcptTo) mailCount.set(r, (mailCount.get(r) ?? 0) + 1);
  assert.deepEqual(
    phones.filter((p) => !smsCount.has(p)),
    [],
    'every phone got its SMS',
  );
  assert.deepEqual(
    emails.filter((e) => !mailCount.has(e)),
    [],
    'every address got its e-mail',
  );
  const duplicates = [...smsCount.values(), ...mailCount.values()].reduce((sum, n) => sum + (n - 1), 0);
  const reclaims = rows.reduce((sum, r) => sum + r.reclaims, 0);
  t.diagnostic(`kills ${kills}, rows reclaimed after a crash ${reclaims}, duplicate messages ${duplicates}`);
  assert.ok(
    duplicates <= reclaims,
    `${duplicates} duplicates but only ${reclaims} rows were in flight at a crash`,
  );

  // The survivors stop cleanly on SIGTERM.
  const survivors = live();
  await Promise.all(survivors.map((w) => w.ready));
  for (const w of survivors) w.child.kill('SIGTERM');
  assert.deepEqual(
    await Promise.all(survivors.map((w) => w.exited)),
    survivors.map(() => 0),
  );
  const leftover = await database.db
    .selectFrom('deliveries')
    .select('id')
    .where('state', '=', 'sending')
    .execute();
  assert.equal(leftover.length, 0);
});
