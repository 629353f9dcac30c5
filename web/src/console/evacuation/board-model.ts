// Pure helpers for the evacuation board: the map projection, marker sizes, fill shares and the
// conversion of form values into the API's times.

/** A point on the drawing, in SVG user units. */
export type ScreenPoint = { x: number; y: number };

/** An equirectangular projection fitted to a box of longitudes and latitudes. */
export type Projection = {
  width: number;
  height: number;
  project: (lon: number, lat: number) => ScreenPoint;
};

/** Longitude/latitude extremes of a set of positions, or null when there are none. */
export function boundsOf(
  positions: Iterable<readonly [number, number]>,
): { minLon: number; maxLon: number; minLat: number; maxLat: number } | null {
  let minLon = Infinity;
  let maxLon = -Infinity;
  let minLat = Infinity;
  let maxLat = -Infinity;
  for (const [lon, lat] of positions) {
    minLon = Math.min(minLon, lon);
    maxLon = Math.max(maxLon, lon);
    minLat = Math.min(minLat, lat);
    maxLat = Math.max(maxLat, lat);
  }
  return Number.isFinite(minLon) ? { minLon, maxLon, minLat, maxLat } : null;
}

/**
 * Fits an equirectangular projection, with longitudes shrunk by the cosine of the middle latitude so
 * shapes keep their proportions, into `width` units across; the height follows from the box.
 */
export function fitProjection(
  bounds: { minLon: number; maxLon: number; minLat: number; maxLat: number },
  width: number,
  margin = 0.05,
): Projection {
  const midLat = ((bounds.minLat + bounds.maxLat) / 2) * (Math.PI / 180);
  const xScale = Math.max(Math.cos(midLat), 0.05);
  const spanX = Math.max((bounds.maxLon - bounds.minLon) * xScale, 0.01);
  const spanY = Math.max(bounds.maxLat - bounds.minLat, 0.01);
  const inner = width * (1 - 2 * margin);
  const scale = inner / spanX;
  const height = spanY * scale + width * 2 * margin;
  return {
    width,
    height,
    project: (lon, lat) => ({
      x: width * margin + (lon - bounds.minLon) * xScale * scale,
      y: width * margin + (bounds.maxLat - lat) * scale,
    }),
  };
}

/** The SVG path of a GeoJSON polygon ring list, projected. */
export function ringsToPath(rings: readonly (readonly number[])[][], projection: Projection): string {
  const parts: string[] = [];
  for (const ring of rings) {
    ring.forEach((position, index) => {
      const { x, y } = projection.project(position[0] ?? 0, position[1] ?? 0);
      parts.push(`${index === 0 ? 'M' : 'L'}${x.toFixed(1)} ${y.toFixed(1)}`);
    });
    parts.push('Z');
  }
  return parts.join('');
}

/**
 * A marker's radius for an assembly point: the area grows with the capacity, from `min` for an empty
 * point to `max` for the largest one on the board.
 */
export function markerRadius(capacity: number, largest: number, min = 4, max = 16): number {
  if (largest <= 0 || capacity <= 0) return min;
  return min + (max - min) * Math.sqrt(Math.min(capacity, largest) / largest);
}

/** Used over available as a share from 0 to 1 (0 when nothing is available). */
export function share(used: number, available: number): number {
  if (available <= 0) return 0;
  return Math.min(1, Math.max(0, used / available));
}

/** Counts per key, most frequent first, ties in key order. */
export function countBy<T>(items: readonly T[], keyOf: (item: T) => string): [string, number][] {
  const counts = new Map<string, number>();
  for (const item of items) counts.set(keyOf(item), (counts.get(keyOf(item)) ?? 0) + 1);
  return [...counts].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
}

/**
 * A `datetime-local` field's value (the officer's wall-clock time, no zone) as an ISO-8601 UTC instant,
 * or null when the field is empty or not a time.
 */
export function localInputToIso(value: string): string | null {
  if (!value) return null;
  const time = new Date(value);
  return Number.isNaN(time.getTime()) ? null : time.toISOString();
}

/** An instant as a `datetime-local` value in the browser's zone, to the minute. */
export function isoToLocalInput(time: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${time.getFullYear()}-${pad(time.getMonth() + 1)}-${pad(time.getDate())}T${pad(time.getHours())}:${pad(time.getMinutes())}`;
}
