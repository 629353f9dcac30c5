import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { URI } from 'otpauth';
import type { Browser, Locator, Page } from 'playwright-core';
import { loadConfig } from '../../src/config.ts';
import type { Role } from '../../src/domain/access/policy.ts';
import { createApiToken, totpCode } from '../../src/modules/access/auth.service.ts';
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

// Access control through the console, in headless Chromium against the real server on loopback. An
// administrator creates a partner's account and a data-sharing agreement; a consular officer records
// a person's consent; the partner signs in for the first time, sees that person through the agreement's
// categories only and opens another under an emergency override; the agreement is ended and the
// partner's view closes; the officer erases a person; the auditor finds all of it in the log and
// verifies the hash chain, then sees a tampered entry named. Every person and account is synthetic.

type Created = { id: string };

const textOf = async (locator: Locator): Promise<string> => (await locator.textContent()) ?? '';

const PARTNER_EMAIL = 'caseworker.e2e@aid.example.org';
const PARTNER_PASSWORD = 'a long passphrase for the partner 7';
const AGREEMENT_PURPOSE = 'Shelter and medical referrals during the flood response';
const ERASE_REASON = 'The person asked to be forgotten, in writing, at the embassy';
const EMERGENCY_REASON = 'Flood water rising at her building; rescue team needs her phone';

