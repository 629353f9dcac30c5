export type GeoErrorCode =
  /** A ring's last position is not identical to its first (RFC 7946 §3.1.6). */
  | 'geo.ring_not_closed'
  /** A ring has fewer than three distinct positions (four with the closing one). */
  | 'geo.ring_too_short'
  /** Two edges of a polygon cross, touch or overlap, or a ring winds more than once around the globe. */
  | 'geo.self_intersection'
  /** A latitude outside [-90, 90], a longitude outside [-360, 360] (±180 for a circle centre), or NaN. */
  | 'geo.coordinate_out_of_range'
  /** A circle radius that is not a finite number in (0, 10 000 km]. */
  | 'geo.radius_invalid'
  /** A target with no shape, or a shape with no polygon. */
  | 'geo.empty_target'
  /** A geometry type other than Polygon, MultiPolygon or Circle, a malformed position, or an ambiguous edge. */
  | 'geo.unsupported_geometry'
  /** A ring that goes around a pole; Haven asks for such an area to be drawn without enclosing the pole. */
  | 'geo.pole_enclosed'
  /** A hole lies outside its polygon's outer ring, or inside another hole. */
  | 'geo.hole_outside_shell';

/**
 * A target geometry Haven refuses, with a stable code and the place of the offending part
 * (e.g. "target[0].coordinates[1][3]"). Messages never quote coordinates.
 */
export class GeoError extends Error {
  override readonly name = 'GeoError';
  readonly code: GeoErrorCode;
  /** Path of the offending part of the target, when there is one. */
  readonly field: string | undefined;

  constructor(code: GeoErrorCode, message: string, field?: string) {
    super(message);
    this.code = code;
    this.field = field;
  }
}
