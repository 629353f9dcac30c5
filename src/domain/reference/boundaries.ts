import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Feature, FeatureCollection, MultiPolygon, Polygon, Position } from 'geojson';
import { feature, merge } from 'topojson-client';
import type {
  GeometryCollection,
  Topology,
  MultiPolygon as TopoMultiPolygon,
  Polygon as TopoPolygon,
} from 'topojson-specification';
import { findCountry, listCountries } from './countries.ts';

/** Natural Earth scale of a boundary: 1:10m is the most detailed, 1:110m the lightest. */
export const BOUNDARY_RESOLUTIONS = ['10m', '50m', '110m'] as const;
export type BoundaryResolution = (typeof BOUNDARY_RESOLUTIONS)[number];

export type BoundaryGeometry = Polygon | MultiPolygon;
export type BoundaryProperties = {
  code: string;
  alpha3: string;
  name: string;
  resolution: BoundaryResolution;
};
/** A country's land boundary as a GeoJSON Feature whose id is the ISO 3166-1 alpha-2 code. */
export type CountryBoundary = Feature<BoundaryGeometry, BoundaryProperties> & { id: string };

type CountryShape = TopoPolygon<{ name: string }> | TopoMultiPolygon<{ name: string }>;
type CountriesTopology = Topology<{ countries: GeometryCollection<{ name: string }> }>;

/**
 * Natural Earth features that carry no ISO 3166-1 numeric id. Those on territory ISO assigns to a
 * country are folded into it, because an alert or a post's jurisdiction covers the whole of it. Disputed
 * or uninhabited features (Siachen Glacier, Spratly Is., Scarborough Reef, ...) and the British Sovereign
 * Base Areas on Cyprus (no ISO code of their own) are left out.
 */
const FOLDED_FEATURES: Record<string, string> = {
  Kosovo: 'XK',
  'N. Cyprus': 'CY',
  'Cyprus U.N. Buffer Zone': 'CY',
  Somaliland: 'SO',
  Baikonur: 'KZ',
  'Coral Sea Is.': 'AU',
  'USNB Guantanamo Bay': 'CU',
};
// One Natural Earth feature holds two ISO territories, far enough apart to split by longitude.
const INDIAN_OCEAN_TERRITORIES = 'Indian Ocean Ter.';
const CHRISTMAS_ISLAND_MIN_LON = 100;

const requireFromHere = createRequire(import.meta.url);
const cache = new Map<BoundaryResolution, Map<string, CountryBoundary>>();

function readTopology(resolution: BoundaryResolution): CountriesTopology {
  // Read rather than require: the parsed topology is dropped once converted, not kept in the module cache.
  const path = requireFromHere.resolve(`world-atlas/countries-${resolution}.json`);
  return JSON.parse(readFileSync(path, 'utf8')) as CountriesTopology;
}

function toBoundary(
  alpha2: string,
  geometry: BoundaryGeometry,
  resolution: BoundaryResolution,
): CountryBoundary | undefined {
  const country = findCountry(alpha2);
  if (!country) return undefined;
  return {
    type: 'Feature',
    id: country.alpha2,
    properties: { code: country.alpha2, alpha3: country.alpha3, name: country.name, resolution },
    geometry,
  };
}

