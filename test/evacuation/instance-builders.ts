// Small, readable builders for evacuation planner tests. Everything is synthetic.
import type {
  AssemblyPoint,
  EvacuationInput,
  Evacuee,
  EvacueeGroup,
  TransportHub,
  TransportLeg,
} from '../../src/domain/evacuation/evacuation-types.ts';

export const HOUR = 3_600_000;
/** The plan time used by the tests: 2026-03-01 08:00 UTC. */
export const NOW = Date.UTC(2026, 2, 1, 8, 0, 0);
export const BASE_LAT = 33.9;
export const BASE_LON = 35.5;

/** A point `northKm` north and `eastKm` east of the base location (flat-earth offset, fine at test scale). */
export function offset(northKm: number, eastKm: number): { lat: number; lon: number } {
  const lat = BASE_LAT + northKm / 111.2;
  const lon = BASE_LON + eastKm / (111.2 * Math.cos((BASE_LAT * Math.PI) / 180));
  return { lat, lon };
}

export function evacuee(id: string, groupId: string, overrides: Partial<Evacuee> = {}): Evacuee {
  return {
    id,
    groupId,
    vulnerabilities: [],
    birthYear: 1990,
    needsMedicalSeat: false,
    documentReadyAt: null,
    ...offset(0, 0),
    ...overrides,
  };
}

/** A household of `size` people sharing one location; `overrides` apply to every member. */
export function household(
  id: string,
  size: number,
  overrides: Partial<Evacuee> = {},
): { group: EvacueeGroup; members: Evacuee[] } {
  const members = Array.from({ length: size }, (_, index) => evacuee(`${id}-${index + 1}`, id, overrides));
  return { group: { id, kind: 'household' }, members };
}

export function assemblyPoint(id: string, overrides: Partial<AssemblyPoint> = {}): AssemblyPoint {
  return {
    id,
    ...offset(0, 0),
    capacity: 1000,
    opensAt: NOW - 24 * HOUR,
    closesAt: NOW + 7 * 24 * HOUR,
    accessible: true,
    ...overrides,
  };
}

export function legFrom(
  id: string,
  assemblyPointId: string,
  overrides: Partial<TransportLeg> = {},
): TransportLeg {
  return {
    id,
    mode: 'bus',
    origin: { kind: 'assembly_point', assemblyPointId },
    destination: 'border crossing',
    departsAt: NOW + 2 * HOUR,
    seats: 50,
    medicalSeats: 0,
    cancelled: false,
    ...overrides,
  };
}

export function legFromHub(id: string, hubId: string, overrides: Partial<TransportLeg> = {}): TransportLeg {
  return { ...legFrom(id, '', overrides), origin: { kind: 'hub', hubId }, ...overrides };
}

export function hub(id: string, assemblyPointIds: string[], transferMinutes = 120): TransportHub {
  return { id, assemblyPointIds, transferMinutes };
}

/** Assembles an input from households, points, legs and hubs. */
export function operation(parts: {
  households: { group: EvacueeGroup; members: Evacuee[] }[];
  assemblyPoints: AssemblyPoint[];
  legs: TransportLeg[];
  hubs?: TransportHub[];
  existingAssignments?: EvacuationInput['existingAssignments'];
  now?: number;
}): EvacuationInput {
  return {
    now: parts.now ?? NOW,
    evacuees: parts.households.flatMap((h) => h.members),
    groups: parts.households.map((h) => h.group),
    assemblyPoints: parts.assemblyPoints,
    legs: parts.legs,
    hubs: parts.hubs ?? [],
    existingAssignments: parts.existingAssignments ?? [],
  };
}
