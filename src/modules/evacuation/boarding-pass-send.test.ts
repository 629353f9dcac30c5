// Boarding passes sent on each evacuee's own channel through the delivery outbox, end to end: the API
// queues them, a delivery worker sends them to a loopback SMS centre (SMPP) and mail server (SMTP),
// the link in the message opens the pass page with its QR code, and the pass boards the person.
// Sending again sends nothing twice; a re-plan that moves someone sends their new pass, and the old
// one stops boarding them.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { buildTestApp, type TestApp } from '../../../test/helpers/app.ts';
import { type SmppPeer, startSmppPeer } from '../../../test/peers/smpp-server.ts';
import { type SmtpPeer, startSmtpPeer } from '../../../test/peers/smtp-server.ts';
import { createSmtpChannel } from '../../channels/email-smtp.ts';
import { createSmppChannel } from '../../channels/sms-smpp.ts';
import type { ConfiguredChannels } from '../delivery/delivery.channels.ts';
import { eventually, testSettings } from '../delivery/delivery.test-kit.ts';
import { DeliveryWorker } from '../delivery/delivery.worker.ts';
import { PASS_MESSAGES } from './boarding-pass-messages.ts';
import { type Caller, callerFor, expectStatus, HOUR } from './evacuation.test-kit.ts';

let t: TestApp;
let officer: Caller;
let smpp: SmppPeer;
let smtp: SmtpPeer;
let worker: DeliveryWorker;
let channels: ConfiguredChannels;

const at = (hours: number) => new Date(Date.now() + hours * HOUR).toISOString();
const s = {} as {
  operation: string;
  point: string;
  early: string;
  late: string;
  arabicReader: string;
  mailReader: string;
  unreachable: string;
};

async function person(extra: object) {
  const body = {
    givenNames: 'Pass',
    familyName: 'Holder',
    sex: 'F',
    documentStatus: 'with_person',
    location: { lat: 25.21, lon: 55.28, country: 'AE' },
    ...extra,
  };
  return (await expectStatus(officer('POST', '/api/persons', body), 201)).id as string;
}

/** The text of each SMS the centre received, reassembled from its segments, by destination number. */
function smsByNumber(): Map<string, string[]> {
  const out = new Map<string, string[]>();
  const parts = new Map<string, { seq: number; text: string }[]>();
  for (const submit of smpp.submits) {
    const udh = submit.udh[0];
    const key = udh ? `${submit.destinationAddr}/${udh[2]}` : `${submit.destinationAddr}/${submit.messageId}`;
    parts.set(key, [...(parts.get(key) ?? []), { seq: udh?.[4] ?? 1, text: submit.text }]);
  }
  for (const [key, list] of parts) {
    const number = `+${key.split('/')[0]}`;
    const text = list
      .sort((a, b) => a.seq - b.seq)
      .map((p) => p.text)
      .join('');
    out.set(number, [...(out.get(number) ?? []), text]);
  }
  return out;
}

const pathOfPass = (text: string) => {
  const match = /https?:\/\/[^/\s]+(\/pass\/[^\s?]+\?lang=\w+)/.exec(text);
  assert.ok(match, `a pass link in: ${text}`);
  return match[1]!;
};
const tokenOf = (passPath: string) => passPath.split('/')[2]!.split('?')[0]!;
const send = (legId: string, body: object = {}) =>
  officer('POST', `/api/evacuation/legs/${legId}/boarding-passes/send`, body);
const scan = (token: string, legId: string) =>
  officer('POST', '/api/evacuation/boarding', {
    token,
    legId,
    scannedAt: new Date().toISOString(),
    deviceId: 'door-7',
  });

