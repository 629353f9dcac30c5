import { GeoError } from './geo-error.ts';

/**
 * A validated ring in the unwrapped plane: closing position dropped, consecutive duplicates removed,
 * longitudes made continuous (each edge the short way round, so a ring crossing the antimeridian
 * continues past ±180 instead of jumping).
 */
export interface UnwrappedRing {
  readonly xs: Float64Array;
  readonly ys: Float64Array;
}

/** Reads one position, checking its shape and range; `maxLon` bounds the absolute longitude. */
export function readPosition(position: unknown, field: string, maxLon: number): [number, number] {
  if (!Array.isArray(position) || position.length < 2) {
    throw new GeoError(
      'geo.unsupported_geometry',
      'a position must be an array [longitude, latitude]',
      field,
    );
  }
  const lon: unknown = position[0];
  const lat: unknown = position[1];
  if (typeof lon !== 'number' || typeof lat !== 'number') {
    throw new GeoError('geo.unsupported_geometry', 'a position must hold numbers', field);
  }
  if (!Number.isFinite(lon) || !Number.isFinite(lat) || Math.abs(lat) > 90 || Math.abs(lon) > maxLon) {
    throw new GeoError(
      'geo.coordinate_out_of_range',
      `latitude must lie in [-90, 90] and longitude in [-${maxLon}, ${maxLon}]`,
      field,
    );
  }
  return [lon, lat];
}

/**
 * Checks one ring and returns it unwrapped. Throws `geo.ring_not_closed`, `geo.ring_too_short`,
 * `geo.coordinate_out_of_range`, `geo.unsupported_geometry` (an edge spanning exactly 180° of longitude)
 * or `geo.pole_enclosed` (the ring winds around a pole).
 */
export function unwrapRing(ring: unknown, field: string): UnwrappedRing {
  if (!Array.isArray(ring)) {
    throw new GeoError('geo.unsupported_geometry', 'a ring must be an array of positions', field);
  }
  const raw = ring.map((p, i) => readPosition(p, `${field}[${i}]`, 360));
  const first = raw[0];
  const last = raw[raw.length - 1];
  if (first === undefined || last === undefined || raw.length < 2) {
    throw new GeoError('geo.ring_too_short', 'a ring needs at least four positions', field);
  }
  if (first[0] !== last[0] || first[1] !== last[1]) {
    throw new GeoError('geo.ring_not_closed', 'a ring must end on its first position', field);
  }
  const xs: number[] = [];
  const ys: number[] = [];
  // Offsets are whole turns kept apart from the raw values so that rounding never accumulates.
  let turns = 0;
  let previous = first;
  for (let i = 0; i < raw.length; i++) {
    const [lon, lat] = raw[i]!;
    if (i > 0) {
      const step = lon - previous[0];
      const extra = Math.round(step / 360);
      const rest = step - 360 * extra;
      if (Math.abs(rest) === 180) {
        throw new GeoError(
          'geo.unsupported_geometry',
          'an edge spans exactly 180° of longitude, so its direction is ambiguous; add a vertex',
          `${field}[${i}]`,
        );
      }
      turns -= extra;
      if (rest > 180) turns -= 1;
      else if (rest < -180) turns += 1;
    }
    previous = [lon, lat];
    const x = lon + 360 * turns;
    if (i === raw.length - 1) {
      if (turns !== 0) {
        throw new GeoError(
          'geo.pole_enclosed',
          'a ring goes around a pole; draw the area without enclosing the pole',
          field,
        );
      }
      break;
    }
    const n = xs.length;
    if (n > 0 && xs[n - 1] === x && ys[n - 1] === lat) continue;
    xs.push(x);
    ys.push(lat);
  }
  while (xs.length > 1 && xs[xs.length - 1] === xs[0] && ys[ys.length - 1] === ys[0]) {
    xs.pop();
    ys.pop();
  }
  if (xs.length < 3) {
    throw new GeoError('geo.ring_too_short', 'a ring needs at least three distinct positions', field);
  }
  let minX = Number.POSITIVE_INFINITY;
  let maxX = Number.NEGATIVE_INFINITY;
  for (const x of xs) {
    if (x < minX) minX = x;
    if (x > maxX) maxX = x;
  }
  if (maxX - minX >= 360) {
    throw new GeoError('geo.self_intersection', 'a ring wraps around the globe and overlaps itself', field);
  }
  return { xs: Float64Array.from(xs), ys: Float64Array.from(ys) };
}

