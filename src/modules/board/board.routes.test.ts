import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { buildTestApp, type TestApp } from '../../../test/helpers/app.ts';
import { ageBand } from '../../domain/registry/person.ts';
import { CAP_FIXTURES } from '../alerts/alerts.test-kit.ts';
import { recordResponse } from '../responses/responses.service.ts';
import {
  type BoardPersonSpec,
  issueAlert,
  markSent,
  openEventStream,
  openHelpRequest,
  registerBoardPeople,
} from './board.test-kit.ts';

// Ten synthetic people: eight in the United Arab Emirates (the officer's jurisdiction), two in Hong Kong.
const PEOPLE: BoardPersonSpec[] = [
  { country: 'AE', sex: 'female', birthYear: 1990, phone: '+971501234500' },
  { country: 'AE', sex: 'female', birthYear: 1992, vulnerabilities: ['pregnant'], phone: '+971501234501' },
  { country: 'AE', sex: 'male', birthYear: 1950, phone: '+971501234502' },
  { country: 'AE', sex: 'male', birthYear: 1985, vulnerabilities: ['medical'], phone: '+971501234503' },
  { country: 'AE', sex: 'female', birthYear: 2012, vulnerabilities: ['child'], phone: '+971501234504' },
  { country: 'AE', sex: 'female', birthYear: 1970, phone: '+971501234505' },
  { country: 'AE', sex: 'male', birthYear: 1999, phone: '+971501234506' },
  { country: 'AE', sex: 'female', birthYear: 1960, phone: '+971501234507' },
  { country: 'HK', sex: 'female', birthYear: 1980, phone: '+85291234500' },
  { country: 'HK', sex: 'male', birthYear: 1975, phone: '+85291234511' },
];

let t: TestApp;
let ids: string[];
let alertId: string;
const id = (i: number) => ids[i]!;

before(async () => {
  t = await buildTestApp();
  ids = await registerBoardPeople(t, PEOPLE);
  alertId = await issueAlert(t, { countries: ['AE', 'HK'] });
  // Everyone's SMS went out but p5's and h1's.
  await markSent(t, alertId, [0, 1, 2, 3, 4, 6, 7, 8].map(id));
  const answer = (i: number, answer: 'safe' | 'need_help', at: string) =>
    recordResponse(t.database.db, {
      personId: id(i),
      alertId,
      answer,
      channel: 'sms',
      receivedAt: new Date(Date.now() + Date.parse(`1970-01-01T00:${at}Z`)),
    });
  await answer(0, 'safe', '00:10');
  await answer(1, 'need_help', '00:20');
  await answer(2, 'need_help', '00:30');
  await answer(2, 'safe', '01:40'); // the latest answer counts
  await answer(7, 'safe', '00:50');
  await answer(8, 'safe', '00:55');
  await openHelpRequest(t, id(3), alertId);
});
after(async () => {
  await t?.close();
});

const board = (path: string, headers?: Record<string, string>) =>
  t.app.inject({ url: path, ...(headers ? { headers } : {}) });