before(async () => {
  t = await buildTestApp();
  officer = callerFor(t, 'consular_officer');
  smpp = await startSmppPeer();
  smtp = await startSmtpPeer();
  channels = {
    sms: createSmppChannel({
      host: '127.0.0.1',
      port: smpp.port,
      systemId: 'haven',
      password: 'secret',
      sourceAddr: 'EMBASSY',
      reconnectBaseMs: 50,
    }),
    email: createSmtpChannel({ host: '127.0.0.1', port: smtp.port, from: 'Embassy <passes@embassy.test>' }),
  };
  worker = new DeliveryWorker({
    database: t.database,
    settings: testSettings(),
    channels,
    replySecret: testSettings().replyTokenSecret!,
  });
  worker.start();

  s.operation = (
    await expectStatus(
      officer('POST', '/api/evacuation/operations', {
        crisis: 'Sandstorm (test)',
        country: 'AE',
        alertLevel: 4,
      }),
      201,
    )
  ).id;
  s.point = (
    await expectStatus(
      officer('POST', `/api/evacuation/operations/${s.operation}/assembly-points`, {
        name: 'Creek park gate',
        lat: 25.2,
        lon: 55.3,
        capacity: 100,
        opensAt: at(-1),
        closesAt: at(48),
        accessible: true,
      }),
      201,
    )
  ).id;
  const leg = async (hours: number, seats: number) =>
    (
      await expectStatus(
        officer('POST', `/api/evacuation/operations/${s.operation}/legs`, {
          mode: 'bus',
          originAssemblyPointId: s.point,
          destination: `Port Rashid +${hours}h`,
          departsAt: at(hours),
          seats,
        }),
        201,
      )
    ).leg.id as string;
  s.early = await leg(3, 5);
  s.late = await leg(9, 5);
  s.arabicReader = await person({ languages: ['ar'], phones: [{ value: '+971500009001', consent: true }] });
  s.mailReader = await person({ languages: ['en'], emails: [{ value: 'holder@mail.test', consent: true }] });
  s.unreachable = await person({ languages: ['en'] });
  await expectStatus(
    officer('POST', `/api/evacuation/operations/${s.operation}/evacuees`, {
      personIds: [s.arabicReader, s.mailReader, s.unreachable],
    }),
    200,
  );
  await expectStatus(officer('POST', `/api/evacuation/operations/${s.operation}/plan`, {}), 201);
});
after(async () => {
  await worker?.close();
  await Promise.allSettled(Object.values(channels ?? {}).map((c) => c.close()));
  await smpp?.close();
  await smtp?.close();
  await t?.close();
});