function convert(resolution: BoundaryResolution): Map<string, CountryBoundary> {
  const topology = readTopology(resolution);
  const byNumeric = new Map(listCountries().map((c) => [c.numeric, c.alpha2]));
  const groups = new Map<string, CountryShape[]>();
  const out = new Map<string, CountryBoundary>();
  for (const geometry of topology.objects.countries.geometries) {
    if (geometry.type !== 'Polygon' && geometry.type !== 'MultiPolygon') continue;
    const shape = geometry as CountryShape;
    const name = shape.properties?.name ?? '';
    if (shape.id === undefined && name === INDIAN_OCEAN_TERRITORIES) {
      const polygons = toPolygons(shapeGeometry(topology, shape));
      for (const [code, part] of [
        ['CX', polygons.filter((p) => firstLon(p) >= CHRISTMAS_ISLAND_MIN_LON)],
        ['CC', polygons.filter((p) => firstLon(p) < CHRISTMAS_ISLAND_MIN_LON)],
      ] as const) {
        const boundary = part.length
          ? toBoundary(code, { type: 'MultiPolygon', coordinates: part }, resolution)
          : undefined;
        if (boundary) out.set(code, boundary);
      }
      continue;
    }
    const alpha2 = shape.id !== undefined ? byNumeric.get(String(shape.id)) : FOLDED_FEATURES[name];
    if (!alpha2) continue;
    const group = groups.get(alpha2);
    if (group) group.push(shape);
    else groups.set(alpha2, [shape]);
  }
  for (const [alpha2, shapes] of groups) {
    // merge() dissolves shared borders (Cyprus and N. Cyprus become one island), unlike concatenating rings.
    const [only] = shapes;
    const geometry: BoundaryGeometry =
      shapes.length === 1 && only ? shapeGeometry(topology, only) : merge(topology, shapes);
    const boundary = toBoundary(alpha2, geometry, resolution);
    if (boundary) out.set(alpha2, boundary);
  }
  return out;
}

function shapeGeometry(topology: CountriesTopology, shape: CountryShape): BoundaryGeometry {
  return shape.type === 'Polygon' ? feature(topology, shape).geometry : feature(topology, shape).geometry;
}

const toPolygons = (g: BoundaryGeometry): Position[][][] =>
  g.type === 'Polygon' ? [g.coordinates] : g.coordinates;
const firstLon = (polygon: Position[][]): number => polygon[0]?.[0]?.[0] ?? 0;

function boundariesAt(resolution: BoundaryResolution): Map<string, CountryBoundary> {
  let map = cache.get(resolution);
  if (!map) {
    map = convert(resolution);
    cache.set(resolution, map);
  }
  return map;
}

/**
 * The boundary of a country (alpha-2 or alpha-3 code) from Natural Earth, bundled with `world-atlas`.
 * The default, 1:10m, is the one to test points against: coarser scales cut small coasts (at 1:50m
 * Hong Kong's outline misses most of Kowloon). When the country is too small for the requested scale
 * (Bahrain, Singapore and Hong Kong are absent at 1:110m), the next finer scale is used;
 * `properties.resolution` says which. Returns undefined for an unknown code or a territory Natural
 * Earth does not draw on its own (Réunion is part of France there). Each scale is read from the
 * package once, on first use, and kept.
 */
export function countryBoundary(
  code: string,
  resolution: BoundaryResolution = '10m',
): CountryBoundary | undefined {
  const alpha2 = findCountry(code)?.alpha2;
  if (!alpha2) return undefined;
  for (const r of BOUNDARY_RESOLUTIONS.slice(0, BOUNDARY_RESOLUTIONS.indexOf(resolution) + 1).reverse()) {
    const boundary = boundariesAt(r).get(alpha2);
    if (boundary) return boundary;
  }
  return undefined;
}

/** Every country boundary Natural Earth draws at one scale, sorted by alpha-2 code. */
export function listCountryBoundaries(resolution: BoundaryResolution): CountryBoundary[] {
  return [...boundariesAt(resolution).values()].sort((a, b) => a.id.localeCompare(b.id));
}

/**
 * A world map for the console: every country at 1:110m, plus the countries too small for that scale
 * (Bahrain, Singapore, Hong Kong, Malta, ...) at 1:50m, so no host country is missing from the map.
 */
export function worldMapBoundaries(): FeatureCollection<BoundaryGeometry, BoundaryProperties> {
  const coarse = boundariesAt('110m');
  const fine = boundariesAt('50m');
  const features = [...coarse.values(), ...[...fine.values()].filter((b) => !coarse.has(b.id))];
  features.sort((a, b) => a.id.localeCompare(b.id));
  return { type: 'FeatureCollection', features };
}

