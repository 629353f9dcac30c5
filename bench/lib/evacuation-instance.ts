// Deterministic synthetic evacuation instances for the planner benchmark. Nothing here is real data:
// cities, people and legs come from a seeded generator.
import type {
  AssemblyPoint,
  EvacuationInput,
  Evacuee,
  EvacueeGroup,
  TransportHub,
  TransportLeg,
  TransportMode,
  VulnerabilityCode,
} from '../../src/domain/evacuation/evacuation-types.ts';

const HOUR = 3_600_000;
const KM_PER_DEGREE = 111.2;

/** mulberry32: small, fast and good enough to make instances, never for anything secret. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The index whose share the draw (0 to 1) falls in; shares sum to 1. */
function pickByShare(shares: readonly number[], draw: number): number {
  let rest = draw;
  for (let index = 0; index < shares.length; index++) {
    rest -= shares[index]!;
    if (rest <= 0) return index;
  }
  return shares.length - 1;
}

export type InstanceShape = {
  evacuees: number;
  assemblyPoints: number;
  legs: number;
  /** Room at all assembly points over the number of evacuees. */
  pointRoomPerEvacuee: number;
  seed: number;
};

type City = { lat: number; lon: number; weight: number };

/**
 * Builds an instance: households clustered around a dozen cities in a 600 x 400 km region, assembly
 * points mostly near the cities, legs from points (bus, train) and from airport and port hubs (flight,
 * ship). Vehicles have fixed sizes (about 89,000 seats on 1,000 legs), so seats bind on the largest
 * instance; assembly point room grows with the number of people and binds near crowded points.
 */
