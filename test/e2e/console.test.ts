import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { URI } from 'otpauth';
import type { Browser, Locator, Page } from 'playwright-core';
import { loadConfig } from '../../src/config.ts';
import { createApiToken, createUser } from '../../src/modules/access/auth.service.ts';
import { createOrganization, createPost } from '../../src/modules/registry/directory.service.ts';
import { type RunningServer, startServer } from '../../src/server.ts';
import {
  browserSkipReason,
  ensureWebBuilt,
  type IsolatedPage,
  launchChromium,
  openIsolatedPage,
} from '../helpers/browser.ts';
import { openTestDatabase, type TestDatabase, testMasterKey } from '../helpers/database.ts';

// The officer console in headless Chromium against the real server on loopback. A consular officer
// signs in for the first time (one-time password, then TOTP set-up), searches a person by name, opens
// the record and reads it in Arabic, right to left. The tests share one signed-in browser context and
// run in order. Every person, account and organisation here is synthetic.

type Created = { id: string; location: { h3Cell: string | null } };

/** The text inside an element, hidden helper text included (labels read by screen readers). */
const textOf = async (locator: Locator): Promise<string> => (await locator.textContent()) ?? '';

const OFFICER_EMAIL = 'officer.e2e@test.example.org';
const NEW_PASSWORD = 'correct horse battery staple 42';