/** Moves a ring by whole turns of longitude. */
export function shiftRing(ring: UnwrappedRing, turns: number): UnwrappedRing {
  if (turns === 0) return ring;
  return { xs: ring.xs.map((x) => x + 360 * turns), ys: ring.ys };
}

const orientation = (ax: number, ay: number, bx: number, by: number, cx: number, cy: number): number =>
  (bx - ax) * (cy - ay) - (by - ay) * (cx - ax);

/** Whether c, known to be collinear with a-b, lies within the segment's bounding box. */
const withinBox = (ax: number, ay: number, bx: number, by: number, cx: number, cy: number): boolean =>
  Math.min(ax, bx) <= cx && cx <= Math.max(ax, bx) && Math.min(ay, by) <= cy && cy <= Math.max(ay, by);

/** Closed-segment intersection test: touching and collinear overlap count. */
function segmentsMeet(
  ax: number,
  ay: number,
  bx: number,
  by: number,
  cx: number,
  cy: number,
  dx: number,
  dy: number,
): boolean {
  const o1 = orientation(ax, ay, bx, by, cx, cy);
  const o2 = orientation(ax, ay, bx, by, dx, dy);
  const o3 = orientation(cx, cy, dx, dy, ax, ay);
  const o4 = orientation(cx, cy, dx, dy, bx, by);
  if (((o1 > 0 && o2 < 0) || (o1 < 0 && o2 > 0)) && ((o3 > 0 && o4 < 0) || (o3 < 0 && o4 > 0))) return true;
  return (
    (o1 === 0 && withinBox(ax, ay, bx, by, cx, cy)) ||
    (o2 === 0 && withinBox(ax, ay, bx, by, dx, dy)) ||
    (o3 === 0 && withinBox(cx, cy, dx, dy, ax, ay)) ||
    (o4 === 0 && withinBox(cx, cy, dx, dy, bx, by))
  );
}

/**
 * Finds two edges of the rings (one polygon: outer ring and holes) that cross, touch or overlap, apart
 * from consecutive edges meeting at their shared vertex. Edges are bucketed in a uniform grid over the
 * polygon's bounding box so that only nearby edges are compared: close to linear for real outlines.
 * Returns the index of a ring involved, or -1 when the rings are simple and disjoint.
 */
