import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import type { Channel } from '../../src/channels/channel.ts';
import { createSmtpChannel } from '../../src/channels/email-smtp.ts';
import { createSmppChannel, type SmppChannel } from '../../src/channels/sms-smpp.ts';
import { loadConfig } from '../../src/config.ts';
import type { Role } from '../../src/domain/access/policy.ts';
import { createApiToken, totpCode } from '../../src/modules/access/auth.service.ts';
import { alertBody } from '../../src/modules/alerts/alerts.test-kit.ts';
import { testSettings } from '../../src/modules/delivery/delivery.test-kit.ts';
import { type DemoCredential, seedDemoUsers } from '../../src/modules/seed/demo-users.ts';
import { seedDemo } from '../../src/modules/seed/seed.service.ts';
import { type RunningServer, startServer } from '../../src/server.ts';
import { type RunningWorker, startWorker } from '../../src/worker.ts';
import {
  browserSkipReason,
  ensureWebBuilt,
  type IsolatedPage,
  launchChromium,
  openIsolatedPage,
} from '../helpers/browser.ts';
import { openTestDatabase, type TestDatabase, testMasterKey } from '../helpers/database.ts';
import { type SmppPeer, startSmppPeer } from '../peers/smpp-server.ts';
import { type SmtpPeer, startSmtpPeer } from '../peers/smtp-server.ts';

// The live delivery panel, in headless Chromium against the real server on loopback. An alert is issued
// through the API to a small synthetic population; the crisis manager watches its page while nothing
// sends (everything queued), then a delivery worker starts against a loopback SMS centre and mail
// server, and the counts move to sent without a reload; the SMS centre's receipts then move them to
// delivered. The same panel reads in Arabic, right to left.

type Status = {
  channels: Array<{ channel: string; total: number; sent: number; delivered: number }>;
  totals: { total: number; queued: number; sending: number };
  settled: boolean;
};

