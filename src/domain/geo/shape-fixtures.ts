/**
 * Synthetic shapes and points for the targeting tests: deterministic (seeded), real-sized, and dense
 * along the boundaries where a covering could go wrong. No real person's location appears here.
 */
import { EARTH_RADIUS_METERS, type MultiPolygonShape, type PolygonShape, type Position } from './target.ts';

const KM_PER_DEGREE = (Math.PI * EARTH_RADIUS_METERS) / 180 / 1000;

/** Mulberry32: a small seeded PRNG returning floats in [0, 1). */
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

/** A standard normal deviate (Box-Muller). */
export function gaussian(random: () => number): number {
  return Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
}

/** The point `eastKm`/`northKm` from a centre, on a local flat approximation (fine for fixtures). */
export function offsetKm(lon: number, lat: number, eastKm: number, northKm: number): [number, number] {
  return [lon + eastKm / (KM_PER_DEGREE * Math.cos((lat * Math.PI) / 180)), lat + northKm / KM_PER_DEGREE];
}

/**
 * A closed, star-shaped ring (simple by construction: angles strictly increase) whose radius wanders
 * between (1 - roughness) and (1 + roughness) times `radiusKm`, which makes it irregular and concave.
 * Longitudes are left continuous, so a ring near the antimeridian may pass 180.
 */
export function starRing(
  random: () => number,
  center: [number, number],
  radiusKm: number,
  vertices: number,
  roughness: number,
): Position[] {
  const ring: Position[] = [];
  let wander = 0;
  for (let i = 0; i < vertices; i++) {
    const angle = ((i + 0.1 + 0.8 * random()) / vertices) * 2 * Math.PI;
    wander = 0.7 * wander + 0.3 * (2 * random() - 1) + (random() < 0.05 ? 2 * random() - 1 : 0);
    const r = radiusKm * (1 + roughness * Math.max(-1, Math.min(1, wander * 1.5)));
    ring.push(offsetKm(center[0], center[1], r * Math.cos(angle), r * Math.sin(angle)));
  }
  ring.push(ring[0]!);
  return ring;
}

/** Reverses a ring's direction, keeping it closed. */
export const reversed = (ring: Position[]): Position[] => [...ring].reverse();

/** An irregular polygon about 250 km across, in North Africa. */
export function irregularPolygon(random: () => number): PolygonShape {
  return { type: 'Polygon', coordinates: [starRing(random, [14.5, 31.2], 125, 400, 0.35)] };
}

/** A polygon about 120 km across with a hole about 40 km across. */
export function polygonWithHole(random: () => number): PolygonShape {
  const outer = starRing(random, [35.6, 33.9], 60, 150, 0.15);
  const hole = reversed(starRing(random, [35.6, 33.9], 20, 60, 0.3));
  return { type: 'Polygon', coordinates: [outer, hole] };
}

/** Three islands, one with a hole and one touching nothing else. */
export function multiPolygon(random: () => number): MultiPolygonShape {
  return {
    type: 'MultiPolygon',
    coordinates: [
      [starRing(random, [120.9, 14.6], 40, 80, 0.3)],
      [starRing(random, [121.6, 14.2], 30, 60, 0.2), reversed(starRing(random, [121.6, 14.2], 8, 20, 0.2))],
      [starRing(random, [123.9, 10.3], 25, 50, 0.3)],
    ],
  };
}

/** A country-sized polygon: about 1200 km across with a ragged 3000-vertex outline. */
export function countryPolygon(random: () => number): PolygonShape {
  return { type: 'Polygon', coordinates: [starRing(random, [44.5, 24.0], 600, 3000, 0.4)] };
}

/** A concave comb: three teeth 30 km long pointing north, with narrow gaps between them. */
export const combPolygon: PolygonShape = {
  type: 'Polygon',
  coordinates: [
    [
      [31.0, 30.0],
      [31.5, 30.0],
      [31.5, 30.3],
      [31.4, 30.3],
      [31.4, 30.05],
      [31.3, 30.05],
      [31.3, 30.3],
      [31.2, 30.3],
      [31.2, 30.05],
      [31.1, 30.05],
      [31.1, 30.3],
      [31.0, 30.3],
      [31.0, 30.0],
    ],
  ],
};

/** A box from 170°E to 170°W around Fiji, written the RFC 7946 way with a jump across the antimeridian. */
export const fijiBox: PolygonShape = {
  type: 'Polygon',
  coordinates: [
    [
      [170, -20],
      [-170, -20],
      [-170, -15],
      [170, -15],
      [170, -20],
    ],
  ],
};

/** The same box with continuous longitudes past 180. */
export const fijiBoxUnwrapped: PolygonShape = {
  type: 'Polygon',
  coordinates: [
    [
      [170, -20],
      [190, -20],
      [190, -15],
      [170, -15],
      [170, -20],
    ],
  ],
};

/** The same box split at the antimeridian into two polygons, as RFC 7946 recommends. */
export const fijiBoxSplit: MultiPolygonShape = {
  type: 'MultiPolygon',
  coordinates: [
    [
      [
        [170, -20],
        [180, -20],
        [180, -15],
        [170, -15],
        [170, -20],
      ],
    ],
    [
      [
        [-180, -20],
        [-170, -20],
        [-170, -15],
        [-180, -15],
        [-180, -20],
      ],
    ],
  ],
};

