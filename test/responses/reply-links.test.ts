import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import type { Browser } from 'playwright-core';
import { signReplyToken } from '../../src/domain/delivery/reply-token.ts';
import { eventually } from '../../src/modules/delivery/delivery.test-kit.ts';
import { browserSkipReason, launchChromium } from '../helpers/browser.ts';
import {
  REPLY_SECRET,
  type ReplyWorld,
  registerPerson,
  replyTokenIn,
  startReplyWorld,
  textsTo,
  type WorldPerson,
} from './reply-world.ts';

// Reply links end to end: the links are the ones the worker put in the SMS it sent over SMPP. GET shows
// a confirm page in the person's language (never recording: link previews open links too); POST records
// through the group-commit writer and thanks. Bad tokens get a page with a stable code and a 4xx status.

let w: ReplyWorld;
let alertId: string;
const people: Record<string, WorldPerson> = {};
const tokens: Record<string, string> = {};

before(async () => {
  w = await startReplyWorld();
  const speakers = {
    en: { phone: '+971500000201', language: 'en' },
    ar: { phone: '+971500000202', language: 'ar' },
    fil: { phone: '+971500000203', language: 'fil' },
    am: { phone: '+971500000204', language: 'am' },
    es: { phone: '+971500000205', language: 'es' },
    twice: { phone: '+971500000206', language: 'en' },
    browser: { phone: '+971500000207', language: 'ar' },
  };
  for (const [key, p] of Object.entries(speakers)) people[key] = await registerPerson(w.t, p);
  alertId = await w.issueAndDeliver(Object.values(people));
  for (const [key, p] of Object.entries(people)) tokens[key] = replyTokenIn(textsTo(w.peer, p.phone).at(-1)!);
});
after(async () => {
  await w?.close();
});

const get = (token: string, headers: Record<string, string> = {}) =>
  w.t.anonymous({ method: 'GET', url: `/r/${token}`, headers });
const post = (token: string, body: string, headers: Record<string, string> = {}) =>
  w.t.anonymous({
    method: 'POST',
    url: `/r/${token}`,
    payload: body,
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
  });
const responsesOf = (personId: string) =>
  w.t.database.db
    .selectFrom('responses')
    .selectAll()
    .where('person_id', '=', personId)
    .orderBy('received_at')
    .orderBy('id')
    .execute();

function assertSafePage(res: { statusCode: number; headers: Record<string, unknown>; body: string }) {
  assert.match(String(res.headers['content-type']), /^text\/html; charset=utf-8/);
  assert.equal(res.headers['cache-control'], 'no-store');
  assert.equal(res.headers['x-frame-options'], 'DENY');
  assert.equal(res.headers['x-content-type-options'], 'nosniff');
  assert.equal(res.headers['referrer-policy'], 'no-referrer', 'the token never leaks in a Referer');
  assert.match(String(res.headers['content-security-policy']), /form-action 'self'/);
  assert.doesNotMatch(res.body, /<script/i, 'no JavaScript at all');
  assert.doesNotMatch(res.body, /\bat .*\.ts:\d+|Error:|stack/i, 'no stack trace');
}

describe('the confirm page (GET)', () => {
  test('in English: the headline, and two buttons of one form that posts back; nothing is recorded', async () => {
    const res = await get(tokens.en!);
    assert.equal(res.statusCode, 200);
    assertSafePage(res);
    assert.match(res.body, /<html lang="en" dir="ltr">/);
    assert.match(res.body, /Armed clashes in the city/);
    assert.match(res.body, new RegExp(`<form method="post" action="/r/${tokens.en}">`));
    assert.match(
      res.body,
      /<button class="safe" type="submit" name="answer" value="safe">I am safe<\/button>/,
    );
    assert.match(
      res.body,
      /<button class="help" type="submit" name="answer" value="need_help">I need help<\/button>/,
    );
    assert.deepEqual(await responsesOf(people.en!.id), []);
  });

  test('in Arabic, right to left, with the Arabic headline', async () => {
    const res = await get(tokens.ar!);
    assert.equal(res.statusCode, 200);
    assert.match(res.body, /<html lang="ar" dir="rtl">/);
    assert.match(res.body, /lang="ar">اشتباكات مسلحة في المدينة</);
    assert.match(res.body, />أنا بأمان</);
    assert.match(res.body, />أحتاج إلى مساعدة</);
  });

  test('in Filipino and Spanish; a language without its own page (Amharic) reads English, the headline stays Amharic', async () => {
    const fil = await get(tokens.fil!);
    assert.match(fil.body, /<html lang="fil" dir="ltr">/);
    assert.match(fil.body, /Armadong sagupaan sa lungsod/);
    assert.match(fil.body, />Ligtas ako</);
    assert.match(fil.body, />Kailangan ko ng tulong</);
    const es = await get(tokens.es!);
    assert.match(es.body, />Estoy a salvo</);
    const am = await get(tokens.am!);
    assert.match(am.body, /<html lang="en" dir="ltr">/);
    assert.match(am.body, /lang="am">በከተማው የትጥቅ ግጭት</);
  });
});

