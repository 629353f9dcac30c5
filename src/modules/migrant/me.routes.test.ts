import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { LightMyRequestResponse } from 'fastify';
import { buildTestApp, type TestApp } from '../../../test/helpers/app.ts';
import { ROLES } from '../../domain/access/policy.ts';
import { seedAuthor, seedIssuedAlert } from '../delivery/delivery.test-kit.ts';
import { MAX_CODE_ATTEMPTS, requestSignInCode } from './sign-in.service.ts';

// The migrant app's API through the real app on a test database (SQLite or PostgreSQL): sign-in by
// one-time code (read from the outbox, where the delivery worker would pick it up), the person's own
// alerts, answers, SOS and contacts, and every refusal with its code.

let t: TestApp;
let personId = '';
let otherPersonId = '';
let alertId = '';
let foreignAlertId = '';
const PHONE = '+971501234567';
const EMAIL = 'maria.santos@mail.test';
const OTHER_PHONE = '+971509999999';

type Session = { cookie: string; csrf: string };

async function createPerson(body: Record<string, unknown>): Promise<string> {
  const res = await t.app.inject({ method: 'POST', url: '/api/persons', payload: body });
  assert.equal(res.statusCode, 201, res.body);
  return res.json().id;
}

/** The 6-digit code in the newest sign-in message queued for a person. */
async function codeSentTo(id: string): Promise<string> {
  const row = await t.database.db
    .selectFrom('direct_messages')
    .select(['body_enc', 'purpose'])
    .where('person_id', '=', id)
    .where('purpose', '=', 'sign_in_code')
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .executeTakeFirstOrThrow();
  const code = /\b(\d{6})\b/.exec(row.body_enc)?.[1];
  assert.ok(code, 'the message carries a 6-digit code');
  return code;
}

const messagesTo = async (id: string) =>
  (
    await t.database.db
      .selectFrom('direct_messages')
      .select('id')
      .where('person_id', '=', id)
      .where('purpose', '=', 'sign_in_code')
      .execute()
  ).length;

// Each sign-in comes from its own client address, so the per-address limit only bites where tested.
let addressCounter = 0;
const nextAddress = () => `10.9.${Math.floor(addressCounter / 250)}.${(addressCounter++ % 250) + 1}`;

const signIn = (contact: string, remoteAddress = nextAddress()) =>
  t.anonymous({ method: 'POST', url: '/api/me/sign-in', payload: { contact }, remoteAddress });
const verify = (contact: string, code: string) =>
  t.anonymous({
    method: 'POST',
    url: '/api/me/verify',
    payload: { contact, code },
    remoteAddress: nextAddress(),
  });

async function signedIn(contact: string, id: string): Promise<Session> {
  assert.equal((await signIn(contact)).statusCode, 202);
  const res = await verify(contact, await codeSentTo(id));
  assert.equal(res.statusCode, 200, res.body);
  const setCookie = String(res.headers['set-cookie']);
  const cookie = setCookie.split(';')[0]!;
  return { cookie, csrf: res.json().csrfToken };
}

const as = (s: Session, opts: { method?: string; url: string; payload?: unknown }) =>
  t.anonymous({
    method: (opts.method ?? 'GET') as 'GET',
    url: opts.url,
    headers: {
      cookie: s.cookie,
      ...(opts.method && opts.method !== 'GET' ? { 'x-csrf-token': s.csrf } : {}),
    },
    ...(opts.payload === undefined ? {} : { payload: opts.payload as Record<string, unknown> }),
  });

const code = (res: LightMyRequestResponse) => res.json().code as string;

let phoneCounter = 0;
/** A new person with a phone of their own, signed in: for tests that must not share a contact's limits. */
async function newSignedInPerson(): Promise<{ id: string; session: Session }> {
  const phone = `+97150600${String(phoneCounter++).padStart(4, '0')}`;
  const id = await createPerson({
    givenNames: 'Ana',
    sex: 'female',
    phones: [{ value: phone, consent: true }],
    location: { country: 'AE' },
  });
  return { id, session: await signedIn(phone, id) };
}

