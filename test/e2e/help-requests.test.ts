import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Browser } from 'playwright-core';
import { loadConfig } from '../../src/config.ts';
import { totpCode } from '../../src/modules/access/auth.service.ts';
import { createHelpRequest } from '../../src/modules/cases/help-requests.service.ts';
import { type DemoCredential, seedDemoUsers } from '../../src/modules/seed/demo-users.ts';
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

// Help requests in the console, in headless Chromium against the real server on loopback, over the
// synthetic demo population. Three requests wait in the queue of the demo post in Saudi Arabia: an SOS,
// a request about documents, and one that has waited past its deadline. A consular officer sees them
// most urgent first with clocks counting down each second (the late one in red) and why each got its
// priority; opens the SOS, assigns it to themselves, adds a note and closes it with an outcome, then
// reads the same page in Arabic, right to left.

const fullName = (p: { given_names: string; family_name: string | null }) =>
  [p.given_names, p.family_name].filter(Boolean).join(' ');

describe('help requests in the console', { skip: browserSkipReason() }, () => {
  let database: TestDatabase | undefined;
  let server: RunningServer | undefined;
  let browser: Browser | undefined;
  let tab: IsolatedPage | undefined;
  let dataDir = '';
  let officer: DemoCredential;
  let sosName = '';
  let sosId = '';

  before(async () => {
    browser = await launchChromium();
    const webDir = ensureWebBuilt();
    dataDir = mkdtempSync(join(tmpdir(), 'haven-e2e-cases-'));
    database = await openTestDatabase();
    await seedDemo(database, { people: 300, seed: 7 });
    const accounts = await seedDemoUsers(database.db);
    const found = accounts.find((a) => a.role === 'consular_officer');
    assert.ok(found, 'the demo has a consular officer');
    officer = found;

    // Three people in Saudi Arabia nearest the officer's post, so their requests reach its queue.
    const post = await database.db
      .selectFrom('users')
      .innerJoin('posts', 'posts.id', 'users.post_id')
      .select(['posts.lat', 'posts.lon'])
      .where('users.email', '=', officer.email)
      .executeTakeFirstOrThrow();
    const near = (r: { lat: number | null; lon: number | null }) =>
      Math.hypot((r.lat ?? 90) - (post.lat ?? 0), (r.lon ?? 180) - (post.lon ?? 0));
    const inCountry = await database.db
      .selectFrom('persons')
      .select(['id', 'given_names', 'family_name', 'lat', 'lon'])
      .where('location_country', '=', 'SA')
      .where('lat', 'is not', null)
      .execute();
    const people = inCountry.sort((x, y) => near(x) - near(y)).slice(0, 3);
    assert.equal(people.length, 3, 'three people in Saudi Arabia');
    const [a, b, c] = people as [(typeof people)[0], (typeof people)[0], (typeof people)[0]];
    sosName = fullName(a);
    const sos = await createHelpRequest(database.db, {
      personId: a.id,
      type: 'medical',
      isSos: true,
      channel: 'web',
      text: 'Injured in the flooding, cannot walk',
    });
    sosId = sos.id;
    await createHelpRequest(database.db, { personId: b.id, type: 'documents', isSos: false, channel: 'sms' });
    await createHelpRequest(database.db, {
      personId: c.id,
      type: 'shelter',
      isSos: false,
      channel: 'link',
      now: new Date(Date.now() - 2 * 86_400_000),
    });

    const env = { LOG_LEVEL: 'silent', HOST: '127.0.0.1', HAVEN_DATA_DIR: dataDir, HAVEN_WEB_DIR: webDir };
    server = await startServer({
      ...loadConfig(env),
      database: database.config,
      masterKey: testMasterKey,
      port: 0,
    });
    const base = `http://127.0.0.1:${(server.app.server.address() as AddressInfo).port}`;
    tab = await openIsolatedPage(browser, base);
  });

  after(async () => {
    await tab?.context.close();
    await browser?.close();
    await server?.close();
    await database?.drop();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  test('an officer works the queue: sees why and how long, assigns, notes and closes', async () => {
    const p = tab!.page;
    await p.goto('/help-requests');
    await p.getByLabel('E-mail address').fill(officer.email);
    await p.getByLabel('Password').fill(officer.password);
    await p.getByRole('button', { name: 'Sign in' }).click();
    if (officer.totpSecret) {
      await p.getByLabel('6-digit code').fill(totpCode(officer.totpSecret));
      await p.getByRole('button', { name: 'Confirm' }).click();
    }
    await p.getByRole('heading', { level: 1, name: 'Help requests' }).waitFor();
    await p.getByRole('link', { name: 'Help requests' }).first().waitFor();

    // Most urgent first: the SOS (critical), then the request past its deadline, then documents.
    const rows = p.locator('.case-queue tbody tr');
    await rows.first().waitFor();
    assert.equal(await rows.count(), 3);
    const first = rows.nth(0);
    assert.match(await first.innerText(), /Critical\s*SOS/);
    assert.ok((await first.innerText()).includes(sosName));
    assert.ok((await first.innerText()).includes('SOS: in danger now'), 'the why is shown');

    // The clock counts down every second in the browser.
    const clock = first.locator('.sla');
    const before = await clock.innerText();
    assert.match(before, /^1[45]:\d\d left$/);
    await p.waitForFunction(
      (was) => document.querySelector('.case-queue tbody tr .sla')?.textContent !== was,
      before,
    );

    // The request that waited two days is overdue, in red.
    const late = rows.filter({ hasText: 'Shelter' });
    assert.match(await late.locator('.sla').innerText(), /^Overdue by \d+:\d\d:\d\d$/);
    assert.equal(await late.getAttribute('class'), 'case-queue__overdue');
    const colour = await late.locator('.sla').evaluate((el) => getComputedStyle(el).color);
    assert.equal(colour, 'rgb(180, 35, 24)');

    // The case page: details, why this priority, and the work.
    await first.getByRole('link', { name: 'Medical' }).click();
    await p.waitForURL(`**/help-requests/${sosId}`);
    await p.getByRole('heading', { level: 1, name: /Medical/ }).waitFor();
    const region = (name: string) => p.getByRole('region', { name });
    const why = await region('Why this priority').innerText();
    assert.ok(why.includes('SOS: in danger now') && why.includes('+80 points'), why);
    assert.ok(why.includes('Request: Medical') && why.includes('+50 points'), why);
    assert.ok((await region('What they said').innerText()).includes('Injured in the flooding, cannot walk'));

    await p.getByRole('button', { name: 'Assign to me' }).click();
    const details = region('Details');
    await details.getByText(officer.email).waitFor();
    await details.getByText('Acknowledged').waitFor();
    await details.getByText('Acted on in time').waitFor();

    await p.getByLabel('New note').fill('Ambulance called; family informed');
    await p.getByRole('button', { name: 'Add note' }).click();
    await region('Notes').getByText('Ambulance called; family informed').waitFor();

    await p.getByLabel('Outcome').selectOption({ label: 'Assisted' });
    await p.getByRole('button', { name: 'Close request' }).click();
    await details.getByText('Closed', { exact: true }).first().waitFor();
    const history = await region('History').innerText();
    for (const line of ['Opened', `Assigned to ${officer.email}`, 'Note added', 'Closed: Assisted'])
      assert.ok(history.includes(line), `history shows ${line}`);
    assert.equal(await p.getByRole('button', { name: 'Close request' }).count(), 0, 'closed once, for good');

    // The same page in Arabic, right to left.
    await p.getByLabel('Language').selectOption('ar');
    await p.waitForFunction(() => document.documentElement.dir === 'rtl');
    await p.getByRole('heading', { level: 1, name: /طبي/ }).waitFor();
    const whyAr = await region('لماذا هذه الأولوية').innerText();
    assert.ok(whyAr.includes('استغاثة: في خطر الآن'), whyAr);
    assert.ok((await region('السجل').innerText()).includes('أُغلق: قُدّمت المساعدة'));
    await p.getByRole('link', { name: 'طلبات المساعدة' }).first().click();
    await p.getByRole('heading', { level: 1, name: 'طلبات المساعدة' }).waitFor();
    await p.evaluate(() => window.localStorage.setItem('haven.locale', 'en'));

    assert.deepEqual(tab!.pageErrors, []);
    assert.deepEqual(tab!.blocked, []);
  });
});
