import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { loadConfig } from '../../src/config.ts';
import { createApiToken, totpCode } from '../../src/modules/access/auth.service.ts';
import { alertBody } from '../../src/modules/alerts/alerts.test-kit.ts';
import { runFollowUpStep } from '../../src/modules/followups/followups.scheduler.ts';
import { followUpSettingsFrom } from '../../src/modules/followups/followups.settings.ts';
import { createOrganization, createPost } from '../../src/modules/registry/directory.service.ts';
import { type DemoCredential, seedDemoUsers } from '../../src/modules/seed/demo-users.ts';
import { type RunningServer, startServer } from '../../src/server.ts';
import {
  browserSkipReason,
  ensureWebBuilt,
  type IsolatedPage,
  launchChromium,
  openIsolatedPage,
} from '../helpers/browser.ts';
import { openTestDatabase, type TestDatabase, testMasterKey } from '../helpers/database.ts';

// The accountability board in headless Chromium against the real server on loopback. A consular officer
// of the post in Saudi Arabia opens the board of an issued alert from the list; an answer recorded
// through the API moves the figures on the open page without a reload (server-sent events); when the
// call list is due, the officer records a call's outcome from the board and sees it counted. The board
// also reads in Arabic, right to left.

// The alert's first language block is Arabic: the console names an alert by its first headline.
const HEADLINE = 'اشتباكات مسلحة في المدينة';

