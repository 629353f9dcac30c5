import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import type { Browser, BrowserContext, BrowserContextOptions, Page } from 'playwright-core';
import {
  enqueue,
  seedAuthor,
  seedIssuedAlert,
  seedPeople,
} from '../../src/modules/delivery/delivery.test-kit.ts';
import { createOrganization, createPost } from '../../src/modules/registry/directory.service.ts';
import type { RunningWorker } from '../../src/worker.ts';
import { browserSkipReason, ensureWebBuilt, launchChromium } from '../helpers/browser.ts';
import { openTestDatabase, type TestDatabase } from '../helpers/database.ts';
import { startWebAndWorker } from '../helpers/server.ts';
import { type SmppPeer, startSmppPeer } from '../peers/smpp-server.ts';
import { type SmtpPeer, startSmtpPeer } from '../peers/smtp-server.ts';

// The migrant app in headless Chromium at a phone's size, against the real server and a real delivery
// worker on loopback: sign-in codes travel through the outbox to an SMPP centre (SMS) and a mail server
// (e-mail) that are real protocol peers, and the test reads them there, as a person reads their phone.
// One person signs in by phone in English, sees the alert, answers "safe", presses SOS with the phone's
// location and finds the request listed; another signs in by e-mail in Arabic (right to left). The app
// also opens with no connection, from its service worker.

const PHONE = '+971501110001';
const EMAIL = 'layla.haddad@mail.test';
const POST_NAME = 'Embassy in Abu Dhabi (test)';
const HEADLINE_EN = 'Armed clashes near the port';
const HEADLINE_AR = 'اشتباكات مسلحة قرب الميناء';
const DUBAI = { latitude: 25.2048, longitude: 55.2708 };

const PHONE_VIEWPORT: BrowserContextOptions = {
  viewport: { width: 390, height: 844 },
  deviceScaleFactor: 3,
  isMobile: true,
  hasTouch: true,
};

