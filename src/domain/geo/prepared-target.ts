import { GeoError } from './geo-error.ts';
import {
  findCrossing,
  readPosition,
  ringContains,
  shiftRing,
  type UnwrappedRing,
  unwrapRing,
} from './polygon-rings.ts';
import { capLongitudeHalfWidth, RAD } from './sphere.ts';
import { EARTH_RADIUS_METERS, MAX_CIRCLE_RADIUS_METERS, type Target, type TargetShape } from './target.ts';

/**
 * One polygon (outer ring and holes) ready for point tests. Coordinates live in the unwrapped plane: the
 * outer ring is moved by whole turns so that `minX` lies in [-180, 180), so `maxX` may exceed 180 for a
 * polygon crossing the antimeridian. Edges of every ring are stored in horizontal slabs: a point only
 * meets the edges of its own slab, and a slab holds every edge whose latitude range meets it.
 */
export interface PreparedPolygon {
  readonly kind: 'polygon';
  readonly minX: number;
  readonly maxX: number;
  readonly minY: number;
  readonly maxY: number;
  readonly slabCount: number;
  /** Slabs per degree of latitude. */
  readonly slabScale: number;
  /** Offsets into `slabEdges` (in edges): slab s holds edges slabStart[s] .. slabStart[s+1]-1. */
  readonly slabStart: Int32Array;
  /** x1, y1, x2, y2 for every (slab, edge) pair. */
  readonly slabEdges: Float64Array;
}

/** A circle ready for point tests: a point is inside when its haversine to the centre ≤ `threshold`. */
export interface PreparedCircle {
  readonly kind: 'circle';
  readonly lon: number;
  readonly lat: number;
  readonly cosLat: number;
  /** Angular radius in radians. */
  readonly radius: number;
  /** sin²(radius / 2): the haversine of the radius. */
  readonly threshold: number;
  /** A latitude band and longitude half-width that hold the whole circle (with a little slack). */
  readonly minLat: number;
  readonly maxLat: number;
  readonly lonHalfWidth: number;
}

export type PreparedShape = PreparedPolygon | PreparedCircle;

/** Brings a longitude into [-180, 180). */
export function normalizeLongitude(lon: number): number {
  if (lon >= -180 && lon < 180) return lon;
  return ((((lon + 180) % 360) + 360) % 360) - 180;
}

/**
 * Exact point test on a prepared polygon, longitude in [-180, 180). Even-odd ray casting over every ring,
 * so holes exclude their inside. Points on an edge or vertex (of the outer ring or of a hole), as decided
 * by this function's double-precision arithmetic, count as inside, as with PostGIS `ST_Covers`.
 */
export function polygonContains(p: PreparedPolygon, lon: number, lat: number): boolean {
  return polygonContainsXY(p, lon < p.minX ? lon + 360 : lon, lat);
}

/** {@link polygonContains} at a point of the unwrapped plane (longitude already moved by whole turns). */
export function polygonContainsXY(p: PreparedPolygon, x: number, lat: number): boolean {
  if (lat < p.minY || lat > p.maxY || x < p.minX || x > p.maxX) return false;
  let s = Math.floor((lat - p.minY) * p.slabScale);
  if (s >= p.slabCount) s = p.slabCount - 1;
  const e = p.slabEdges;
  const end = p.slabStart[s + 1]! * 4;
  let inside = false;
  for (let i = p.slabStart[s]! * 4; i < end; i += 4) {
    const x1 = e[i]!;
    const y1 = e[i + 1]!;
    const x2 = e[i + 2]!;
    const y2 = e[i + 3]!;
    if (y1 > lat !== y2 > lat) {
      const o = (x2 - x1) * (lat - y1) - (x - x1) * (y2 - y1);
      if (o === 0) return true;
      if (o > 0 === y2 > y1) inside = !inside;
    } else if (y1 === lat || y2 === lat) {
      if (y1 === y2) {
        if ((x1 <= x && x <= x2) || (x2 <= x && x <= x1)) return true;
      } else if ((y1 === lat && x1 === x) || (y2 === lat && x2 === x)) {
        return true;
      }
    }
  }
  return inside;
}

/**
 * Exact point test on a prepared circle (longitude in [-180, 180)): haversine distance to the centre at
 * most the radius, compared as sin²(d/2) ≤ sin²(r/2). A box that holds the circle is checked first.
 */
export function circleContains(c: PreparedCircle, lon: number, lat: number): boolean {
  if (lat < c.minLat || lat > c.maxLat) return false;
  let dLon = lon - c.lon;
  if (dLon < -180) dLon += 360;
  else if (dLon >= 180) dLon -= 360;
  if (dLon > c.lonHalfWidth || dLon < -c.lonHalfWidth) return false;
  const s1 = Math.sin(((lat - c.lat) * RAD) / 2);
  const s2 = Math.sin(((lon - c.lon) * RAD) / 2);
  return s1 * s1 + c.cosLat * Math.cos(lat * RAD) * s2 * s2 <= c.threshold;
}

