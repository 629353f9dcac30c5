import {
  circleContains,
  normalizeLongitude,
  type PreparedShape,
  PreparedTarget,
  polygonContains,
  prepareTarget,
} from './prepared-target.ts';
import type { Target } from './target.ts';

/** Latitude bands of the shape index: enough that a point meets only the parts near its latitude. */
const BANDS = 256;

/**
 * Indexes (ascending) of the points that the target contains, for points held column-wise in typed arrays
 * (longitudes and latitudes in degrees). A point meets only the shapes listed in its latitude band; each
 * checks its bounding box, then casts a ray through the edges of the point's slab only. The answer is the
 * same as {@link PreparedTarget.contains} point by point. This is the in-memory ceiling that an indexed
 * selection is measured against.
 */
export function scanContains(
  lons: Float64Array,
  lats: Float64Array,
  target: Target | PreparedTarget,
): Uint32Array {
  if (lons.length !== lats.length) throw new RangeError('lons and lats must have the same length');
  const prepared = target instanceof PreparedTarget ? target : prepareTarget(target);
  const shapes = prepared.shapes;
  let minLat = Number.POSITIVE_INFINITY;
  let maxLat = Number.NEGATIVE_INFINITY;
  for (const shape of shapes) {
    minLat = Math.min(minLat, lowestLatitude(shape));
    maxLat = Math.max(maxLat, highestLatitude(shape));
  }
  const scale = maxLat > minLat ? BANDS / (maxLat - minLat) : 0;
  const bandOf = (lat: number) => Math.min(BANDS - 1, Math.floor((lat - minLat) * scale));
  const bandStart = new Int32Array(BANDS + 1);
  for (const shape of shapes) {
    for (let b = bandOf(lowestLatitude(shape)); b <= bandOf(highestLatitude(shape)); b++) bandStart[b + 1]!++;
  }
  for (let b = 0; b < BANDS; b++) bandStart[b + 1]! += bandStart[b]!;
  const fill = bandStart.slice(0, BANDS);
  const bandShapes: PreparedShape[] = new Array(bandStart[BANDS]!);
  for (const shape of shapes) {
    for (let b = bandOf(lowestLatitude(shape)); b <= bandOf(highestLatitude(shape)); b++) {
      bandShapes[fill[b]!++] = shape;
    }
  }

  let found = new Uint32Array(1024);
  let count = 0;
  for (let i = 0; i < lons.length; i++) {
    const lat = lats[i]!;
    if (lat < minLat || lat > maxLat) continue;
    let lon = lons[i]!;
    if (!(lon >= -180 && lon < 180)) lon = normalizeLongitude(lon);
    let band = Math.floor((lat - minLat) * scale);
    if (band >= BANDS) band = BANDS - 1;
    const end = bandStart[band + 1]!;
    for (let k = bandStart[band]!; k < end; k++) {
      const shape = bandShapes[k]!;
      if (shape.kind === 'polygon' ? polygonContains(shape, lon, lat) : circleContains(shape, lon, lat)) {
        if (count === found.length) {
          const grown = new Uint32Array(found.length * 2);
          grown.set(found);
          found = grown;
        }
        found[count++] = i;
        break;
      }
    }
  }
  return found.slice(0, count);
}

const lowestLatitude = (shape: PreparedShape): number =>
  shape.kind === 'polygon' ? shape.minY : shape.minLat;
const highestLatitude = (shape: PreparedShape): number =>
  shape.kind === 'polygon' ? shape.maxY : shape.maxLat;