export function findCrossing(rings: readonly UnwrappedRing[]): number {
  let total = 0;
  for (const r of rings) total += r.xs.length;
  const ax = new Float64Array(total);
  const ay = new Float64Array(total);
  const bx = new Float64Array(total);
  const by = new Float64Array(total);
  const ringOf = new Int32Array(total);
  const posOf = new Int32Array(total);
  const sizeOf = new Int32Array(total);
  let minX = Number.POSITIVE_INFINITY;
  let minY = Number.POSITIVE_INFINITY;
  let maxX = Number.NEGATIVE_INFINITY;
  let maxY = Number.NEGATIVE_INFINITY;
  let e = 0;
  for (let r = 0; r < rings.length; r++) {
    const { xs, ys } = rings[r]!;
    const n = xs.length;
    for (let i = 0; i < n; i++) {
      const j = i + 1 === n ? 0 : i + 1;
      ax[e] = xs[i]!;
      ay[e] = ys[i]!;
      bx[e] = xs[j]!;
      by[e] = ys[j]!;
      ringOf[e] = r;
      posOf[e] = i;
      sizeOf[e] = n;
      minX = Math.min(minX, xs[i]!);
      maxX = Math.max(maxX, xs[i]!);
      minY = Math.min(minY, ys[i]!);
      maxY = Math.max(maxY, ys[i]!);
      // A ring that turns straight back on itself overlaps at the shared vertex.
      const k = j + 1 === n ? 0 : j + 1;
      if (
        orientation(xs[i]!, ys[i]!, xs[j]!, ys[j]!, xs[k]!, ys[k]!) === 0 &&
        (xs[i]! - xs[j]!) * (xs[k]! - xs[j]!) + (ys[i]! - ys[j]!) * (ys[k]! - ys[j]!) > 0
      ) {
        return r;
      }
      e++;
    }
  }
  const width = Math.max(maxX - minX, 1e-12);
  const height = Math.max(maxY - minY, 1e-12);
  const gx = Math.min(1024, Math.max(1, Math.ceil(Math.sqrt((total * width) / height))));
  const gy = Math.min(1024, Math.max(1, Math.ceil(Math.sqrt((total * height) / width))));
  const cellX = (x: number) => Math.min(gx - 1, Math.floor(((x - minX) / width) * gx));
  const cellY = (y: number) => Math.min(gy - 1, Math.floor(((y - minY) / height) * gy));
  const counts = new Int32Array(gx * gy + 1);
  // Buckets along the edge, row by row, widened by one bucket each side against rounding: a long edge
  // then costs a few buckets per row instead of its whole bounding box.
  const rowHeight = height / gy;
  const forEachBucket = (edge: number, visit: (bucket: number) => void) => {
    const x1 = ax[edge]!;
    const y1 = ay[edge]!;
    const x2 = bx[edge]!;
    const y2 = by[edge]!;
    const lowY = Math.min(y1, y2);
    const highY = Math.max(y1, y2);
    const r0 = cellY(lowY);
    const r1 = cellY(highY);
    for (let row = r0; row <= r1; row++) {
      let xa = Math.min(x1, x2);
      let xb = Math.max(x1, x2);
      if (r0 !== r1) {
        const ya = Math.max(lowY, minY + (row - 1e-6) * rowHeight);
        const yb = Math.min(highY, minY + (row + 1 + 1e-6) * rowHeight);
        const xAtA = x1 + ((x2 - x1) * (ya - y1)) / (y2 - y1);
        const xAtB = x1 + ((x2 - x1) * (yb - y1)) / (y2 - y1);
        xa = Math.max(xa, Math.min(xAtA, xAtB));
        xb = Math.min(xb, Math.max(xAtA, xAtB));
      }
      const c0 = Math.max(0, cellX(Math.min(xa, xb)) - 1);
      const c1 = Math.min(gx - 1, cellX(Math.max(xa, xb)) + 1);
      for (let col = c0; col <= c1; col++) visit(row * gx + col);
    }
  };
  for (let i = 0; i < total; i++) forEachBucket(i, (b) => counts[b + 1]!++);
  for (let b = 0; b < gx * gy; b++) counts[b + 1]! += counts[b]!;
  const fill = counts.slice(0, gx * gy);
  const members = new Int32Array(counts[gx * gy]!);
  for (let i = 0; i < total; i++) forEachBucket(i, (b) => (members[fill[b]!++] = i));

  for (let b = 0; b < gx * gy; b++) {
    const end = counts[b + 1]!;
    for (let p = counts[b]!; p < end; p++) {
      const i = members[p]!;
      for (let q = p + 1; q < end; q++) {
        const j = members[q]!;
        if (ringOf[i] === ringOf[j]) {
          const d = Math.abs(posOf[i]! - posOf[j]!);
          if (d === 1 || d === sizeOf[i]! - 1) continue;
        }
        if (Math.max(ax[i]!, bx[i]!) < Math.min(ax[j]!, bx[j]!)) continue;
        if (Math.max(ax[j]!, bx[j]!) < Math.min(ax[i]!, bx[i]!)) continue;
        if (Math.max(ay[i]!, by[i]!) < Math.min(ay[j]!, by[j]!)) continue;
        if (Math.max(ay[j]!, by[j]!) < Math.min(ay[i]!, by[i]!)) continue;
        if (segmentsMeet(ax[i]!, ay[i]!, bx[i]!, by[i]!, ax[j]!, ay[j]!, bx[j]!, by[j]!)) return ringOf[i]!;
      }
    }
  }
  return -1;
}

/** Plain even-odd ray casting of one ring, for placing holes (the point is known not to lie on it). */
export function ringContains(ring: UnwrappedRing, x: number, y: number): boolean {
  const { xs, ys } = ring;
  let inside = false;
  for (let i = 0, j = xs.length - 1; i < xs.length; j = i++) {
    const yi = ys[i]!;
    const yj = ys[j]!;
    if (yi > y !== yj > y && x < ((xs[j]! - xs[i]!) * (y - yi)) / (yj - yi) + xs[i]!) inside = !inside;
  }
  return inside;
}