/** Exact point test on one prepared shape (longitude in [-180, 180)). */
export function preparedShapeContains(shape: PreparedShape, lon: number, lat: number): boolean {
  return shape.kind === 'polygon' ? polygonContains(shape, lon, lat) : circleContains(shape, lon, lat);
}

/** A validated target ready for many point tests and for covering. */
export class PreparedTarget {
  /** Every polygon (MultiPolygons split) and circle of the target. */
  readonly shapes: readonly PreparedShape[];

  constructor(shapes: readonly PreparedShape[]) {
    this.shapes = shapes;
  }

  /** Whether the point ([lon, lat] in degrees) lies in any shape; boundaries count as inside. */
  contains(lon: number, lat: number): boolean {
    const x = normalizeLongitude(lon);
    for (const shape of this.shapes) if (preparedShapeContains(shape, x, lat)) return true;
    return false;
  }
}

function buildSlabs(rings: readonly UnwrappedRing[]): PreparedPolygon {
  const outer = rings[0]!;
  let minX = Number.POSITIVE_INFINITY;
  let maxX = Number.NEGATIVE_INFINITY;
  let minY = Number.POSITIVE_INFINITY;
  let maxY = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < outer.xs.length; i++) {
    minX = Math.min(minX, outer.xs[i]!);
    maxX = Math.max(maxX, outer.xs[i]!);
    minY = Math.min(minY, outer.ys[i]!);
    maxY = Math.max(maxY, outer.ys[i]!);
  }
  let edgeCount = 0;
  for (const r of rings) edgeCount += r.xs.length;
  const slabCount = Math.min(65536, Math.max(1, Math.ceil(edgeCount / 3)));
  const slabScale = maxY > minY ? slabCount / (maxY - minY) : 0;
  const slabOf = (y: number) => Math.min(slabCount - 1, Math.floor((y - minY) * slabScale));
  const slabStart = new Int32Array(slabCount + 1);
  const eachEdge = (visit: (x1: number, y1: number, x2: number, y2: number) => void) => {
    for (const { xs, ys } of rings) {
      for (let i = 0; i < xs.length; i++) {
        const j = i + 1 === xs.length ? 0 : i + 1;
        visit(xs[i]!, ys[i]!, xs[j]!, ys[j]!);
      }
    }
  };
  eachEdge((_x1, y1, _x2, y2) => {
    const hi = slabOf(Math.max(y1, y2));
    for (let s = slabOf(Math.min(y1, y2)); s <= hi; s++) slabStart[s + 1]!++;
  });
  for (let s = 0; s < slabCount; s++) slabStart[s + 1]! += slabStart[s]!;
  const fill = slabStart.slice(0, slabCount);
  const slabEdges = new Float64Array(slabStart[slabCount]! * 4);
  eachEdge((x1, y1, x2, y2) => {
    const hi = slabOf(Math.max(y1, y2));
    for (let s = slabOf(Math.min(y1, y2)); s <= hi; s++) {
      const at = fill[s]!++ * 4;
      slabEdges[at] = x1;
      slabEdges[at + 1] = y1;
      slabEdges[at + 2] = x2;
      slabEdges[at + 3] = y2;
    }
  });
  return { kind: 'polygon', minX, maxX, minY, maxY, slabCount, slabScale, slabStart, slabEdges };
}

function preparePolygon(rings: unknown, field: string): PreparedPolygon {
  if (!Array.isArray(rings)) {
    throw new GeoError('geo.unsupported_geometry', 'polygon coordinates must be an array of rings', field);
  }
  if (rings.length === 0) throw new GeoError('geo.empty_target', 'a polygon needs an outer ring', field);
  let outer = unwrapRing(rings[0], `${field}[0]`);
  let minX = Number.POSITIVE_INFINITY;
  let maxX = Number.NEGATIVE_INFINITY;
  for (const x of outer.xs) {
    minX = Math.min(minX, x);
    maxX = Math.max(maxX, x);
  }
  const outerTurns = -Math.floor((minX + 180) / 360);
  outer = shiftRing(outer, outerTurns);
  const middle = (minX + maxX) / 2 + 360 * outerTurns;
  const all: UnwrappedRing[] = [outer];
  for (let r = 1; r < rings.length; r++) {
    const hole = unwrapRing(rings[r], `${field}[${r}]`);
    all.push(shiftRing(hole, Math.round((middle - hole.xs[0]!) / 360)));
  }
  const crossing = findCrossing(all);
  if (crossing >= 0) {
    throw new GeoError(
      'geo.self_intersection',
      'polygon edges cross or touch each other',
      `${field}[${crossing}]`,
    );
  }
  for (let r = 1; r < all.length; r++) {
    const hole = all[r]!;
    const x = hole.xs[0]!;
    const y = hole.ys[0]!;
    const misplaced =
      !ringContains(outer, x, y) || all.some((other, k) => k > 0 && k !== r && ringContains(other, x, y));
    if (misplaced) {
      throw new GeoError(
        'geo.hole_outside_shell',
        'a hole must lie inside its outer ring and outside the other holes',
        `${field}[${r}]`,
      );
    }
  }
  return buildSlabs(all);
}

