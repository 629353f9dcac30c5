import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { loadConfig } from '../../src/config.ts';
import type { Role } from '../../src/domain/access/policy.ts';
import { createApiToken, totpCode } from '../../src/modules/access/auth.service.ts';
import { type DemoCredential, demoEmail, seedDemoUsers } from '../../src/modules/seed/demo-users.ts';
import { seedDemo } from '../../src/modules/seed/seed.service.ts';
import { type RunningServer, startServer } from '../../src/server.ts';
import {
  browserSkipReason,
  ensureWebBuilt,
  type IsolatedPage,
  launchChromium,
  openIsolatedPage,
} from '../helpers/browser.ts';
import { openTestDatabase, type TestDatabase, testMasterKey } from '../helpers/database.ts';

// Alert levels and a drill alert through the console, in headless Chromium against the real server on
// loopback with a small synthetic demo population. A crisis manager declares level 3 for Saudi Arabia
// through the form and sees it on the map and in the list; a consular officer composes an Exercise in
// English and Arabic for that country, watches the live count (equal to the API's own count) and
// submits it; a second crisis manager approves it in the queue; the officer issues it and sees how many
// it reached.

const COUNTRY = 'SA';
const REASON = 'Unrest near the capital; drill of the level procedure';
const HEADLINE_EN = 'Drill: stay indoors tonight';
const HEADLINE_AR = 'تمرين: ابقوا في منازلكم الليلة';