describe('access control in the console', { skip: browserSkipReason() }, () => {
  let database: TestDatabase | undefined;
  let server: RunningServer | undefined;
  let browser: Browser | undefined;
  const tabs: IsolatedPage[] = [];
  let dataDir = '';
  let base = '';
  let accounts: Map<Role, DemoCredential>;
  let partnerOrg: { id: string; name: string };
  let partnerOneTimePassword = '';
  let consenting: Created;
  let stranger: Created;
  let leaving: Created;
  let admin: Page;
  let officer: Page;
  let partner: Page;

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

  /** Signs in an account that has its password and second factor set up already. */
  const signIn = async (p: Page, credential: DemoCredential, path = '/') => {
    await p.goto(path);
    await p.getByRole('heading', { level: 1, name: 'Sign in' }).waitFor();
    await p.getByLabel('E-mail address').fill(credential.email);
    await p.getByLabel('Password').fill(credential.password);
    await p.getByRole('button', { name: 'Sign in' }).click();
    if (credential.totpSecret) {
      await p.getByText('Enter the 6-digit code shown by your authenticator app.').waitFor();
      await p.getByLabel('6-digit code').fill(totpCode(credential.totpSecret));
      await p.getByRole('button', { name: 'Confirm' }).click();
    }
  };

  const navLinks = async (p: Page): Promise<string[]> =>
    (await p.getByRole('navigation', { name: 'Main navigation' }).getByRole('link').allInnerTexts()).map(
      (text) => text.trim(),
    );

  before(async () => {
    browser = await launchChromium();
    const webDir = ensureWebBuilt();
    dataDir = mkdtempSync(join(tmpdir(), 'haven-e2e-access-'));
    database = await openTestDatabase();
    const { db } = database;

    // The directory and one account per role are set up the way a deployment's first set-up does it.
    const ministry = await createOrganization(db, {
      name: 'Ministry of Foreign Affairs (e2e)',
      type: 'origin_state',
      country: 'PH',
    });
    await createPost(db, {
      organizationId: ministry.id,
      name: 'Embassy in Abu Dhabi (e2e)',
      kind: 'embassy',
      country: 'AE',
      jurisdiction: ['AE'],
    });
    partnerOrg = await createOrganization(db, {
      name: 'Migrant Aid Agency (e2e)',
      type: 'international_org',
      country: null,
    });
    accounts = new Map((await seedDemoUsers(db)).map((c) => [c.role, c]));
    const { token } = await createApiToken(db, { email: account('hq_admin').email, expiresInDays: 1 });

    const env = { LOG_LEVEL: 'silent', HOST: '127.0.0.1', HAVEN_DATA_DIR: dataDir, HAVEN_WEB_DIR: webDir };
    server = await startServer({
      ...loadConfig(env),
      database: database.config,
      masterKey: testMasterKey,
      port: 0,
    });
    base = `http://127.0.0.1:${(server.app.server.address() as AddressInfo).port}`;

    const register = async (person: Record<string, unknown>): Promise<Created> => {
      const response = await fetch(`${base}/api/persons`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: JSON.stringify(person),
      });
      const answer = await response.json();
      assert.equal(response.status, 201, JSON.stringify(answer));
      return answer as Created;
    };
    consenting = await register({
      givenNames: 'Amihan',
      familyName: 'Reyes',
      sex: 'female',
      birthYear: 1990,
      nationality: 'PH',
      phones: [{ value: '+971 50 000 0311' }],
      location: { lat: 25.2048, lon: 55.2708, country: 'AE', address: 'Deira, Dubai' },
      vulnerabilities: ['pregnant'],
      documentStatus: 'held_by_employer',
    });
    stranger = await register({
      givenNames: 'Dalisay',
      familyName: 'Cruz',
      sex: 'female',
      nationality: 'PH',
      phones: [{ value: '+971 50 000 0312' }],
      location: { country: 'AE', address: 'Al Nahda, Sharjah' },
      vulnerabilities: ['disability'],
    });
    leaving = await register({
      givenNames: 'Bituin',
      familyName: 'Garcia',
      sex: 'male',
      location: { country: 'AE' },
    });

    admin = await openTab();
    officer = await openTab();
    partner = await openTab();
  });

  after(async () => {
    for (const tab of tabs) await tab.context.close();
    await browser?.close();
    await server?.close();
    await database?.drop();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  test('an administrator creates a partner account, shown its one-time password once', async () => {
    const p = admin;
    await p.context().grantPermissions(['clipboard-read', 'clipboard-write'], { origin: base });
    await signIn(p, account('hq_admin'));
    await p.getByRole('heading', { level: 1, name: 'Persons' }).waitFor();
    assert.deepEqual(await navLinks(p), [
      'Persons',
      'Help requests',
      'Evacuation',
      'Agreements',
      'Figures',
      'Alert levels',
      'Alerts',
      'Accountability',
      'Administration',
      'Migrant app',
      'API',
    ]);

    await p.getByRole('link', { name: 'Administration' }).click();
    await p.getByRole('heading', { level: 2, name: 'Accounts' }).waitFor();
    await p.getByRole('button', { name: 'New account' }).click();
    await p.getByLabel('E-mail address').fill(PARTNER_EMAIL);
    await p.getByLabel('Role').selectOption({ label: 'Partner caseworker' });
    await p.getByLabel('Organisation').selectOption(partnerOrg.id);
    assert.equal(await p.getByLabel('Post').count(), 0, 'only consular officers are asked for a post');
    await p.getByRole('button', { name: 'Create the account' }).click();

    const created = p.getByRole('region', { name: `Account created for ${PARTNER_EMAIL}` });
    const oneTimePassword = (await textOf(created.locator('.secret-reveal__value'))).trim();
    assert.match(oneTimePassword, /^[A-Za-z0-9]{20}$/);
    await created.getByRole('button', { name: 'Copy' }).click();
    await created.getByRole('button', { name: 'Copied' }).waitFor();
    assert.equal(await p.evaluate(() => navigator.clipboard.readText()), oneTimePassword);
    partnerOneTimePassword = oneTimePassword; // handed over for the partner's first sign-in
    await created.getByRole('button', { name: 'Done' }).click();
    assert.equal(await p.getByText(oneTimePassword).count(), 0, 'the one-time password is gone once done');
    const row = p.getByRole('row').filter({ hasText: PARTNER_EMAIL });
    assert.match(await textOf(row), /Partner caseworker.*Migrant Aid Agency \(e2e\)/);

    // An API token for the same account: shown once, and it authenticates as that account.
    await row.getByRole('button', { name: `API token for ${PARTNER_EMAIL}` }).click();
    const dialog = p.getByRole('dialog', { name: `API token for ${PARTNER_EMAIL}` });
    await dialog.getByLabel('Valid for (days)').fill('7');
    await dialog.getByRole('button', { name: 'Create the token' }).click();
    const token = (await textOf(dialog.locator('.secret-reveal__value'))).trim();
    assert.match(token, /^hvn_/);
    const me = await fetch(`${base}/api/auth/me`, { headers: { authorization: `Bearer ${token}` } });
    assert.equal(((await me.json()) as { email: string }).email, PARTNER_EMAIL);
    await dialog.getByRole('button', { name: 'Done' }).click();
    await dialog.waitFor({ state: 'hidden' });
  });

  test('the administrator records an agreement covering contact details in the Emirates', async () => {
    const p = admin;
    await p.getByRole('link', { name: 'Agreements' }).click();
    await p.getByRole('heading', { level: 1, name: 'Data-sharing agreements' }).waitFor();
    await p.getByRole('button', { name: 'New agreement' }).click();
    await p.getByLabel('Partner', { exact: true }).selectOption(partnerOrg.id);
    await p.getByLabel('Purpose').fill(AGREEMENT_PURPOSE);
    await p.getByRole('checkbox', { name: 'Contact details' }).check();
    await p.getByLabel('Countries of residence covered').selectOption('AE');
    await p
      .getByRole('list', { name: 'Countries of residence covered' })
      .getByText('United Arab Emirates')
      .waitFor();
    await p.getByRole('button', { name: 'Record the agreement' }).click();

    await p
      .getByRole('status')
      .filter({ hasText: 'The agreement with Migrant Aid Agency (e2e) was recorded.' })
      .waitFor();
    const row = p.getByRole('row').filter({ hasText: AGREEMENT_PURPOSE });
    await row.waitFor();
    const cells = (await row.locator('th, td').allInnerTexts()).map((c) => c.replace(/\s+/g, ' ').trim());
    assert.deepEqual(cells.slice(0, 4), [
      'Migrant Aid Agency (e2e)',
      AGREEMENT_PURPOSE,
      'Contact details',
      'Living in United Arab Emirates Any nationality',
    ]);
    assert.equal(cells[5], 'Active');
  });

  test('a consular officer records the consent of one person to share with partners', async () => {
    const p = officer;
    await signIn(p, account('consular_officer'));
    await p.getByRole('heading', { level: 1, name: 'Persons' }).waitFor();
    assert.deepEqual(await navLinks(p), [
      'Persons',
      'Help requests',
      'Evacuation',
      'Figures',
      'Alert levels',
      'Alerts',
      'Accountability',
      'Migrant app',
      'API',
    ]);
    await p.getByRole('link', { name: 'Amihan Reyes' }).click();
    await p.getByRole('heading', { level: 1, name: 'Amihan Reyes' }).waitFor();

    await p.getByRole('button', { name: 'Record consent' }).click();
    const dialog = p.getByRole('dialog', { name: 'Record consent to share' });
    await dialog.getByRole('radio', { name: 'Consent granted' }).check();
    await dialog.getByLabel('How it was given').selectOption('in_person');
    await dialog.getByRole('radio', { name: 'All partners under an agreement' }).check();
    await dialog.getByRole('button', { name: 'Record' }).click();
    await dialog.waitFor({ state: 'hidden' });
    const notice = await textOf(p.getByRole('status').filter({ hasText: 'Recorded' }));
    assert.match(notice, /Consent granted · In person · All partners under an agreement/);
  });

  test('the partner signs in for the first time and sees the person through the agreement only', async () => {
    const p = partner;
    await p.goto('/');
    await p.getByLabel('E-mail address').fill(PARTNER_EMAIL);
    await p.getByLabel('Password').fill(partnerOneTimePassword);
    await p.getByRole('button', { name: 'Sign in' }).click();
    await p.getByLabel('One-time password').fill(partnerOneTimePassword);
    await p.getByLabel('New password', { exact: true }).fill(PARTNER_PASSWORD);
    await p.getByLabel('New password, again').fill(PARTNER_PASSWORD);
    await p.getByRole('button', { name: 'Save the password' }).click();
    const uri = await p
      .getByRole('link', { name: 'Open in an authenticator app on this device' })
      .getAttribute('href');
    if (!uri?.startsWith('otpauth://totp/')) assert.fail(`expected an otpauth URI to enrol, got ${uri}`);
    await p.getByLabel('6-digit code').fill(URI.parse(uri).generate());
    await p.getByRole('button', { name: 'Confirm' }).click();

    // Only the person who consented is listed; the two others in the same country are not.
    await p.getByRole('status').filter({ hasText: '1 person shown' }).waitFor();
    assert.deepEqual(await navLinks(p), ['Persons', 'Help requests', 'Alert levels', 'Migrant app', 'API']);
    await p.getByRole('link', { name: 'Amihan Reyes' }).click();
    await p.getByRole('heading', { level: 1, name: 'Amihan Reyes' }).waitFor();
    const section = (name: string) => textOf(p.getByRole('region', { name }));
    assert.ok((await section('Contacts')).includes('+971500000311'), 'contact details are shared');
    assert.ok((await section('Identity')).includes('Philippines'), 'identity comes with any agreement');
    for (const withheld of ['Location', 'Vulnerabilities', 'Documents']) {
      const text = await section(withheld);
      assert.ok(text.includes('Not shown for your role'), `${withheld} is marked as withheld`);
    }
    assert.ok(!(await section('Location')).includes('Deira'), 'no address outside the agreement');
    assert.equal(await p.getByRole('button', { name: 'Record consent' }).count(), 0);
    assert.equal(await p.getByRole('button', { name: 'Erase this person' }).count(), 0);
  });

  test('the partner opens a record not shared with them under a time-limited emergency override', async () => {
    const p = partner;
    await p.goto(`/persons/${stranger.id}`);
    await p.getByRole('heading', { level: 1, name: 'Person not found' }).waitFor();
    const panel = p.getByRole('region', { name: 'Emergency access' });
    await panel.getByRole('button', { name: 'Request emergency access' }).click();
    const dialog = p.getByRole('dialog', { name: 'Emergency access' });
    await dialog.getByLabel('Life-saving reason').fill(EMERGENCY_REASON);
    await dialog.getByLabel('For how long').selectOption('30');
    await dialog.getByRole('button', { name: 'Open the record' }).click();

    await p.getByRole('heading', { level: 1, name: 'Dalisay Cruz' }).waitFor();
    const banner = await textOf(p.getByRole('note'));
    assert.match(banner, /^Emergency access\. Opened under an emergency override\..*Access ends at /);
    assert.ok(
      (await textOf(p.getByRole('region', { name: 'Contacts' }))).includes('+971500000312'),
      'the override opens contact details',
    );
    assert.ok(
      (await textOf(p.getByRole('region', { name: 'Vulnerabilities' }))).includes('Not shown for your role'),
      'but not vulnerabilities',
    );
  });

  test('ending the agreement closes the partner’s view on their next request', async () => {
    const p = admin;
    const row = p.getByRole('row').filter({ hasText: AGREEMENT_PURPOSE });
    await row.getByRole('button', { name: 'End the agreement with Migrant Aid Agency (e2e) now' }).click();
    const dialog = p.getByRole('dialog', { name: 'End this agreement now?' });
    await dialog.getByRole('button', { name: 'End the agreement' }).click();
    await p
      .getByRole('status')
      .filter({ hasText: 'The agreement with Migrant Aid Agency (e2e) has ended.' })
      .waitFor();
    await row.getByText('Ended', { exact: true }).waitFor();
    assert.equal(await row.getByRole('button', { name: /End the agreement/ }).count(), 0);

    await partner.goto(`/persons/${consenting.id}`);
    await partner.getByRole('heading', { level: 1, name: 'Person not found' }).waitFor();
    assert.equal(await partner.getByText('Amihan').count(), 0);
  });

  test('the officer erases a person, with a reason and a typed confirmation', async () => {
    const p = officer;
    await p.getByRole('link', { name: 'Back to persons' }).click();
    await p.getByRole('link', { name: 'Bituin Garcia' }).click();
    await p.getByRole('heading', { level: 1, name: 'Bituin Garcia' }).waitFor();
    await p.getByRole('button', { name: 'Erase this person' }).click();
    const dialog = p.getByRole('dialog', { name: 'Erase this person' });
    const erase = dialog.getByRole('button', { name: 'Erase permanently' });
    await dialog.getByLabel('Reason').fill(ERASE_REASON);
    await dialog.getByLabel('To confirm, type “erase”').fill('eras');
    assert.equal(await erase.isDisabled(), true, 'not until the word is typed in full');
    await dialog.getByLabel('To confirm, type “erase”').fill('erase');
    await erase.click();

    await p.waitForURL(`${base}/`);
    await p.getByRole('status').filter({ hasText: 'The record was erased.' }).waitFor();
    assert.equal(await p.getByRole('link', { name: 'Bituin Garcia' }).count(), 0);
    await p.getByRole('button', { name: 'Search' }).click();
    await p.getByRole('status').filter({ hasText: '2 persons shown' }).waitFor();
    assert.equal(await p.getByRole('link', { name: 'Bituin Garcia' }).count(), 0);
    await p.goto(`/persons/${leaving.id}`);
    await p.getByRole('heading', { level: 1, name: 'Person not found' }).waitFor();
  });

  test('the auditor finds the entries, verifies the chain, and is shown a tampered entry', async () => {
    const p = await openTab();
    await signIn(p, account('auditor'), '/');
    await p.waitForURL(`${base}/audit`);
    await p.getByRole('heading', { level: 1, name: 'Audit log' }).waitFor();
    assert.deepEqual(await navLinks(p), ['Audit log', 'Migrant app', 'API']);

    const rows = p.locator('.audit-table tbody tr');
    await rows.first().waitFor();
    const erasure = rows.filter({ hasText: 'Erased a person' });
    assert.equal(await erasure.count(), 1);
    assert.ok((await textOf(erasure)).includes(ERASE_REASON), 'the reason, and no erased data');
    assert.ok((await textOf(erasure)).includes(leaving.id), 'the erased id');
    assert.ok(!(await textOf(erasure)).includes('Bituin'));
    const override = rows.filter({ hasText: 'Opened emergency access' });
    assert.ok((await textOf(override)).includes(EMERGENCY_REASON));
    assert.ok((await textOf(override)).includes('Emergency'), 'flagged as an emergency');
    assert.ok((await textOf(override)).includes('Partner caseworker'));

    // Newest first: sequence numbers go down the page.
    const seqs = (await rows.locator('th').allInnerTexts()).map(Number);
    assert.deepEqual(
      seqs,
      [...seqs].sort((a, b) => b - a),
    );

    await p.getByLabel('Action').fill('persons.erase');
    await p.getByRole('button', { name: 'Apply' }).click();
    await p.getByRole('status').filter({ hasText: '1 entry shown' }).waitFor();

    // Everything about the consenting person: the consent, the partner's reads, denied after the end.
    await p.getByRole('button', { name: 'Reset' }).click();
    await p.getByLabel('Person identifier').fill(consenting.id);
    await p.getByRole('button', { name: 'Apply' }).click();
    await rows.filter({ hasText: 'Recorded consent' }).waitFor();
    const outcomes = await rows.locator('td:nth-child(5)').allInnerTexts();
    assert.ok(
      outcomes.some((o) => o.includes('Denied')),
      'the read refused after the agreement ended',
    );

    await p.getByRole('button', { name: 'Verify chain' }).click();
    const intact = await textOf(p.getByRole('status').filter({ hasText: 'The chain is intact' }));
    assert.match(intact, /The chain is intact: \d+ entries checked\./);

    // Someone edits an entry behind the application's back: the check names it.
    await database!.db
      .updateTable('audit_log')
      .set({ purpose: 'nothing to see' })
      .where('seq', '=', 3)
      .execute();
    await p.getByRole('button', { name: 'Verify chain' }).click();
    const broken = await textOf(p.getByRole('status').filter({ hasText: 'broken' }));
    assert.match(broken, /The chain is broken at entry 3\..*Its content does not match its hash/);

    for (const tab of tabs) {
      assert.deepEqual(tab.blocked, [], 'no request left 127.0.0.1');
      assert.deepEqual(tab.pageErrors, [], 'no uncaught error in the page');
    }
  });
});
