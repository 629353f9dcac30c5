import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { openTestDatabase, type TestDatabase } from '../../../test/helpers/database.ts';
import { claimFanout, findFanouts } from './delivery.fanout.repository.ts';
import { runFanoutBatch } from './delivery.fanout.ts';
import {
  deliveriesOf,
  enqueue,
  type SyntheticContact,
  seedAuthor,
  seedIssuedAlert,
  seedPeople,
  testSettings,
} from './delivery.test-kit.ts';

let database: TestDatabase;
/** An alert's fan-out: its slices' states and counts added up. */
const findFanout = async (alertId: string) => {
  const slices = await findFanouts(database.db, alertId);
  if (slices.length === 0) return undefined;
  return {
    state: slices.every((f) => f.state === 'done') ? 'done' : 'unfinished',
    recipients: slices.reduce((n, f) => n + f.recipients, 0),
    written: slices.reduce((n, f) => n + f.written, 0),
    unreachable: slices.reduce((n, f) => n + f.unreachable, 0),
  };
};
let author: string;
let people: string[];
const settings = testSettings();

const push = (i: number): SyntheticContact => ({
  kind: 'push',
  value: `{"endpoint":"https://push.test/${i}","keys":{"p256dh":"k","auth":"a"}}`,
});
const phone = (i: number, consent = true): SyntheticContact => ({
  kind: 'phone',
  value: `+97150000${String(i).padStart(4, '0')}`,
  consent,
});
const email = (i: number): SyntheticContact => ({ kind: 'email', value: `person${i}@mail.test` });

before(async () => {
  database = await openTestDatabase();
  author = await seedAuthor(database.db);
  people = await seedPeople(database.db, [
    { contacts: [email(0), push(0), phone(0)] }, // every channel
    { contacts: [email(1), phone(1)] }, // no push
    { contacts: [email(2)] }, // e-mail only
    { contacts: [phone(3, false), email(3)] }, // withdrew consent for the phone
    { contacts: [] }, // no contact at all
  ]);
});
after(async () => {
  await database?.drop();
});

const channelsByPerson = async (alertId: string) => {
  const rows = await deliveriesOf(database.db, alertId);
  return people.map((p) =>
    rows
      .filter((r) => r.person_id === p)
      .map((r) => r.channel)
      .sort(),
  );
};

describe('fan-out at issue', () => {
  test('each reachable person gets one delivery, on the first channel of the order they gave with consent', async () => {
    const alertId = await seedIssuedAlert(database.db, { author, recipients: people, level: 2 });
    const result = await enqueue(database.db, alertId, settings);
    assert.deepEqual(result, { mode: 'inline', recipients: 5, deliveries: 4 });
    assert.deepEqual(await channelsByPerson(alertId), [['push'], ['sms'], ['email'], ['email'], []]);
    const rows = await deliveriesOf(database.db, alertId);
    assert.ok(rows.every((r) => r.state === 'queued' && r.attempts === 0 && r.priority === 102));
    const fanout = await findFanout(alertId);
    assert.equal(fanout?.state, 'done');
    assert.deepEqual([fanout?.recipients, fanout?.written, fanout?.unreachable], [5, 4, 1]);
  });

  test('at level 3 and 4 every channel at once: deliveries equal recipients × their channels', async () => {
    for (const level of [3, 4]) {
      const alertId = await seedIssuedAlert(database.db, { author, recipients: people, level });
      const result = await enqueue(database.db, alertId, settings);
      assert.equal(result.deliveries, 3 + 2 + 1 + 1);
      assert.deepEqual(await channelsByPerson(alertId), [
        ['email', 'push', 'sms'],
        ['email', 'sms'],
        ['email'],
        ['email'],
        [],
      ]);
      assert.equal((await findFanout(alertId))?.unreachable, 1);
    }
  });

  test('the channel order is the deployment’s; a channel left out of it is never used', async () => {
    const alertId = await seedIssuedAlert(database.db, { author, recipients: people });
    await enqueue(database.db, alertId, { ...settings, channelOrder: ['email', 'sms'] });
    assert.deepEqual(await channelsByPerson(alertId), [['email'], ['email'], ['email'], ['email'], []]);
  });

  test('queuing the same alert again adds nothing: one delivery per person, channel and alert', async () => {
    const alertId = await seedIssuedAlert(database.db, { author, recipients: people, level: 4 });
    await enqueue(database.db, alertId, settings);
    const again = await enqueue(database.db, alertId, settings);
    assert.equal(again.deliveries, 0);
    assert.equal((await deliveriesOf(database.db, alertId)).length, 7);
  });

  test('a real alert outranks any drill; within each, the higher level', async () => {
    const drill = await seedIssuedAlert(database.db, {
      author,
      recipients: people,
      status: 'Exercise',
      level: 4,
    });
    const real = await seedIssuedAlert(database.db, {
      author,
      recipients: people,
      status: 'Actual',
      level: 1,
    });
    await enqueue(database.db, drill, settings);
    await enqueue(database.db, real, settings);
    const [d] = await deliveriesOf(database.db, drill);
    const [r] = await deliveriesOf(database.db, real);
    assert.ok(r!.priority > d!.priority);
  });

  test('partner webhooks: one delivery per target whose countries the alert concerns, public alerts only', async () => {
    const webhooks = [
      {
        name: 'ngo-ae',
        url: 'https://ngo.test/hook',
        secret: 's'.repeat(20),
        language: null,
        countries: ['AE'],
      },
      {
        name: 'ngo-hk',
        url: 'https://hk.test/hook',
        secret: 's'.repeat(20),
        language: null,
        countries: ['HK'],
      },
      { name: 'global', url: 'https://all.test/hook', secret: 's'.repeat(20), language: 'en', countries: [] },
    ];
    const alertId = await seedIssuedAlert(database.db, { author, recipients: [], countries: ['AE'] });
    const result = await enqueue(database.db, alertId, { ...settings, webhooks });
    assert.equal(result.deliveries, 2);
    const rows = await deliveriesOf(database.db, alertId);
    assert.deepEqual(rows.map((r) => [r.channel, r.partner, r.person_id]).sort(), [
      ['webhook', 'global', null],
      ['webhook', 'ngo-ae', null],
    ]);
    const restricted = await seedIssuedAlert(database.db, { author, recipients: [], scope: 'Restricted' });
    assert.equal((await enqueue(database.db, restricted, { ...settings, webhooks })).deliveries, 0);
  });
});

