import type { Polygon } from 'geojson';
import { CapError } from './cap-error.ts';
import type { CapArea, CapCircle, CapPoint, CapPolygon } from './cap-types.ts';

/** A CAP circle in GeoJSON's axis order; GeoJSON itself has no circle. */
export type CapGeoCircle = {
  readonly type: 'Circle';
  /** [longitude, latitude] */
  readonly center: [number, number];
  readonly radiusMeters: number;
};

/** One CAP area shape in GeoJSON terms: each CAP polygon is its own Polygon. */
export type CapGeoShape = Polygon | CapGeoCircle;

const DECIMAL = '[+-]?(?:\\d+(?:\\.\\d*)?|\\.\\d+)';
const POINT = new RegExp(`^(${DECIMAL}),(${DECIMAL})$`);
const NUMBER = new RegExp(`^${DECIMAL}$`);

/**
 * Converts a CAP area's polygons and circles to GeoJSON-like shapes: Polygons with [lon, lat] positions
 * and Circles with a radius in metres. Geocodes are not shapes and are left to the caller.
 */
export function capAreaToGeoJson(area: CapArea): CapGeoShape[] {
  const polygons: CapGeoShape[] = area.polygon.map((ring) => ({
    type: 'Polygon',
    coordinates: [closeCapPolygon(ring).map((p) => [p.lon, p.lat])],
  }));
  const circles: CapGeoShape[] = area.circle.map((circle) => ({
    type: 'Circle',
    center: [circle.center.lon, circle.center.lat],
    radiusMeters: circle.radiusKm * 1000,
  }));
  return [...polygons, ...circles];
}

/** Returns the ring with its first point repeated at the end, as CAP requires (unchanged if already closed). */
export function closeCapPolygon(polygon: CapPolygon): CapPolygon {
  const first = polygon[0];
  const last = polygon[polygon.length - 1];
  if (!first || !last || samePoint(first, last)) return polygon;
  return [...polygon, first];
}

/**
 * Reads a CAP polygon ("lat,lon lat,lon ..."): at least four points, the first repeated last, at least
 * three distinct vertices, every coordinate in range. Throws CapError 'cap.bad_area'.
 */
export function parseCapPolygon(text: string, field = 'polygon'): CapPolygon {
  const tokens = text
    .trim()
    .split(/\s+/)
    .filter((t) => t !== '');
  const points = tokens.map((token, i) => parsePoint(token, `${field} point ${i + 1}`, field));
  checkRing(points, field);
  const first = points[0];
  const last = points[points.length - 1];
  if (first && last && !samePoint(first, last)) {
    throw new CapError('cap.bad_area', `${field} is not closed: its last point must repeat the first`, field);
  }
  return points;
}

/** Writes a polygon in CAP form, closing the ring if needed. Throws CapError 'cap.bad_area'. */
export function formatCapPolygon(polygon: CapPolygon, field = 'polygon'): string {
  polygon.forEach((p, i) => {
    checkPoint(p, `${field} point ${i + 1}`, field);
  });
  const ring = closeCapPolygon(polygon);
  checkRing(ring, field);
  return ring.map(formatPoint).join(' ');
}

/** Reads a CAP circle ("lat,lon radiusKm"). Throws CapError 'cap.bad_area'. */
export function parseCapCircle(text: string, field = 'circle'): CapCircle {
  const parts = text.trim().split(/\s+/);
  const [centre, radius] = parts;
  if (parts.length !== 2 || centre === undefined || radius === undefined) {
    throw new CapError('cap.bad_area', `${field} must be "lat,lon radius" with the radius in km`, field);
  }
  const circle = {
    center: parsePoint(centre, `${field} centre`, field),
    radiusKm: parseNumber(radius, field),
  };
  checkRadius(circle.radiusKm, field);
  return circle;
}

/** Writes a circle in CAP form. Throws CapError 'cap.bad_area'. */
export function formatCapCircle(circle: CapCircle, field = 'circle'): string {
  checkPoint(circle.center, `${field} centre`, field);
  checkRadius(circle.radiusKm, field);
  return `${formatPoint(circle.center)} ${formatDecimal(circle.radiusKm)}`;
}

/**
 * Writes a number as an xs:decimal: digits and a point, never an exponent. Keeps every digit of the
 * shortest representation, so reading it back gives the same number.
 */
export function formatDecimal(n: number): string {
  const shortest = String(n);
  const match = /^(-?)(\d)(?:\.(\d+))?e([+-]\d+)$/.exec(shortest);
  if (!match) return shortest;
  const [, sign = '', whole = '', fraction = '', exponentText = '0'] = match;
  const exponent = Number(exponentText);
  const digits = whole + fraction;
  if (exponent < 0) return `${sign}0.${'0'.repeat(-exponent - 1)}${digits}`;
  const point = exponent + 1;
  if (point >= digits.length) return sign + digits + '0'.repeat(point - digits.length);
  return `${sign}${digits.slice(0, point)}.${digits.slice(point)}`;
}

/** Reads an xs:decimal (no exponent). Throws CapError 'cap.invalid_value'. */
export function parseDecimal(text: string, field: string): number {
  const trimmed = text.trim();
  if (!NUMBER.test(trimmed))
    throw new CapError('cap.invalid_value', `${field} "${clip(trimmed)}" is not a decimal`, field);
  return Number(trimmed);
}

function parsePoint(token: string, what: string, field: string): CapPoint {
  const match = POINT.exec(token);
  if (!match) throw new CapError('cap.bad_area', `${what} "${clip(token)}" is not "lat,lon"`, field);
  const point = { lat: Number(match[1]), lon: Number(match[2]) };
  checkPoint(point, what, field);
  return point;
}

function parseNumber(text: string, field: string): number {
  if (!NUMBER.test(text))
    throw new CapError('cap.bad_area', `${field} radius "${clip(text)}" is not a number`, field);
  return Number(text);
}

function checkPoint(point: CapPoint, what: string, field: string): void {
  const { lat, lon } = point;
  if (!Number.isFinite(lat) || lat < -90 || lat > 90) {
    throw new CapError('cap.bad_area', `${what}: latitude ${lat} is outside -90..90`, field);
  }
  if (!Number.isFinite(lon) || lon < -180 || lon > 180) {
    throw new CapError('cap.bad_area', `${what}: longitude ${lon} is outside -180..180`, field);
  }
}

function checkRing(points: readonly CapPoint[], field: string): void {
  if (points.length < 4) {
    throw new CapError(
      'cap.bad_area',
      `${field} has ${points.length} points; a closed ring needs at least 4`,
      field,
    );
  }
  const distinct = new Set(points.map(formatPoint));
  if (distinct.size < 3)
    throw new CapError('cap.bad_area', `${field} has fewer than 3 distinct points`, field);
}

function checkRadius(radiusKm: number, field: string): void {
  if (!Number.isFinite(radiusKm) || radiusKm < 0) {
    throw new CapError('cap.bad_area', `${field} radius ${radiusKm} km must be zero or more`, field);
  }
}

function samePoint(a: CapPoint, b: CapPoint): boolean {
  return a.lat === b.lat && a.lon === b.lon;
}

function formatPoint(point: CapPoint): string {
  return `${formatDecimal(point.lat)},${formatDecimal(point.lon)}`;
}

function clip(text: string): string {
  return text.length > 40 ? `${text.slice(0, 40)}…` : text;
}