function prepareCircle(shape: Record<string, unknown>, field: string): PreparedCircle {
  const [lon, lat] = readPosition(shape.center, `${field}.center`, 180);
  const meters = shape.radiusMeters;
  if (
    typeof meters !== 'number' ||
    !Number.isFinite(meters) ||
    meters <= 0 ||
    meters > MAX_CIRCLE_RADIUS_METERS
  ) {
    throw new GeoError(
      'geo.radius_invalid',
      `a circle radius must be a number of metres in (0, ${MAX_CIRCLE_RADIUS_METERS}]`,
      `${field}.radiusMeters`,
    );
  }
  const radius = meters / EARTH_RADIUS_METERS;
  const half = Math.sin(radius / 2);
  const slack = 1e-9;
  return {
    kind: 'circle',
    lon,
    lat,
    cosLat: Math.cos(lat * RAD),
    radius,
    threshold: half * half,
    minLat: lat - radius / RAD - slack,
    maxLat: lat + radius / RAD + slack,
    lonHalfWidth: Math.min(180, capLongitudeHalfWidth(lat, radius) * (1 + 1e-9) + slack),
  };
}

function prepareShape(shape: unknown, field: string, out: PreparedShape[]): void {
  if (typeof shape !== 'object' || shape === null || Array.isArray(shape)) {
    throw new GeoError(
      'geo.unsupported_geometry',
      'a shape must be a Polygon, MultiPolygon or Circle',
      field,
    );
  }
  const s = shape as Record<string, unknown>;
  switch (s.type) {
    case 'Polygon':
      out.push(preparePolygon(s.coordinates, `${field}.coordinates`));
      return;
    case 'MultiPolygon': {
      const polygons = s.coordinates;
      if (!Array.isArray(polygons)) {
        throw new GeoError('geo.unsupported_geometry', 'MultiPolygon coordinates must be an array', field);
      }
      if (polygons.length === 0)
        throw new GeoError('geo.empty_target', 'a MultiPolygon has no polygon', field);
      polygons.forEach((rings, i) => {
        out.push(preparePolygon(rings, `${field}.coordinates[${i}]`));
      });
      return;
    }
    case 'Circle':
      out.push(prepareCircle(s, field));
      return;
    default:
      throw new GeoError(
        'geo.unsupported_geometry',
        'a shape must be a Polygon, MultiPolygon or Circle',
        field,
      );
  }
}

/**
 * Validates a target and prepares it for point tests and covering. Throws a {@link GeoError} with a
 * stable code when the target is empty or a shape is malformed, out of range, self-intersecting, has a
 * misplaced hole or encloses a pole. Input is checked at run time, so it may come straight from JSON.
 */
export function prepareTarget(target: Target): PreparedTarget {
  const input: unknown = target;
  if (!Array.isArray(input)) {
    throw new GeoError('geo.unsupported_geometry', 'a target must be an array of shapes', 'target');
  }
  if (input.length === 0)
    throw new GeoError('geo.empty_target', 'a target needs at least one shape', 'target');
  const shapes: PreparedShape[] = [];
  input.forEach((shape, i) => {
    prepareShape(shape, `target[${i}]`, shapes);
  });
  return new PreparedTarget(shapes);
}

/** Checks an untrusted value and returns it typed as a target; throws a {@link GeoError} otherwise. */
export function validateTarget(input: unknown): Target {
  prepareTarget(input as Target);
  return input as Target;
}

/**
 * Whether the target contains the point. Prepares the target on each call: for many points, call
 * {@link prepareTarget} once and use `contains`. Boundaries count as inside.
 */
export function targetContains(target: Target | PreparedTarget, lon: number, lat: number): boolean {
  const prepared = target instanceof PreparedTarget ? target : prepareTarget(target);
  return prepared.contains(lon, lat);
}

/** Whether one shape contains the point ([lon, lat] in degrees); boundaries count as inside. */
export function shapeContains(shape: TargetShape, lon: number, lat: number): boolean {
  return prepareTarget([shape]).contains(lon, lat);
}