describe('the accountability board of an alert', () => {
  test('counts targeted, reached, safe, need help and no answer, and breaks them down', async () => {
    const res = await board(`/api/alerts/${alertId}/board`);
    assert.equal(res.statusCode, 200, res.body);
    const view = res.json();
    assert.equal(view.audience, 'people');
    assert.equal(view.subject.kind, 'alert');
    assert.equal(view.subject.drill, false);
    assert.deepEqual(view.totals, { targeted: 10, reached: 8, safe: 4, needHelp: 2, noAnswer: 4 });
    assert.deepEqual(view.breakdowns.country, [
      { key: 'AE', targeted: 8, reached: 7, safe: 3, needHelp: 2, noAnswer: 3 },
      { key: 'HK', targeted: 2, reached: 1, safe: 1, needHelp: 0, noAnswer: 1 },
    ]);
    assert.deepEqual(
      view.breakdowns.sex.map((g: { key: string; targeted: number }) => [g.key, g.targeted]),
      [
        ['female', 6],
        ['male', 4],
      ],
    );
    // The vulnerabilities are encrypted at rest: decrypted to be counted, never shown.
    assert.deepEqual(
      view.breakdowns.vulnerability.map((g: { key: string; targeted: number; needHelp: number }) => [
        g.key,
        g.targeted,
        g.needHelp,
      ]),
      [
        ['none', 7, 0],
        ['child', 1, 0],
        ['medical', 1, 1],
        ['pregnant', 1, 1],
      ],
    );
    const bands = new Map<string, number>();
    for (const p of PEOPLE) {
      const band = ageBand(p.birthYear, new Date());
      bands.set(band, (bands.get(band) ?? 0) + 1);
    }
    for (const group of view.breakdowns.ageBand)
      assert.equal(group.targeted, bands.get(group.key), group.key);
    assert.equal(
      view.breakdowns.area.reduce((n: number, g: { targeted: number }) => n + g.targeted, 0),
      10,
    );
    assert.deepEqual(view.followUps, {
      queued: 0,
      noOtherChannel: 0,
      unreachable: 0,
      callListOpen: 0,
      callListClosed: 0,
    });
    assert.doesNotMatch(res.body, /Board Person|\+971/);
  });

  test("a consular officer counts the post's jurisdiction only", async () => {
    const res = await board(`/api/alerts/${alertId}/board`, t.as('consular_officer'));
    assert.equal(res.statusCode, 200, res.body);
    const view = res.json();
    assert.deepEqual(view.countries, ['AE']);
    assert.deepEqual(view.totals, { targeted: 8, reached: 7, safe: 3, needHelp: 2, noAnswer: 3 });
    assert.deepEqual(
      view.breakdowns.country.map((g: { key: string }) => g.key),
      ['AE'],
    );
  });

  test('a host authority sees the figures with small cells hidden, and no vulnerabilities', async () => {
    const res = await board(`/api/alerts/${alertId}/board`, t.as('host_authority'));
    assert.equal(res.statusCode, 200, res.body);
    const view = res.json();
    assert.equal(view.audience, 'aggregates');
    assert.equal(view.threshold, 5);
    assert.deepEqual(view.totals, {
      targeted: 10,
      reached: null,
      safe: null,
      needHelp: null,
      noAnswer: null,
    });
    const hk = view.breakdowns.country.find((g: { key: string }) => g.key === 'HK');
    assert.equal(hk.targeted, null);
    const ae = view.breakdowns.country.find((g: { key: string }) => g.key === 'AE');
    assert.equal(ae.targeted, null, 'or 10 - 8 would give the two in Hong Kong away');
    assert.deepEqual(view.breakdowns.vulnerability, []);
    assert.equal(view.followUps, null);
  });

  test('answers over time, per minute, safe apart from need help', async () => {
    const res = await board(`/api/alerts/${alertId}/board/timeline`);
    assert.equal(res.statusCode, 200, res.body);
    const timeline = res.json();
    assert.equal(timeline.bucketMinutes, 1);
    const sum = (k: 'safe' | 'needHelp') =>
      timeline.points.reduce((n: number, p: Record<string, number>) => n + (p[k] ?? 0), 0);
    // Every answer counts, not only each person's latest: p2 said "need help", then "safe".
    assert.equal(sum('safe'), 4);
    assert.equal(sum('needHelp'), 2);
    const officer = (await board(`/api/alerts/${alertId}/board/timeline`, t.as('consular_officer'))).json();
    assert.equal(
      officer.points.reduce((n: number, p: { safe: number }) => n + p.safe, 0),
      3,
    );
  });

  test('the unaccounted, within the viewer scope, paged, and every person shown audited', async () => {
    const first = await board(`/api/alerts/${alertId}/board/unaccounted?limit=2`, t.as('consular_officer'));
    assert.equal(first.statusCode, 200, first.body);
    const page1 = first.json();
    assert.equal(page1.items.length, 2);
    assert.ok(page1.nextCursor);
    const second = await board(
      `/api/alerts/${alertId}/board/unaccounted?limit=2&cursor=${page1.nextCursor}`,
      t.as('consular_officer'),
    );
    const page2 = second.json();
    assert.equal(page2.nextCursor, null);
    const listed = [...page1.items, ...page2.items];
    assert.deepEqual(
      listed.map((p: { personId: string }) => p.personId),
      [4, 5, 6].map(id),
    );
    const p5 = listed.find((p: { personId: string }) => p.personId === id(5));
    assert.equal(p5.reached, false);
    assert.deepEqual(p5.deliveries, [{ channel: 'sms', state: 'queued' }]);
    assert.equal(p5.name, 'Board Person 5 Synthetic');
    const audit = await t.database.db
      .selectFrom('audit_log')
      .select(['person_ids', 'actor_role'])
      .where('action', '=', 'board.unaccounted')
      .execute();
    const audited = audit.flatMap((a) => JSON.parse(a.person_ids) as string[]);
    for (const p of listed) assert.ok(audited.includes(p.personId));
    const all = (await board(`/api/alerts/${alertId}/board/unaccounted`)).json();
    assert.deepEqual(
      all.items.map((p: { personId: string }) => p.personId),
      [4, 5, 6, 9].map(id),
    );
    const refused = await board(`/api/alerts/${alertId}/board/unaccounted`, t.as('host_authority'));
    assert.equal(refused.statusCode, 403);
  });

  test('a draft has no board yet; an unknown or unseen alert answers as absent', async () => {
    const drafted = await t.app.inject({
      method: 'POST',
      url: '/api/alerts',
      payload: (await import('../alerts/alerts.test-kit.ts')).alertBody({ countries: ['AE'] }),
    });
    const draft = await board(`/api/alerts/${drafted.json().id}/board`);
    assert.equal(draft.statusCode, 409);
    assert.equal(draft.json().code, 'board.not_issued');
    const missing = await board('/api/alerts/01900000-0000-7000-8000-000000000000/board');
    assert.equal(missing.json().code, 'alert.not_found');
    const hkOnly = await issueAlert(t, { countries: ['HK'] });
    const unseen = await board(`/api/alerts/${hkOnly}/board`, t.as('consular_officer'));
    assert.equal(unseen.statusCode, 404);
    const restricted = await issueAlert(
      t,
      { countries: ['AE'] },
      { scope: 'Restricted', restriction: 'staff' },
    );
    const hidden = await board(`/api/alerts/${restricted}/board`, t.as('analyst'));
    assert.equal(hidden.statusCode, 404, 'aggregates-only roles see public alerts only');
    const subjects = (await board('/api/board/subjects', t.as('analyst'))).json();
    assert.ok(subjects.alerts.some((a: { id: string }) => a.id === alertId));
    assert.ok(!subjects.alerts.some((a: { id: string }) => a.id === restricted));
  });
});