describe('resumable fan-out of a large alert', () => {
  test('written batch by batch; after a crash another worker continues from the cursor, nothing twice', async () => {
    const many = await seedPeople(
      database.db,
      Array.from({ length: 230 }, (_, i) => ({ contacts: i % 10 === 0 ? [] : [phone(100 + i)] })),
    );
    const alertId = await seedIssuedAlert(database.db, { author, recipients: many });
    const big = { ...settings, inlineFanoutLimit: 50, fanoutSlices: 1 };
    const queued = await enqueue(database.db, alertId, big);
    assert.deepEqual(queued, { mode: 'job', recipients: 230, deliveries: 0 });
    assert.equal((await deliveriesOf(database.db, alertId)).length, 0);

    const t0 = new Date();
    const p = { batchSize: 40, order: big.channelOrder, leaseMs: 1000 };
    const jobA = await claimFanout(database.db, {
      workerId: 'A',
      now: t0.toISOString(),
      leaseUntil: new Date(t0.getTime() + 1000).toISOString(),
    });
    assert.equal(jobA?.alert_id, alertId);
    let after: string | null = jobA!.after_person_id;
    for (let i = 0; i < 2; i++) {
      const step = await runFanoutBatch(database, { ...jobA!, after }, { ...p, workerId: 'A', now: t0 });
      assert.ok(!step.lost && !step.done);
      after = step.after;
    }
    assert.equal(
      (await deliveriesOf(database.db, alertId)).length,
      72,
      '80 recipients, every tenth unreachable',
    );

    // Worker A dies. Nobody else may take the job while its lease runs.
    assert.equal(
      await claimFanout(database.db, { workerId: 'B', now: t0.toISOString(), leaseUntil: t0.toISOString() }),
      undefined,
    );
    const later = new Date(t0.getTime() + 5000);
    const jobB = await claimFanout(database.db, {
      workerId: 'B',
      now: later.toISOString(),
      leaseUntil: new Date(later.getTime() + 1000).toISOString(),
    });
    assert.equal(jobB?.after_person_id, after, 'B starts from the cursor A committed');
    const lost = await runFanoutBatch(database, { ...jobA!, after }, { ...p, workerId: 'A', now: later });
    assert.deepEqual(lost, { lost: true }, 'A, back from the dead, no longer holds the job');

    let cursor = jobB!.after_person_id;
    for (;;) {
      const step = await runFanoutBatch(
        database,
        { ...jobB!, after: cursor },
        { ...p, workerId: 'B', now: later },
      );
      assert.ok(!step.lost);
      if (step.done) break;
      cursor = step.after;
    }
    const rows = await deliveriesOf(database.db, alertId);
    assert.equal(rows.length, 207);
    assert.equal(new Set(rows.map((r) => r.person_id)).size, 207);
    const fanout = await findFanout(alertId);
    assert.deepEqual(
      [fanout?.state, fanout?.recipients, fanout?.written, fanout?.unreachable],
      ['done', 230, 207, 23],
    );
  });
});

