// An evacuation end to end over the API, on a seeded synthetic population: operation, assembly
// points, legs, evacuees with their households, a plan checked by the independent checker, manifests,
// boarding passes, scans (twice, forged, wrong leg, offline batch), no-shows re-planned without
// moving anyone aboard, a cancelled leg re-planned, arrival into return cases, and costs.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { buildTestApp, type TestApp } from '../../../test/helpers/app.ts';
import { seedDemo } from '../seed/seed.service.ts';
import {
  assertStoredPlanHolds,
  type Caller,
  callerFor,
  expectStatus,
  HOUR,
  storedPlan,
} from './evacuation.test-kit.ts';

let t: TestApp;
let officer: Caller;
let admin: Caller;
const now = Date.now();
const at = (hours: number) => new Date(now + hours * HOUR).toISOString();

before(async () => {
  t = await buildTestApp();
  officer = callerFor(t, 'consular_officer');
  admin = callerFor(t);
  await seedDemo(t.database, { people: 1000, seed: 11, now: new Date(now) });
});
after(async () => {
  await t?.close();
});

const ids: {
  operation: string;
  dubai: string;
  abuDhabi: string;
  fujairah: string;
  hub: string;
  dubaiBus: string;
  abuDhabiBus: string;
  flight: string;
  ship: string;
} = {} as never;

type LegPlan = { legId: string; assignments: { personId: string; seat: string; boarded: boolean }[] };

async function planNow() {
  return expectStatus(officer('GET', `/api/evacuation/operations/${ids.operation}/plan`), 200);
}

async function peopleOn(legId: string): Promise<string[]> {
  const plan = await planNow();
  return (plan.legs as LegPlan[]).find((l) => l.legId === legId)!.assignments.map((a) => a.personId);
}

