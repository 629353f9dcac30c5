import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.ts';
import { prepareTarget } from '../../domain/geo/prepared-target.ts';
import type { Target } from '../../domain/geo/target.ts';
import { type LevelDeclaration, levelAt, resolveCurrentLevels } from '../../domain/levels/current-levels.ts';
import { type BoundaryGeometry, containsPoint, countryBoundary } from '../../domain/reference/boundaries.ts';
import {
  findCoveredCountries,
  findLevelDeclarationsOf,
  findPostsCovering,
} from './help-requests.repository.ts';

export type Point = { lat: number; lng: number };

/**
 * The country a request comes from. A point wins over the registered country (people flee across
 * borders), but only countries some post covers are tested, the registered one first; without a point
 * inside any of them, the registered country stands.
 */
export async function requestCountry(
  db: Kysely<DB>,
  registered: string | null,
  point: Point | null,
): Promise<string | null> {
  if (!point) return registered;
  const covered = await findCoveredCountries(db);
  const order = registered ? [registered, ...covered.filter((c) => c !== registered)] : covered;
  for (const country of order) {
    const boundary = countryBoundary(country);
    if (!boundary || !inBox(boxOf(country, boundary.geometry), point)) continue;
    if (containsPoint(boundary.geometry, point.lng, point.lat)) return country;
  }
  return registered;
}

type Box = { minLng: number; minLat: number; maxLng: number; maxLat: number };
const boxes = new Map<string, Box>();

/** A country's bounding box, computed once: most countries are ruled out without a point-in-polygon test. */
function boxOf(country: string, geometry: BoundaryGeometry): Box {
  const known = boxes.get(country);
  if (known) return known;
  const box = { minLng: 180, minLat: 90, maxLng: -180, maxLat: -90 };
  const polygons = geometry.type === 'Polygon' ? [geometry.coordinates] : geometry.coordinates;
  for (const polygon of polygons)
    for (const [lng = 0, lat = 0] of polygon[0] ?? []) {
      box.minLng = Math.min(box.minLng, lng);
      box.maxLng = Math.max(box.maxLng, lng);
      box.minLat = Math.min(box.minLat, lat);
      box.maxLat = Math.max(box.maxLat, lat);
    }
  boxes.set(country, box);
  return box;
}

const inBox = (b: Box, p: Point) =>
  p.lng >= b.minLng && p.lng <= b.maxLng && p.lat >= b.minLat && p.lat <= b.maxLat;

const EARTH_RADIUS_KM = 6371;

/** Great-circle distance in kilometres. */
function distanceKm(a: Point, b: Point): number {
  const rad = Math.PI / 180;
  const dLat = (b.lat - a.lat) * rad;
  const dLng = (b.lng - a.lng) * rad;
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(a.lat * rad) * Math.cos(b.lat * rad) * Math.sin(dLng / 2) ** 2;
  return 2 * EARTH_RADIUS_KM * Math.asin(Math.min(1, Math.sqrt(h)));
}

/**
 * The post whose queue receives a request from `country`. Where several posts cover it (an embassy in
 * the capital, consulates elsewhere), the nearest to the request's point; without a point, one in the
 * country itself first, an embassy before a consulate, then the oldest. Null when no post covers it
 * (headquarters then sees the request among those of no post).
 */
export async function coveringPost(
  db: Kysely<DB>,
  country: string | null,
  point: Point | null = null,
): Promise<string | null> {
  if (!country) return null;
  const posts = await findPostsCovering(db, [country]);
  const kindRank = (k: string) => (k === 'embassy' ? 0 : k === 'consulate' ? 1 : 2);
  const distance = (p: { lat: number | null; lon: number | null }) =>
    point && p.lat !== null && p.lon !== null ? distanceKm(point, { lat: p.lat, lng: p.lon }) : Infinity;
  posts.sort(
    (a, b) =>
      distance(a) - distance(b) ||
      Number(b.country === country) - Number(a.country === country) ||
      kindRank(a.kind) - kindRank(b.kind) ||
      a.created_at.localeCompare(b.created_at) ||
      a.id.localeCompare(b.id),
  );
  return posts[0]?.id ?? null;
}

/** Triage reads levels 0–4; a deployment's scheme may have more, and the top ones count as 4. */
const TRIAGE_MAX_LEVEL = 4;

/**
 * The alert level in force where the request comes from: the country's, or a higher one of an area
 * holding the point (the same rule the levels module publishes).
 */
export async function alertLevelAt(
  db: Kysely<DB>,
  country: string | null,
  point: Point | null,
  now: Date,
): Promise<number> {
  if (!country) return 0;
  const rows = await findLevelDeclarationsOf(db, country);
  const geometries = new Map<string, string>();
  const declarations: LevelDeclaration<string>[] = rows.map((r) => {
    if (r.area_id && r.geometry) geometries.set(r.area_id, r.geometry);
    return {
      id: r.id,
      scope: r.area_id
        ? { kind: 'area', areaId: r.area_id, country: r.country, geometry: r.area_id }
        : { kind: 'country', country: r.country },
      level: r.level,
      effectiveAt: new Date(r.effective_at),
      declaredAt: new Date(r.declared_at),
      reason: r.reason,
      declaredBy: r.declared_by,
    };
  });
  const current = resolveCurrentLevels(declarations, now);
  const found = levelAt(current, { country, ...(point ? { point } : {}) }, (areaId, p: Point) => {
    const geometry = geometries.get(areaId);
    return geometry ? prepareTarget([JSON.parse(geometry)] as Target).contains(p.lng, p.lat) : false;
  });
  return Math.max(0, Math.min(TRIAGE_MAX_LEVEL, Math.trunc(found.level)));
}