describe('answering (POST)', () => {
  test('"I am safe" is recorded for the person and the alert, and thanked in their language', async () => {
    const res = await post(tokens.fil!, 'answer=safe');
    assert.equal(res.statusCode, 200);
    assertSafePage(res);
    assert.match(res.body, /<h1>Salamat<\/h1>/);
    assert.match(res.body, /Naitala namin na ligtas ka/);
    const [response] = await responsesOf(people.fil!.id);
    assert.equal(response?.alert_id, alertId);
    assert.equal(response?.answer, 'safe');
    assert.equal(response?.channel, 'link');
    assert.equal(response?.language, 'fil');
  });

  test('"I need help" is recorded and opens a help request for the alert; the page then shows the answer', async () => {
    const res = await post(tokens.ar!, 'answer=need_help');
    assert.equal(res.statusCode, 200);
    assert.match(res.body, /dir="rtl"/);
    assert.match(res.body, /سجّلنا أنك تحتاج إلى مساعدة/);
    const [response] = await responsesOf(people.ar!.id);
    assert.equal(response?.answer, 'need_help');
    const requests = await w.t.database.db
      .selectFrom('help_requests')
      .selectAll()
      .where('person_id', '=', people.ar!.id)
      .execute();
    assert.equal(requests.length, 1);
    assert.equal(requests[0]!.alert_id, alertId);
    assert.equal(requests[0]!.channel, 'link');
    assert.equal(requests[0]!.type, 'other');
    const again = await get(tokens.ar!);
    assert.match(again.body, /إجابتك الأخيرة: أحتاج إلى مساعدة/);
  });

  test('a changed mind is a new answer; the latest counts', async () => {
    assert.equal((await post(tokens.twice!, 'answer=need_help')).statusCode, 200);
    assert.equal((await post(tokens.twice!, 'answer=safe')).statusCode, 200);
    const answers = (await responsesOf(people.twice!.id)).map((r) => r.answer);
    assert.deepEqual(answers, ['need_help', 'safe']);
    assert.match((await get(tokens.twice!)).body, /Your last answer: I am safe/);
  });

  test('an answer that is neither of the two is refused with a page, and nothing is stored', async () => {
    for (const body of ['answer=maybe', '', 'answer=SAFE&x=1', 'junk=%%%']) {
      const res = await post(tokens.es!, body);
      assert.equal(res.statusCode, 400, body);
      assertSafePage(res);
      assert.match(res.body, /reply\.answer_invalid/);
    }
    const json = await w.t.anonymous({
      method: 'POST',
      url: `/r/${tokens.es}`,
      payload: { answer: 'safe' },
    });
    assert.equal(json.statusCode, 200, 'a JSON body works too');
    assert.equal((await responsesOf(people.es!.id)).length, 1);
  });
});

describe('tokens that are not good', () => {
  const flip = (token: string, at: number) => {
    const chars = [...token];
    chars[at] = chars[at] === 'A' ? 'B' : 'A';
    return chars.join('');
  };

  test('malformed, forged, expired and orphaned tokens: a clear page, a stable code, a 4xx, and nothing stored', async () => {
    const en = tokens.en!;
    const past = signReplyToken(REPLY_SECRET, {
      alertId,
      personId: people.en!.id,
      expiresAt: new Date(Date.now() - 1000),
    });
    const otherSecret = signReplyToken(Buffer.alloc(32, 99), {
      alertId,
      personId: people.en!.id,
      expiresAt: new Date(Date.now() + 86_400_000),
    });
    const nobody = signReplyToken(REPLY_SECRET, {
      alertId,
      personId: '01900000-0000-7000-8000-000000000000',
      expiresAt: new Date(Date.now() + 86_400_000),
    });
    const cases: [string, string, number][] = [
      ['short', 'abc', 400],
      ['bad characters', `${en.slice(0, 60)}!!!!!!`, 400],
      ['padded', `${en}=`, 400],
      ['tampered tag', flip(en, en.length - 3), 403],
      ['tampered person', flip(en, 30), 403],
      ['another secret', otherSecret, 403],
      ['expired', past, 410],
      ['nobody', nobody, 404],
    ];
    const codes = {
      400: 'reply_token.malformed',
      403: 'reply_token.invalid',
      410: 'reply_token.expired',
      404: 'reply.not_found',
    };
    for (const [what, token, status] of cases) {
      for (const res of [await get(token), await post(token, 'answer=safe')]) {
        assert.equal(res.statusCode, status, what);
        assertSafePage(res);
        assert.match(res.body, new RegExp(codes[status as keyof typeof codes].replace('.', '\\.')), what);
      }
    }
    assert.deepEqual(await responsesOf(people.en!.id), []);
  });

  test('the refusal page speaks the language the browser asks for', async () => {
    const res = await get('abc', { 'accept-language': 'ar-AE,ar;q=0.9,en;q=0.5' });
    assert.match(res.body, /<html lang="ar" dir="rtl">/);
    assert.match(res.body, /رابط الرد هذا غير صالح/);
  });
});