describe('an evacuation on the demo population, through the API', () => {
  test('an officer opens an operation in their jurisdiction only', async () => {
    const op = await expectStatus(
      officer('POST', '/api/evacuation/operations', {
        crisis: 'Coastal flood (test)',
        country: 'ARE',
        alertLevel: 4,
      }),
      201,
    );
    assert.equal(op.country, 'AE');
    assert.equal(op.status, 'planning');
    assert.equal('boardingKey' in op, false, 'the signing key never leaves the server');
    ids.operation = op.id;
    await expectStatus(
      officer('POST', '/api/evacuation/operations', {
        crisis: 'Typhoon (test)',
        country: 'HK',
        alertLevel: 4,
      }),
      403,
      'access.denied_record',
    );
    const hk = await expectStatus(
      admin('POST', '/api/evacuation/operations', { crisis: 'Typhoon (test)', country: 'HK', alertLevel: 3 }),
      201,
    );
    await expectStatus(
      officer('GET', `/api/evacuation/operations/${hk.id}`),
      404,
      'evacuation.operation_not_found',
    );
    const listed = await expectStatus(officer('GET', '/api/evacuation/operations'), 200);
    assert.deepEqual(
      listed.items.map((o: { id: string }) => o.id),
      [ids.operation],
    );
  });

  test('assembly points, a hub and legs; a departure in the past is refused', async () => {
    const point = async (name: string, lat: number, lon: number, capacity: number, accessible: boolean) =>
      (
        await expectStatus(
          officer('POST', `/api/evacuation/operations/${ids.operation}/assembly-points`, {
            name,
            lat,
            lon,
            capacity,
            opensAt: at(-1),
            closesAt: at(72),
            accessible,
          }),
          201,
        )
      ).id as string;
    ids.dubai = await point('Dubai community hall', 25.2, 55.3, 400, true);
    ids.abuDhabi = await point('Abu Dhabi school', 24.46, 54.39, 200, false);
    ids.fujairah = await point('Fujairah stadium', 25.12, 56.33, 50, true);
    ids.hub = (
      await expectStatus(
        officer('POST', `/api/evacuation/operations/${ids.operation}/hubs`, {
          name: 'Dubai airport',
          transferMinutes: 120,
          assemblyPointIds: [ids.dubai, ids.abuDhabi],
        }),
        201,
      )
    ).id;
    const leg = async (body: object) =>
      (await expectStatus(officer('POST', `/api/evacuation/operations/${ids.operation}/legs`, body), 201)).leg
        .id as string;
    ids.dubaiBus = await leg({
      mode: 'bus',
      originAssemblyPointId: ids.dubai,
      destination: 'Hatta border crossing',
      departsAt: at(6),
      seats: 50,
      medicalSeats: 2,
    });
    ids.abuDhabiBus = await leg({
      mode: 'bus',
      originAssemblyPointId: ids.abuDhabi,
      destination: 'Ghuwaifat border crossing',
      departsAt: at(8),
      seats: 40,
    });
    ids.flight = await leg({
      mode: 'flight',
      originHubId: ids.hub,
      destination: 'Manila',
      departsAt: at(30),
      seats: 150,
      medicalSeats: 4,
    });
    ids.ship = await leg({
      mode: 'ship',
      originAssemblyPointId: ids.dubai,
      destination: 'Port of Manila',
      departsAt: at(50),
      seats: 60,
    });
    await expectStatus(
      officer('POST', `/api/evacuation/operations/${ids.operation}/legs`, {
        mode: 'bus',
        originAssemblyPointId: ids.dubai,
        destination: 'Yesterday',
        departsAt: at(-1),
        seats: 10,
      }),
      422,
      'evacuation.departure_in_past',
    );
    await expectStatus(
      officer('POST', `/api/evacuation/operations/${ids.operation}/legs`, {
        mode: 'bus',
        originAssemblyPointId: ids.dubai,
        originHubId: ids.hub,
        destination: 'Both',
        departsAt: at(10),
        seats: 10,
      }),
      422,
      'evacuation.leg_origin_invalid',
    );
    const legs = await expectStatus(officer('GET', `/api/evacuation/operations/${ids.operation}/legs`), 200);
    assert.equal(legs.items.length, 4);
  });

  test('evacuees: a selection brings whole households, then a filter adds the rest of the country', async () => {
    const { db } = t.database;
    const members = await db
      .selectFrom('persons')
      .select(['id', 'household_id'])
      .where('location_country', '=', 'AE')
      .where('household_id', 'is not', null)
      .orderBy('id')
      .execute();
    const household = members[0]!.household_id!;
    const size = members.filter((m) => m.household_id === household).length;
    assert.ok(size >= 2, 'the demo has households of several people');
    const picked = await expectStatus(
      officer('POST', `/api/evacuation/operations/${ids.operation}/evacuees`, {
        personIds: [members[0]!.id],
      }),
      200,
    );
    assert.equal(picked.requested, 1);
    assert.equal(picked.added, size);
    assert.equal(picked.householdMembersAdded, size - 1);
    assert.equal(picked.householdsExpanded, 1);

    const everyone = await expectStatus(
      officer('POST', `/api/evacuation/operations/${ids.operation}/evacuees`, { filter: { country: 'AE' } }),
      200,
    );
    const inCountry = await db
      .selectFrom('persons')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('location_country', '=', 'AE')
      .executeTakeFirstOrThrow();
    assert.equal(everyone.alreadyInOperation, size);
    assert.equal(everyone.added + size, Number(inCountry.n));
    await expectStatus(
      officer('POST', `/api/evacuation/operations/${ids.operation}/evacuees`, { filter: { country: 'HK' } }),
      403,
      'access.denied_record',
    );
    const hkPerson = await db
      .selectFrom('persons')
      .select('id')
      .where('location_country', '=', 'HK')
      .executeTakeFirstOrThrow();
    await expectStatus(
      officer('POST', `/api/evacuation/operations/${ids.operation}/evacuees`, { personIds: [hkPerson.id] }),
      404,
      'evacuation.person_not_found',
    );
  });

  test('emergency travel documents: a date for those without their passport, refused for the others', async () => {
    const page = await expectStatus(
      officer('GET', `/api/evacuation/operations/${ids.operation}/evacuees?limit=5000`),
      200,
    );
    type E = { personId: string; needsEmergencyTravelDocument: boolean; groupKind: string };
    const needing = (page.items as E[]).filter((e) => e.needsEmergencyTravelDocument);
    const withPassport = (page.items as E[]).find((e) => !e.needsEmergencyTravelDocument)!;
    assert.ok(needing.length >= 4);
    // Most get a document in 20 hours (after the buses leave, before the flight); three have no date yet.
    for (const e of needing.slice(3)) {
      const res = await expectStatus(
        officer('PATCH', `/api/evacuation/operations/${ids.operation}/evacuees/${e.personId}`, {
          etdReadyAt: at(20),
        }),
        200,
      );
      assert.equal(res.evacuee.etdReadyAt, at(20));
      assert.equal(res.replan, null, 'no plan yet');
    }
    await expectStatus(
      officer('PATCH', `/api/evacuation/operations/${ids.operation}/evacuees/${withPassport.personId}`, {
        etdReadyAt: at(5),
      }),
      422,
      'evacuation.etd_not_needed',
    );
  });

  test('plan: every stored rule holds, the unassigned have reasons, a point without legs is flagged', async () => {
    const result = await expectStatus(
      officer('POST', `/api/evacuation/operations/${ids.operation}/plan`, {}),
      201,
    );
    assert.equal(result.version, 1);
    assert.equal(result.trigger, 'plan');
    assert.ok(result.summary.assigned > 100, JSON.stringify(result.summary));
    assert.equal(result.summary.people, result.summary.assigned + result.summary.unassigned);
    assert.ok(result.summary.unassignedByReason.documents_not_ready >= 3);
    assert.ok(
      result.warnings.some(
        (w: { code: string; subjectId: string }) =>
          w.code === 'evacuation.assembly_point_without_legs' && w.subjectId === ids.fujairah,
      ),
    );
    for (const u of result.unassigned) assert.ok(typeof u.reason === 'string' && u.reason.length > 0);
    await assertStoredPlanHolds(t.database.db, ids.operation);

    const view = await planNow();
    assert.equal(view.version, 1);
    const bus = view.legs.find((l: { legId: string }) => l.legId === ids.dubaiBus);
    assert.equal(bus.regularUsed + bus.medicalUsed, bus.assignments.length);
    assert.ok(bus.fill > 0 && bus.fill <= 1);
    assert.equal(view.notPlanned, 0);
    // People still waiting for a document (no date) cannot be given a seat.
    const evacuees = await expectStatus(
      officer('GET', `/api/evacuation/operations/${ids.operation}/evacuees?limit=5000`),
      200,
    );
    for (const e of evacuees.items) {
      if (e.needsEmergencyTravelDocument && e.etdReadyAt === null) assert.equal(e.placement.legId, null);
    }
  });

  test('manifests: CSV with a header and print-ready HTML, with no health data beyond the seat kind', async () => {
    const onBus = await peopleOn(ids.dubaiBus);
    const csv = await admin('GET', `/api/evacuation/legs/${ids.dubaiBus}/manifest.csv`);
    assert.equal(csv.statusCode, 200, csv.body);
    assert.match(String(csv.headers['content-type']), /^text\/csv/);
    const lines = csv.body.trimEnd().split('\r\n');
    assert.ok(lines[0]!.startsWith('seq,person_id,family_name,given_names,household,seat'));
    assert.equal(lines.length - 1, onBus.length);
    assert.deepEqual(
      lines
        .slice(1)
        .map((l) => l.split(',')[1])
        .sort(),
      [...onBus].sort(),
    );
    assert.doesNotMatch(csv.body, /pregnan|traffick|disabilit|chronic|violence/i);

    const html = await admin('GET', `/api/evacuation/legs/${ids.dubaiBus}/manifest.html`);
    assert.equal(html.statusCode, 200);
    assert.match(String(html.headers['content-type']), /^text\/html/);
    assert.match(html.body, /@media print/);
    assert.doesNotMatch(html.body, /<script/i);
    const anonymous = await t.anonymous({ url: `/api/evacuation/legs/${ids.dubaiBus}/manifest.html` });
    assert.equal(anonymous.statusCode, 401);

    const json = await expectStatus(
      officer('GET', `/api/evacuation/legs/${ids.dubaiBus}/manifest.json`),
      200,
    );
    assert.equal(json.leg.id, ids.dubaiBus);
    assert.deepEqual(json.entries.map((e: { personId: string }) => e.personId).sort(), [...onBus].sort());
    for (const entry of json.entries) {
      assert.deepEqual(Object.keys(entry).sort(), [
        'assemblyPoint',
        'boardedAt',
        'documentStatus',
        'etdReadyAt',
        'familyName',
        'givenNames',
        'household',
        'personId',
        'seat',
      ]);
    }
    assert.doesNotMatch(JSON.stringify(json), /pregnan|traffick|disabilit|chronic|violence/i);
    const reads = await t.database.db
      .selectFrom('audit_log')
      .select(['details', 'person_ids'])
      .where('action', '=', 'evacuation.manifest.read')
      .orderBy('seq')
      .execute();
    assert.deepEqual(
      reads.map((r) => JSON.parse(r.details).format),
      ['csv', 'html', 'json'],
      'every manifest read is audited, in every format',
    );
    assert.deepEqual(JSON.parse(reads[2]!.person_ids).sort(), [...onBus].sort());
  });

  test('boarding: a pass boards once, a second scan is idempotent, forged and wrong-leg passes are refused', async () => {
    const passes = await expectStatus(
      officer('GET', `/api/evacuation/legs/${ids.dubaiBus}/boarding-passes`),
      200,
    );
    const onBus = await peopleOn(ids.dubaiBus);
    assert.equal(passes.items.length, onBus.length);
    const first = passes.items[0];
    assert.match(first.qrCodeDataUrl, /^data:image\/svg\+xml;base64,/);
    const before = await planNow();

    const scan = (token: string, legId = ids.dubaiBus) =>
      officer('POST', '/api/evacuation/boarding', {
        token,
        legId,
        scannedAt: new Date().toISOString(),
        deviceId: 'door-1',
      });
    const boarded = await expectStatus(scan(first.token), 200);
    assert.equal(boarded.alreadyBoarded, false);
    assert.equal(boarded.personId, first.personId);
    assert.equal(boarded.headCount.boarded, 1);
    const again = await expectStatus(scan(first.token), 200);
    assert.equal(again.alreadyBoarded, true);
    assert.equal(again.headCount.boarded, 1, 'not counted twice');

    const [prefix, payload, signature] = passes.items[1].token.split('.');
    const tampered = `${prefix}.${payload}.${signature.startsWith('A') ? 'B' : 'A'}${signature.slice(1)}`;
    await expectStatus(scan(tampered), 422, 'evacuation.token_invalid');
    const otherPayload = passes.items[2].token.split('.')[1];
    await expectStatus(scan(`${prefix}.${otherPayload}.${signature}`), 422, 'evacuation.token_invalid');
    await expectStatus(scan('HB1.not-a-pass.at-all'), 422, 'evacuation.token_invalid');
    await expectStatus(scan(passes.items[1].token, ids.abuDhabiBus), 409, 'evacuation.wrong_leg');

    const heads = await expectStatus(
      officer('GET', `/api/evacuation/operations/${ids.operation}/head-counts`),
      200,
    );
    assert.equal(heads.items.find((h: { legId: string }) => h.legId === ids.dubaiBus).boarded, 1);
    const after = await planNow();
    const { legs: beforeLegs, ...beforeRest } = before;
    const { legs: afterLegs, ...afterRest } = after;
    assert.deepEqual(afterRest, beforeRest, 'refused scans leave the plan as it was');
    assert.deepEqual(
      afterLegs.map((l: LegPlan) => l.assignments.map((a) => a.personId)),
      beforeLegs.map((l: LegPlan) => l.assignments.map((a) => a.personId)),
    );

    // Offline scans arrive later as a batch with their original times, each answered on its own.
    const takenAt = new Date(Date.now() - 20 * 60_000).toISOString();
    const batch = await expectStatus(
      officer('POST', '/api/evacuation/boarding/batch', {
        scans: [
          { token: passes.items[1].token, legId: ids.dubaiBus, scannedAt: takenAt, deviceId: 'door-2' },
          { token: passes.items[2].token, legId: ids.dubaiBus, scannedAt: takenAt, deviceId: 'door-2' },
          { token: passes.items[2].token, legId: ids.dubaiBus, scannedAt: takenAt, deviceId: 'door-2' },
          { token: tampered, legId: ids.dubaiBus, scannedAt: takenAt, deviceId: 'door-2' },
          { token: first.token, legId: ids.dubaiBus, scannedAt: takenAt, deviceId: 'door-2' },
        ],
      }),
      200,
    );
    assert.deepEqual(
      batch.results.map((r: { ok: boolean; code?: string; result?: { alreadyBoarded: boolean } }) =>
        r.ok ? (r.result!.alreadyBoarded ? 'again' : 'boarded') : r.code,
      ),
      ['boarded', 'boarded', 'again', 'evacuation.token_invalid', 'again'],
    );
    assert.equal(batch.results[0].result.scannedAt, takenAt, 'the original scan time is kept');
    assert.deepEqual(batch.headCounts, [
      { legId: ids.dubaiBus, boarded: 3, assigned: onBus.length, seats: 50 },
    ]);
    const scanner = await expectStatus(officer('GET', '/api/evacuation/boarding/legs'), 200);
    assert.ok(scanner.items.some((l: { legId: string }) => l.legId === ids.dubaiBus));
  });

  test('closing boarding releases the no-shows and re-plans them without moving anyone aboard', async () => {
    const passes = await expectStatus(
      officer('GET', `/api/evacuation/legs/${ids.dubaiBus}/boarding-passes`),
      200,
    );
    // Board half the bus in all, then close.
    const half = Math.floor(passes.items.length / 2);
    for (const pass of passes.items.slice(3, half)) {
      await expectStatus(
        officer('POST', '/api/evacuation/boarding', {
          token: pass.token,
          legId: ids.dubaiBus,
          scannedAt: new Date().toISOString(),
          deviceId: 'door-1',
        }),
        200,
      );
    }
    const aboard = passes.items.slice(0, half).map((p: { personId: string }) => p.personId);
    const noShows = passes.items.slice(half).map((p: { personId: string }) => p.personId);
    const previous = await storedPlan(t.database.db, ids.operation);
    const closed = await expectStatus(
      officer('POST', `/api/evacuation/legs/${ids.dubaiBus}/close-boarding`),
      200,
    );
    assert.equal(closed.boarded, aboard.length);
    assert.equal(closed.noShows, noShows.length);
    assert.equal(closed.replan.trigger, 'no_shows_released');
    assert.equal(closed.replan.version, 2);
    await assertStoredPlanHolds(t.database.db, ids.operation, {
      previousPlan: previous,
      releasedEvacueeIds: noShows,
    });

    assert.deepEqual((await peopleOn(ids.dubaiBus)).sort(), [...aboard].sort(), 'only those aboard remain');
    const lateComer = passes.items[half];
    await expectStatus(
      officer('POST', '/api/evacuation/boarding', {
        token: lateComer.token,
        legId: ids.dubaiBus,
        scannedAt: new Date().toISOString(),
        deviceId: 'door-1',
      }),
      409,
      'evacuation.boarding_closed',
    );
  });

  test('a cancelled leg is re-planned; a leg with people aboard cannot be cancelled', async () => {
    const onAbuDhabi = await peopleOn(ids.abuDhabiBus);
    assert.ok(onAbuDhabi.length > 0);
    const previous = await storedPlan(t.database.db, ids.operation);
    const cancelled = await expectStatus(
      officer('POST', `/api/evacuation/legs/${ids.abuDhabiBus}/cancel`),
      200,
    );
    assert.equal(cancelled.leg.status, 'cancelled');
    assert.equal(cancelled.replan.trigger, 'leg_cancelled');
    await assertStoredPlanHolds(t.database.db, ids.operation, { previousPlan: previous });
    assert.deepEqual(await peopleOn(ids.abuDhabiBus), []);
    const aboardBefore = (await peopleOn(ids.dubaiBus)).sort();
    await expectStatus(
      officer('POST', `/api/evacuation/legs/${ids.dubaiBus}/cancel`),
      409,
      'evacuation.leg_has_boarded',
    );
    assert.deepEqual((await peopleOn(ids.dubaiBus)).sort(), aboardBefore);

    const beforeAdding = await storedPlan(t.database.db, ids.operation);
    const added = await expectStatus(
      officer('POST', `/api/evacuation/operations/${ids.operation}/legs`, {
        mode: 'bus',
        originAssemblyPointId: ids.abuDhabi,
        destination: 'Ghuwaifat border crossing',
        departsAt: at(12),
        seats: 45,
      }),
      201,
    );
    assert.equal(added.replan.trigger, 'leg_added');
    await assertStoredPlanHolds(t.database.db, ids.operation, { previousPlan: beforeAdding });
    assert.ok((await planNow()).legs.some((l: LegPlan) => l.legId === added.leg.id));
  });

  test('arrival hands everyone aboard over to reintegration, once', async () => {
    const aboard = (await peopleOn(ids.dubaiBus)).sort();
    const arrived = await expectStatus(
      officer('POST', `/api/evacuation/legs/${ids.dubaiBus}/arrived`, {}),
      200,
    );
    assert.equal(arrived.arrived, aboard.length);
    assert.equal(arrived.returnCasesOpened, aboard.length);
    const cases = await expectStatus(
      officer('GET', `/api/evacuation/operations/${ids.operation}/return-cases`),
      200,
    );
    assert.deepEqual(cases.items.map((c: { personId: string }) => c.personId).sort(), aboard);
    for (const c of cases.items) {
      assert.equal(c.stage, 'reintegration');
      assert.equal(c.status, 'open');
    }
    await expectStatus(
      officer('POST', `/api/evacuation/legs/${ids.dubaiBus}/arrived`, {}),
      409,
      'evacuation.leg_already_arrived',
    );
    await expectStatus(
      officer('POST', `/api/evacuation/legs/${ids.flight}/arrived`, {}),
      409,
      'evacuation.boarding_not_closed',
    );
    const op = await expectStatus(officer('GET', `/api/evacuation/operations/${ids.operation}`), 200);
    assert.equal(op.counts.arrived, aboard.length);
  });

  test('costs per evacuee, totalled per operation and currency', async () => {
    const [a, b] = (await peopleOn(ids.dubaiBus)).sort();
    const cost = (personId: string, body: object) =>
      officer('POST', `/api/evacuation/operations/${ids.operation}/evacuees/${personId}/costs`, body);
    await expectStatus(cost(a!, { kind: 'fare', amount: '120.5', currency: 'AED', status: 'paid' }), 201);
    await expectStatus(cost(a!, { kind: 'exit_fee', amount: '300', currency: 'AED', status: 'waived' }), 201);
    await expectStatus(
      cost(b!, { kind: 'cash_assistance', amount: '45.25', currency: 'USD', status: 'paid', notes: 'Meals' }),
      201,
    );
    await expectStatus(cost(b!, { kind: 'penalty', amount: '0.1', currency: 'AED', status: 'paid' }), 201);
    await expectStatus(cost(b!, { kind: 'fare', amount: '-5', currency: 'AED', status: 'paid' }), 400);
    const items = await expectStatus(
      officer('GET', `/api/evacuation/operations/${ids.operation}/evacuees/${b}/costs`),
      200,
    );
    assert.deepEqual(
      items.items.map((i: { kind: string; amount: string; notes: string | null }) => [
        i.kind,
        i.amount,
        i.notes,
      ]),
      [
        ['cash_assistance', '45.25', 'Meals'],
        ['penalty', '0.10', null],
      ],
    );
    const totals = await expectStatus(
      officer('GET', `/api/evacuation/operations/${ids.operation}/costs`),
      200,
    );
    assert.deepEqual(totals.currencies, [
      {
        currency: 'AED',
        paid: '120.60',
        waived: '300.00',
        total: '420.60',
        items: 3,
        evacuees: 2,
        byKind: [
          { kind: 'fare', paid: '120.50', waived: '0.00' },
          { kind: 'exit_fee', paid: '0.00', waived: '300.00' },
          { kind: 'penalty', paid: '0.10', waived: '0.00' },
        ],
      },
      {
        currency: 'USD',
        paid: '45.25',
        waived: '0.00',
        total: '45.25',
        items: 1,
        evacuees: 1,
        byKind: [{ kind: 'cash_assistance', paid: '45.25', waived: '0.00' }],
      },
    ]);
  });

  test('another open operation cannot claim the same people; the stored plan stays as it was', async () => {
    const before = await planNow();
    const second = await expectStatus(
      officer('POST', '/api/evacuation/operations', {
        crisis: 'Second wave (test)',
        country: 'AE',
        alertLevel: 4,
      }),
      201,
    );
    const someone = before.legs.find((l: LegPlan) => l.legId === ids.flight).assignments[0].personId;
    const refused = await expectStatus(
      officer('POST', `/api/evacuation/operations/${second.id}/evacuees`, { personIds: [someone] }),
      409,
      'evacuation.person_in_other_operation',
    );
    assert.deepEqual(refused.operationIds, [ids.operation]);
    const skipped = await expectStatus(
      officer('POST', `/api/evacuation/operations/${second.id}/evacuees`, {
        personIds: [someone],
        skipPersonsInOtherOperations: true,
      }),
      200,
    );
    assert.equal(skipped.added, 0);
    assert.ok(skipped.skippedInOtherOperations >= 1);
    assert.deepEqual(await planNow(), before);

    // Once the first operation closes, its people are free again.
    await expectStatus(
      officer('PATCH', `/api/evacuation/operations/${ids.operation}`, { status: 'closed' }),
      200,
    );
    const added = await expectStatus(
      officer('POST', `/api/evacuation/operations/${second.id}/evacuees`, { personIds: [someone] }),
      200,
    );
    assert.ok(added.added >= 1);
    await expectStatus(
      officer('POST', `/api/evacuation/operations/${ids.operation}/plan`, {}),
      409,
      'evacuation.operation_closed',
    );
  });
});