describe('boarding passes on the evacuee’s own channel', () => {
  let arabicPass = '';
  let mailPass = '';

  test('each person on the leg gets their pass once: Arabic SMS, English e-mail with the QR inline', async () => {
    const result = await expectStatus(send(s.early), 200);
    assert.deepEqual(result.counts, { sent: 2, alreadySent: 0, unreachable: 1, alreadyBoarded: 0 });
    const channels = new Map(
      result.sent.map((x: { personId: string; channel: string }) => [x.personId, x.channel]),
    );
    assert.equal(channels.get(s.arabicReader), 'sms');
    assert.equal(channels.get(s.mailReader), 'email');
    assert.deepEqual(result.skipped, [{ personId: s.unreachable, reason: 'unreachable' }]);

    await eventually(
      () => smsByNumber().has('+971500009001') && smtp.messages.length === 1,
      10_000,
      'the pass by SMS and by e-mail',
    );
    const [sms] = smsByNumber().get('+971500009001')!;
    assert.match(sms!, /^بطاقة صعود: حافلة إلى Port Rashid \+3h/);
    assert.ok(sms!.includes('Creek park gate'), 'the assembly point');
    arabicPass = pathOfPass(sms!);
    assert.match(arabicPass, /\?lang=ar$/);

    const mail = smtp.messages[0]!;
    assert.deepEqual(mail.rcptTo, ['holder@mail.test']);
    assert.equal(mail.subject, 'Your boarding pass: Bus to Port Rashid +3h');
    assert.match(mail.html ?? '', /<svg role="img" aria-label="QR code of the boarding pass"/);
    mailPass = pathOfPass(mail.text ?? '');

    // The messages hold the very passes the manifest page prints.
    const printed = await expectStatus(
      officer('GET', `/api/evacuation/legs/${s.early}/boarding-passes`),
      200,
    );
    const tokens = new Map(
      printed.items.map((p: { personId: string; token: string }) => [p.personId, p.token]),
    );
    assert.equal(tokenOf(arabicPass), tokens.get(s.arabicReader));
    assert.equal(tokenOf(mailPass), tokens.get(s.mailReader));

    const audit = await t.database.db
      .selectFrom('audit_log')
      .select(['person_ids', 'details'])
      .where('action', '=', 'evacuation.boarding_passes.send')
      .execute();
    assert.equal(audit.length, 1);
    assert.deepEqual(JSON.parse(audit[0]!.person_ids).sort(), [s.arabicReader, s.mailReader].sort());
  });

  test('the link opens the pass: the QR code drawn on the server, in the message’s language', async () => {
    const page = await t.anonymous({ url: arabicPass });
    assert.equal(page.statusCode, 200, page.body);
    assert.match(String(page.headers['content-type']), /^text\/html/);
    assert.equal(page.headers['cache-control'], 'no-store');
    assert.match(page.body, /<html lang="ar" dir="rtl">/);
    assert.ok(page.body.includes(PASS_MESSAGES.ar['page.title']));
    assert.match(page.body, /<svg role="img"[^>]*viewBox="0 0 \d+ \d+"/);
    assert.ok(page.body.includes(tokenOf(arabicPass)));
    assert.doesNotMatch(page.body, /Holder|<script/, 'no name, no script');
    const english = await t.anonymous({
      url: arabicPass.replace('?lang=ar', ''),
      headers: { 'accept-language': 'en' },
    });
    assert.match(english.body, /<html lang="en" dir="ltr">/);
    const shown = await t.database.db
      .selectFrom('audit_log')
      .select('person_ids')
      .where('action', '=', 'evacuation.boarding_pass.view')
      .execute();
    assert.ok(shown.length >= 2 && JSON.parse(shown[0]!.person_ids)[0] === s.arabicReader, 'audited');

    const [prefix, payload, signature] = tokenOf(arabicPass).split('.') as [string, string, string];
    const forged = `${prefix}.${payload}.${signature.startsWith('A') ? 'B' : 'A'}${signature.slice(1)}`;
    const refused = await t.anonymous({ url: `/pass/${forged}?lang=en` });
    assert.equal(refused.statusCode, 404);
    assert.ok(refused.body.includes(PASS_MESSAGES.en['page.invalid']));
    assert.doesNotMatch(refused.body, /<svg/);
    assert.equal((await t.anonymous({ url: '/pass/not-a-pass' })).statusCode, 404);
  });

  test('the pass from the message boards; sending again sends nothing twice', async () => {
    await expectStatus(scan(tokenOf(arabicPass), s.early), 200);
    const boardedPage = await t.anonymous({ url: arabicPass });
    assert.equal(boardedPage.statusCode, 200);
    assert.ok(boardedPage.body.includes(PASS_MESSAGES.ar['page.boarded']));

    const messagesBefore = await t.database.db.selectFrom('direct_messages').select('id').execute();
    const again = await expectStatus(send(s.early), 200);
    assert.deepEqual(again.counts, { sent: 0, alreadySent: 1, unreachable: 1, alreadyBoarded: 1 });
    const messagesAfter = await t.database.db.selectFrom('direct_messages').select('id').execute();
    assert.equal(messagesAfter.length, messagesBefore.length, 'nothing queued');
  });

  test('a re-plan moves someone: their new pass is sent, the old one no longer boards them', async () => {
    // One seat left on the early bus, held by the person aboard: the others move to the late one.
    const change = await expectStatus(officer('PATCH', `/api/evacuation/legs/${s.early}`, { seats: 1 }), 200);
    assert.equal(change.replan.trigger, 'leg_changed');
    await expectStatus(scan(tokenOf(mailPass), s.early), 409, 'evacuation.wrong_leg');
    const oldPage = await t.anonymous({ url: mailPass });
    assert.equal(oldPage.statusCode, 410);
    assert.ok(oldPage.body.includes(PASS_MESSAGES.en['page.replaced']));

    const sent = await expectStatus(send(s.late, { personIds: [s.mailReader] }), 200);
    assert.deepEqual(sent.counts, { sent: 1, alreadySent: 0, unreachable: 0, alreadyBoarded: 0 });
    await eventually(() => smtp.messages.length === 2, 10_000, 'the new pass by e-mail');
    const newPass = pathOfPass(smtp.messages[1]!.text ?? '');
    assert.notEqual(tokenOf(newPass), tokenOf(mailPass));
    assert.match(smtp.messages[1]!.subject, /Port Rashid \+9h/);
    await expectStatus(scan(tokenOf(mailPass), s.late), 409, 'evacuation.wrong_leg');
    await expectStatus(scan(tokenOf(newPass), s.late), 200);

    await expectStatus(send(s.late, { personIds: [s.arabicReader] }), 422, 'evacuation.person_not_on_leg');
  });

  test('no passes for a leg that can no longer be boarded', async () => {
    await expectStatus(officer('POST', `/api/evacuation/legs/${s.late}/close-boarding`), 200);
    await expectStatus(send(s.late), 409, 'evacuation.boarding_closed');
    await expectStatus(
      callerFor(t, 'analyst')('POST', `/api/evacuation/legs/${s.late}/boarding-passes/send`, {}),
      403,
      'access.forbidden',
    );
  });
});