describe('many replies at once', () => {
  test('concurrent replies from many people all land, each acknowledged only once stored', async () => {
    const crowd: WorldPerson[] = [];
    for (let i = 0; i < 40; i++) {
      crowd.push(
        await registerPerson(w.t, { phone: `+9715001${String(i).padStart(5, '0')}`, language: 'en' }),
      );
    }
    const crowdAlert = await w.issueAndDeliver(crowd);
    const links = crowd.map((p) => replyTokenIn(textsTo(w.peer, p.phone).at(-1)!));
    const answers = await Promise.all(
      links.map((token, i) => post(token, `answer=${i % 3 ? 'safe' : 'need_help'}`)),
    );
    assert.ok(answers.every((r) => r.statusCode === 200));
    const stored = await w.t.database.db
      .selectFrom('responses')
      .select(['person_id', 'answer'])
      .where('alert_id', '=', crowdAlert)
      .execute();
    assert.equal(stored.length, crowd.length);
    const help = await w.t.database.db
      .selectFrom('help_requests')
      .select('person_id')
      .where('alert_id', '=', crowdAlert)
      .execute();
    assert.equal(help.length, crowd.filter((_, i) => i % 3 === 0).length);
  });
});

describe('a cancelled alert', () => {
  test('its reply links still record against it, and an SMS after the cancellation answers it too', async () => {
    const person = await registerPerson(w.t, { phone: '+971500000299', language: 'en' });
    const original = await w.issueAndDeliver([person]);
    const token = replyTokenIn(textsTo(w.peer, person.phone).at(-1)!);
    const cancel = await w.t.app.inject({
      method: 'POST',
      url: `/api/alerts/${original}/cancel`,
      payload: { infos: [{ language: 'en', headline: 'All clear', smsText: 'Embassy: the alert is over.' }] },
    });
    assert.equal(cancel.statusCode, 201, cancel.body);
    const cancelId = cancel.json().id as string;
    for (const [step, headers] of [
      ['submit', undefined],
      ['approve', w.t.as('crisis_manager')],
      ['issue', undefined],
    ] as const) {
      const res = await w.t.app.inject({
        method: 'POST',
        url: `/api/alerts/${cancelId}/${step}`,
        payload: {},
        ...(headers ? { headers } : {}),
      });
      assert.equal(res.statusCode, 200, `${step}: ${res.body}`);
    }
    await eventually(async () => textsTo(w.peer, person.phone).length >= 2, 10_000, 'the cancellation sent');
    const page = await get(token);
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /This alert has been cancelled/);
    assert.equal((await post(token, 'answer=safe')).statusCode, 200);
    await w.text(person.phone, 'safe');
    await eventually(async () => (await responsesOf(person.id)).length >= 2, 5000, 'the SMS read');
    const answers = await responsesOf(person.id);
    assert.deepEqual(
      answers.map((r) => [r.channel, r.alert_id]),
      [
        ['link', original],
        ['sms', original],
      ],
    );
  });
});

describe('in a browser with JavaScript off', { skip: browserSkipReason() }, () => {
  let browser: Browser | undefined;
  let base = '';
  before(async () => {
    await w.t.app.listen({ port: 0, host: '127.0.0.1' });
    base = `http://127.0.0.1:${(w.t.app.server.address() as AddressInfo).port}`;
    browser = await launchChromium();
  });
  after(async () => {
    await browser?.close();
  });

  test('an Arabic phone opens the link, taps "I need help" and reads the thanks, right to left', async () => {
    const context = await browser!.newContext({
      javaScriptEnabled: false,
      locale: 'ar',
      viewport: { width: 360, height: 640 },
      isMobile: true,
    });
    const blocked: string[] = [];
    await context.route('**/*', (route) => {
      if (new URL(route.request().url()).hostname === '127.0.0.1') return route.continue();
      blocked.push(route.request().url());
      return route.abort('blockedbyclient');
    });
    const page = await context.newPage();
    await page.goto(`${base}/r/${tokens.browser}`);
    assert.equal(await page.getAttribute('html', 'dir'), 'rtl');
    assert.equal(await page.textContent('h1'), 'هل أنت بأمان؟');
    const help = page.getByRole('button', { name: 'أحتاج إلى مساعدة' });
    const box = await help.boundingBox();
    assert.ok(box && box.height >= 44 && box.width >= 250, 'a big, easy target on a small screen');
    await help.click();
    await page.waitForURL(`${base}/r/${tokens.browser}`);
    assert.equal(await page.textContent('h1'), 'شكرًا لك');
    assert.deepEqual(blocked, [], 'nothing left the machine');
    await context.close();
    const [response] = await responsesOf(people.browser!.id);
    assert.equal(response?.answer, 'need_help');
    assert.equal(response?.channel, 'link');
  });
});