describe('the migrant app on a phone', { skip: browserSkipReason() }, () => {
  let database: TestDatabase | undefined;
  let app: FastifyInstance | undefined;
  let worker: RunningWorker | undefined;
  let browser: Browser | undefined;
  let smpp: SmppPeer | undefined;
  let smtp: SmtpPeer | undefined;
  const contexts: BrowserContext[] = [];
  let dataDir = '';
  let base = '';
  let phonePerson = '';
  let emailPerson = '';
  let alertId = '';
  const pageErrors: string[] = [];
  const blocked: string[] = [];

  /** A phone-sized browser tab whose traffic may reach only the test server. */
  async function phone(options: BrowserContextOptions = {}): Promise<Page> {
    const context = await browser!.newContext({
      ...PHONE_VIEWPORT,
      baseURL: base,
      serviceWorkers: 'block',
      ...options,
    });
    contexts.push(context);
    await context.route('**/*', async (route) => {
      const url = new URL(route.request().url());
      if (url.hostname === '127.0.0.1') return route.continue();
      blocked.push(url.origin);
      return route.abort('blockedbyclient');
    });
    const page = await context.newPage();
    page.setDefaultTimeout(15_000);
    page.on('pageerror', (error) => pageErrors.push(error.message));
    return page;
  }

  before(async () => {
    browser = await launchChromium();
    const webDir = ensureWebBuilt();
    dataDir = mkdtempSync(join(tmpdir(), 'haven-e2e-migrant-'));
    database = await openTestDatabase();
    const { db } = database;
    smpp = await startSmppPeer();
    smtp = await startSmtpPeer();

    const origin = await createOrganization(db, {
      name: 'Ministry (test)',
      type: 'origin_state',
      country: 'PH',
    });
    await createPost(db, {
      organizationId: origin.id,
      name: POST_NAME,
      kind: 'embassy',
      country: 'AE',
      jurisdiction: ['AE'],
      phone: '+97124441234',
    });
    const ids = await seedPeople(db, [
      { country: 'AE', contacts: [{ kind: 'phone', value: PHONE }] },
      { country: 'AE', contacts: [{ kind: 'email', value: EMAIL }] },
    ]);
    phonePerson = ids[0]!;
    emailPerson = ids[1]!;
    await db
      .insertInto('person_languages')
      .values([
        { person_id: phonePerson, rank: 0, language: 'en' },
        { person_id: emailPerson, rank: 0, language: 'ar' },
      ])
      .execute();

    const started = await startWebAndWorker({
      database,
      dataDir,
      webDir,
      smppPort: smpp.port,
      smtpPort: smtp.port,
    });
    ({ app, worker, base } = started);

    // An issued alert in English and Arabic reaches both people through the same worker.
    const author = await seedAuthor(db);
    alertId = await seedIssuedAlert(db, {
      author,
      recipients: [phonePerson, emailPerson],
      level: 3,
      infos: [
        { language: 'en', headline: HEADLINE_EN, smsText: 'Embassy alert: stay indoors.' },
        { language: 'ar', headline: HEADLINE_AR, smsText: 'تنبيه من السفارة: ابقوا في منازلكم.' },
      ],
      languageOf: (index) => (index === 0 ? 'en' : 'ar'),
    });
    await enqueue(db, alertId, started.settings);
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

  /** The code in the newest SMS the SMS centre received for a number, once the worker sent it. */
  async function smsCode(number: string, after: number): Promise<string> {
    const digits = number.slice(1);
    const codeIn = () =>
      smpp!.submits
        .slice(after)
        .filter((s) => s.destinationAddr === digits)
        .map((s) => /\b(\d{6})\b/.exec(s.text)?.[1])
        .find(Boolean);
    await smpp!.waitFor(() => codeIn() !== undefined, 15_000);
    return codeIn()!;
  }

  test('sign in by phone with the SMS code, see the alert, answer safe, press SOS, see the request', async () => {
    const page = await phone({ locale: 'en-US', geolocation: DUBAI, permissions: ['geolocation'] });
    await page.goto('/app');
    await page.getByRole('heading', { level: 1, name: 'Sign in' }).waitFor();
    assert.equal(await page.evaluate(() => document.documentElement.dir), 'ltr');

    const sentBefore = smpp!.submits.length;
    await page.getByLabel('Phone number or e-mail').fill(PHONE);
    await page.getByRole('button', { name: 'Send me a code' }).click();
    await page.getByRole('heading', { level: 1, name: 'Enter your code' }).waitFor();
    const code = await smsCode(PHONE, sentBefore);
    await page.getByLabel('6-digit code').fill(code);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { level: 1, name: /^Hello, / }).waitFor();

    // The alert, on the home screen and under Alerts.
    await page.getByRole('heading', { name: HEADLINE_EN }).waitFor();
    await page.getByRole('navigation').getByRole('link', { name: 'Alerts' }).tap();
    await page.getByRole('heading', { level: 1, name: 'My alerts' }).waitFor();
    await page.locator(`[data-alert-id="${alertId}"]`).getByText('Level 3').waitFor();

    // "I am safe", one tap.
    await page.getByRole('navigation').getByRole('link', { name: 'Home' }).tap();
    await page.getByRole('button', { name: 'I am safe' }).tap();
    await page.getByText('Thank you. The embassy knows you are safe.').waitFor();
    const answer = await database!.db
      .selectFrom('responses')
      .select(['answer', 'channel', 'alert_id'])
      .where('person_id', '=', phonePerson)
      .executeTakeFirstOrThrow();
    assert.deepEqual(answer, { answer: 'safe', channel: 'web', alert_id: alertId });

    // SOS, with the phone's location.
    await page.getByRole('button', { name: 'SOS' }).tap();
    await page.getByRole('alertdialog', { name: 'Send an SOS?' }).waitFor();
    await page.getByRole('button', { name: 'Send SOS now' }).tap();
    await page.getByText('SOS sent. The embassy has your request.').waitFor();
    await page.getByText('Your location was sent with it.').waitFor();
    const sos = await database!.db
      .selectFrom('help_requests')
      .select(['id', 'is_sos', 'lat', 'lng', 'channel'])
      .where('person_id', '=', phonePerson)
      .executeTakeFirstOrThrow();
    assert.equal(sos.is_sos, 1);
    assert.equal(sos.channel, 'web');
    assert.ok(Math.abs(sos.lat! - DUBAI.latitude) < 1e-6 && Math.abs(sos.lng! - DUBAI.longitude) < 1e-6);

    // The request, listed.
    await page.getByRole('navigation').getByRole('link', { name: 'My requests' }).tap();
    const request = page.locator(`[data-request-id="${sos.id}"]`);
    await request.getByText('SOS').first().waitFor();
    await request.getByText('Received').waitFor();

    // The embassy, one tap to call.
    await page.getByRole('navigation').getByRole('link', { name: 'Embassy' }).tap();
    await page.getByRole('heading', { name: POST_NAME }).waitFor();
    assert.equal(await page.getByRole('link', { name: /Call/ }).getAttribute('href'), 'tel:+97124441234');

    // Nothing wider than the phone's screen.
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok(overflow <= 0, `the page is ${overflow}px wider than the screen`);
  });

  test('in Arabic: right to left, Arabic text, sign-in by e-mail code, answer and SOS without a location', async () => {
    const page = await phone({ locale: 'ar' });
    await page.goto('/app');
    await page.getByRole('heading', { level: 1, name: 'تسجيل الدخول' }).waitFor();
    assert.equal(await page.evaluate(() => document.documentElement.dir), 'rtl');
    assert.equal(await page.evaluate(() => document.documentElement.lang), 'ar');

    const mailsBefore = smtp!.messages.length;
    await page.getByLabel('رقم الهاتف أو البريد الإلكتروني').fill(EMAIL);
    await page.getByRole('button', { name: 'أرسل لي رمزًا' }).click();
    await page.getByRole('heading', { level: 1, name: 'أدخل الرمز' }).waitFor();
    await smtp!.waitFor(
      () => smtp!.messages.slice(mailsBefore).some((m) => m.rcptTo.includes(EMAIL)),
      15_000,
    );
    const mail = smtp!.messages.slice(mailsBefore).find((m) => m.rcptTo.includes(EMAIL))!;
    assert.match(mail.text ?? '', /\p{Script=Arabic}/u, 'the code comes in Arabic');
    const code = /\b(\d{6})\b/.exec(mail.text ?? '')?.[1];
    assert.ok(code, 'the e-mail carries the code');
    await page.getByLabel('الرمز المكوّن من 6 أرقام').fill(code);
    await page.getByRole('button', { name: 'دخول' }).click();
    await page.getByRole('heading', { level: 1, name: /^مرحبًا، / }).waitFor();

    await page.getByRole('heading', { name: HEADLINE_AR }).waitFor();
    assert.equal(await page.getByRole('heading', { name: 'هل أنت بأمان؟' }).isVisible(), true);
    const tabs = page.getByRole('navigation', { name: 'القائمة الرئيسية' });
    const [first, last] = await Promise.all([
      tabs.getByRole('link', { name: 'الرئيسية' }).boundingBox(),
      tabs.getByRole('link', { name: 'السفارة' }).boundingBox(),
    ]);
    assert.ok(first && last && first.x > last.x, 'the tab bar runs right to left');

    await page.getByRole('button', { name: 'أنا بأمان' }).tap();
    await page.getByText('شكرًا لك. السفارة تعلم أنك بأمان.').waitFor();

    await page.getByRole('button', { name: 'نجدة' }).tap();
    await page.getByRole('button', { name: 'أرسل نداء النجدة الآن' }).tap();
    await page.getByText('أُرسل نداء النجدة. تلقت السفارة طلبك.').waitFor();
    await page.getByText('تعذر تحديد موقعك، فأُرسل النداء من دونه.').waitFor();
    const sos = await database!.db
      .selectFrom('help_requests')
      .select(['is_sos', 'lat'])
      .where('person_id', '=', emailPerson)
      .executeTakeFirstOrThrow();
    assert.deepEqual(sos, { is_sos: 1, lat: null });

    // Switching language in the app: Amharic, left to right again.
    await page.getByRole('combobox', { name: 'اللغة' }).selectOption('am');
    await page.getByRole('heading', { name: 'ደህና ነዎት?' }).waitFor();
    assert.equal(await page.evaluate(() => document.documentElement.dir), 'ltr');
  });

  test('the app is installable and opens with no connection', async () => {
    const manifest = await (await fetch(`${base}/app/manifest.webmanifest`)).json();
    assert.equal(manifest.start_url, '/app/');
    assert.equal(manifest.display, 'standalone');
    for (const icon of manifest.icons as { src: string; type: string }[]) {
      const res = await fetch(`${base}${icon.src}`);
      assert.equal(res.status, 200, icon.src);
      assert.equal(res.headers.get('content-type')?.split(';')[0], icon.type);
    }

    const context = await browser!.newContext({ ...PHONE_VIEWPORT, baseURL: base, locale: 'en-US' });
    contexts.push(context);
    const page = await context.newPage();
    page.setDefaultTimeout(15_000);
    page.on('pageerror', (error) => pageErrors.push(error.message));
    await page.goto('/app');
    assert.equal(new URL(page.url()).pathname, '/app/', '/app leads into the service worker scope');
    await page.getByRole('heading', { level: 1, name: 'Sign in' }).waitFor();
    await page.evaluate(async () => {
      await Promise.race([
        navigator.serviceWorker.ready,
        new Promise((_, reject) => setTimeout(() => reject(new Error('no service worker')), 10_000)),
      ]);
      if (!navigator.serviceWorker.controller)
        await new Promise((resolve) => navigator.serviceWorker.addEventListener('controllerchange', resolve));
    });
    await context.setOffline(true);
    await page.reload();
    await page.getByText('You are offline. Answers and SOS need a connection.').waitFor();
    await page.getByRole('alert').getByText('No connection. Check your signal and try again.').waitFor();
    await context.setOffline(false);
    await page.getByRole('button', { name: 'Try again' }).click();
    await page.getByRole('heading', { level: 1, name: 'Sign in' }).waitFor();
  });

  test('nothing failed in the pages and nothing left the machine', () => {
    assert.deepEqual(pageErrors, []);
    assert.deepEqual(blocked, []);
  });
});
