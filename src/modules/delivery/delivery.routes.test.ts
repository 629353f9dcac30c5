import assert from 'node:assert/strict';
import { request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { buildTestApp, type TestApp } from '../../../test/helpers/app.ts';
import { alertBody } from '../alerts/alerts.test-kit.ts';
import { queueDirectMessage } from './direct-messages.ts';

let t: TestApp;
let aePerson: string;
let hkPerson: string;
let alertId: string;

async function person(country: string, lon: number, lat: number, phone: string): Promise<string> {
  const res = await t.app.inject({
    method: 'POST',
    url: '/api/persons',
    payload: {
      givenNames: 'Synthetic Recipient',
      sex: 'female',
      languages: ['en'],
      location: { lat, lon, country },
      phones: [{ value: phone, consent: true }],
    },
  });
  assert.equal(res.statusCode, 201, res.body);
  return res.json().id;
}

async function issue(target: object): Promise<string> {
  const drafted = await t.app.inject({ method: 'POST', url: '/api/alerts', payload: alertBody(target) });
  assert.equal(drafted.statusCode, 201, drafted.body);
  const id = drafted.json().id as string;
  const step = (name: string, headers?: Record<string, string>) =>
    t.app.inject({
      method: 'POST',
      url: `/api/alerts/${id}/${name}`,
      payload: {},
      ...(headers ? { headers } : {}),
    });
  assert.equal((await step('submit')).statusCode, 200);
  assert.equal((await step('approve', t.as('crisis_manager'))).statusCode, 200);
  const issued = await step('issue');
  assert.equal(issued.statusCode, 200, issued.body);
  return id;
}

before(async () => {
  t = await buildTestApp();
  aePerson = await person('AE', 55.27, 25.2, '+971501234567');
  hkPerson = await person('HK', 114.17, 22.3, '+85291234567');
  alertId = await issue({ countries: ['AE'] });
});
after(async () => {
  await t?.close();
});

describe('issuing an alert queues its deliveries', () => {
  test('in the issue transaction: one delivery per reachable recipient, counted by channel and state', async () => {
    const res = await t.app.inject({ url: `/api/alerts/${alertId}/delivery` });
    assert.equal(res.statusCode, 200, res.body);
    const status = res.json();
    assert.deepEqual(status.fanout, { state: 'done', recipients: 1, written: 1, unreachable: 0 });
    assert.deepEqual(status.channels, [
      { channel: 'sms', queued: 1, sending: 0, sent: 0, delivered: 0, failed: 0, dead: 0, total: 1 },
    ]);
    assert.equal(status.totals.total, 1);
    assert.equal(status.settled, false);
    assert.deepEqual(status.problems, []);
  });

  test('a post sees the delivery of its jurisdiction’s alerts only; other roles not at all', async () => {
    const officer = await t.app.inject({
      url: `/api/alerts/${alertId}/delivery`,
      headers: t.as('consular_officer'),
    });
    assert.equal(officer.statusCode, 200);
    const hkAlert = await issue({ countries: ['HK'] });
    const outside = await t.app.inject({
      url: `/api/alerts/${hkAlert}/delivery`,
      headers: t.as('consular_officer'),
    });
    assert.equal(outside.statusCode, 404);
    const analyst = await t.app.inject({ url: `/api/alerts/${alertId}/delivery`, headers: t.as('analyst') });
    assert.equal(analyst.statusCode, 403);
  });
});

describe('live status over server-sent events', () => {
  test('sends the counts at once and again when they change; ends when the client leaves', async () => {
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    const { port } = t.app.server.address() as AddressInfo;
    const events: { event: string; data: unknown }[] = [];
    let buffer = '';
    let resolveNext: (() => void) | undefined;
    const req = request({
      host: '127.0.0.1',
      port,
      path: `/api/alerts/${alertId}/delivery/stream`,
      headers: { ...t.as('crisis_manager'), accept: 'text/event-stream' },
    });
    const response = await new Promise<import('node:http').IncomingMessage>((resolve, reject) => {
      req.on('response', resolve);
      req.on('error', reject);
      req.end();
    });
    assert.equal(response.statusCode, 200);
    assert.match(String(response.headers['content-type']), /^text\/event-stream/);
    response.setEncoding('utf8');
    response.on('data', (chunk: string) => {
      buffer += chunk;
      for (;;) {
        const end = buffer.indexOf('\n\n');
        if (end < 0) break;
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        const event = /^event: (.+)$/m.exec(block)?.[1];
        const data = /^data: (.+)$/m.exec(block)?.[1];
        if (event && data) events.push({ event, data: JSON.parse(data) });
        resolveNext?.();
      }
    });
    const next = (count: number) =>
      new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error('no event')), 5000);
        const check = () => {
          if (events.length >= count) {
            clearTimeout(timer);
            resolve();
          }
        };
        resolveNext = check;
        check();
      });
    await next(1);
    assert.equal(events[0]?.event, 'status');
    assert.equal((events[0]!.data as { totals: { queued: number } }).totals.queued, 1);
    await t.database.db
      .updateTable('deliveries')
      .set({ state: 'sent' })
      .where('alert_id', '=', alertId)
      .execute();
    await next(2);
    const second = events[1]!.data as { totals: { queued: number; sent: number }; settled: boolean };
    assert.deepEqual([second.totals.queued, second.totals.sent, second.settled], [0, 1, true]);
    const closed = new Promise<void>((resolve) => response.on('close', () => resolve()));
    req.destroy();
    await closed;
    await t.database.db
      .updateTable('deliveries')
      .set({ state: 'queued' })
      .where('alert_id', '=', alertId)
      .execute();
  });

  test('refuses an alert the viewer may not see before streaming anything', async () => {
    const res = await t.app.inject({
      url: `/api/alerts/01900000-0000-7000-8000-000000000000/delivery/stream`,
    });
    assert.equal(res.statusCode, 404);
    assert.equal(res.json().code, 'alert.not_found');
  });
});