describe('live delivery in the console', { skip: browserSkipReason() }, () => {
  let database: TestDatabase | undefined;
  let server: RunningServer | undefined;
  let worker: RunningWorker | undefined;
  let browser: Browser | undefined;
  let smpp: SmppPeer | undefined;
  let smtp: SmtpPeer | undefined;
  let tab: IsolatedPage | undefined;
  let page: Page;
  let dataDir = '';
  let base = '';
  const tokens = new Map<Role, string>();
  let accounts: Map<Role, DemoCredential>;
  let alertId = '';
  let channels: { sms: SmppChannel; email: Channel } | undefined;

  const api = async <T>(role: Role, method: string, path: string, body?: unknown): Promise<T> => {
    const response = await fetch(`${base}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${tokens.get(role)}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? null : JSON.stringify(body),
    });
    const answer = await response.json();
    assert.ok(response.ok, JSON.stringify(answer));
    return answer as T;
  };

  /** Waits until one cell of the panel's table (a channel, or `total`, by a state) shows a number. */
  const waitForCell = async (channel: string, state: string, value: number) => {
    const expected = new Intl.NumberFormat('en').format(value);
    await page.waitForFunction(
      ([selector, text]) => document.querySelector(selector ?? '')?.textContent === text,
      [`.delivery-table tr[data-channel="${channel}"] td[data-state="${state}"]`, expected],
      { timeout: 20_000 },
    );
  };

  before(async () => {
    browser = await launchChromium();
    const webDir = ensureWebBuilt();
    dataDir = mkdtempSync(join(tmpdir(), 'haven-e2e-delivery-'));
    database = await openTestDatabase();
    await seedDemo(database, { people: 60, seed: 5 });
    accounts = new Map((await seedDemoUsers(database.db)).map((c) => [c.role, c]));
    for (const role of ['hq_admin', 'crisis_manager'] as const) {
      const account = accounts.get(role);
      assert.ok(account, `the demo seeding makes a ${role}`);
      tokens.set(role, (await createApiToken(database.db, { email: account.email, expiresInDays: 1 })).token);
    }
    smpp = await startSmppPeer();
    smtp = await startSmtpPeer();
    const env = { LOG_LEVEL: 'silent', HOST: '127.0.0.1', HAVEN_DATA_DIR: dataDir, HAVEN_WEB_DIR: webDir };
    server = await startServer({
      ...loadConfig(env),
      database: database.config,
      masterKey: testMasterKey,
      port: 0,
    });
    base = `http://127.0.0.1:${(server.app.server.address() as AddressInfo).port}`;
  });

  after(async () => {
    await tab?.context.close();
    await browser?.close();
    await worker?.close();
    await Promise.allSettled(Object.values(channels ?? {}).map((c) => c.close()));
    await server?.close();
    await smpp?.close();
    await smtp?.close();
    await database?.drop();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  test('an issued alert shows everything queued while no worker runs', async () => {
    for (const [i, phone] of ['+971501110001', '+971501110002', '+971501110003'].entries()) {
      await api('hq_admin', 'POST', '/api/persons', {
        givenNames: `Synthetic Recipient ${i}`,
        sex: 'female',
        languages: ['en'],
        location: { lat: 25.2, lon: 55.27, country: 'AE' },
        phones: [{ value: phone, consent: true }],
      });
    }
    const drafted = await api<{ id: string }>(
      'hq_admin',
      'POST',
      '/api/alerts',
      alertBody({ countries: ['AE'] }),
    );
    alertId = drafted.id;
    await api('hq_admin', 'POST', `/api/alerts/${alertId}/submit`, {});
    await api('crisis_manager', 'POST', `/api/alerts/${alertId}/approve`, {});
    await api('hq_admin', 'POST', `/api/alerts/${alertId}/issue`, {});
    const status = await api<Status>('hq_admin', 'GET', `/api/alerts/${alertId}/delivery`);
    assert.ok(status.totals.total >= 3, 'at least the three people with phones are queued');

    tab = await openIsolatedPage(browser!, base);
    page = tab.page;
    const manager = accounts.get('crisis_manager')!;
    await page.goto(`/alerts/${alertId}`);
    await page.getByRole('heading', { level: 1, name: 'Sign in' }).waitFor();
    await page.getByLabel('E-mail address').fill(manager.email);
    await page.getByLabel('Password').fill(manager.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    if (manager.totpSecret) {
      await page.getByLabel('6-digit code').fill(totpCode(manager.totpSecret));
      await page.getByRole('button', { name: 'Confirm' }).click();
    }
    await page.getByRole('heading', { level: 2, name: 'Delivery' }).waitFor();
    await waitForCell('total', 'queued', status.totals.total);
    await waitForCell('total', 'sent', 0);
    await page.locator('[data-delivery-connection="live"]').waitFor();
    assert.equal(await page.getByRole('progressbar').getAttribute('aria-valuenow'), '0');
  });

  test('a worker starts: the counts move to sent, then to delivered with the receipts, live', async () => {
    const settings = testSettings();
    channels = {
      sms: createSmppChannel({
        host: '127.0.0.1',
        port: smpp!.port,
        systemId: 'haven',
        password: 'secret',
        sourceAddr: 'EMBASSY',
      }),
      email: createSmtpChannel({ host: '127.0.0.1', port: smtp!.port, from: 'alerts@embassy.test' }),
    };
    // Channels handed to a worker stay open when it stops: the test closes them (see after()).
    worker = await startWorker(loadConfig({ LOG_LEVEL: 'silent', HAVEN_DATA_DIR: dataDir }), {
      database: database!,
      settings,
      replySecret: settings.replyTokenSecret!,
      channels,
      log: () => {},
    });
    const pageAtStart = page.url();
    const deadline = Date.now() + 30_000;
    const sent = await (async () => {
      for (;;) {
        const s = await api<Status>('hq_admin', 'GET', `/api/alerts/${alertId}/delivery`);
        if (s.settled) return s;
        assert.ok(Date.now() < deadline, `delivery did not settle: ${JSON.stringify(s.totals)}`);
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    })();
    const sms = sent.channels.find((c) => c.channel === 'sms');
    assert.ok(sms && sms.sent === sms.total, 'every SMS went to the SMS centre');
    await waitForCell('total', 'queued', 0);
    await waitForCell('sms', 'sent', sms.total);
    await page.getByText('Finished').waitFor();

    for (const submit of smpp!.submits) await smpp!.sendReceipt(submit.messageId, { stat: 'DELIVRD' });
    await waitForCell('sms', 'delivered', sms.total);
    await waitForCell('sms', 'sent', 0);
    assert.equal(page.url(), pageAtStart, 'no reload: the counts came over the stream');
    assert.equal(await page.getByRole('progressbar').getAttribute('aria-valuenow'), '100');
  });

  test('the panel reads in Arabic, right to left', async () => {
    await page.getByLabel('Language').selectOption('ar');
    await page.getByRole('heading', { level: 2, name: 'الإرسال' }).waitFor();
    assert.equal(await page.locator('html').getAttribute('dir'), 'rtl');
    await page.getByRole('columnheader', { name: 'وصلت' }).waitFor();
    await page.getByText('اكتمل').waitFor();
  });
});
