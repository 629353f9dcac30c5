import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { openTestDatabase, type TestDatabase } from '../../../test/helpers/database.ts';
import { newId } from '../../lib/ids.ts';
import {
  deliveriesOf,
  enqueue,
  seedAuthor,
  seedIssuedAlert,
  seedPeople,
  testSettings,
} from '../delivery/delivery.test-kit.ts';
import { recordResponse } from '../responses/responses.service.ts';
import { type FollowUpRun, FollowUpScheduler, runFollowUpStep } from './followups.scheduler.ts';
import { followUpSettingsFrom } from './followups.settings.ts';

const MINUTE = 60_000;
const settings = followUpSettingsFrom({ HAVEN_FOLLOW_UP_BATCH: '10' });
const ORDER = ['push', 'sms', 'email'] as const;

let database: TestDatabase;
let author: string;

before(async () => {
  database = await openTestDatabase();
  author = await seedAuthor(database.db);
});
after(async () => {
  await database?.drop();
});

/** A run of the step as worker `workerId`, at `minutes` after the alert's issue. */
const runAt = (issuedAt: string, minutes: number, workerId = 'worker-a'): FollowUpRun => ({
  settings,
  channelOrder: ORDER,
  workerId,
  now: () => new Date(Date.parse(issuedAt) + minutes * MINUTE),
});

async function issuedAt(alertId: string): Promise<string> {
  const row = await database.db
    .selectFrom('alerts')
    .select('issued_at')
    .where('id', '=', alertId)
    .executeTakeFirstOrThrow();
  return row.issued_at!;
}

async function setState(alertId: string, personId: string, channel: string, state: string) {
  await database.db
    .updateTable('deliveries')
    .set({ state })
    .where('alert_id', '=', alertId)
    .where('person_id', '=', personId)
    .where('channel', '=', channel)
    .execute();
}

async function openHelpRequest(personId: string, alertId: string) {
  const now = new Date().toISOString();
  await database.db
    .insertInto('help_requests')
    .values({
      id: newId(),
      person_id: personId,
      post_id: null,
      alert_id: alertId,
      type: 'medical',
      is_sos: 0,
      channel: 'web',
      lat: null,
      lng: null,
      h3_cell: null,
      free_text_enc: null,
      priority: 'high',
      score: 50,
      reasons: '[]',
      sla_due_at: now,
      status: 'new',
      assigned_to: null,
      referred_to: null,
      outcome: null,
      created_at: now,
      updated_at: now,
      closed_at: null,
    })
    .execute();
}

/** A push contact: its value is the browser's subscription, as JSON. */
const pushContact = (endpoint: string) => ({
  kind: 'push' as const,
  value: JSON.stringify({ endpoint, keys: { p256dh: 'test-key', auth: 'test-auth' } }),
});

const followUpRows = (alertId: string) =>
  database.db.selectFrom('follow_ups').selectAll().where('alert_id', '=', alertId).execute();