/** Rounds every coordinate to `digits` decimals: 4 decimals (about 10 m) is ample for a small-scale map. */
export function roundGeometry<G extends BoundaryGeometry>(geometry: G, digits: number): G {
  const f = 10 ** digits;
  const ring = (r: Position[]) => r.map((p) => [Math.round(p[0]! * f) / f, Math.round(p[1]! * f) / f]);
  if (geometry.type === 'Polygon') return { ...geometry, coordinates: geometry.coordinates.map(ring) };
  return { ...geometry, coordinates: (geometry as MultiPolygon).coordinates.map((p) => p.map(ring)) } as G;
}

/**
 * Whether a point lies inside a polygon or multipolygon, by the even-odd rule (holes count as outside).
 * Coordinates are plain longitude/latitude; Natural Earth boundaries are already cut at the antimeridian.
 */
export function containsPoint(geometry: BoundaryGeometry, lon: number, lat: number): boolean {
  let inside = false;
  for (const polygon of toPolygons(geometry)) {
    for (const ring of polygon) {
      for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
        const [x1, y1] = ring[i] as [number, number];
        const [x2, y2] = ring[j] as [number, number];
        if (y1 > lat !== y2 > lat && lon < x1 + ((lat - y1) * (x2 - x1)) / (y2 - y1)) inside = !inside;
      }
    }
  }
  return inside;
}

/**
 * A point-in-boundary test for many points against one geometry: the edges are indexed by latitude band,
 * so each query looks only at the few edges a horizontal ray through the point can cross.
 * Gives the same answers as `containsPoint`.
 */
export function createPointLocator(geometry: BoundaryGeometry): (lon: number, lat: number) => boolean {
  const edges: number[] = [];
  let minLon = Infinity;
  let minLat = Infinity;
  let maxLon = -Infinity;
  let maxLat = -Infinity;
  for (const polygon of toPolygons(geometry)) {
    for (const ring of polygon) {
      for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
        const [x1, y1] = ring[i] as [number, number];
        const [x2, y2] = ring[j] as [number, number];
        if (y1 === y2) continue; // a horizontal edge never changes the even-odd count
        edges.push(x1, y1, x2, y2);
        minLon = Math.min(minLon, x1);
        maxLon = Math.max(maxLon, x1);
        minLat = Math.min(minLat, y1);
        maxLat = Math.max(maxLat, y1);
      }
    }
  }
  const edgeCount = edges.length / 4;
  if (edgeCount === 0) return () => false;
  const bandCount = Math.max(1, Math.min(4096, Math.ceil(edgeCount / 4)));
  const bandHeight = (maxLat - minLat) / bandCount || 1;
  const bandOf = (lat: number) =>
    Math.min(bandCount - 1, Math.max(0, Math.floor((lat - minLat) / bandHeight)));
  const bands: number[][] = Array.from({ length: bandCount }, () => []);
  for (let e = 0; e < edges.length; e += 4) {
    const y1 = edges[e + 1]!;
    const y2 = edges[e + 3]!;
    for (let b = bandOf(Math.min(y1, y2)), last = bandOf(Math.max(y1, y2)); b <= last; b++) bands[b]!.push(e);
  }
  return (lon, lat) => {
    if (!(lon >= minLon && lon <= maxLon && lat >= minLat && lat <= maxLat)) return false;
    let inside = false;
    for (const e of bands[bandOf(lat)]!) {
      const x1 = edges[e]!;
      const y1 = edges[e + 1]!;
      const x2 = edges[e + 2]!;
      const y2 = edges[e + 3]!;
      if (y1 > lat !== y2 > lat && lon < x1 + ((lat - y1) * (x2 - x1)) / (y2 - y1)) inside = !inside;
    }
    return inside;
  };
}