describe('the accountability board in the console', { skip: browserSkipReason() }, () => {
  let database: TestDatabase | undefined;
  let server: RunningServer | undefined;
  let browser: Browser | undefined;
  const tabs: IsolatedPage[] = [];
  let dataDir = '';
  let base = '';
  let adminToken = '';
  let managerToken = '';
  let officer: DemoCredential;
  let alertId = '';
  const people: string[] = [];

  const api = async <T>(method: string, path: string, body?: unknown, token = adminToken): Promise<T> => {
    const response = await fetch(`${base}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${token}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? null : JSON.stringify(body),
    });
    const answer = await response.json();
    assert.ok(response.ok, JSON.stringify(answer));
    return answer as T;
  };

  const openTab = async (): Promise<IsolatedPage> => {
    const opened = await openIsolatedPage(browser!, base);
    tabs.push(opened);
    return opened;
  };

  const signIn = async (p: Page, credential: DemoCredential, path: string) => {
    await p.goto(path);
    await p.getByLabel('E-mail address').fill(credential.email);
    await p.getByLabel('Password').fill(credential.password);
    await p.getByRole('button', { name: 'Sign in' }).click();
    if (credential.totpSecret) {
      await p.getByLabel('6-digit code').fill(totpCode(credential.totpSecret));
      await p.getByRole('button', { name: 'Confirm' }).click();
    }
  };

  const figure = (p: Page, key: string) => p.locator(`[data-figure="${key}"] .board-figure__value`);

  before(async () => {
    browser = await launchChromium();
    const webDir = ensureWebBuilt();
    dataDir = mkdtempSync(join(tmpdir(), 'haven-e2e-board-'));
    database = await openTestDatabase();
    const { db } = database;
    const origin = await createOrganization(db, {
      name: 'Ministry of Foreign Affairs (demo)',
      type: 'origin_state',
      country: 'PH',
    });
    await createPost(db, {
      organizationId: origin.id,
      name: 'Embassy in Riyadh (demo)',
      kind: 'embassy',
      country: 'SA',
      jurisdiction: ['SA'],
    });
    const accounts = new Map((await seedDemoUsers(db)).map((c) => [c.role, c]));
    officer = accounts.get('consular_officer')!;
    ({ token: adminToken } = await createApiToken(db, {
      email: accounts.get('hq_admin')!.email,
      expiresInDays: 1,
    }));
    ({ token: managerToken } = await createApiToken(db, {
      email: accounts.get('crisis_manager')!.email,
      expiresInDays: 1,
    }));

    const env = { LOG_LEVEL: 'silent', HOST: '127.0.0.1', HAVEN_DATA_DIR: dataDir, HAVEN_WEB_DIR: webDir };
    server = await startServer({
      ...loadConfig(env),
      database: database.config,
      masterKey: testMasterKey,
      port: 0,
    });
    base = `http://127.0.0.1:${(server.app.server.address() as AddressInfo).port}`;

    for (let i = 0; i < 6; i++) {
      const person = await api<{ id: string }>('POST', '/api/persons', {
        givenNames: `Board Resident ${i}`,
        familyName: 'Synthetic',
        sex: i % 2 ? 'male' : 'female',
        birthYear: 1960 + i * 8,
        languages: ['en'],
        location: { lat: 24.7 + i * 0.01, lon: 46.7, country: 'SA' },
        phones: [{ value: `+96650123456${i}`, consent: true }],
      });
      people.push(person.id);
    }
    const drafted = await api<{ id: string }>('POST', '/api/alerts', alertBody({ countries: ['SA'] }));
    alertId = drafted.id;
    await api('POST', `/api/alerts/${alertId}/submit`, {});
    await api('POST', `/api/alerts/${alertId}/approve`, {}, managerToken);
    await api('POST', `/api/alerts/${alertId}/issue`, {});
  });

  after(async () => {
    for (const tab of tabs) await tab.context.close();
    await browser?.close();
    await server?.close();
    await database?.drop();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  // One signed-in tab for the officer throughout: a second factor code is good for one sign-in only.
  let tab: IsolatedPage;

  test('an officer opens the board of an issued alert and sees an answer arrive live', async () => {
    tab = await openTab();
    const p = tab.page;
    await signIn(p, officer, '/board');
    await p.getByRole('heading', { level: 1, name: 'Accountability board' }).waitFor();
    await p.getByRole('link', { name: HEADLINE }).click();
    await p.getByRole('heading', { level: 1, name: HEADLINE }).waitFor();
    await p.locator('[data-board-connection="live"]').waitFor();
    assert.equal(await figure(p, 'targeted').textContent(), '6');
    assert.equal(await figure(p, 'safe').textContent(), '0');
    assert.equal(await figure(p, 'noAnswer').textContent(), '6');
    const pathBefore = new URL(p.url()).pathname;
    const navigations: string[] = [];
    p.on('framenavigated', (frame) => {
      if (frame === p.mainFrame()) navigations.push(frame.url());
    });

    // An answer taken by phone, recorded through the API by another account.
    await api('POST', `/api/persons/${people[0]}/responses`, { answer: 'safe', alertId });
    await p.locator('[data-figure="safe"] .board-figure__value', { hasText: /^1$/ }).waitFor();
    assert.equal(await figure(p, 'noAnswer').textContent(), '5');
    await p.locator('[data-timeline-total="safe"]', { hasText: /^1$/ }).waitFor();
    assert.deepEqual(navigations, [], 'the page was not reloaded');
    assert.equal(new URL(p.url()).pathname, pathBefore);

    const unaccounted = p.locator('.board-unaccounted tbody tr');
    await p.waitForFunction(() => document.querySelectorAll('.board-unaccounted tbody tr').length === 5);
    assert.equal(await unaccounted.count(), 5);
    assert.deepEqual(tab.blocked, []);
    assert.deepEqual(tab.pageErrors, []);
  });

  test('when the call list is due, a call recorded on the board counts at once', async () => {
    const p = tab.page;
    await p.locator('[data-board-connection="live"]').waitFor();
    await p.getByText('Nobody to call.').waitFor();

    const issued = await database!.db
      .selectFrom('alerts')
      .select('issued_at')
      .where('id', '=', alertId)
      .executeTakeFirstOrThrow();
    const report = await runFollowUpStep(database!, {
      settings: followUpSettingsFrom({}),
      channelOrder: ['push', 'sms', 'email'],
      workerId: 'e2e',
      now: () => new Date(Date.parse(issued.issued_at!) + 121 * 60_000),
    });
    assert.equal(report.callListAdded, 5);

    const row = p.locator('.board-calls tbody tr', { hasText: 'Board Resident 1 Synthetic' });
    await row.waitFor();
    await row.getByRole('button', { name: 'Reached: needs help' }).click();
    await p.getByRole('status').filter({ hasText: 'Reached: needs help' }).waitFor();
    await p.locator('[data-figure="needHelp"] .board-figure__value', { hasText: /^1$/ }).waitFor();
    await p.waitForFunction(() => document.querySelectorAll('.board-calls tbody tr').length === 4);
    assert.deepEqual(tab.pageErrors, []);
  });

  test('the board reads in Arabic, right to left', async () => {
    const p = tab.page;
    await p.locator('header select').selectOption('ar');
    await p.getByRole('heading', { level: 2, name: 'الردود عبر الوقت' }).waitFor();
    assert.equal(await p.locator('html').getAttribute('dir'), 'rtl');
    await p.locator('[data-figure="targeted"]', { hasText: 'المستهدفون' }).waitFor();
    await p.getByRole('button', { name: 'تم الوصول: بأمان' }).first().waitFor();
    assert.deepEqual(tab.pageErrors, []);
  });
});
