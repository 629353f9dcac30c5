/** Degrees to radians. */
export const RAD = Math.PI / 180;

/** Haversine of the central angle between two points given in degrees (0 for the same point, 1 antipodal). */
export function haversineOf(lat1: number, lon1: number, lat2: number, lon2: number): number {
  const s1 = Math.sin(((lat2 - lat1) * RAD) / 2);
  const s2 = Math.sin(((lon2 - lon1) * RAD) / 2);
  return s1 * s1 + Math.cos(lat1 * RAD) * Math.cos(lat2 * RAD) * s2 * s2;
}

/** Central angle in radians between two points given in degrees. */
export function angularDistance(lat1: number, lon1: number, lat2: number, lon2: number): number {
  return 2 * Math.asin(Math.min(1, Math.sqrt(haversineOf(lat1, lon1, lat2, lon2))));
}

/**
 * Half-width in degrees of longitude of a spherical cap of angular radius `radius` (radians) centred at
 * latitude `lat` (degrees), or 180 when the cap reaches a pole and so spans every longitude.
 */
export function capLongitudeHalfWidth(lat: number, radius: number): number {
  if (Math.abs(lat) + radius / RAD >= 90) return 180;
  const s = Math.sin(radius) / Math.cos(lat * RAD);
  return s >= 1 ? 180 : Math.asin(s) / RAD;
}