describe('alert levels and alerts in the console', { skip: browserSkipReason() }, () => {
  let database: TestDatabase | undefined;
  let server: RunningServer | undefined;
  let browser: Browser | undefined;
  const tabs: IsolatedPage[] = [];
  let dataDir = '';
  let base = '';
  let token = '';
  let accounts: Map<Role, DemoCredential>;
  let firstManager: DemoCredential;
  let officer: Page;
  let alertPath = '';

  const account = (role: Role): DemoCredential => {
    const found = accounts.get(role);
    if (!found) throw new Error(`no demo account for ${role}`);
    return found;
  };

  const openTab = async (): Promise<Page> => {
    const tab = await openIsolatedPage(browser!, base);
    tabs.push(tab);
    return tab.page;
  };

  const signIn = async (p: Page, credential: DemoCredential, path: string) => {
    await p.goto(path);
    await p.getByRole('heading', { level: 1, name: 'Sign in' }).waitFor();
    await p.getByLabel('E-mail address').fill(credential.email);
    await p.getByLabel('Password').fill(credential.password);
    await p.getByRole('button', { name: 'Sign in' }).click();
    if (credential.totpSecret) {
      await p.getByLabel('6-digit code').fill(totpCode(credential.totpSecret));
      await p.getByRole('button', { name: 'Confirm' }).click();
    }
  };

  before(async () => {
    browser = await launchChromium();
    const webDir = ensureWebBuilt();
    dataDir = mkdtempSync(join(tmpdir(), 'haven-e2e-alerts-'));
    database = await openTestDatabase();
    const { db } = database;
    await seedDemo(database, { people: 1000, seed: 11 });

    // Two crisis managers: the demo seeding makes one per role, so the first is set aside under
    // another address (keeping its password and second factor) and the seeding run again.
    const first = (await seedDemoUsers(db)).find((c) => c.role === 'crisis_manager');
    assert.ok(first, 'the demo seeding makes a crisis manager');
    firstManager = { ...first, email: 'first.crisis-manager@example.org' };
    await db
      .updateTable('users')
      .set({ email: firstManager.email })
      .where('email', '=', demoEmail('crisis_manager'))
      .execute();
    accounts = new Map((await seedDemoUsers(db)).map((c) => [c.role, c]));
    ({ token } = await createApiToken(db, { email: account('hq_admin').email, expiresInDays: 1 }));

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
    for (const tab of tabs) await tab.context.close();
    await browser?.close();
    await server?.close();
    await database?.drop();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  const api = async <T>(method: string, path: string, body?: unknown): Promise<T> => {
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

  test('a crisis manager declares level 3 for a country and sees it on the map and in the list', async () => {
    const p = await openTab();
    await signIn(p, firstManager, '/levels');
    await p.getByRole('heading', { level: 1, name: 'Alert levels' }).waitFor();
    const scheme = await api<{ scheme: { levels: { number: number; colour: string }[] } }>(
      'GET',
      '/api/alert-schemes/current',
    );
    const colour = scheme.scheme.levels.find((l) => l.number === 3)?.colour;
    assert.ok(colour, 'the scheme has a level 3');

    const form = p.locator('form.declare-form');
    await form.getByLabel('Country', { exact: true }).selectOption(COUNTRY);
    await form.getByLabel('Level', { exact: true }).selectOption('3');
    await form.getByLabel('Reason').fill(REASON);
    await form.getByRole('button', { name: 'Declare' }).click();
    await p.getByRole('status').filter({ hasText: 'is now at level 3' }).waitFor();

    const entry = p.locator('.levels-list__item').filter({ hasText: 'Saudi Arabia' });
    await entry.getByText(/Level 3/).waitFor();
    assert.equal(await p.locator(`path[data-country="${COUNTRY}"]`).getAttribute('fill'), colour);
  });

  test('an officer composes a bilingual drill, sees the live count and submits it', async () => {
    officer = await openTab();
    await signIn(officer, account('consular_officer'), '/alerts/new');
    await officer.getByRole('heading', { level: 1, name: 'Compose an alert' }).waitFor();
    await officer.getByText(/DRILL — this alert is an exercise/).waitFor();
    assert.equal(await officer.getByLabel('Exercise — a drill').isChecked(), true);

    await officer.getByLabel('Event').fill('Civil unrest');
    await officer.getByLabel('Headline (English)').fill(HEADLINE_EN);
    await officer.getByLabel('SMS text (English)').fill('Drill: stay indoors tonight. Reply SAFE.');
    await officer.getByText(/GSM-7 · \d+ characters · 1 SMS/).waitFor();
    await officer.getByLabel('Add a language').selectOption('ar');
    await officer.getByLabel('Headline (Arabic)').fill(HEADLINE_AR);
    await officer.getByLabel('SMS text (Arabic)').fill('تمرين: ابقوا في منازلكم الليلة. ردوا بكلمة آمن.');
    await officer.getByText(/UCS-2 · \d+ characters/).waitFor();

    await officer.getByLabel('Whole countries').selectOption(COUNTRY);
    const count = officer.locator('[data-recipient-count]');
    await count.waitFor();
    const shown = Number(await count.getAttribute('data-recipient-count'));
    const preview = await api<{ total: number }>('POST', '/api/alerts/preview-count', {
      target: { countries: [COUNTRY] },
    });
    assert.ok(preview.total > 0, 'the demo population has people in the country');
    assert.equal(shown, preview.total);

    await officer.getByRole('button', { name: 'Submit the drill for approval' }).click();
    await officer.waitForURL(/\/alerts\/[0-9a-f-]{36}$/);
    alertPath = new URL(officer.url()).pathname;
    await officer.locator('[data-state="submitted"]').waitFor();
  });

  test('a second crisis manager approves the drill in the queue', async () => {
    const p = await openTab();
    await signIn(p, account('crisis_manager'), '/alerts/approvals');
    await p.getByRole('heading', { level: 1, name: 'Approval queue' }).waitFor();
    const item = p.locator('.queue-item').filter({ hasText: HEADLINE_EN });
    await item.getByRole('heading', { name: HEADLINE_AR }).waitFor();
    await item.locator('[data-recipient-count]').waitFor();
    await item.getByRole('button', { name: `Approve: ${HEADLINE_EN}` }).click();
    await p.getByText('Nothing awaits approval.').waitFor();
  });

  test('the officer issues the drill and sees how many it reached', async () => {
    await officer.goto(alertPath);
    await officer.locator('[data-state="approved"]').waitFor();
    await officer.getByRole('button', { name: 'Issue the drill' }).click();
    const issued = officer.locator('[data-issued-count]');
    await issued.waitFor();
    const alert = await api<{ state: string; recipientCount: number; drill: boolean }>(
      'GET',
      `/api/alerts/${alertPath.split('/').at(-1)}`,
    );
    assert.equal(alert.state, 'issued');
    assert.equal(alert.drill, true);
    assert.equal(Number(await issued.getAttribute('data-issued-count')), alert.recipientCount);
    assert.ok(alert.recipientCount > 0);
    await officer.locator('[data-state="issued"]').waitFor();
  });
});
