/**
 * The shapes an alert or an alert level can target.
 *
 * Polygons follow GeoJSON (RFC 7946): positions are [longitude, latitude] in degrees (a third value,
 * the altitude, is ignored), the first ring is the outer boundary and the others are holes, and every
 * ring is closed (its last position repeats its first). Edges are straight lines in longitude/latitude,
 * as in RFC 7946 and in PostGIS `geometry`.
 *
 * Antimeridian: each edge goes the short way round, i.e. an edge between longitudes 170 and -170 crosses
 * the 180th meridian (it spans 20°, not 340°). So a ring may be written either way: [170 → -170] or
 * [170 → 190]; longitudes may range over [-360, 360] for that purpose. An edge spanning exactly 180° of
 * longitude is ambiguous and refused; an area wider than that needs intermediate vertices. A polygon split
 * at the antimeridian as RFC 7946 recommends (a MultiPolygon of two parts) is also accepted.
 *
 * Circles are spherical caps: every point whose great-circle distance to the centre, on a sphere of
 * radius {@link EARTH_RADIUS_METERS}, is at most `radiusMeters`.
 *
 * Boundaries count as inside: a point on an edge or vertex of a polygon (outer ring or hole) or at exactly
 * the radius of a circle is targeted, as with PostGIS `ST_Covers`. Polygons that enclose a pole are
 * refused; any other polygon, however close to a pole, is accepted.
 */

/** [longitude, latitude] in degrees, optionally followed by an altitude that is ignored. */
export type Position = readonly number[];

/** A closed ring of positions: the last repeats the first. */
export type LinearRing = readonly Position[];

export interface PolygonShape {
  readonly type: 'Polygon';
  /** Outer ring first, then holes. */
  readonly coordinates: readonly LinearRing[];
}

export interface MultiPolygonShape {
  readonly type: 'MultiPolygon';
  readonly coordinates: readonly (readonly LinearRing[])[];
}

export interface CircleShape {
  readonly type: 'Circle';
  /** [longitude, latitude] in degrees. */
  readonly center: Position;
  readonly radiusMeters: number;
}

export type TargetShape = PolygonShape | MultiPolygonShape | CircleShape;

/** A union of shapes: a point is targeted when any shape contains it. */
export type Target = readonly TargetShape[];

/** Mean Earth radius (IUGG), used for circles and every distance in the targeting geometry. */
export const EARTH_RADIUS_METERS = 6371008.8;

/** Largest accepted circle radius: a quarter of the Earth's circumference. */
export const MAX_CIRCLE_RADIUS_METERS = 10_000_000;