describe('the board of a crisis', () => {
  test('counts each person once across the alerts of an incident', async () => {
    const xml = readFileSync(`${CAP_FIXTURES}australia.cap`, 'utf8');
    const imported = await t.app.inject({
      method: 'POST',
      url: '/api/cap/import',
      headers: { 'content-type': 'application/cap+xml' },
      payload: xml,
    });
    assert.equal(imported.statusCode, 201, imported.body);
    const incidentId = imported.json().id as string;
    const followUp = await issueAlert(t, { countries: ['HK'] });
    await t.database.db
      .updateTable('alerts')
      .set({ incident_id: incidentId })
      .where('id', 'in', [alertId, followUp])
      .execute();
    await recordResponse(t.database.db, {
      personId: id(9),
      alertId: followUp,
      answer: 'safe',
      channel: 'sms',
    });
    const res = await board(`/api/incidents/${incidentId}/board`);
    assert.equal(res.statusCode, 200, res.body);
    const view = res.json();
    assert.equal(view.subject.kind, 'incident');
    assert.deepEqual(view.subject.alertIds, [alertId, followUp]);
    assert.deepEqual(view.totals, { targeted: 10, reached: 8, safe: 5, needHelp: 2, noAnswer: 3 });
    const missing = await board('/api/incidents/01900000-0000-7000-8000-000000000000/board');
    assert.equal(missing.json().code, 'cap.incident_not_found');
  });
});

describe('the live board', () => {
  test('sends the figures at once and again when an answer comes in', async () => {
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    const { port } = t.app.server.address() as AddressInfo;
    const stream = await openEventStream(port, `/api/alerts/${alertId}/board/stream`, t.as('crisis_manager'));
    assert.match(String(stream.response.headers['content-type']), /^text\/event-stream/);
    await stream.next(1);
    const first = stream.events[0]!;
    assert.equal(first.event, 'board');
    assert.equal((first.data as { totals: { safe: number } }).totals.safe, 4);
    await recordResponse(t.database.db, { personId: id(6), alertId, answer: 'safe', channel: 'link' });
    await stream.next(2);
    const second = stream.events[1]!.data as { totals: { safe: number; noAnswer: number } };
    assert.deepEqual([second.totals.safe, second.totals.noAnswer], [5, 3]);
    await stream.close();
  });

  test('refuses a board the viewer may not see before streaming anything', async () => {
    const res = await board('/api/alerts/01900000-0000-7000-8000-000000000000/board/stream');
    assert.equal(res.statusCode, 404);
  });
});