/** An irregular polygon about 200 km across centred on the antimeridian, written with jumps at ±180. */
export function antimeridianPolygon(random: () => number): PolygonShape {
  const ring = starRing(random, [179.8, -17.5], 100, 200, 0.3).map(([lon, lat]) => [
    lon! > 180 ? lon! - 360 : lon!,
    lat!,
  ]);
  return { type: 'Polygon', coordinates: [ring] };
}

/** A wedge near the North Pole, 0°–90°E and 80°N–89.9°N, not enclosing the pole. */
export const arcticWedge: PolygonShape = {
  type: 'Polygon',
  coordinates: [
    [
      [0, 80],
      [90, 80],
      [90, 89.9],
      [0, 89.9],
      [0, 80],
    ],
  ],
};

/** Vertices of every ring of a polygon or multipolygon, as [lon, lat]. */
export function ringsOf(shape: PolygonShape | MultiPolygonShape): (readonly Position[])[] {
  return shape.type === 'Polygon' ? [...shape.coordinates] : shape.coordinates.flat();
}

/**
 * Points to test a shape with: uniform over its surroundings, clustered like towns, and dense near the
 * boundary (on vertices, on edges and within a few hundred metres either side of them).
 */
export function pointsAround(
  random: () => number,
  rings: readonly (readonly Position[])[],
  count: number,
): Array<[number, number]> {
  const all = rings.flat();
  const lons = all.map((p) => p[0]!);
  const lats = all.map((p) => p[1]!);
  const minLon = Math.min(...lons);
  const maxLon = Math.max(...lons);
  const minLat = Math.min(...lats);
  const maxLat = Math.max(...lats);
  const padLon = (maxLon - minLon) * 0.15 + 0.01;
  const padLat = (maxLat - minLat) * 0.15 + 0.01;
  const points: Array<[number, number]> = [];
  const clamp = (lat: number) => Math.max(-90, Math.min(90, lat));
  const wrap = (lon: number) => ((((lon + 180) % 360) + 360) % 360) - 180;
  const push = (lon: number, lat: number) => points.push([wrap(lon), clamp(lat)]);
  for (const p of all) push(p[0]!, p[1]!);
  const uniform = Math.floor(count * 0.3);
  for (let i = 0; i < uniform; i++) {
    push(
      minLon - padLon + random() * (maxLon - minLon + 2 * padLon),
      minLat - padLat + random() * (maxLat - minLat + 2 * padLat),
    );
  }
  const towns = Math.floor(count * 0.2);
  for (let i = 0; i < towns; i += 200) {
    const cLon = minLon + random() * (maxLon - minLon);
    const cLat = minLat + random() * (maxLat - minLat);
    const spreadKm = 1 + random() * 10;
    for (let j = 0; j < 200; j++) {
      const [lon, lat] = offsetKm(cLon, cLat, gaussian(random) * spreadKm, gaussian(random) * spreadKm);
      push(lon, lat);
    }
  }
  while (points.length < count) {
    const ring = rings[Math.floor(random() * rings.length)]!;
    const i = Math.floor(random() * (ring.length - 1));
    const a = ring[i]!;
    const b = ring[i + 1]!;
    const t = random();
    const lon = a[0]! + t * (b[0]! - a[0]!);
    const lat = a[1]! + t * (b[1]! - a[1]!);
    const off = random() < 0.1 ? 0 : gaussian(random) * (random() < 0.5 ? 0.2 : 3);
    const [olon, olat] = offsetKm(lon, lat, off * gaussian(random), off * gaussian(random));
    push(olon, olat);
  }
  return points;
}

/** The point reached from [lon, lat] after `distanceKm` along a great circle at `bearing` (radians). */
export function destinationPoint(
  lon: number,
  lat: number,
  distanceKm: number,
  bearing: number,
): [number, number] {
  const delta = distanceKm / (EARTH_RADIUS_METERS / 1000);
  const lat1 = (lat * Math.PI) / 180;
  const lon1 = (lon * Math.PI) / 180;
  const lat2 = Math.asin(
    Math.sin(lat1) * Math.cos(delta) + Math.cos(lat1) * Math.sin(delta) * Math.cos(bearing),
  );
  const lon2 =
    lon1 +
    Math.atan2(
      Math.sin(bearing) * Math.sin(delta) * Math.cos(lat1),
      Math.cos(delta) - Math.sin(lat1) * Math.sin(lat2),
    );
  const lonDeg = (lon2 * 180) / Math.PI;
  return [((((lonDeg + 180) % 360) + 360) % 360) - 180, (lat2 * 180) / Math.PI];
}

/** Points around a circle: uniform over 1.5 radii, and dense within a few hundred metres of its edge. */
export function pointsAroundCircle(
  random: () => number,
  center: [number, number],
  radiusKm: number,
  count: number,
): Array<[number, number]> {
  const points: Array<[number, number]> = [];
  for (let i = 0; i < count; i++) {
    const d =
      i % 3 === 0
        ? Math.sqrt(random()) * radiusKm * 1.5
        : radiusKm + gaussian(random) * (i % 3 === 1 ? 0.05 : 1);
    points.push(destinationPoint(center[0], center[1], Math.max(0, d), random() * 2 * Math.PI));
  }
  return points;
}