describe('officer console in a browser', { skip: browserSkipReason() }, () => {
  let database: TestDatabase | undefined;
  let server: RunningServer | undefined;
  let browser: Browser | undefined;
  let tab: IsolatedPage | undefined;
  let dataDir = '';
  let base = '';
  let oneTimePassword = '';
  let worker: Created;
  let household: { id: string; label: string };
  let employer: { id: string; name: string };

  const page = (): Page => tab!.page;

  before(async () => {
    browser = await launchChromium();
    const webDir = ensureWebBuilt();
    dataDir = mkdtempSync(join(tmpdir(), 'haven-e2e-'));
    database = await openTestDatabase();
    const { db } = database;

    // Accounts are made the way an administrator makes them; people are registered through the API.
    const ministry = await createOrganization(db, {
      name: 'Ministry of Foreign Affairs (e2e)',
      type: 'origin_state',
      country: 'PH',
    });
    const post = await createPost(db, {
      organizationId: ministry.id,
      name: 'Embassy in Abu Dhabi (e2e)',
      kind: 'embassy',
      country: 'AE',
      jurisdiction: ['AE'],
    });
    const admin = await createUser(db, {
      email: 'hq.e2e@test.example.org',
      role: 'hq_admin',
      organizationId: ministry.id,
    });
    const { token } = await createApiToken(db, { email: admin.user.email, expiresInDays: 1 });
    const officer = await createUser(db, {
      email: OFFICER_EMAIL,
      role: 'consular_officer',
      organizationId: ministry.id,
      postId: post.id,
    });
    oneTimePassword = officer.oneTimePassword;

    const env = { LOG_LEVEL: 'silent', HOST: '127.0.0.1', HAVEN_DATA_DIR: dataDir, HAVEN_WEB_DIR: webDir };
    // Port 0: the system picks a free port, read back from the listening socket.
    server = await startServer({
      ...loadConfig(env),
      database: database.config,
      masterKey: testMasterKey,
      port: 0,
    });
    base = `http://127.0.0.1:${(server.app.server.address() as AddressInfo).port}`;

    const post_ = async <T>(path: string, body: unknown): Promise<T> => {
      const response = await fetch(`${base}${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: JSON.stringify(body),
      });
      const answer = await response.json();
      assert.ok(response.ok, `POST ${path} answered ${response.status}: ${JSON.stringify(answer)}`);
      return answer as T;
    };
    household = await post_('/api/households', { label: 'Karama Block 7 flat 12', kind: 'household' });
    employer = await post_('/api/organizations', {
      name: 'Gulf Star Facilities',
      type: 'employer',
      country: 'AE',
    });
    worker = await post_<Created>('/api/persons', {
      givenNames: 'Luzviminda',
      familyName: 'Bautista',
      sex: 'female',
      birthDate: '1991-04-12',
      nationality: 'PH',
      languages: ['tl', 'en'],
      phones: [{ value: '+971 50 000 0142', verified: true }],
      emails: [{ value: 'luz.synthetic@example.org' }],
      location: { lat: 25.2424, lon: 55.3037, country: 'AE', address: 'Al Karama, Dubai' },
      householdId: household.id,
      householdRole: 'head',
      employerId: employer.id,
      vulnerabilities: ['pregnant', 'passport_held_by_employer'],
      documentStatus: 'held_by_employer',
    });
    await post_('/api/persons', {
      givenNames: 'فاطمة',
      familyName: 'الحسيني',
      sex: 'female',
      nationality: 'PH',
      languages: ['ar'],
      location: { lat: 24.4539, lon: 54.3773, country: 'AE' },
    });
    await post_('/api/persons', {
      givenNames: 'Ramon',
      familyName: 'Dela Cruz',
      sex: 'male',
      birthYear: 1984,
      location: { country: 'AE' },
    });
    // Outside the officer's jurisdiction: never listed for them.
    await post_('/api/persons', {
      givenNames: 'Maricel',
      familyName: 'Santos',
      sex: 'female',
      location: { country: 'LB' },
    });

    tab = await openIsolatedPage(browser, base);
  });

  after(async () => {
    await tab?.context.close();
    await browser?.close();
    await server?.close();
    await database?.drop();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  test('first sign-in: replaces the one-time password and sets up the second factor', async () => {
    const p = page();
    await p.goto('/');
    await p.getByRole('heading', { level: 1, name: 'Sign in' }).waitFor();
    await p.getByLabel('E-mail address').fill(OFFICER_EMAIL);
    await p.getByLabel('Password').fill('not the password');
    await p.getByRole('button', { name: 'Sign in' }).click();
    await p.getByRole('alert').getByText('auth.invalid_credentials').waitFor();

    await p.getByLabel('Password').fill(oneTimePassword);
    await p.getByRole('button', { name: 'Sign in' }).click();
    await p.getByRole('heading', { level: 1, name: 'Choose your password' }).waitFor();
    await p.getByLabel('One-time password').fill(oneTimePassword);
    await p.getByLabel('New password', { exact: true }).fill(NEW_PASSWORD);
    await p.getByLabel('New password, again').fill(NEW_PASSWORD);
    await p.getByRole('button', { name: 'Save the password' }).click();

    await p.getByRole('heading', { level: 1, name: 'Second factor' }).waitFor();
    await p.getByRole('img', { name: 'QR code to scan with an authenticator app' }).waitFor();
    const uri = await p
      .getByRole('link', { name: 'Open in an authenticator app on this device' })
      .getAttribute('href');
    if (!uri?.startsWith('otpauth://totp/'))
      assert.fail(`expected an otpauth URI for an authenticator app, got ${uri}`);
    await p.getByLabel('6-digit code').fill(URI.parse(uri).generate());
    await p.getByRole('button', { name: 'Confirm' }).click();

    await p.getByRole('heading', { level: 1, name: 'Persons' }).waitFor();
    const header = await textOf(p.locator('header.site-header'));
    assert.ok(
      header.includes(OFFICER_EMAIL) && header.includes('Consular officer'),
      'the header names the account and role',
    );
  });

  test('searches a person by name, opens the record, and reads it in Arabic, right to left', async () => {
    const p = page();
    await p.goto('/');
    // The officer's jurisdiction (AE) is listed before any search; the person in Lebanon is not.
    await p.getByRole('status').filter({ hasText: '3 persons shown' }).waitFor();
    assert.equal(await p.getByRole('link', { name: 'Maricel Santos' }).count(), 0);

    await p.getByLabel('Name').fill('luzviminda');
    await p.getByRole('button', { name: 'Search' }).click();
    await p.getByRole('status').filter({ hasText: '1 person shown' }).waitFor();
    const rows = p.locator('.persons-table tbody tr');
    assert.equal(await rows.count(), 1);
    const cells = await rows.first().locator('th, td').allInnerTexts();
    assert.deepEqual(
      cells.map((c) => c.replace(/\s+/g, ' ').trim()),
      [
        'Luzviminda Bautista',
        'Female',
        'United Arab Emirates',
        'Filipino, English', // tl is stored as its canonical tag, fil, and shown by name
        '2 (Vulnerabilities: Pregnant, Passport held by employer)',
        'Head',
      ],
    );

    await p.getByRole('link', { name: 'Luzviminda Bautista' }).click();
    await p.waitForURL(`${base}/persons/${worker.id}`);
    await p.getByRole('heading', { level: 1, name: 'Luzviminda Bautista' }).waitFor();

    const section = (name: string) => p.getByRole('region', { name });
    const identity = await textOf(section('Identity'));
    for (const text of [
      'Luzviminda',
      'Bautista',
      'Female',
      'April 12, 1991',
      'Philippines',
      'Filipino',
      'English',
    ]) {
      assert.ok(identity.includes(text), `identity shows ${text}`);
    }
    const contacts = await textOf(section('Contacts'));
    assert.ok(contacts.includes('+971500000142'), 'the phone, in E.164');
    assert.ok(contacts.includes('Verified'));
    assert.ok(contacts.includes('luz.synthetic@example.org'));
    const location = await textOf(section('Location'));
    assert.ok(worker.location.h3Cell, 'the server computed an H3 cell');
    assert.ok(location.includes(worker.location.h3Cell), 'the H3 cell');
    assert.ok(location.includes('Al Karama, Dubai'));
    assert.ok(location.includes('25.24240, 55.30370'));
    await section('Household and employer').getByText(household.label).waitFor();
    await section('Household and employer').getByText(employer.name).waitFor();
    assert.match(await textOf(section('Household and employer')), /Head/);
    const vulnerabilities = await textOf(section('Vulnerabilities'));
    assert.ok(vulnerabilities.includes('Pregnant') && vulnerabilities.includes('Passport held by employer'));
    assert.ok((await textOf(section('Documents'))).includes('Held by the employer'));
    assert.equal(await p.locator('html').getAttribute('dir'), 'ltr');

    await p.getByLabel('Language').selectOption('ar');
    await p.waitForFunction(() => document.documentElement.dir === 'rtl');
    assert.equal(await p.locator('html').getAttribute('lang'), 'ar');
    await p.getByRole('heading', { level: 2, name: 'الهوية' }).waitFor();
    assert.ok((await textOf(section('أوجه الضعف'))).includes('حامل'));
    // The layout mirrors: the brand moves to the right-hand side, the language switcher to the left.
    const brand = await p.locator('.brand').boundingBox();
    const switcher = await p.locator('.language-switcher').boundingBox();
    assert.ok(brand && switcher && brand.x > switcher.x, 'brand right of the switcher in Arabic');

    // Back to the results: the search is kept, in memory only (the URL carries no name).
    await p.getByRole('link', { name: 'العودة إلى الأشخاص' }).click();
    await p.getByRole('status').filter({ hasText: 'يُعرض شخص واحد' }).waitFor();
    assert.equal(new URL(p.url()).search, '');
    assert.equal(await p.getByLabel('الاسم').inputValue(), 'luzviminda');

    // An Arabic name, found in Arabic and shown in its own direction inside the table.
    await p.getByLabel('الاسم').fill('فاطمة');
    await p.getByRole('button', { name: 'بحث' }).click();
    const arabicName = p.getByRole('link', { name: 'فاطمة الحسيني' });
    await arabicName.waitFor();
    assert.equal(await arabicName.getAttribute('dir'), 'auto');

    // The language survives a reload, and so does the session.
    await p.reload();
    await p.getByRole('heading', { level: 1, name: 'الأشخاص' }).waitFor();
    assert.equal(await p.locator('html').getAttribute('dir'), 'rtl');
  });

  test('a deep link to an unknown person shows not found; a refused search shows its code', async () => {
    const p = page();
    await p.evaluate(() => window.localStorage.setItem('haven.locale', 'en'));
    await p.goto('/persons/01900000-0000-7000-8000-000000000000');
    await p.getByRole('heading', { level: 1, name: 'Person not found' }).waitFor();
    await p.getByRole('link', { name: 'Back to persons' }).click();
    await p.getByRole('heading', { level: 1, name: 'Persons' }).waitFor();

    await p.getByLabel('Name').fill('');
    await p.getByLabel('Phone').fill('12');
    await p.getByRole('button', { name: 'Search' }).click();
    const problem = p.getByRole('alert');
    await problem.getByText('search.phone_invalid').waitFor();
    assert.match(await textOf(problem), /phone number is not valid/);
    assert.equal(await p.locator('.persons-table').count(), 0, 'no stale results beside the error');
  });

  test('signing out ends the session: a deep link then asks to sign in', async () => {
    const p = page();
    await p.getByRole('button', { name: 'Sign out' }).click();
    await p.getByRole('heading', { level: 1, name: 'Sign in' }).waitFor();
    await p.goto(`/persons/${worker.id}`);
    await p.getByRole('heading', { level: 1, name: 'Sign in' }).waitFor();
    assert.equal(await p.getByText('Luzviminda').count(), 0, 'nothing of the record without a session');

    assert.deepEqual(tab!.blocked, [], 'the page made no request outside 127.0.0.1');
    assert.deepEqual(tab!.pageErrors, [], 'no uncaught error in the page');
  });
});