export function buildEvacuationInstance(shape: InstanceShape): EvacuationInput {
  const random = seededRandom(shape.seed);
  const between = (low: number, high: number): number => low + (high - low) * random();
  const gaussian = (): number => {
    const u = Math.max(random(), 1e-12);
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random());
  };
  const now = Date.UTC(2026, 2, 1, 6, 0, 0);
  const originLat = 32.0;
  const originLon = 34.5;
  const lonKm = KM_PER_DEGREE * Math.cos((33.5 * Math.PI) / 180);
  const at = (northKm: number, eastKm: number): { lat: number; lon: number } => ({
    lat: originLat + northKm / KM_PER_DEGREE,
    lon: originLon + eastKm / lonKm,
  });
  const cities: City[] = Array.from({ length: 12 }, () => ({
    ...at(between(40, 360), between(40, 560)),
    weight: between(0.3, 1),
  }));
  const cityWeight = cities.reduce((sum, c) => sum + c.weight, 0);
  const pickCity = (): City => {
    let draw = random() * cityWeight;
    for (const city of cities) {
      draw -= city.weight;
      if (draw <= 0) return city;
    }
    return cities[cities.length - 1]!;
  };
  const near = (city: { lat: number; lon: number }, sdKm: number): { lat: number; lon: number } => ({
    lat: city.lat + (gaussian() * sdKm) / KM_PER_DEGREE,
    lon: city.lon + (gaussian() * sdKm) / lonKm,
  });

  // Assembly points.
  const assemblyPoints: AssemblyPoint[] = [];
  const weights: number[] = [];
  for (let index = 0; index < shape.assemblyPoints; index++) {
    const location = random() < 0.85 ? near(pickCity(), 15) : at(between(0, 400), between(0, 600));
    const closesEarly = random() < 0.1;
    const opensLate = random() < 0.05;
    weights.push(between(0.5, 1.5));
    assemblyPoints.push({
      id: `ap-${index}`,
      ...location,
      capacity: 0,
      opensAt: opensLate ? now + between(6, 24) * HOUR : now - 2 * HOUR,
      closesAt: closesEarly ? now + between(24, 72) * HOUR : now + 120 * HOUR,
      accessible: random() < 0.7,
    });
  }
  const weightTotal = weights.reduce((a, b) => a + b, 0);
  for (let index = 0; index < assemblyPoints.length; index++) {
    assemblyPoints[index]!.capacity = Math.round(
      ((shape.pointRoomPerEvacuee * shape.evacuees) / weightTotal) * weights[index]!,
    );
  }

  // Hubs: four airports and two ports near cities, each serving the points within 40 km.
  const hubs: TransportHub[] = [];
  const hubModes: TransportMode[] = [];
  for (let index = 0; index < 6; index++) {
    const centre = near(cities[index % cities.length]!, 5);
    const served = assemblyPoints
      .filter((p) => Math.hypot((p.lat - centre.lat) * KM_PER_DEGREE, (p.lon - centre.lon) * lonKm) <= 40)
      .map((p) => p.id);
    const isPort = index >= 4;
    hubs.push({ id: `hub-${index}`, assemblyPointIds: served, transferMinutes: isPort ? 180 : 120 });
    hubModes.push(isPort ? 'ship' : 'flight');
  }

  // Legs.
  const kinds: { mode: TransportMode; share: number; seats: number; medical: number }[] = [
    { mode: 'bus', share: 0.65, seats: 30, medical: 2 },
    { mode: 'train', share: 0.1, seats: 200, medical: 6 },
    { mode: 'flight', share: 0.18, seats: 120, medical: 4 },
    { mode: 'ship', share: 0.07, seats: 400, medical: 12 },
  ];
  const legs: TransportLeg[] = [];
  for (let index = 0; index < shape.legs; index++) {
    const kind =
      kinds[
        pickByShare(
          kinds.map((k) => k.share),
          random(),
        )
      ]!;
    let origin: TransportLeg['origin'];
    if (kind.mode === 'bus' || kind.mode === 'train') {
      origin = {
        kind: 'assembly_point',
        assemblyPointId: `ap-${Math.floor(random() * assemblyPoints.length)}`,
      };
    } else {
      const candidates = hubs.filter((_, h) => hubModes[h] === kind.mode);
      origin = { kind: 'hub', hubId: candidates[Math.floor(random() * candidates.length)]!.id };
    }
    const seats = kind.seats;
    const departed = random() < 0.015;
    legs.push({
      id: `leg-${index}`,
      mode: kind.mode,
      origin,
      destination: kind.mode === 'ship' || kind.mode === 'flight' ? 'home country' : 'border crossing',
      departsAt: departed ? now - between(0.5, 5) * HOUR : now + between(1, 96) * HOUR,
      seats,
      medicalSeats: kind.medical,
      cancelled: random() < 0.02,
    });
  }

  // Households.
  const sizes = [1, 2, 3, 4, 5, 6, 7, 8];
  const sizeShares = [0.3, 0.2, 0.17, 0.15, 0.1, 0.05, 0.02, 0.01];
  const evacuees: Evacuee[] = [];
  const groups: EvacueeGroup[] = [];
  const birthYearOf = (age: number): number => 2026 - age;
  while (evacuees.length < shape.evacuees) {
    const groupId = `g-${groups.length}`;
    let size: number;
    let kind: EvacueeGroup['kind'] = 'household';
    if (random() < 0.003) {
      size = 10 + Math.floor(random() * 21);
      kind = 'group';
    } else {
      size = sizes[pickByShare(sizeShares, random())]!;
    }
    size = Math.min(size, shape.evacuees - evacuees.length);
    groups.push({ id: groupId, kind });
    const home = random() < 0.03 ? at(between(-50, 450), between(-50, 650)) : near(pickCity(), 20);
    const employerHoldsPassports = random() < 0.05;
    for (let member = 0; member < size; member++) {
      const vulnerabilities: VulnerabilityCode[] = [];
      const isChild = size >= 3 && member >= 2 && random() < 0.5;
      // A working-age population: about one adult in sixteen is 60 or older.
      let age = isChild
        ? Math.floor(between(0, 17))
        : random() < 0.06
          ? Math.floor(between(60, 80))
          : Math.floor(between(18, 59));
      if (size === 1 && random() < 0.01) {
        vulnerabilities.push('unaccompanied_child');
        age = Math.floor(between(12, 17));
      }
      if (isChild) vulnerabilities.push('child');
      const needsMedicalSeat = random() < 0.004;
      if (needsMedicalSeat || random() < 0.015) vulnerabilities.push('medical');
      if (!isChild && random() < 0.025) vulnerabilities.push('pregnant');
      if (random() < 0.03) vulnerabilities.push('disability');
      if (random() < 0.03) vulnerabilities.push('chronic_illness');
      if (random() < 0.015) vulnerabilities.push('trafficking_survivor');
      if (random() < 0.015) vulnerabilities.push('violence_survivor');
      if (random() < 0.002) vulnerabilities.push('detained');
      if (employerHoldsPassports && !isChild) vulnerabilities.push('passport_held_by_employer');
      let documentReadyAt: number | null = null;
      if (employerHoldsPassports && !isChild) documentReadyAt = now + between(6, 72) * HOUR;
      else if (random() < 0.08) documentReadyAt = now + between(2, 96) * HOUR;
      if (random() < 0.005) documentReadyAt = Number.POSITIVE_INFINITY;
      evacuees.push({
        id: `p-${evacuees.length}`,
        groupId,
        vulnerabilities,
        birthYear: birthYearOf(age),
        needsMedicalSeat,
        needsAccessibleSite: vulnerabilities.includes('disability') && random() < 0.5,
        documentReadyAt,
        // A household shares one address; members of other groups live a few streets apart.
        lat: home.lat + (kind === 'group' ? gaussian() * 0.01 : 0),
        lon: home.lon + (kind === 'group' ? gaussian() * 0.01 : 0),
      });
    }
  }

  return { now, evacuees, groups, assemblyPoints, hubs, legs, existingAssignments: [] };
}
