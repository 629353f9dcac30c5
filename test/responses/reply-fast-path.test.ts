import assert from 'node:assert/strict';
import { type AddressInfo, connect } from 'node:net';
import { PassThrough } from 'node:stream';
import { after, before, describe, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../src/app.ts';
import { loadConfig } from '../../src/config.ts';
import { signReplyToken } from '../../src/domain/delivery/reply-token.ts';
import { seedAuthor, seedIssuedAlert, seedPeople } from '../../src/modules/delivery/delivery.test-kit.ts';
import { openTestDatabase, type TestDatabase } from '../helpers/database.ts';

// Form posts to reply links are answered straight from the HTTP server (reply-links.fast-path.ts);
// everything else, and every request made with inject, goes through the framework's route. Both must
// answer alike: the same status, page and headers, and the same rows stored. The log tells which path
// answered (the direct path logs its requests with the id "direct").

const SECRET = Buffer.alloc(32, 23);
let database: TestDatabase;
let app: FastifyInstance;
let base = '';
let alertId = '';
let people: string[] = [];
const lines: string[] = [];

before(async () => {
  database = await openTestDatabase();
  const stream = new PassThrough();
  stream.on('data', (chunk: Buffer) => lines.push(...chunk.toString().split('\n').filter(Boolean)));
  const config = {
    ...loadConfig({ LOG_LEVEL: 'info', HAVEN_REPLY_TOKEN_SECRET: SECRET.toString('base64') }),
    database: database.config,
  };
  app = await buildApp({ config, database, logStream: stream });
  await app.listen({ port: 0, host: '127.0.0.1' });
  base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
  const author = await seedAuthor(database.db);
  people = await seedPeople(
    database.db,
    Array.from({ length: 8 }, (_, i) => ({ contacts: [{ kind: 'phone' as const, value: `+97150000${i}` }] })),
  );
  alertId = await seedIssuedAlert(database.db, {
    author,
    recipients: people,
    infos: [
      { language: 'en', headline: 'Armed clashes', smsText: 'Stay indoors.' },
      { language: 'ar', headline: 'اشتباكات مسلحة', smsText: 'ابقوا في الداخل.' },
    ],
    languageOf: (i) => (i % 2 === 0 ? 'en' : 'ar'),
  });
});
after(async () => {
  await app?.close();
  await database?.drop();
});

const tokenFor = (personId: string, expiresAt = new Date(Date.now() + 86_400_000)) =>
  signReplyToken(SECRET, { alertId, personId, expiresAt });

type Answer = { status: number; body: string; headers: Record<string, string> };

// Headers that depend on the connection or the moment, not on the answer.
const CONNECTION_HEADERS = new Set(['date', 'connection', 'keep-alive', 'transfer-encoding']);
const answerHeaders = (entries: Iterable<[string, unknown]>) =>
  Object.fromEntries(
    [...entries]
      .map(([k, v]) => [k.toLowerCase(), String(v)] as const)
      .filter(([k]) => !CONNECTION_HEADERS.has(k))
      .sort(([a], [b]) => a.localeCompare(b)),
  );

async function overHttp(path: string, body: string, headers: Record<string, string> = {}): Promise<Answer> {
  const res = await fetch(`${base}${path}`, {
    method: 'POST',
    body,
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
  });
  return { status: res.status, body: await res.text(), headers: answerHeaders(res.headers.entries()) };
}

async function throughRoute(
  path: string,
  body: string,
  headers: Record<string, string> = {},
): Promise<Answer> {
  const res = await app.inject({
    method: 'POST',
    url: path,
    payload: body,
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
  });
  return { status: res.statusCode, body: res.body, headers: answerHeaders(Object.entries(res.headers)) };
}

const directAnswers = () => lines.filter((l) => l.includes('"id":"direct"')).length;
const storedFor = async (personId: string) =>
  (
    await database.db
      .selectFrom('responses')
      .select(['answer', 'channel', 'language'])
      .where('person_id', '=', personId)
      .orderBy('received_at')
      .orderBy('id')
      .execute()
  ).map((r) => [r.answer, r.channel, r.language]);

describe('the direct path for reply form posts', () => {
  test('answers as the route does: the thanks page in the person language, the same headers, both stored', async () => {
    const before = directAnswers();
    for (const [person, answer] of [
      [people[0]!, 'safe'],
      [people[1]!, 'need_help'],
    ] as const) {
      const token = tokenFor(person);
      const direct = await overHttp(`/r/${token}`, `answer=${answer}`);
      const routed = await throughRoute(`/r/${token}`, `answer=${answer}`);
      assert.equal(direct.status, 200);
      assert.deepEqual(direct, routed);
      assert.match(direct.headers['content-security-policy']!, /form-action 'self'/);
      assert.equal(direct.headers['x-frame-options'], 'DENY');
      assert.equal(direct.headers['cache-control'], 'no-store');
    }
    assert.match((await overHttp(`/r/${tokenFor(people[3]!)}`, 'answer=safe')).body, /lang="ar" dir="rtl"/);
    assert.equal(directAnswers() - before, 3, 'the posts over HTTP took the direct path');
    assert.deepEqual(await storedFor(people[0]!), [
      ['safe', 'link', 'en'],
      ['safe', 'link', 'en'],
    ]);
    assert.deepEqual(await storedFor(people[1]!), [
      ['need_help', 'link', 'ar'],
      ['need_help', 'link', 'ar'],
    ]);
  });

  test('refuses bad tokens and bad answers with the same page, status and code, storing nothing', async () => {
    const good = tokenFor(people[2]!);
    const forged = `${good.slice(0, 20)}${good[20] === 'A' ? 'B' : 'A'}${good.slice(21)}`;
    const cases: [string, string, number, string, Record<string, string>?][] = [
      ['abc', 'answer=safe', 400, 'reply_token.malformed'],
      [forged, 'answer=safe', 403, 'reply_token.invalid'],
      [tokenFor(people[2]!, new Date(Date.now() - 1000)), 'answer=safe', 410, 'reply_token.expired'],
      [tokenFor('0193a1b2-c3d4-7e5f-9a6b-00000000dead'), 'answer=safe', 404, 'reply.not_found'],
      [good, 'answer=maybe', 400, 'reply.answer_invalid'],
      [good, '', 400, 'reply.answer_invalid'],
      [good, 'answer=%zz', 400, 'reply.answer_invalid'],
      [forged, 'answer=safe', 403, 'reply_token.invalid', { 'accept-language': 'ar;q=0.9, en;q=0.5' }],
    ];
    const before = directAnswers();
    for (const [token, body, status, code, headers] of cases) {
      const direct = await overHttp(`/r/${token}`, body, headers);
      const routed = await throughRoute(`/r/${token}`, body, headers);
      assert.equal(direct.status, status, code);
      assert.ok(direct.body.includes(code), code);
      assert.deepEqual(direct, routed, code);
    }
    assert.match(
      (await overHttp(`/r/${forged}`, 'answer=safe', { 'accept-language': 'ar' })).body,
      /dir="rtl"/,
    );
    assert.equal(directAnswers() - before, cases.length + 1);
    assert.deepEqual(await storedFor(people[2]!), []);
  });

  test('a form with a charset, or with the answer among other fields, is read as the route reads it', async () => {
    const token = tokenFor(people[4]!);
    const direct = await overHttp(`/r/${token}`, 'x=1&answer=need_help&answer=safe', {
      'content-type': 'application/x-www-form-urlencoded; charset=UTF-8',
    });
    assert.equal(direct.status, 200);
    assert.match(direct.body, /need|help/i);
    assert.deepEqual(await storedFor(people[4]!), [['need_help', 'link', 'en']]);
  });

  test('anything unusual is left to the route: a query string, another type, a large body, GET', async () => {
    const token = tokenFor(people[5]!);
    const before = directAnswers();
    const withQuery = await overHttp(`/r/${token}?utm=1`, 'answer=safe');
    assert.equal(withQuery.status, 200);
    const json = await overHttp(`/r/${token}`, '{"answer":"safe"}', { 'content-type': 'application/json' });
    assert.equal(json.status, 200, 'the route reads a JSON answer too');
    const xml = await overHttp(`/r/${token}`, 'answer=safe', { 'content-type': 'application/xml' });
    assert.equal(xml.status, 415);
    const large = await overHttp(`/r/${token}`, `answer=safe&pad=${'x'.repeat(5000)}`);
    assert.equal(large.status, 413);
    const page = await fetch(`${base}/r/${token}`);
    assert.equal(page.status, 200);
    assert.match(await page.text(), /<form method="post"/);
    assert.equal(directAnswers(), before, 'none of them took the direct path');
    assert.deepEqual(await storedFor(people[5]!), [
      ['safe', 'link', 'ar'],
      ['safe', 'link', 'ar'],
    ]);
  });

  test('a header given twice is left to the route', async () => {
    const token = tokenFor(people[6]!);
    const before = directAnswers();
    const raw = await new Promise<string>((resolve, reject) => {
      const socket = connect((app.server.address() as AddressInfo).port, '127.0.0.1');
      let answer = '';
      socket.on('data', (chunk) => {
        answer += chunk.toString();
      });
      socket.on('end', () => resolve(answer));
      socket.on('error', reject);
      socket.write(
        `POST /r/${token} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/x-www-form-urlencoded\r\n` +
          'Content-Type: text/plain\r\nContent-Length: 11\r\nConnection: close\r\n\r\nanswer=safe',
      );
    });
    assert.match(raw, /^HTTP\/1\.1 \d{3} /);
    assert.equal(directAnswers(), before);
  });

  test('the log carries no token on either path', () => {
    const token = tokenFor(people[0]!);
    const log = lines.join('\n');
    assert.ok(log.includes('"url":"/r/:token"'));
    assert.equal(log.includes(token), false);
    assert.equal(log.includes(token.slice(0, 20)), false);
  });
});