describe('follow-ups', () => {
  test('the silent get the alert again on a channel not used yet; the rest as the rules say', async () => {
    const phone = (n: number) => ({
      kind: 'phone' as const,
      value: `+97150000${String(n).padStart(4, '0')}`,
    });
    const push = (n: number) => pushContact(`https://push.test/${n}`);
    const [a, b, c, d, e, f, g] = await seedPeople(database.db, [
      { contacts: [push(1), phone(1), { kind: 'email', value: 'a@example.org' }] },
      { contacts: [push(2), phone(2)] },
      { contacts: [phone(3)] },
      { contacts: [push(4), phone(4)] },
      { contacts: [] },
      { contacts: [push(6), phone(6)] },
      { contacts: [push(7), phone(7)] },
    ]);
    const people = [a!, b!, c!, d!, e!, f!, g!];
    const alertId = await seedIssuedAlert(database.db, { author, recipients: people });
    await enqueue(database.db, alertId, testSettings());
    await setState(alertId, a!, 'push', 'sent');
    await setState(alertId, b!, 'push', 'dead');
    await setState(alertId, c!, 'sms', 'delivered');
    // d's push is still queued.
    await setState(alertId, f!, 'push', 'sent');
    await setState(alertId, g!, 'push', 'sent');
    await recordResponse(database.db, { personId: f!, alertId, answer: 'safe', channel: 'link' });
    await openHelpRequest(g!, alertId);
    const issued = await issuedAt(alertId);

    const early = await runFollowUpStep(database, runAt(issued, 29));
    assert.equal(early.passesCreated, 0, 'nothing before the window');

    const first = await runFollowUpStep(database, runAt(issued, 31));
    assert.equal(first.passesCreated, 1);
    assert.equal(first.followUpsQueued, 2);
    assert.equal(first.noOtherChannel, 1);
    assert.equal(first.unreachable, 1);
    const queued = (await deliveriesOf(database.db, alertId)).filter((r) => r.state === 'queued');
    assert.deepEqual(
      queued.map((r) => [r.person_id, r.channel]).sort(),
      [
        [a!, 'sms'],
        [b!, 'sms'],
        [d!, 'push'],
      ].sort(),
    );
    const decided = new Map((await followUpRows(alertId)).map((r) => [r.person_id, r.outcome]));
    assert.deepEqual(
      Object.fromEntries(people.map((p) => [p, decided.get(p) ?? null])),
      Object.fromEntries([
        [a!, 'queued'],
        [b!, 'queued'],
        [c!, 'no_other_channel'],
        [d!, null],
        [e!, 'unreachable'],
        [f!, null],
        [g!, null],
      ]),
    );

    // The same minute again: nothing more (the round that waits for d comes back a minute later).
    const again = await runFollowUpStep(database, runAt(issued, 31));
    assert.equal(again.followUpsQueued, 0);

    // d's push went out; the next round gives d the follow-up by SMS, and nobody a second one.
    await setState(alertId, d!, 'push', 'sent');
    const later = await runFollowUpStep(database, runAt(issued, 33));
    assert.equal(later.followUpsQueued, 1);
    const rows = await deliveriesOf(database.db, alertId);
    assert.equal(rows.filter((r) => r.person_id === d && r.channel === 'sms').length, 1);
    assert.equal(rows.length, 6 + 3, 'six first deliveries, three follow-ups');
    const pass = await database.db
      .selectFrom('follow_up_passes')
      .selectAll()
      .where('alert_id', '=', alertId)
      .executeTakeFirstOrThrow();
    assert.equal(pass.state, 'done');
    assert.equal(pass.claimed_by, null);

    // At the second window the silent go onto the call list, once; f answered and g asked for help.
    const calls = await runFollowUpStep(database, runAt(issued, 121));
    assert.equal(calls.callListAdded, 5);
    const twice = await runFollowUpStep(database, runAt(issued, 125));
    assert.equal(twice.callListAdded, 0);
    const listed = await database.db
      .selectFrom('call_list')
      .select(['person_id', 'status'])
      .where('alert_id', '=', alertId)
      .execute();
    assert.deepEqual(listed.map((r) => r.person_id).sort(), [a!, b!, c!, d!, e!].sort());

    // a answers by SMS meanwhile: the next step closes a's entry.
    await recordResponse(database.db, { personId: a!, alertId, answer: 'safe', channel: 'sms' });
    const closing = await runFollowUpStep(database, runAt(issued, 126));
    assert.equal(closing.callListClosed, 1);
    const entry = await database.db
      .selectFrom('call_list')
      .selectAll()
      .where('alert_id', '=', alertId)
      .where('person_id', '=', a!)
      .executeTakeFirstOrThrow();
    assert.equal(entry.status, 'closed');
    assert.equal(entry.outcome, 'answered');
  });

  test('two workers at once follow up a drill exactly once per person', async () => {
    const people = await seedPeople(
      database.db,
      Array.from({ length: 45 }, (_, i) => ({
        contacts: [
          pushContact(`https://push.test/drill/${i}`),
          { kind: 'phone' as const, value: `+97151000${String(i).padStart(4, '0')}` },
        ],
      })),
    );
    const alertId = await seedIssuedAlert(database.db, { author, recipients: people, status: 'Exercise' });
    await enqueue(database.db, alertId, testSettings());
    await database.db
      .updateTable('deliveries')
      .set({ state: 'sent' })
      .where('alert_id', '=', alertId)
      .execute();
    const issued = await issuedAt(alertId);
    const reports = await Promise.all([
      runFollowUpStep(database, runAt(issued, 40, 'worker-a')),
      runFollowUpStep(database, runAt(issued, 40, 'worker-b')),
      runFollowUpStep(database, runAt(issued, 40, 'worker-c')),
    ]);
    assert.equal(
      reports.reduce((n, r) => n + r.followUpsQueued, 0),
      45,
    );
    const sms = (await deliveriesOf(database.db, alertId)).filter((r) => r.channel === 'sms');
    assert.equal(sms.length, 45);
    assert.equal(new Set(sms.map((r) => r.person_id)).size, 45);
    // Drills keep their lower claim priority, so they never hold back a real alert.
    assert.ok(sms.every((r) => r.priority < 100));
  });

  test('an alert that asked for no answer, or was cancelled, is not followed up', async () => {
    const [p] = await seedPeople(database.db, [{ contacts: [pushContact('https://push.test/x')] }]);
    const quiet = await seedIssuedAlert(database.db, { author, recipients: [p!] });
    await database.db.updateTable('alerts').set({ ask_response: 0 }).where('id', '=', quiet).execute();
    const cancelled = await seedIssuedAlert(database.db, { author, recipients: [p!] });
    await database.db.updateTable('alerts').set({ state: 'cancelled' }).where('id', '=', cancelled).execute();
    await runFollowUpStep(database, runAt(await issuedAt(quiet), 200));
    const passes = await database.db
      .selectFrom('follow_up_passes')
      .select('alert_id')
      .where('alert_id', 'in', [quiet, cancelled])
      .execute();
    assert.deepEqual(passes, []);
  });

  test('the scheduler runs in the background and stops promptly when closed', async () => {
    const scheduler = new FollowUpScheduler({
      database,
      settings: followUpSettingsFrom({ HAVEN_FOLLOW_UP_POLL_MS: '100' }),
      channelOrder: ORDER,
      workerId: 'background',
    });
    scheduler.start();
    await new Promise((resolve) => setTimeout(resolve, 250));
    const started = Date.now();
    await scheduler.close();
    assert.ok(Date.now() - started < 2000);
  });
});
