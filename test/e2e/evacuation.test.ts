import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Browser } from 'playwright-core';
import { loadConfig } from '../../src/config.ts';
import { newId } from '../../src/lib/ids.ts';
import { totpCode } from '../../src/modules/access/auth.service.ts';
import { eventually } from '../../src/modules/delivery/delivery.test-kit.ts';
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

// An evacuation through the console and the boarding scanner, in headless Chromium against the real
// server on loopback, over the synthetic demo population. A consular officer posted to Saudi Arabia
// opens an operation, adds two assembly points in Riyadh and two legs, adds two households found by
// name and a third whose member asked to be evacuated (a help request; adding from requests again adds
// nobody twice), runs the planner and sees the legs fill and why the largest household has no seat;
// opens a leg's manifest, its JSON twin and its boarding passes, and sends the passes to each
// person's channel; on a phone-sized page boards one person (the pass scanned twice), then, with the
// scanner in Arabic and the network down, a second whose scan is synced when the network is back, and
// sees the head count reach 2; then closes boarding and confirms the arrival.

type Household = {
  id: string;
  members: { id: string; given: string; family: string | null; documents: string }[];
};

const RIYADH = { lat: 24.6877, lon: 46.7219 };
const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const fullName = (m: Household['members'][number]) => [m.given, m.family].filter(Boolean).join(' ');