before(async () => {
  t = await buildTestApp();
  personId = await createPerson({
    givenNames: 'Maria',
    familyName: 'Santos',
    sex: 'female',
    nationality: 'PH',
    languages: ['fil', 'en'],
    phones: [{ value: PHONE, consent: true }],
    emails: [{ value: EMAIL, consent: true }],
    location: { country: 'AE' },
  });
  otherPersonId = await createPerson({
    givenNames: 'Juan',
    familyName: 'Cruz',
    sex: 'male',
    nationality: 'PH',
    languages: ['en'],
    phones: [{ value: OTHER_PHONE, consent: true }],
    location: { country: 'HK' },
  });
  const author = await seedAuthor(t.database.db);
  alertId = await seedIssuedAlert(t.database.db, {
    author,
    recipients: [personId, otherPersonId],
    infos: [
      { language: 'en', headline: 'Armed clashes in the city', smsText: 'Stay indoors.' },
      { language: 'fil', headline: 'Sagupaan sa lungsod', smsText: 'Manatili sa loob.' },
      { language: 'ar', headline: 'اشتباكات مسلحة في المدينة', smsText: 'ابقوا في منازلكم.' },
    ],
  });
  foreignAlertId = await seedIssuedAlert(t.database.db, { author, recipients: [otherPersonId] });
});
after(async () => {
  await t?.close();
});