describe("a person's delivery history", () => {
  test('lists their deliveries without any address, and the read is audited', async () => {
    const res = await t.app.inject({ url: `/api/persons/${aePerson}/deliveries` });
    assert.equal(res.statusCode, 200, res.body);
    const { items } = res.json();
    assert.equal(items.length, 1);
    assert.equal(items[0].alertId, alertId);
    assert.equal(items[0].channel, 'sms');
    assert.equal(items[0].drill, false);
    assert.doesNotMatch(res.body, /\+971/);
    // A direct message shows with its purpose, never its text.
    const queued = await queueDirectMessage(t.database.db, {
      personId: aePerson,
      purpose: 'sign_in_code',
      subject: 'Your code',
      text: 'Your code is 314159.',
    });
    assert.ok(queued.queued);
    const after = (await t.app.inject({ url: `/api/persons/${aePerson}/deliveries` })).json();
    assert.deepEqual(
      after.items.map((i: Record<string, unknown>) => [i.kind, i.alertId, i.purpose, i.channel, i.state]),
      [
        ['direct_message', null, 'sign_in_code', 'sms', 'queued'],
        ['alert', alertId, null, 'sms', 'queued'],
      ],
    );
    assert.doesNotMatch(JSON.stringify(after), /314159/);
    const audit = await t.database.db
      .selectFrom('audit_log')
      .select(['outcome', 'person_ids'])
      .where('action', '=', 'delivery.read')
      .execute();
    assert.ok(audit.some((a) => a.outcome === 'allowed' && JSON.parse(a.person_ids).includes(aePerson)));
  });

  test('a post reads the history of people in its jurisdiction only; a refusal is audited and looks like absence', async () => {
    const inside = await t.app.inject({
      url: `/api/persons/${aePerson}/deliveries`,
      headers: t.as('consular_officer'),
    });
    assert.equal(inside.statusCode, 200);
    const outside = await t.app.inject({
      url: `/api/persons/${hkPerson}/deliveries`,
      headers: t.as('consular_officer'),
    });
    assert.equal(outside.statusCode, 404);
    assert.equal(outside.json().code, 'person.not_found');
    const denied = await t.database.db
      .selectFrom('audit_log')
      .select(['person_ids', 'details'])
      .where('action', '=', 'delivery.read')
      .where('outcome', '=', 'denied')
      .execute();
    assert.ok(denied.some((a) => JSON.parse(a.person_ids).includes(hkPerson)));
    const partner = await t.app.inject({
      url: `/api/persons/${aePerson}/deliveries`,
      headers: t.as('partner_caseworker'),
    });
    assert.equal(partner.statusCode, 403);
  });
});
