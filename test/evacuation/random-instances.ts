// fast-check generators of small, awkward evacuation instances: points that close early, hubs,
// cancelled and departed legs, stretcher cases, documents that are late or never come, groups that
// straddle the distance limit.
import fc from 'fast-check';
import type {
  AssemblyPoint,
  EvacuationInput,
  Evacuee,
  EvacueeGroup,
  TransportHub,
  TransportLeg,
  VulnerabilityCode,
} from '../../src/domain/evacuation/evacuation-types.ts';
import { HOUR, NOW, offset } from './instance-builders.ts';

const MINUTE = 60_000;
const CODES: VulnerabilityCode[] = [
  'pregnant',
  'child',
  'unaccompanied_child',
  'disability',
  'medical',
  'elderly',
  'trafficking_survivor',
  'detained',
];

const location = fc.record({
  north: fc.integer({ min: -25, max: 25 }),
  east: fc.integer({ min: -25, max: 25 }),
});
/** A time from five hours before the plan time to forty after, to the minute. */
const instant = fc.integer({ min: -5 * 60, max: 40 * 60 }).map((minutes) => NOW + minutes * MINUTE);

const pointShape = fc.record({
  at: location,
  capacity: fc.oneof(
    { weight: 1, arbitrary: fc.integer({ min: 0, max: 4 }) },
    { weight: 4, arbitrary: fc.integer({ min: 5, max: 30 }) },
  ),
  opensAfterHours: fc.integer({ min: -10, max: 2 }),
  openHours: fc.oneof(
    { weight: 1, arbitrary: fc.integer({ min: 0, max: 10 }) },
    { weight: 4, arbitrary: fc.integer({ min: 10, max: 80 }) },
  ),
  accessible: fc.boolean(),
});

const legShape = fc.record({
  originIndex: fc.nat(),
  fromHub: fc.integer({ min: 0, max: 2 }).map((n) => n === 0),
  departsAt: instant,
  seats: fc.integer({ min: 0, max: 15 }),
  medicalSeats: fc.integer({ min: 0, max: 3 }),
  cancelled: fc.integer({ min: 0, max: 9 }).map((n) => n === 0),
});

const memberShape = fc.record({
  spread: location.map(({ north, east }) => ({ north: north / 5, east: east / 5 })),
  codes: fc.subarray(CODES, { maxLength: 2 }),
  birthYear: fc.option(fc.integer({ min: 1935, max: 2024 }), { nil: null }),
  needsMedicalSeat: fc.integer({ min: 0, max: 19 }).map((n) => n === 0),
  needsAccessibleSite: fc.integer({ min: 0, max: 19 }).map((n) => n === 0),
  document: fc.oneof(
    { weight: 16, arbitrary: fc.constant<number | null>(null) },
    { weight: 4, arbitrary: instant as fc.Arbitrary<number | null> },
    { weight: 1, arbitrary: fc.constant<number | null>(Number.POSITIVE_INFINITY) },
  ),
});

const groupShape = fc.record({
  at: location,
  kind: fc.constantFrom<EvacueeGroup['kind']>('household', 'group'),
  members: fc.array(memberShape, { minLength: 1, maxLength: 5 }),
});

const hubShape = fc.record({
  pointIndexes: fc.uniqueArray(fc.nat({ max: 4 }), { maxLength: 3 }),
  transferMinutes: fc.integer({ min: 0, max: 180 }),
});

/** A random operation together with the maximum distance to plan it with. */
export const randomOperation: fc.Arbitrary<{ input: EvacuationInput; maxDistanceKm: number }> = fc
  .record({
    points: fc.array(pointShape, { minLength: 1, maxLength: 5 }),
    hubs: fc.array(hubShape, { maxLength: 2 }),
    legs: fc.array(legShape, { minLength: 2, maxLength: 12 }),
    groups: fc.array(groupShape, { minLength: 1, maxLength: 12 }),
    maxDistanceKm: fc.integer({ min: 20, max: 80 }),
  })
  .map((shape) => {
    const assemblyPoints: AssemblyPoint[] = shape.points.map((point, index) => {
      const opensAt = NOW + point.opensAfterHours * HOUR;
      return {
        id: `ap-${index}`,
        ...offset(point.at.north, point.at.east),
        capacity: point.capacity,
        opensAt,
        closesAt: opensAt + point.openHours * HOUR,
        accessible: point.accessible,
      };
    });
    const hubs: TransportHub[] = shape.hubs.map((hub, index) => ({
      id: `hub-${index}`,
      assemblyPointIds: hub.pointIndexes.filter((i) => i < assemblyPoints.length).map((i) => `ap-${i}`),
      transferMinutes: hub.transferMinutes,
    }));
    const legs: TransportLeg[] = shape.legs.map((leg, index) => {
      const origin: TransportLeg['origin'] =
        leg.fromHub && hubs.length > 0
          ? { kind: 'hub', hubId: hubs[leg.originIndex % hubs.length]!.id }
          : {
              kind: 'assembly_point',
              assemblyPointId: assemblyPoints[leg.originIndex % assemblyPoints.length]!.id,
            };
      return {
        id: `leg-${index}`,
        mode: origin.kind === 'hub' ? 'flight' : 'bus',
        origin,
        destination: 'home',
        departsAt: leg.departsAt,
        seats: leg.seats,
        medicalSeats: Math.min(leg.medicalSeats, leg.seats),
        cancelled: leg.cancelled,
      };
    });
    const groups: EvacueeGroup[] = [];
    const evacuees: Evacuee[] = [];
    shape.groups.forEach((group, groupIndex) => {
      const groupId = `g-${groupIndex}`;
      groups.push({ id: groupId, kind: group.kind });
      group.members.forEach((member, memberIndex) => {
        const spread = group.kind === 'household' ? { north: 0, east: 0 } : member.spread;
        evacuees.push({
          id: `p-${groupIndex}-${memberIndex}`,
          groupId,
          vulnerabilities: member.codes,
          birthYear: member.birthYear,
          needsMedicalSeat: member.needsMedicalSeat,
          needsAccessibleSite: member.needsAccessibleSite,
          documentReadyAt: member.document,
          ...offset(group.at.north + spread.north, group.at.east + spread.east),
        });
      });
    });
    const input: EvacuationInput = {
      now: NOW,
      evacuees,
      groups,
      assemblyPoints,
      hubs,
      legs,
      existingAssignments: [],
    };
    return { input, maxDistanceKm: shape.maxDistanceKm };
  });

/** Choices that drive a re-plan: who boards, then what changes. */
export const randomReplanChoices = fc.record({
  boardedGroups: fc.array(fc.boolean(), { minLength: 10, maxLength: 10 }),
  partialBoarding: fc.boolean(),
  change: fc.constantFrom('leg_cancelled', 'leg_added', 'no_shows_released'),
  pick: fc.nat(),
  newLeg: legShape,
});