describe('sign-in by one-time code', () => {
  test('a registered and an unknown contact get the same answer; only the registered one is sent a code', async () => {
    const before = await messagesTo(personId);
    const known = await signIn(PHONE);
    const unknown = await signIn('+971507777777');
    assert.equal(known.statusCode, 202);
    assert.equal(unknown.statusCode, 202);
    assert.deepEqual(known.json(), unknown.json());
    assert.deepEqual(known.json(), { sent: true, expiresInSeconds: 600 });
    assert.equal(await messagesTo(personId), before + 1);
    const stored = await t.database.db
      .selectFrom('migrant_sign_in_codes')
      .select(['code_hash', 'contact_key'])
      .execute();
    const sent = await codeSentTo(personId);
    for (const row of stored) {
      assert.match(row.code_hash, /^\$argon2id\$/, 'codes are hashed at rest');
      assert.ok(!row.contact_key.includes(PHONE.slice(1)), 'contacts are kept as keys only');
      assert.ok(!row.code_hash.includes(sent));
    }
  });

  test('the code opens a session with its own HttpOnly, SameSite=Strict cookie scoped to /api/me', async () => {
    assert.equal((await signIn(EMAIL)).statusCode, 202);
    const res = await verify(EMAIL, await codeSentTo(personId));
    assert.equal(res.statusCode, 200, res.body);
    const cookie = String(res.headers['set-cookie']);
    assert.match(cookie, /^haven_me=/);
    assert.match(cookie, /HttpOnly/);
    assert.match(cookie, /SameSite=Strict/);
    assert.match(cookie, /Path=\/api\/me/);
    assert.match(cookie, /Secure/);
    assert.ok(res.json().csrfToken);
    const me = await t.anonymous({ url: '/api/me', headers: { cookie: cookie.split(';')[0]! } });
    assert.equal(me.statusCode, 200, me.body);
    assert.equal(me.json().givenNames, 'Maria');
    assert.deepEqual(me.json().languages, ['fil', 'en']);
    assert.equal(me.json().country, 'AE');
  });

  test('the sign-in message is in the language the app asked for, else the person’s own', async () => {
    await t.anonymous({
      method: 'POST',
      url: '/api/me/sign-in',
      payload: { contact: PHONE, language: 'ar' },
      remoteAddress: nextAddress(),
    });
    const arabic = await t.database.db
      .selectFrom('direct_messages')
      .select('body_enc')
      .where('person_id', '=', personId)
      .orderBy('created_at', 'desc')
      .orderBy('id', 'desc')
      .executeTakeFirstOrThrow();
    assert.match(arabic.body_enc, /\p{Script=Arabic}/u);
    await signIn(EMAIL);
    const filipino = await t.database.db
      .selectFrom('direct_messages')
      .select('body_enc')
      .where('person_id', '=', personId)
      .orderBy('created_at', 'desc')
      .orderBy('id', 'desc')
      .executeTakeFirstOrThrow();
    assert.match(filipino.body_enc, /Ang iyong Haven code/);
  });

  test('a wrong code is refused with the tries left, and too many wrong codes burn the code', async () => {
    const contact = OTHER_PHONE;
    await signIn(contact);
    const right = await codeSentTo(otherPersonId);
    const wrong = right === '000000' ? '111111' : '000000';
    const first = await verify(contact, wrong);
    assert.equal(first.statusCode, 401);
    assert.equal(code(first), 'me.code_invalid');
    assert.equal(first.json().attemptsLeft, MAX_CODE_ATTEMPTS - 1);
    for (let i = 2; i < MAX_CODE_ATTEMPTS; i++)
      assert.equal(code(await verify(contact, wrong)), 'me.code_invalid');
    const last = await verify(contact, wrong);
    assert.equal(last.statusCode, 429);
    assert.equal(code(last), 'me.code_attempts_exceeded');
    const late = await verify(contact, right);
    assert.equal(late.statusCode, 429, 'the right code no longer works either');
    assert.equal(code(late), 'me.code_attempts_exceeded');
  });

  test('an unknown contact gets the same refusals as a known one', async () => {
    const contact = 'nobody@mail.test';
    assert.equal((await signIn(contact)).statusCode, 202);
    const res = await verify(contact, '123456');
    assert.equal(res.statusCode, 401);
    assert.equal(code(res), 'me.code_invalid');
    assert.equal(res.json().attemptsLeft, MAX_CODE_ATTEMPTS - 1);
    const never = await verify('never-asked@mail.test', '123456');
    assert.equal(code(never), 'me.code_invalid');
  });

  test('an expired code is refused', async () => {
    const past = new Date(Date.now() - 11 * 60_000);
    await requestSignInCode(t.database, { contact: OTHER_PHONE, ip: null }, {}, past);
    const res = await verify(OTHER_PHONE, await codeSentTo(otherPersonId));
    assert.equal(res.statusCode, 401);
    assert.equal(code(res), 'me.code_expired');
  });

  test('a code works once', async () => {
    await signIn(OTHER_PHONE);
    const sent = await codeSentTo(otherPersonId);
    assert.equal((await verify(OTHER_PHONE, sent)).statusCode, 200);
    const again = await verify(OTHER_PHONE, sent);
    assert.equal(again.statusCode, 401);
    assert.equal(code(again), 'me.code_invalid');
  });

  test('malformed contacts and codes are refused with their own codes', async () => {
    const contact = await signIn('not a phone');
    assert.equal(contact.statusCode, 422);
    assert.equal(code(contact), 'me.contact_invalid');
    const shortCode = await verify(PHONE, '12a');
    assert.equal(shortCode.statusCode, 422);
    assert.equal(code(shortCode), 'me.code_malformed');
    const extra = await t.anonymous({
      method: 'POST',
      url: '/api/me/sign-in',
      payload: { contact: PHONE, immigrationStatus: 'x' },
    });
    assert.equal(extra.statusCode, 400);
  });

  test('codes are rate-limited per contact, known or not, with Retry-After', async () => {
    for (const contact of ['+971502222222', 'limit-test@mail.test']) {
      for (let i = 0; i < 3; i++) assert.equal((await signIn(contact)).statusCode, 202);
      const limited = await signIn(contact);
      assert.equal(limited.statusCode, 429);
      assert.equal(code(limited), 'me.sign_in_rate_limited');
      assert.ok(Number(limited.headers['retry-after']) > 0);
    }
  });

  test('codes are rate-limited per client address', async () => {
    const address = '10.200.0.1';
    for (let i = 0; i < 30; i++)
      assert.equal((await signIn(`+97150300${String(i).padStart(4, '0')}`, address)).statusCode, 202);
    const limited = await signIn('+971504000000', address);
    assert.equal(limited.statusCode, 429);
    assert.equal(code(limited), 'me.sign_in_rate_limited');
  });
});

