// The bad input of an evacuation, each answered with a clear code and the stored plan left as it was:
// a group larger than any leg, an assembly point with no legs, departures in the past, overlapping
// operations, passes scanned twice or forged; plus the re-plans a leg change or a document date causes.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { buildTestApp, type TestApp } from '../../../test/helpers/app.ts';
import { signBoardingToken } from './boarding-token.ts';
import {
  assertStoredPlanHolds,
  type Caller,
  callerFor,
  expectStatus,
  HOUR,
  storedPlan,
} from './evacuation.test-kit.ts';

let t: TestApp;
let admin: Caller;
const now = Date.now();
const at = (hours: number) => new Date(now + hours * HOUR).toISOString();
const KOWLOON = { lat: 22.316, lon: 114.17 };

before(async () => {
  t = await buildTestApp();
  admin = callerFor(t);
});
after(async () => {
  await t?.close();
});

async function person(householdId: string | null, extra: object = {}, location: object | null = KOWLOON) {
  const body = {
    givenNames: 'Test',
    familyName: 'Evacuee',
    sex: 'F',
    birthDate: '1990-01-01',
    nationality: 'PH',
    documentStatus: 'with_person',
    ...(location ? { location: { ...location, country: 'HK' } } : {}),
    ...(householdId ? { householdId } : {}),
    ...extra,
  };
  return (await expectStatus(admin('POST', '/api/persons', body), 201)).id as string;
}

async function household(size: number, label: string, location: object | null = KOWLOON): Promise<string[]> {
  const hh = await expectStatus(admin('POST', '/api/households', { label, kind: 'household' }), 201);
  const members: string[] = [];
  for (let i = 0; i < size; i++) members.push(await person(hh.id, {}, location));
  return members;
}

const s: {
  operation: string;
  point: string;
  lonelyPoint: string;
  bus: string;
  family: string[];
  single: string;
  unlocated: string[];
  awaitingDocument: string;
} = {} as never;

const plan = () => expectStatus(admin('GET', `/api/evacuation/operations/${s.operation}/plan`), 200);