describe('an evacuation in the console', { skip: browserSkipReason() }, () => {
  let database: TestDatabase | undefined;
  let server: RunningServer | undefined;
  let browser: Browser | undefined;
  let tab: IsolatedPage | undefined;
  let dataDir = '';
  let base = '';
  let officer: DemoCredential;
  let households: Household[] = [];

  before(async () => {
    browser = await launchChromium();
    const webDir = ensureWebBuilt();
    dataDir = mkdtempSync(join(tmpdir(), 'haven-e2e-evacuation-'));
    database = await openTestDatabase();
    await seedDemo(database, { people: 1000, seed: 11 });
    const accounts = await seedDemoUsers(database.db);
    const found = accounts.find((a) => a.role === 'consular_officer');
    assert.ok(found, 'the demo has a consular officer');
    officer = found;

    // Households living near the assembly points; two whose members all hold their passports (so they
    // can board without an emergency travel document), and a larger one that no leg can take whole.
    const rows = await database.db
      .selectFrom('persons')
      .select(['id', 'household_id', 'given_names', 'family_name', 'document_status'])
      .where('location_country', '=', 'SA')
      .where('household_id', 'is not', null)
      .where('lat', '>', RIYADH.lat - 0.2)
      .where('lat', '<', RIYADH.lat + 0.2)
      .where('lon', '>', RIYADH.lon - 0.2)
      .where('lon', '<', RIYADH.lon + 0.2)
      .orderBy('household_id')
      .execute();
    const byHousehold = new Map<string, Household>();
    for (const row of rows) {
      const id = row.household_id ?? '';
      const household = byHousehold.get(id) ?? { id, members: [] };
      household.members.push({
        id: row.id,
        given: row.given_names,
        family: row.family_name,
        documents: row.document_status,
      });
      byHousehold.set(id, household);
    }
    const all = [...byHousehold.values()];
    const ready = all.filter(
      (h) => h.members.length >= 2 && h.members.every((m) => m.documents === 'with_person'),
    );
    ready.sort((a, b) => a.members.length - b.members.length);
    const first = ready[0];
    const second = ready.find((h) => h !== first);
    assert.ok(first && second, 'two households with passports near Riyadh');
    const largest = Math.max(first.members.length, second.members.length);
    const larger = (h: Household) => h.members.length > largest && h !== first && h !== second;
    const third = ready.find(larger) ?? all.find(larger);
    assert.ok(third, 'a household larger than either leg');
    households = [first, second, third];

    // A member of the largest household asked to be evacuated (help requests are another screen's).
    const now = new Date().toISOString();
    await database.db
      .insertInto('help_requests')
      .values({
        id: newId(),
        person_id: third.members[0]!.id,
        post_id: null,
        alert_id: null,
        type: 'evacuation',
        is_sos: 0,
        channel: 'web',
        lat: null,
        lng: null,
        h3_cell: null,
        free_text_enc: null,
        priority: 'high',
        score: 50,
        reasons: '[]',
        sla_due_at: now,
        status: 'new',
        assigned_to: null,
        referred_to: null,
        outcome: null,
        created_at: now,
        updated_at: now,
        closed_at: null,
      })
      .execute();

    const env = { LOG_LEVEL: 'silent', HOST: '127.0.0.1', HAVEN_DATA_DIR: dataDir, HAVEN_WEB_DIR: webDir };
    server = await startServer({
      ...loadConfig(env),
      database: database.config,
      masterKey: testMasterKey,
      port: 0,
    });
    base = `http://127.0.0.1:${(server.app.server.address() as AddressInfo).port}`;
    tab = await openIsolatedPage(browser, base);
    tab.page.on('dialog', (dialog) => void dialog.accept());
  });

  after(async () => {
    await tab?.context.close();
    await browser?.close();
    await server?.close();
    await database?.drop();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  test('an officer plans, boards by scanning and confirms arrival', async () => {
    const p = tab!.page;
    const [first, second, third] = households as [Household, Household, Household];

    await p.goto('/evacuation');
    await p.getByLabel('E-mail address').fill(officer.email);
    await p.getByLabel('Password').fill(officer.password);
    await p.getByRole('button', { name: 'Sign in' }).click();
    if (officer.totpSecret) {
      await p.getByLabel('6-digit code').fill(totpCode(officer.totpSecret));
      await p.getByRole('button', { name: 'Confirm' }).click();
    }
    await p.getByRole('heading', { level: 1, name: 'Evacuation' }).waitFor();

    // A new operation in the officer's country (their only one, so it is chosen already).
    await p.getByRole('button', { name: 'New operation' }).click();
    await p.getByLabel('Crisis').fill('Flooding in Riyadh (e2e)');
    // The officer's countries arrive from the API after the form opens: wait for the choice to be made.
    await eventually(
      async () => (await p.getByLabel('Country').inputValue()) === 'SA',
      10_000,
      'the country to be chosen',
    );
    await p.getByLabel('Alert level').fill('4');
    await p.getByRole('button', { name: 'Open operation' }).click();
    await p.getByRole('heading', { level: 1, name: 'Flooding in Riyadh (e2e)' }).waitFor();
    const operationId = new URL(p.url()).pathname.split('/')[2] ?? '';

    // Two assembly points, the first with step-free access.
    const addPoint = async (name: string, lat: number, lon: number, accessible: boolean) => {
      await p.getByRole('button', { name: 'Add assembly point' }).click();
      const form = p.getByRole('form', { name: 'Add assembly point' });
      await form.getByLabel('Name').fill(name);
      await form.getByLabel('Latitude').fill(String(lat));
      await form.getByLabel('Longitude').fill(String(lon));
      await form.getByLabel('Capacity (people)').fill('100');
      if (accessible) await form.getByLabel('Step-free access').check();
      await form.getByRole('button', { name: 'Add point' }).click();
      await p.locator('.evac-points li', { hasText: name }).waitFor();
    };
    await addPoint('King Fahd Stadium gate 3', RIYADH.lat, RIYADH.lon, true);
    await addPoint('Al Olaya community hall', RIYADH.lat + 0.05, RIYADH.lon - 0.03, false);
    assert.equal(await p.locator('.evac-map__marker').count(), 2, 'both points on the map');
    assert.equal(await p.locator('.evac-map__accessible').count(), 1, 'one marked step-free');

    // Two legs, each just large enough for one of the two smaller households.
    const addLeg = async (mode: string, origin: string, destination: string, seats: number) => {
      await p.getByRole('button', { name: 'Add leg' }).click();
      const form = p.getByRole('form', { name: 'Add leg' });
      await form.getByLabel('Mode').selectOption({ label: mode });
      await form.getByLabel('Leaves from').selectOption({ label: origin });
      await form.getByLabel('Destination').fill(destination);
      await form.getByLabel('Seats (all)').fill(String(seats));
      await form.getByRole('button', { name: 'Add leg' }).click();
      await p.getByRole('listitem', { name: `Leg to ${destination}` }).waitFor();
    };
    await addLeg('Bus', 'King Fahd Stadium gate 3', 'Jeddah port', first.members.length);
    await addLeg('Flight', 'Al Olaya community hall', 'Manila', second.members.length);

    // Evacuees: one member of each of two households is chosen; the rest of the household comes along.
    for (const household of [first, second]) {
      const member = household.members[0]!;
      await p.getByLabel('Name (people in the operation’s country)').fill(fullName(member));
      await p.getByRole('button', { name: 'Search', exact: true }).click();
      await p
        .getByRole('checkbox', { name: new RegExp(`^${escapeRegExp(fullName(member))}`) })
        .first()
        .check();
      await p.getByRole('button', { name: /^Add 1 person$/ }).click();
      await p.getByRole('status').filter({ hasText: 'household members' }).waitFor();
    }
    // The third household comes from the help request one of its members made.
    await p.getByRole('button', { name: 'Add from help requests' }).click();
    await p
      .getByRole('status')
      .filter({
        hasText: `${third.members.length} added from help requests and answers, of whom ${third.members.length - 1} as household members; 0 not added.`,
      })
      .waitFor();
    await p.getByRole('button', { name: 'Add from help requests' }).click();
    const again = p.getByRole('status').filter({
      hasText: '0 added from help requests and answers, of whom 0 as household members; 1 not added.',
    });
    await again.waitFor();
    await again.getByText('Already in this operation: 1').waitFor();
    const total = first.members.length + second.members.length + third.members.length;
    await p.getByRole('heading', { name: `Evacuees: ${total}` }).waitFor();

    // The planner seats the two smaller households and explains why the largest has no seat.
    await p.getByRole('button', { name: 'Run planner' }).click();
    const seated = first.members.length + second.members.length;
    await p
      .getByRole('status')
      .filter({ hasText: `${seated} of ${total} people have a seat; ${third.members.length} have none.` })
      .waitFor();
    const busLeg = p.getByRole('listitem', { name: 'Leg to Jeddah port' });
    const flightLeg = p.getByRole('listitem', { name: 'Leg to Manila' });
    // Each smaller household fills one leg exactly (the board refreshes after the run).
    await busLeg.getByText(`${first.members.length} assigned of ${first.members.length} seats`).waitFor();
    await flightLeg
      .getByText(`${second.members.length} assigned of ${second.members.length} seats`)
      .waitFor();
    await p.getByRole('heading', { name: `Without a seat: ${third.members.length} people` }).waitFor();
    const reasons = await p.locator('.evac-reasons').textContent();
    // A household that needs travel documents is explained by them first; otherwise by its size.
    const holdsPassports = third.members.every((m) => m.documents === 'with_person');
    assert.match(
      reasons ?? '',
      holdsPassports ? /Household larger than any leg/ : /Travel document not ready before any departure/,
    );
    await p.getByRole('button', { name: 'Run planner again' }).waitFor();

    // The bus leg's manifest: the first household, with its boarding passes.
    await busLeg.getByRole('link', { name: 'Manifest' }).click();
    await p.getByRole('heading', { level: 1, name: 'Manifest: Jeddah port' }).waitFor();
    const legId = new URL(p.url()).pathname.split('/')[4] ?? '';
    const manifestRows = p.locator('.data-table tbody tr');
    await manifestRows.nth(first.members.length - 1).waitFor();
    assert.equal(await manifestRows.count(), first.members.length);
    const names = await manifestRows.locator('td:first-child').allInnerTexts();
    assert.deepEqual(names.sort(), first.members.map(fullName).sort());
    assert.equal(
      await p.getByRole('link', { name: 'Download CSV' }).getAttribute('href'),
      `/api/evacuation/legs/${legId}/manifest.csv`,
    );
    const jsonHref = await p.getByRole('link', { name: 'Download JSON' }).getAttribute('href');
    assert.equal(jsonHref, `/api/evacuation/legs/${legId}/manifest.json`);
    const json = await (await p.request.get(jsonHref!)).json();
    assert.deepEqual(
      json.entries
        .map((e: { givenNames: string; familyName: string | null }) =>
          fullName({ id: '', given: e.givenNames, family: e.familyName, documents: '' }),
        )
        .sort(),
      first.members.map(fullName).sort(),
    );

    // The passes go to each person's own channel; those without a contact are counted.
    await p.getByRole('button', { name: 'Send boarding passes' }).click();
    const sent = p.getByRole('status').filter({ hasText: /^Boarding passes sent: \d+; sent before: 0;/ });
    await sent.waitFor();
    const [, sentNow, noContact] =
      /sent: (\d+); sent before: 0; no contact: (\d+); already aboard: 0\./.exec(
        (await sent.textContent()) ?? '',
      ) ?? [];
    assert.equal(Number(sentNow) + Number(noContact), first.members.length);
    await p.getByRole('button', { name: 'Show boarding passes' }).click();
    await p
      .locator('.evac-pass__token')
      .nth(first.members.length - 1)
      .waitFor();
    const tokens = await p.locator('.evac-pass__token').allInnerTexts();
    assert.equal(tokens.length, first.members.length);
    assert.equal(await p.locator('.evac-pass img').count(), first.members.length, 'a QR code on each pass');

    // The scanner, on a phone, in the same signed-in browser.
    const phone = await tab!.context.newPage();
    await phone.setViewportSize({ width: 390, height: 844 });
    await phone.goto('/scan');
    await phone.locator(`#leg option[value="${legId}"]`).waitFor({ state: 'attached' });
    await phone.locator('#leg').selectOption(legId);
    const scan = async (token: string, expected: string) => {
      await phone.getByLabel('Or type or paste the code under the QR code').fill(token);
      await phone.getByRole('button', { name: 'Board' }).click();
      await phone.locator('#result strong', { hasText: new RegExp(`^${expected}$`) }).waitFor();
    };
    await scan(tokens[0]!, 'Boarded');
    await scan(tokens[0]!, 'Already aboard');
    await phone.locator('#heads', { hasText: `1 aboard of ${first.members.length} expected` }).waitFor();

    // The same scanner in Arabic, right to left: a pass scanned with the network down waits on the
    // phone and boards its holder once the network is back.
    await phone.goto('/scan?lang=ar');
    assert.equal(await phone.locator('html').getAttribute('dir'), 'rtl');
    await phone.getByRole('heading', { level: 1, name: 'ماسح بطاقات الصعود' }).waitFor();
    await phone.locator(`#leg option[value="${legId}"]`).waitFor({ state: 'attached' });
    await phone.locator('#leg').selectOption(legId);
    await tab!.context.setOffline(true);
    await phone.locator('#network', { hasText: 'غير متصل' }).waitFor();
    await phone.getByLabel('أو اكتب الرمز المطبوع تحت رمز QR أو الصقه').fill(tokens[1]!);
    await phone.getByRole('button', { name: 'تسجيل الصعود' }).click();
    await phone.locator('#result strong', { hasText: /^مُسحت دون اتصال$/ }).waitFor();
    await phone.locator('#queued', { hasText: 'عمليات مسح بانتظار المزامنة: 1' }).waitFor();
    await tab!.context.setOffline(false);
    await phone.locator('#result strong', { hasText: /^أُرسلت عمليات المسح دون اتصال$/ }).waitFor();
    await phone.locator('#heads', { hasText: `على المتن 2 من أصل ${first.members.length}` }).waitFor();
    await phone.close();

    // Back on the manifest: two ticks, then boarding closes and the arrival is confirmed.
    await p.reload();
    await p.getByText(`Head count: 2 aboard of ${first.members.length} expected`).waitFor();
    assert.equal(await p.locator('.evac-tick').count(), 2);
    await p.getByRole('button', { name: 'Close boarding' }).click();
    await p
      .getByRole('status')
      .filter({ hasText: `Boarding closed: 2 aboard, ${first.members.length - 2} no-shows` })
      .waitFor();
    await p.getByRole('button', { name: 'Confirm arrival' }).click();
    await p
      .getByRole('status')
      .filter({ hasText: 'Arrival confirmed: 2 people; 2 return cases opened.' })
      .waitFor();

    // The board's head counts follow.
    await p.getByRole('link', { name: '← Operation board' }).click();
    await p.getByRole('heading', { level: 1, name: 'Flooding in Riyadh (e2e)' }).waitFor();
    assert.ok(operationId);
    await p
      .getByRole('listitem', { name: 'Leg to Jeddah port' })
      .getByText(/Head count: 2 aboard/)
      .waitFor();

    assert.deepEqual(tab!.blocked, [], 'no request left 127.0.0.1');
    assert.deepEqual(tab!.pageErrors, [], 'no uncaught error in the page');
  });
});