describe('the signed-in person’s own record', () => {
  let s: Session;
  before(async () => {
    s = await signedIn(PHONE, personId);
  });

  test('alerts sent to me come in the app’s language, else mine, else the fallback', async () => {
    const inArabic = await as(s, { url: '/api/me/alerts?lang=ar' });
    assert.equal(inArabic.statusCode, 200, inArabic.body);
    const items = inArabic.json().items as { id: string; headline: string; language: string }[];
    assert.deepEqual(
      items.map((i) => i.id),
      [alertId],
      'only alerts sent to me',
    );
    assert.equal(items[0]!.headline, 'اشتباكات مسلحة في المدينة');
    const mine = await as(s, { url: '/api/me/alerts?lang=am' });
    assert.equal(mine.json().items[0].headline, 'Sagupaan sa lungsod', 'Amharic is missing: my Filipino');
    const bad = await as(s, { url: '/api/me/alerts?lang=<script>' });
    assert.equal(bad.statusCode, 400);
  });

  test('I answer “safe” to the latest alert and see my answer', async () => {
    const res = await as(s, { method: 'POST', url: '/api/me/responses', payload: { answer: 'safe' } });
    assert.equal(res.statusCode, 201, res.body);
    assert.equal(res.json().alertId, alertId);
    const stored = await t.database.db
      .selectFrom('responses')
      .selectAll()
      .where('person_id', '=', personId)
      .executeTakeFirstOrThrow();
    assert.equal(stored.channel, 'web');
    assert.equal(stored.answer, 'safe');
    const list = await as(s, { url: '/api/me/alerts' });
    assert.equal(list.json().items[0].myAnswer, 'safe');
  });

  test('I cannot answer an alert that was not sent to me', async () => {
    const res = await as(s, {
      method: 'POST',
      url: '/api/me/responses',
      payload: { alertId: foreignAlertId, answer: 'need_help' },
    });
    assert.equal(res.statusCode, 404);
    assert.equal(code(res), 'me.alert_not_found');
  });

  test('SOS with a location becomes a triaged help request that I see listed', async () => {
    const res = await as(s, {
      method: 'POST',
      url: '/api/me/help-requests',
      payload: { type: 'protection', isSos: true, location: { lat: 25.2, lng: 55.27 } },
    });
    assert.equal(res.statusCode, 201, res.body);
    assert.ok(['critical', 'high', 'medium', 'low'].includes(res.json().priority));
    const list = await as(s, { url: '/api/me/help-requests' });
    assert.equal(list.statusCode, 200, list.body);
    const mine = list.json().items as { id: string; isSos: boolean; status: string }[];
    assert.equal(mine[0]!.id, res.json().id);
    assert.equal(mine[0]!.isSos, true);
    assert.equal(mine[0]!.status, 'new');
    const badType = await as(s, {
      method: 'POST',
      url: '/api/me/help-requests',
      payload: { type: 'immigration', isSos: false },
    });
    assert.equal(badType.statusCode, 400);
    const badPlace = await as(s, {
      method: 'POST',
      url: '/api/me/help-requests',
      payload: { type: 'medical', isSos: true, location: { lat: 123, lng: 0 } },
    });
    assert.equal(badPlace.statusCode, 400);
  });

  test('embassy contacts are the posts covering the country I am in', async () => {
    const res = await as(s, { url: '/api/me/contacts' });
    assert.equal(res.statusCode, 200, res.body);
    assert.equal(res.json().covering, true);
    assert.deepEqual(
      res.json().items.map((p: { id: string }) => p.id),
      [t.fixtures.postAeId],
    );
  });

  test('every read of my data is in the audit log with me as actor and subject', async () => {
    const rows = await t.database.db
      .selectFrom('audit_log')
      .select(['action', 'actor_role', 'person_ids', 'details'])
      .where('actor_role', '=', 'migrant')
      .where('action', '=', 'self.read')
      .execute();
    const views = new Set(
      rows.filter((r) => r.person_ids === JSON.stringify([personId])).map((r) => JSON.parse(r.details).view),
    );
    for (const view of ['profile', 'alerts', 'help_requests', 'contacts']) assert.ok(views.has(view), view);
  });

  test('I register this browser for push notifications, and remove it again', async () => {
    const subscription = {
      endpoint: 'https://push.example.test/send/abc123',
      keys: {
        p256dh: 'BNcRdreALRFXTkOOUHK1EtK2wtaz5Ry4YfYCA_0QTpQtUbVlUls0VJXg7A8u-Ts1XbjhazAkj7I99e8QcYP7DkM',
        auth: 'tBHItJI5svbpez7KI4CCXg',
      },
    };
    const saved = await as(s, { method: 'POST', url: '/api/me/push-subscription', payload: subscription });
    assert.equal(saved.statusCode, 201, saved.body);
    const push = await t.database.db
      .selectFrom('contacts')
      .select('person_id')
      .where('kind', '=', 'push')
      .where('person_id', '=', personId)
      .execute();
    assert.equal(push.length, 1);
    const endpoint = { endpoint: subscription.endpoint };
    const removed = await as(s, { method: 'DELETE', url: '/api/me/push-subscription', payload: endpoint });
    assert.equal(removed.statusCode, 204, removed.body);
    const again = await as(s, { method: 'DELETE', url: '/api/me/push-subscription', payload: endpoint });
    assert.equal(again.statusCode, 404);
    assert.equal(code(again), 'me.push_subscription_not_found');
    const plain = await as(s, {
      method: 'POST',
      url: '/api/me/push-subscription',
      payload: { ...subscription, endpoint: 'http://push.example.test/x' },
    });
    assert.equal(plain.statusCode, 400, 'only https push services');
  });

  test('a change without the CSRF token is refused', async () => {
    const res = await t.anonymous({
      method: 'POST',
      url: '/api/me/responses',
      headers: { cookie: s.cookie },
      payload: { answer: 'safe' },
    });
    assert.equal(res.statusCode, 403);
    assert.equal(code(res), 'auth.csrf_failed');
  });

  test('signing out ends the session', async () => {
    const own = (await newSignedInPerson()).session;
    const out = await as(own, { method: 'POST', url: '/api/me/sign-out' });
    assert.equal(out.statusCode, 204);
    assert.match(String(out.headers['set-cookie']), /Max-Age=0/);
    const after = await as(own, { url: '/api/me' });
    assert.equal(after.statusCode, 401);
    assert.equal(code(after), 'me.session_invalid');
  });
});

