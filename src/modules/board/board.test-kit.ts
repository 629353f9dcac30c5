/**
 * Shared by the board and call-list tests and the end-to-end test (not used by the application):
 * synthetic people registered through the API, an alert issued through the API, and server-sent events
 * read from a real socket.
 */
import assert from 'node:assert/strict';
import { request } from 'node:http';
import type { TestApp } from '../../../test/helpers/app.ts';
import { newId } from '../../lib/ids.ts';
import { alertBody } from '../alerts/alerts.test-kit.ts';

/** A synthetic person: where they are, sex, birth year, vulnerabilities and a consented phone. */
export type BoardPersonSpec = {
  country: 'AE' | 'HK';
  sex: 'female' | 'male';
  birthYear: number;
  vulnerabilities?: string[];
  phone: string;
};

const PLACES = { AE: { lat: 25.2, lon: 55.27 }, HK: { lat: 22.3, lon: 114.17 } };

/** Registers people through the API (as hq_admin); answers their ids in order. */
export async function registerBoardPeople(t: TestApp, people: readonly BoardPersonSpec[]): Promise<string[]> {
  const ids: string[] = [];
  for (const [i, p] of people.entries()) {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/persons',
      payload: {
        givenNames: `Board Person ${i}`,
        familyName: 'Synthetic',
        sex: p.sex,
        birthYear: p.birthYear,
        languages: ['en'],
        location: { ...PLACES[p.country], country: p.country },
        phones: [{ value: p.phone, consent: true }],
        vulnerabilities: p.vulnerabilities ?? [],
      },
    });
    assert.equal(res.statusCode, 201, res.body);
    ids.push(res.json().id);
  }
  return ids;
}

/** Drafts, submits, approves (as a crisis manager) and issues an alert through the API; answers its id. */
export async function issueAlert(
  t: TestApp,
  target: object,
  over: Record<string, unknown> = {},
): Promise<string> {
  const drafted = await t.app.inject({
    method: 'POST',
    url: '/api/alerts',
    payload: alertBody(target, over),
  });
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

/** Marks the alert's deliveries to these people as sent. */
export async function markSent(t: TestApp, alertId: string, personIds: string[]): Promise<void> {
  await t.database.db
    .updateTable('deliveries')
    .set({ state: 'sent', sent_at: new Date().toISOString() })
    .where('alert_id', '=', alertId)
    .where('person_id', 'in', personIds)
    .execute();
}

/** Opens a help request for a person, as the cases module stores one. */
export async function openHelpRequest(t: TestApp, personId: string, alertId: string | null): Promise<void> {
  const now = new Date().toISOString();
  await t.database.db
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

/** Server-sent events read from a real connection: `next(n)` waits until n events have come. */
export async function openEventStream(port: number, path: string, headers: Record<string, string>) {
  const events: { event: string; data: unknown }[] = [];
  let buffer = '';
  let wake: (() => void) | undefined;
  const req = request({
    host: '127.0.0.1',
    port,
    path,
    headers: { ...headers, accept: 'text/event-stream' },
  });
  const response = await new Promise<import('node:http').IncomingMessage>((resolve, reject) => {
    req.on('response', resolve);
    req.on('error', reject);
    req.end();
  });
  response.setEncoding('utf8');
  response.on('data', (chunk: string) => {
    buffer += chunk;
    for (let end = buffer.indexOf('\n\n'); end >= 0; end = buffer.indexOf('\n\n')) {
      const block = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      const event = /^event: (.+)$/m.exec(block)?.[1];
      const data = /^data: (.+)$/m.exec(block)?.[1];
      if (event && data) events.push({ event, data: JSON.parse(data) });
      wake?.();
    }
  });
  const next = (count: number, timeoutMs = 8000) =>
    new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`waited for event ${count}`)), timeoutMs);
      const check = () => {
        if (events.length >= count) {
          clearTimeout(timer);
          resolve();
        }
      };
      wake = check;
      check();
    });
  const close = async () => {
    const closed = new Promise<void>((resolve) => response.on('close', () => resolve()));
    req.destroy();
    await closed;
  };
  return { response, events, next, close };
}