describe('a large fan-out in slices', () => {
  test('slices cover every recipient exactly once, and two workers write them at the same time', async () => {
    const many = await seedPeople(
      database.db,
      Array.from({ length: 301 }, (_, i) => ({ contacts: [phone(500 + i)] })),
    );
    const alertId = await seedIssuedAlert(database.db, { author, recipients: many, level: 3 });
    await enqueue(database.db, alertId, { ...settings, inlineFanoutLimit: 10, fanoutSlices: 3 });
    const slices = await findFanouts(database.db, alertId);
    assert.equal(slices.length, 3);
    assert.deepEqual(
      slices.map((s) => [s.slice, s.state]),
      [
        [0, 'pending'],
        [1, 'pending'],
        [2, 'pending'],
      ],
    );
    assert.equal(slices[0]?.upto_person_id, slices[1]?.after_person_id);
    assert.equal(slices[2]?.upto_person_id, null);
    const now = new Date();
    const lease = new Date(now.getTime() + 60_000).toISOString();
    const a = await claimFanout(database.db, { workerId: 'A', now: now.toISOString(), leaseUntil: lease });
    const b = await claimFanout(database.db, { workerId: 'B', now: now.toISOString(), leaseUntil: lease });
    const c = await claimFanout(database.db, { workerId: 'C', now: now.toISOString(), leaseUntil: lease });
    assert.deepEqual([a?.slice, b?.slice, c?.slice].sort(), [0, 1, 2], 'each worker takes a different slice');
    const held: [NonNullable<typeof a>, string][] = [
      [a!, 'A'],
      [b!, 'B'],
      [c!, 'C'],
    ];
    await Promise.all(
      held.map(async ([job, worker]) => {
        let after = job.after_person_id;
        for (;;) {
          const step = await runFanoutBatch(
            database,
            { ...job, after },
            { workerId: worker, batchSize: 30, order: settings.channelOrder, leaseMs: 60_000 },
          );
          assert.ok(!step.lost);
          if (step.done) break;
          after = step.after;
        }
      }),
    );
    const rows = await deliveriesOf(database.db, alertId);
    assert.equal(rows.length, 301);
    assert.equal(new Set(rows.map((r) => r.person_id)).size, 301);
    assert.deepEqual(await findFanout(alertId), {
      state: 'done',
      recipients: 301,
      written: 301,
      unreachable: 0,
    });
  });
});

describe('a batch that meets a delivery already written', () => {
  test('is written again skipping it: nobody twice, nobody lost', async () => {
    const people = await seedPeople(
      database.db,
      Array.from({ length: 40 }, (_, i) => ({ contacts: [phone(900 + i)] })),
    );
    const alertId = await seedIssuedAlert(database.db, { author, recipients: people });
    await enqueue(database.db, alertId, { ...settings, inlineFanoutLimit: 10, fanoutSlices: 1 });
    // A row the batch does not expect (written by hand, as no path of Haven's would).
    const sorted = [...people].sort();
    const now = new Date().toISOString();
    await database.db
      .insertInto('deliveries')
      .values({
        alert_id: alertId,
        message_id: null,
        person_id: sorted[5]!,
        channel: 'sms',
        state: 'queued',
        priority: 100,
        next_attempt_at: now,
        created_at: now,
        updated_at: now,
      })
      .execute();
    const lease = new Date(Date.now() + 60_000).toISOString();
    const job = await claimFanout(database.db, { workerId: 'A', now, leaseUntil: lease });
    assert.ok(job);
    const step = await runFanoutBatch(
      database,
      { ...job, after: job.after_person_id },
      { workerId: 'A', batchSize: 100, order: settings.channelOrder, leaseMs: 60_000 },
    );
    assert.deepEqual(step.lost ? 'lost' : [step.done, step.written], [true, 39]);
    const rows = await deliveriesOf(database.db, alertId);
    assert.equal(rows.length, 40);
    assert.equal(new Set(rows.map((r) => r.person_id)).size, 40);
  });
});