describe('erasure', () => {
  test('erasing a person ends their sessions and their codes', async () => {
    const { id, session } = await newSignedInPerson();
    const erased = await t.app.inject({
      method: 'POST',
      url: `/api/persons/${id}/erase`,
      payload: { reason: 'Asked to be forgotten (test)' },
    });
    assert.ok(erased.statusCode < 300, erased.body);
    const after = await as(session, { url: '/api/me' });
    assert.equal(after.statusCode, 401);
    assert.equal(code(after), 'me.session_invalid');
    const left = await t.database.db
      .selectFrom('migrant_sign_in_codes')
      .select('id')
      .where('person_id', '=', id)
      .execute();
    assert.deepEqual(left, []);
  });
});

describe('the firewall between the migrant app and the console', () => {
  test('without a session, /api/me answers 401', async () => {
    const res = await t.anonymous({ url: '/api/me' });
    assert.equal(res.statusCode, 401);
    assert.equal(code(res), 'auth.required');
    const forged = await t.anonymous({ url: '/api/me', headers: { cookie: 'haven_me=forged' } });
    assert.equal(code(forged), 'me.session_invalid');
  });

  test('no staff role may use /api/me, even with a valid token', async () => {
    for (const role of ROLES) {
      const res = await t.anonymous({ url: '/api/me/alerts', headers: t.as(role) });
      assert.equal(res.statusCode, 403, role);
      assert.equal(code(res), 'access.forbidden');
    }
  });

  test('a migrant session is refused on every staff route with 403', async () => {
    const s = (await newSignedInPerson()).session;
    const doc = (await t.anonymous({ url: '/api/docs/json' })).json() as {
      paths: Record<string, Record<string, unknown>>;
    };
    const wrong: string[] = [];
    let tried = 0;
    for (const [path, ops] of Object.entries(doc.paths)) {
      if (!path.startsWith('/api/') || path.startsWith('/api/me')) continue;
      for (const method of Object.keys(ops).filter((m) =>
        ['get', 'post', 'patch', 'put', 'delete'].includes(m),
      )) {
        const request = {
          method: method.toUpperCase() as 'GET',
          url: path.replace(/\{[^}]+\}/g, '01900000-0000-7000-8000-000000000000'),
          ...(method === 'get' || method === 'delete' ? {} : { payload: {} }),
        };
        const anonymous = await t.anonymous(request);
        if (![401, 403].includes(anonymous.statusCode)) continue; // a public route
        const res = await t.anonymous({ ...request, headers: { cookie: s.cookie, 'x-csrf-token': s.csrf } });
        tried++;
        if (res.statusCode !== 403 || code(res) !== 'access.forbidden')
          wrong.push(`${method} ${path} → ${res.statusCode}`);
      }
    }
    assert.ok(tried > 50, `tried ${tried} staff routes`);
    assert.deepEqual(wrong, []);
  });
});
