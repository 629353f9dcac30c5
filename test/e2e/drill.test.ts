import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import type { Role } from '../../src/domain/access/policy.ts';
import { createApiToken, totpCode } from '../../src/modules/access/auth.service.ts';
import { alertBody } from '../../src/modules/alerts/alerts.test-kit.ts';
import { runFollowUpStep } from '../../src/modules/followups/followups.scheduler.ts';
import { followUpSettingsFrom } from '../../src/modules/followups/followups.settings.ts';
import { createOrganization, createPost } from '../../src/modules/registry/directory.service.ts';
import { type DemoCredential, seedDemoUsers } from '../../src/modules/seed/demo-users.ts';
import type { RunningWorker } from '../../src/worker.ts';
import { browserSkipReason, ensureWebBuilt, launchChromium } from '../helpers/browser.ts';
import { openTestDatabase, type TestDatabase } from '../helpers/database.ts';
import { startWebAndWorker } from '../helpers/server.ts';
import { type SmppPeer, startSmppPeer } from '../peers/smpp-server.ts';
import { type SmtpPeer, startSmtpPeer } from '../peers/smtp-server.ts';

// A drill, end to end, on whichever database the suite runs on: a crisis manager's drill alert (an
// Exercise) goes out through a real delivery worker to a loopback SMS centre and mail server; people
// answer by SMS in Filipino, Arabic, Amharic and Spanish, by the one-tap reply link with JavaScript off,
// and by SOS from the migrant app on a phone; the SOS and the call for help become triaged cases an
// officer works; the silent person gets a follow-up on another channel and then lands on the call list;
// and the officer's accountability board follows all of it live, without a reload.

const HEADLINE = 'اشتباكات مسلحة في المدينة';
const RIYADH = { lat: 24.71, lon: 46.67 };

type Person = { key: string; language: string; phone?: string; email?: string; id?: string };

const PEOPLE: Person[] = [
  { key: 'filipino', language: 'fil', phone: '+966501230001' },
  { key: 'arabic', language: 'ar', phone: '+966501230002' },
  { key: 'amharic', language: 'am', phone: '+966501230003' },
  { key: 'spanish', language: 'es', phone: '+966501230004' },
  { key: 'link', language: 'en', phone: '+966501230005' },
  { key: 'sos', language: 'en', email: 'sos.person@mail.test' },
  { key: 'silent', language: 'en', phone: '+966501230007', email: 'silent.person@mail.test' },
];
const person = (key: string) => PEOPLE.find((p) => p.key === key)!;