describe('evacuation bad input', () => {
  before(async () => {
    const op = await expectStatus(
      admin('POST', '/api/evacuation/operations', {
        crisis: 'Landslide (test)',
        country: 'HK',
        alertLevel: 4,
      }),
      201,
    );
    s.operation = op.id;
    const point = async (name: string, lat: number, lon: number) =>
      (
        await expectStatus(
          admin('POST', `/api/evacuation/operations/${s.operation}/assembly-points`, {
            name,
            lat,
            lon,
            capacity: 100,
            opensAt: at(-1),
            closesAt: at(48),
            accessible: true,
          }),
          201,
        )
      ).id as string;
    s.point = await point('Kowloon park', KOWLOON.lat, KOWLOON.lon);
    s.lonelyPoint = await point('Island school', 22.28, 114.16);
    s.bus = (
      await expectStatus(
        admin('POST', `/api/evacuation/operations/${s.operation}/legs`, {
          mode: 'bus',
          originAssemblyPointId: s.point,
          destination: 'Airport',
          departsAt: at(3),
          seats: 3,
        }),
        201,
      )
    ).leg.id;
    s.family = await household(4, 'Family of four');
    s.single = await person(null);
    s.unlocated = await household(2, 'Household without location', null);
    s.awaitingDocument = await person(null, { documentStatus: 'lost' });
    await expectStatus(
      admin('POST', `/api/evacuation/operations/${s.operation}/evacuees`, {
        personIds: [s.family[0], s.single, s.unlocated[0], s.awaitingDocument],
      }),
      200,
    );
    await expectStatus(
      admin('PATCH', `/api/evacuation/operations/${s.operation}/evacuees/${s.awaitingDocument}`, {
        etdReadyAt: at(1),
      }),
      200,
    );
  });

  test('a group larger than any leg, a point without legs and a household without location get reasons', async () => {
    const result = await expectStatus(
      admin('POST', `/api/evacuation/operations/${s.operation}/plan`, {}),
      201,
    );
    const reasons = new Map(
      result.unassigned.map((u: { personId: string; reason: string }) => [u.personId, u.reason]),
    );
    for (const id of s.family) assert.equal(reasons.get(id), 'group_larger_than_any_leg');
    for (const id of s.unlocated) assert.equal(reasons.get(id), 'location_unknown');
    assert.equal(reasons.has(s.single), false);
    assert.equal(reasons.has(s.awaitingDocument), false);
    assert.equal(result.summary.people, 8);
    assert.equal(result.summary.unassignedByReason.location_unknown, 2);
    assert.deepEqual(
      result.warnings.filter((w: { code: string }) => w.code === 'evacuation.assembly_point_without_legs'),
      [{ code: 'evacuation.assembly_point_without_legs', subjectId: s.lonelyPoint }],
    );
    await assertStoredPlanHolds(t.database.db, s.operation);
  });

  test('departures in the past and other bad legs are refused, the plan unchanged', async () => {
    const before = await plan();
    const leg = (body: object) => admin('POST', `/api/evacuation/operations/${s.operation}/legs`, body);
    const base = { mode: 'bus', originAssemblyPointId: s.point, destination: 'Airport', seats: 10 };
    await expectStatus(leg({ ...base, departsAt: at(-0.5) }), 422, 'evacuation.departure_in_past');
    await expectStatus(leg({ ...base, departsAt: at(5), medicalSeats: 11 }), 422, 'evacuation.invalid_seats');
    await expectStatus(
      leg({ ...base, originAssemblyPointId: undefined, originHubId: s.point, departsAt: at(5) }),
      422,
      'evacuation.hub_not_found',
    );
    await expectStatus(
      admin('PATCH', `/api/evacuation/legs/${s.bus}`, { departsAt: at(-2) }),
      422,
      'evacuation.departure_in_past',
    );
    await expectStatus(
      admin('POST', `/api/evacuation/operations/${s.operation}/assembly-points`, {
        name: 'Backwards',
        ...KOWLOON,
        capacity: 5,
        opensAt: at(5),
        closesAt: at(1),
        accessible: false,
      }),
      422,
      'evacuation.invalid_opening_hours',
    );
    await expectStatus(
      admin('PATCH', `/api/evacuation/operations/${s.operation}`, {
        planning: {
          tiers: [
            { label: 'first', weight: 1, vulnerabilities: [] },
            { label: 'second', weight: 5, vulnerabilities: [] },
          ],
        },
      }),
      422,
      'evacuation.invalid_tier_scheme',
    );
    assert.deepEqual(await plan(), before);
  });

  test('a later document date re-plans the person off a leg that leaves too early', async () => {
    const placed = await plan();
    const bus = placed.legs.find((l: { legId: string }) => l.legId === s.bus);
    assert.ok(bus.assignments.some((a: { personId: string }) => a.personId === s.awaitingDocument));
    const changed = await expectStatus(
      admin('PATCH', `/api/evacuation/operations/${s.operation}/evacuees/${s.awaitingDocument}`, {
        etdReadyAt: at(10),
      }),
      200,
    );
    assert.equal(changed.replan.trigger, 'evacuee_changed');
    assert.equal(changed.evacuee.placement.reason, 'documents_not_ready');
    await assertStoredPlanHolds(t.database.db, s.operation, {});
  });

  test('more seats re-plan the leg and seat the family together; fewer than those aboard is refused', async () => {
    const changed = await expectStatus(admin('PATCH', `/api/evacuation/legs/${s.bus}`, { seats: 6 }), 200);
    assert.equal(changed.replan.trigger, 'leg_changed');
    const view = await plan();
    const onBus = view.legs
      .find((l: { legId: string }) => l.legId === s.bus)
      .assignments.map((a: { personId: string }) => a.personId);
    for (const id of s.family) assert.ok(onBus.includes(id), 'the whole family travels');
    await assertStoredPlanHolds(t.database.db, s.operation);

    const passes = await expectStatus(admin('GET', `/api/evacuation/legs/${s.bus}/boarding-passes`), 200);
    const scan = (token: string) =>
      admin('POST', '/api/evacuation/boarding', {
        token,
        legId: s.bus,
        scannedAt: new Date().toISOString(),
        deviceId: 'door',
      });
    await expectStatus(scan(passes.items[0].token), 200);
    await expectStatus(scan(passes.items[1].token), 200);
    const before = await plan();
    await expectStatus(
      admin('PATCH', `/api/evacuation/legs/${s.bus}`, { seats: 1 }),
      409,
      'evacuation.boarded_exceed_capacity',
    );
    const legs = await expectStatus(admin('GET', `/api/evacuation/operations/${s.operation}/legs`), 200);
    assert.equal(legs.items.find((l: { id: string }) => l.id === s.bus).seats, 6, 'the leg is unchanged');
    assert.deepEqual(await plan(), before);

    // Twice scanned, forged, and a pass of another operation: clear codes, nothing changes.
    const again = await expectStatus(scan(passes.items[0].token), 200);
    assert.equal(again.alreadyBoarded, true);
    assert.equal(again.headCount.boarded, 2);
    const [prefix, payload, signature] = passes.items[0].token.split('.');
    const forged = `${prefix}.${payload}.${signature.startsWith('A') ? 'B' : 'A'}${signature.slice(1)}`;
    await expectStatus(scan(forged), 422, 'evacuation.token_invalid');
    assert.deepEqual(await plan(), before);
  });

  test('expired, future-dated and other-leg passes are refused with clear codes; nothing changes', async () => {
    const before = await plan();
    const { boarding_key: key } = await t.database.db
      .selectFrom('evacuation_operations')
      .select('boarding_key')
      .where('id', '=', s.operation)
      .executeTakeFirstOrThrow();
    const [aboard] = await t.database.db
      .selectFrom('evacuation_boardings')
      .select(['person_id', 'leg_id'])
      .where('operation_id', '=', s.operation)
      .orderBy('person_id')
      .execute();
    assert.ok(aboard, 'someone is aboard the bus');
    const scanAt = (token: string, legId: string, scannedAt = new Date().toISOString()) =>
      admin('POST', '/api/evacuation/boarding', { token, legId, scannedAt, deviceId: 'door' });
    const passFor = (legId: string, expiresAt: number) =>
      signBoardingToken({ operationId: s.operation, legId, personId: aboard.person_id, expiresAt }, key);
    const second = (
      await expectStatus(
        admin('POST', `/api/evacuation/operations/${s.operation}/legs`, {
          mode: 'bus',
          originAssemblyPointId: s.point,
          destination: 'Second bus',
          departsAt: at(20),
          seats: 2,
        }),
        201,
      )
    ).leg.id as string;
    const afterLeg = await plan();

    const wholeSecond = (ms: number) => Math.floor(ms / 1000) * 1000;
    await expectStatus(
      scanAt(passFor(s.bus, wholeSecond(Date.now() - HOUR)), s.bus),
      422,
      'evacuation.token_expired',
    );
    await expectStatus(
      scanAt(passFor(s.bus, wholeSecond(Date.now() + 30 * HOUR)), s.bus, at(2)),
      422,
      'evacuation.scan_time_invalid',
    );
    await expectStatus(
      scanAt(passFor(second, wholeSecond(Date.now() + 30 * HOUR)), second),
      409,
      'evacuation.boarded_other_leg',
    );
    await expectStatus(scanAt('HB1.short.pass', s.bus), 422, 'evacuation.token_invalid');
    await expectStatus(
      scanAt(passFor(s.bus, wholeSecond(Date.now() + HOUR)), second),
      409,
      'evacuation.wrong_leg',
    );
    assert.deepEqual(await plan(), afterLeg, 'refused scans change nothing');
    assert.equal(afterLeg.version, before.version + 1, 'only the new leg re-planned');
    await expectStatus(admin('POST', `/api/evacuation/legs/${second}/cancel`), 200);
  });

  test('an incremental plan on request keeps everyone where they are; boarded people never move', async () => {
    const before = await plan();
    const previous = await storedPlan(t.database.db, s.operation);
    const kept = await expectStatus(
      admin('POST', `/api/evacuation/operations/${s.operation}/plan`, { keepAssignments: true }),
      201,
    );
    assert.equal(kept.trigger, 'plan_keep');
    assert.equal(kept.version, before.version + 1);
    const after = await plan();
    assert.deepEqual(
      after.legs.map((l: { assignments: unknown[] }) => l.assignments),
      before.legs.map((l: { assignments: unknown[] }) => l.assignments),
    );
    await assertStoredPlanHolds(t.database.db, s.operation, { previousPlan: previous });
  });

  test('an overlapping operation cannot claim the same person; the plan stays as it was', async () => {
    const before = await plan();
    const other = await expectStatus(
      admin('POST', '/api/evacuation/operations', { crisis: 'Overlap (test)', country: 'HK', alertLevel: 4 }),
      201,
    );
    await expectStatus(
      admin('POST', `/api/evacuation/operations/${other.id}/evacuees`, { filter: { country: 'HK' } }),
      409,
      'evacuation.person_in_other_operation',
    );
    const evacuees = await expectStatus(admin('GET', `/api/evacuation/operations/${other.id}/evacuees`), 200);
    assert.deepEqual(evacuees.items, [], 'nothing half-added');
    assert.deepEqual(await plan(), before);
  });

  test('evacuation routes are for planners and scanners; other roles are refused', async () => {
    const asPartner = callerFor(t, 'partner_caseworker');
    await expectStatus(asPartner('GET', '/api/evacuation/operations'), 403, 'access.forbidden');
    await expectStatus(
      callerFor(t, 'host_authority')('POST', '/api/evacuation/boarding', {
        token: 'x',
        legId: s.bus,
        scannedAt: new Date().toISOString(),
        deviceId: 'd',
      }),
      403,
      'access.forbidden',
    );
    // A consular officer of another country sees neither the operation nor its legs.
    const officer = callerFor(t, 'consular_officer');
    await expectStatus(officer('GET', `/api/evacuation/operations/${s.operation}/plan`), 404);
    await expectStatus(
      officer('GET', `/api/evacuation/legs/${s.bus}/manifest.csv`),
      404,
      'evacuation.leg_not_found',
    );
  });
});