describe('a drill end to end: alert, replies, SOS, triage, follow-ups, live board', {
  skip: browserSkipReason(),
}, () => {
  let database: TestDatabase | undefined;
  let app: FastifyInstance | undefined;
  let worker: RunningWorker | undefined;
  let browser: Browser | undefined;
  let smpp: SmppPeer | undefined;
  let smtp: SmtpPeer | undefined;
  const contexts: BrowserContext[] = [];
  const pageErrors: string[] = [];
  const blocked: string[] = [];
  let dataDir = '';
  let base = '';
  let alertId = '';
  const tokens = new Map<Role, string>();
  let officer: DemoCredential;
  let board: Page;

  const api = async <T>(method: string, path: string, body?: unknown, role: Role = 'hq_admin') => {
    const response = await fetch(`${base}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${tokens.get(role)}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? null : JSON.stringify(body),
    });
    const answer = await response.json();
    assert.ok(response.ok, `${method} ${path}: ${JSON.stringify(answer)}`);
    return answer as T;
  };

  /** A browser tab that may reach only the test server. */
  async function tab(options: Parameters<Browser['newContext']>[0] = {}): Promise<Page> {
    const context = await browser!.newContext({ baseURL: base, serviceWorkers: 'block', ...options });
    contexts.push(context);
    await context.route('**/*', async (route) => {
      const url = new URL(route.request().url());
      if (url.hostname === '127.0.0.1') return route.continue();
      blocked.push(url.origin);
      return route.abort('blockedbyclient');
    });
    const page = await context.newPage();
    page.setDefaultTimeout(20_000);
    page.on('pageerror', (error) => pageErrors.push(error.message));
    return page;
  }

  const figure = (key: string) => board.locator(`[data-figure="${key}"] .board-figure__value`);
  const waitForFigure = (key: string, value: number) =>
    board
      .locator(`[data-figure="${key}"] .board-figure__value`, { hasText: new RegExp(`^${value}$`) })
      .waitFor();

  /** Everything the SMS centre received for a number, segments joined in order. */
  const smsTo = (digits: string) =>
    smpp!.submits
      .filter((s) => s.destinationAddr === digits)
      .map((s) => s.text)
      .join('');

  /** The latest answer each person gave to the drill, by person key. */
  async function answers(): Promise<
    Map<string, { answer: string; channel: string; language: string | null }>
  > {
    const rows = await database!.db
      .selectFrom('responses')
      .select(['person_id', 'answer', 'channel', 'language', 'received_at'])
      .where('alert_id', '=', alertId)
      .orderBy('received_at')
      .execute();
    const byId = new Map(rows.map((r) => [r.person_id, r]));
    return new Map(
      PEOPLE.filter((p) => byId.has(p.id!)).map((p) => {
        const r = byId.get(p.id!)!;
        return [p.key, { answer: r.answer, channel: r.channel, language: r.language }];
      }),
    );
  }

  before(async () => {
    browser = await launchChromium();
    const webDir = ensureWebBuilt();
    dataDir = mkdtempSync(join(tmpdir(), 'haven-e2e-drill-'));
    database = await openTestDatabase();
    const { db } = database;
    smpp = await startSmppPeer();
    smtp = await startSmtpPeer();
    const origin = await createOrganization(db, {
      name: 'Ministry of Foreign Affairs (drill)',
      type: 'origin_state',
      country: 'PH',
    });
    await createPost(db, {
      organizationId: origin.id,
      name: 'Embassy in Riyadh (drill)',
      kind: 'embassy',
      country: 'SA',
      jurisdiction: ['SA'],
      phone: '+966114441234',
    });
    const accounts = new Map((await seedDemoUsers(db)).map((c) => [c.role, c]));
    officer = accounts.get('consular_officer')!;
    for (const role of ['hq_admin', 'crisis_manager', 'consular_officer'] as const) {
      const account = accounts.get(role)!;
      tokens.set(role, (await createApiToken(db, { email: account.email, expiresInDays: 1 })).token);
    }

    ({ app, worker, base } = await startWebAndWorker({
      database,
      dataDir,
      webDir,
      smppPort: smpp.port,
      smtpPort: smtp.port,
    }));

    for (const [i, p] of PEOPLE.entries()) {
      const created = await api<{ id: string }>('POST', '/api/persons', {
        givenNames: `Drill ${p.key}`,
        familyName: 'Synthetic',
        sex: i % 2 ? 'male' : 'female',
        birthYear: 1970 + i * 5,
        languages: [p.language],
        location: { lat: RIYADH.lat + i * 0.01, lon: RIYADH.lon, country: 'SA' },
        ...(p.phone ? { phones: [{ value: p.phone, consent: true }] } : {}),
        ...(p.email ? { emails: [{ value: p.email, consent: true }] } : {}),
      });
      p.id = created.id;
    }
  });

  after(async () => {
    for (const context of contexts) await context.close().catch(() => {});
    await browser?.close();
    await worker?.close();
    await app?.close();
    await smpp?.close();
    await smtp?.close();
    await database?.drop();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  test('the drill is issued and reaches everyone, by SMS or e-mail, marked as an exercise', async () => {
    const drafted = await api<{ id: string }>(
      'POST',
      '/api/alerts',
      alertBody({ countries: ['SA'] }, { status: 'Exercise' }),
    );
    alertId = drafted.id;
    await api('POST', `/api/alerts/${alertId}/submit`, {});
    await api('POST', `/api/alerts/${alertId}/approve`, {}, 'crisis_manager');
    await api('POST', `/api/alerts/${alertId}/issue`, {});
    const issued = await api<{ status: string; drill: boolean }>('GET', `/api/alerts/${alertId}`);
    assert.equal(issued.drill, true, 'the alert is an exercise');

    const texted = PEOPLE.filter((p) => p.phone).map((p) => p.phone!.slice(1));
    await smpp!.waitFor(
      () => texted.every((n) => smpp!.submits.some((s) => s.destinationAddr === n)),
      20_000,
    );
    await smtp!.waitFor(() => smtp!.messages.some((m) => m.rcptTo.includes(person('sos').email!)), 20_000);
    for (const number of texted) {
      assert.match(smsTo(number), /\/r\/[A-Za-z0-9_-]+/, 'every SMS carries a reply link');
    }
  });

  test('the officer opens the live board: everyone targeted, nobody has answered', async () => {
    board = await tab({ viewport: { width: 1280, height: 900 }, locale: 'en-US' });
    await board.goto('/board');
    await board.getByLabel('E-mail address').fill(officer.email);
    await board.getByLabel('Password').fill(officer.password);
    await board.getByRole('button', { name: 'Sign in' }).click();
    if (officer.totpSecret) {
      await board.getByLabel('6-digit code').fill(totpCode(officer.totpSecret));
      await board.getByRole('button', { name: 'Confirm' }).click();
    }
    await board.getByRole('heading', { level: 1, name: 'Accountability board' }).waitFor();
    await board.getByRole('link', { name: HEADLINE }).click();
    await board.getByRole('heading', { level: 1, name: HEADLINE }).waitFor();
    await board.locator('[data-board-connection="live"]').waitFor();
    await waitForFigure('targeted', PEOPLE.length);
    assert.equal(await figure('safe').textContent(), '0');
    assert.equal(await figure('noAnswer').textContent(), String(PEOPLE.length));
  });

  test('SMS replies in Filipino, Arabic, Amharic and Spanish are matched to the drill', async () => {
    const replies: Array<[string, string]> = [
      ['filipino', 'Ligtas po kami dito'],
      ['arabic', 'أنا آمن والحمد لله'],
      ['amharic', 'ደህና ነኝ'],
      ['spanish', '¡Necesito AYUDA!'],
    ];
    for (const [key, text] of replies) {
      // Phones send Arabic and Ethiopic script as UCS-2, Latin script as GSM 7-bit.
      const ucs2 = [...text].some((c) => (c.codePointAt(0) ?? 0) > 0xff);
      await smpp!.sendInbound({ from: person(key).phone!.slice(1), to: 'EMBASSY', text, ucs2 });
    }
    const deadline = Date.now() + 20_000;
    let got = await answers();
    while (['filipino', 'arabic', 'amharic', 'spanish'].some((k) => !got.has(k)) && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 100));
      got = await answers();
    }
    assert.deepEqual(got.get('filipino'), { answer: 'safe', channel: 'sms', language: 'fil' });
    assert.deepEqual(got.get('arabic'), { answer: 'safe', channel: 'sms', language: 'ar' });
    assert.deepEqual(got.get('amharic'), { answer: 'safe', channel: 'sms', language: 'am' });
    assert.deepEqual(got.get('spanish'), { answer: 'need_help', channel: 'sms', language: 'es' });
    await waitForFigure('safe', 3);
    await waitForFigure('needHelp', 1);
  });

  test('the one-tap reply link works with JavaScript off', async () => {
    const digits = person('link').phone!.slice(1);
    const link = /https?:\/\/\S+\/r\/[A-Za-z0-9_-]+/.exec(smsTo(digits))?.[0];
    assert.ok(link, 'the SMS carries the link');
    const page = await tab({ javaScriptEnabled: false, locale: 'en-US' });
    await page.goto(link);
    await page.getByRole('heading', { name: 'Are you safe?' }).waitFor();
    await page.getByRole('button', { name: 'I am safe' }).click();
    await page.getByText('We have recorded that you are safe.').waitFor();
    assert.deepEqual((await answers()).get('link')?.answer, 'safe');
    await waitForFigure('safe', 4);
  });

  test('SOS from the migrant app on a phone becomes a critical case the officer takes up', async () => {
    const page = await tab({
      viewport: { width: 390, height: 844 },
      isMobile: true,
      hasTouch: true,
      locale: 'en-US',
      geolocation: { latitude: RIYADH.lat, longitude: RIYADH.lon },
      permissions: ['geolocation'],
    });
    const email = person('sos').email!;
    const mailsBefore = smtp!.messages.length;
    await page.goto('/app');
    await page.getByLabel('Phone number or e-mail').fill(email);
    await page.getByRole('button', { name: 'Send me a code' }).click();
    await page.getByRole('heading', { level: 1, name: 'Enter your code' }).waitFor();
    const codeIn = () =>
      smtp!.messages
        .slice(mailsBefore)
        .filter((m) => m.rcptTo.includes(email))
        .map((m) => /\b(\d{6})\b/.exec(m.text ?? '')?.[1])
        .find(Boolean);
    const deadline = Date.now() + 20_000;
    while (!codeIn() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    const code = codeIn();
    assert.ok(code, 'the sign-in code arrived by e-mail');
    await page.getByLabel('6-digit code').fill(code);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { level: 1, name: /^Hello, / }).waitFor();
    await page.getByRole('button', { name: 'SOS' }).tap();
    await page.getByRole('button', { name: 'Send SOS now' }).tap();
    await page.getByText('SOS sent. The embassy has your request.').waitFor();

    const queue = await api<{
      items: Array<{
        id: string;
        person: { id: string };
        isSos: boolean;
        priority: string;
        reasons: Array<{ code: string }>;
        type: string;
      }>;
    }>('GET', '/api/help-requests', undefined, 'consular_officer');
    const sos = queue.items.find((i) => i.person.id === person('sos').id && i.isSos);
    assert.ok(sos, 'the SOS is in the officer’s queue');
    assert.equal(sos.priority, 'critical');
    assert.ok(
      sos.reasons.some((r) => r.code === 'sos'),
      'the officer sees why: an SOS',
    );
    assert.equal(queue.items[0]!.id, sos.id, 'the SOS heads the queue');
    const fromSms = queue.items.find((i) => i.person.id === person('spanish').id);
    assert.ok(fromSms, 'the Spanish "AYUDA" reply opened a case too');

    await api('POST', `/api/help-requests/${sos.id}/status`, { status: 'in_progress' }, 'consular_officer');
    await api(
      'POST',
      `/api/help-requests/${sos.id}/notes`,
      { text: 'Called back; family safe in a shelter.' },
      'consular_officer',
    );
    const worked = await database!.db
      .selectFrom('help_requests')
      .select(['status'])
      .where('id', '=', sos.id)
      .executeTakeFirstOrThrow();
    assert.equal(worked.status, 'in_progress');
    await waitForFigure('needHelp', 2);
  });

  test('the silent person gets a follow-up on another channel, then goes onto the call list', async () => {
    const issued = await database!.db
      .selectFrom('alerts')
      .select('issued_at')
      .where('id', '=', alertId)
      .executeTakeFirstOrThrow();
    const at = (minutes: number) => () => new Date(Date.parse(issued.issued_at!) + minutes * 60_000);
    const run = { settings: followUpSettingsFrom({}), channelOrder: ['push', 'sms', 'email'] as const };
    const silent = person('silent');
    const first = await runFollowUpStep(database!, {
      ...run,
      channelOrder: [...run.channelOrder],
      workerId: 'drill',
      now: at(31),
    });
    assert.equal(first.followUpsQueued, 1, 'only the silent person is followed up');
    // The scheduler's clock ran 31 minutes ahead; the follow-up it queued is due now on the worker's.
    await database!.db
      .updateTable('deliveries')
      .set({ next_attempt_at: new Date().toISOString() })
      .where('alert_id', '=', alertId)
      .where('person_id', '=', silent.id!)
      .where('state', '=', 'queued')
      .execute();
    await smtp!.waitFor(() => smtp!.messages.some((m) => m.rcptTo.includes(silent.email!)), 20_000);

    const second = await runFollowUpStep(database!, {
      ...run,
      channelOrder: [...run.channelOrder],
      workerId: 'drill',
      now: at(121),
    });
    assert.equal(second.callListAdded, 1, 'only the silent person goes onto the call list');
    const calls = await api<{ items: Array<{ id: string; personId: string }> }>(
      'GET',
      `/api/call-list?alert=${alertId}`,
      undefined,
      'consular_officer',
    );
    const call = calls.items.find((c) => c.personId === silent.id);
    assert.ok(call, 'the officer sees the silent person on the call list');
    await api('POST', `/api/call-list/${call.id}/outcome`, { outcome: 'reached_safe' }, 'consular_officer');
    assert.deepEqual((await answers()).get('silent'), { answer: 'safe', channel: 'officer', language: null });
  });

  test('the board ends the drill with everyone accounted for, updated live', async () => {
    await waitForFigure('safe', 5);
    await waitForFigure('needHelp', 2);
    await waitForFigure('noAnswer', 0);
    assert.deepEqual(blocked, [], 'nothing left the machine');
    assert.deepEqual(pageErrors, []);
  });
});
