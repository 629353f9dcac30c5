import { cellToBoundary, cellToLatLng, getRes0Cells } from 'h3-js';
import {
  type CellRange,
  keyPairsToRanges,
  LOCATION_RESOLUTION,
  mergeKeyRanges,
  type SplitCell,
  splitChildren,
  splitKeyRange,
  splitOf,
  splitResolution,
} from './cell-range.ts';
import {
  type PreparedCircle,
  type PreparedPolygon,
  PreparedTarget,
  polygonContainsXY,
  prepareTarget,
} from './prepared-target.ts';
import { angularDistance, capLongitudeHalfWidth, haversineOf, RAD } from './sphere.ts';
import type { Target } from './target.ts';

/**
 * A covering of a target by resolution-9 cell ranges. People whose cell lies in `inside` are in the
 * target whatever their exact position; people in `boundary` need the exact point test; everyone else is
 * outside. Both lists are sorted and disjoint, and no range is in both.
 */
export interface TargetCovering {
  readonly inside: CellRange[];
  readonly boundary: CellRange[];
  /**
   * The finest resolution refined to. Boundary cells are of this resolution, or one coarser where the
   * range budget stopped refinement part-way through a resolution.
   */
  readonly resolution: number;
}

export interface CoverOptions {
  /**
   * Most ranges (inside plus boundary, after merging) to return; refinement stops before exceeding it,
   * except that the resolution-0 covering (at most 122 ranges) is always returned. More ranges mean fewer
   * people to test exactly but a longer query. Default {@link DEFAULT_MAX_RANGES}.
   */
  readonly maxRanges?: number;
  /** Finest resolution to refine to, 0..9. Default 9. */
  readonly maxResolution?: number;
}

/**
 * A few thousand ranges keep the indexed query short while boundary cells stay small: a polygon 250 km
 * across ends with resolution 7 or 8 boundary cells (5 or 0.7 km²), a 20 km circle with resolution 9.
 */
export const DEFAULT_MAX_RANGES = 3000;

/**
 * How far the resolution-9 descendants of a cell can reach beyond its own outline, as a factor of its
 * circumradius. H3 children do not tile their parent exactly: the descendants of a cell form a
 * ragged island that overhangs the parent hexagon. Measured over every cell of resolutions 1 and 2 and
 * samples of the others (pentagons included), the farthest descendant lies at 1.055 circumradii from
 * the centre; a resolution-9 cell's own points lie within 1.0. The factors below leave a wide margin,
 * and the covering test suite checks them against random points.
 */
const REACH_FACTOR = 1.2;
const REACH_FACTOR_FINEST = 1.1;
/** Absolute margin (radians, about 0.6 m) against rounding in the cell and shape arithmetic. */
const REACH_SLACK = 1e-7;

/** A spherical cap that holds every point whose resolution-9 cell descends from the cell. */
export interface CellReach {
  readonly lat: number;
  readonly lon: number;
  /** Angular radius in radians. */
  readonly radius: number;
}

/**
 * The cap around a cell's centre that holds every point located in any of its resolution-9 descendants.
 * The cell is an H3 index string or h3-js split long.
 */
export function cellReach(cell: string | SplitCell): CellReach {
  const split = typeof cell === 'string' ? splitOf(cell) : cell;
  const [lat, lon] = cellToLatLng(split);
  let farthest = 0;
  for (const [vLat, vLon] of cellToBoundary(split)) {
    const h = haversineOf(lat, lon, vLat, vLon);
    if (h > farthest) farthest = h;
  }
  const circumradius = 2 * Math.asin(Math.min(1, Math.sqrt(farthest)));
  const factor = splitResolution(split) >= LOCATION_RESOLUTION ? REACH_FACTOR_FINEST : REACH_FACTOR;
  return { lat, lon, radius: circumradius * factor + REACH_SLACK };
}

const OUTSIDE = 0;
const INSIDE = 1;
const BOUNDARY = 2;
type Placement = typeof OUTSIDE | typeof INSIDE | typeof BOUNDARY;

function placeInCircle(circle: PreparedCircle, cap: CellReach): Placement {
  const d = angularDistance(cap.lat, cap.lon, circle.lat, circle.lon);
  if (d + cap.radius < circle.radius - REACH_SLACK) return INSIDE;
  if (d - cap.radius > circle.radius + REACH_SLACK) return OUTSIDE;
  return BOUNDARY;
}

/**
 * Places a cap against a polygon whose edges are straight in longitude/latitude. The cap lies within a
 * longitude/latitude box (its exact extent), so only edges meeting the box matter. Within the box the
 * great-circle distance d between the centre and a point satisfies hav(d) ≥ (k²/4)·(Δφ² + c²·Δλ²), with
 * c the cosine of the box's highest latitude and k = sin(X/2)/(X/2) for X the box's largest half-extent,
 * so an edge farther than radius/k in that scaled plane cannot reach the cap. When no edge reaches it, the
 * cap lies wholly on one side and its centre tells which. Each whole-turn copy of the cap along the
 * unwrapped plane is examined, so caps across the antimeridian or over a pole are handled alike.
 */
function placeInPolygon(p: PreparedPolygon, cap: CellReach): Placement {
  const { lat, lon, radius } = cap;
  let latLo = lat - radius / RAD;
  let latHi = lat + radius / RAD;
  if (latHi < p.minY || latLo > p.maxY) return OUTSIDE;
  const halfWidth = Math.min(180, capLongitudeHalfWidth(lat, radius) * (1 + 1e-9) + 1e-9);
  if (halfWidth >= 180) {
    latLo = Math.max(-90, latLo);
    latHi = Math.min(90, latHi);
  }
  const c = Math.cos(Math.min(90, Math.max(Math.abs(latLo), Math.abs(latHi))) * RAD);
  const extent = Math.max(radius, halfWidth * RAD);
  const k = Math.sin(extent / 2) / (extent / 2);
  const reach = ((radius / k) * (1 + 1e-9)) / RAD;
  const reach2 = reach * reach;
  const s0 = Math.max(0, Math.floor((Math.max(latLo, p.minY) - p.minY) * p.slabScale));
  const s1 = Math.min(p.slabCount - 1, Math.floor((Math.min(latHi, p.maxY) - p.minY) * p.slabScale));
  const e = p.slabEdges;
  const firstTurn = Math.ceil((p.minX - (lon + halfWidth)) / 360);
  const lastTurn = Math.floor((p.maxX - (lon - halfWidth)) / 360);
  let touched = false;
  for (let turn = firstTurn; turn <= lastTurn; turn++) {
    const cx = lon + 360 * turn;
    const left = cx - halfWidth;
    const right = cx + halfWidth;
    let near = false;
    const end = p.slabStart[s1 + 1]! * 4;
    for (let i = p.slabStart[s0]! * 4; i < end && !near; i += 4) {
      const x1 = e[i]!;
      const y1 = e[i + 1]!;
      const x2 = e[i + 2]!;
      const y2 = e[i + 3]!;
      if ((x1 < left && x2 < left) || (x1 > right && x2 > right)) continue;
      if ((y1 < latLo && y2 < latLo) || (y1 > latHi && y2 > latHi)) continue;
      const ax = (x1 - cx) * c;
      const ay = y1 - lat;
      const dx = (x2 - cx) * c - ax;
      const dy = y2 - lat - ay;
      const length2 = dx * dx + dy * dy;
      const t = length2 > 0 ? Math.min(1, Math.max(0, -(ax * dx + ay * dy) / length2)) : 0;
      const px = ax + t * dx;
      const py = ay + t * dy;
      if (px * px + py * py <= reach2) near = true;
    }
    if (near) touched = true;
    else if (polygonContainsXY(p, cx, lat)) return INSIDE;
  }
  return touched ? BOUNDARY : OUTSIDE;
}

function placeCell(target: PreparedTarget, cell: SplitCell): Placement {
  const cap = cellReach(cell);
  let placement: Placement = OUTSIDE;
  for (const shape of target.shapes) {
    const here = shape.kind === 'polygon' ? placeInPolygon(shape, cap) : placeInCircle(shape, cap);
    if (here === INSIDE) return INSIDE;
    if (here === BOUNDARY) placement = BOUNDARY;
  }
  return placement;
}

/**
 * Covers a target with ranges of resolution-9 cells for an indexed `h3_cell BETWEEN lo AND hi` query.
 *
 * Starts from the 122 base cells, so that the shape's size picks the resolution at which its cells are
 * first taken whole, and places each cell as inside, outside or boundary using a cap that holds every
 * point of its resolution-9 descendants ({@link cellReach}); boundary cells are
 * split into their children, one resolution at a time, down to `maxResolution`. A cell is inside only
 * when no edge of any ring (holes included) comes near its cap and its centre is inside, so points on the
 * target's boundary always fall in boundary cells, and selecting `inside` plus the points of `boundary`
 * that pass the exact test gives exactly the points the exact test accepts. Refinement stops early when
 * more ranges (inside plus boundary, after merging) than `maxRanges` would be needed; it proceeds in
 * slices of a resolution, so boundary cells may then be of two neighbouring resolutions.
 */
export function coverTarget(target: Target | PreparedTarget, options: CoverOptions = {}): TargetCovering {
  const prepared = target instanceof PreparedTarget ? target : prepareTarget(target);
  const maxRanges = Math.max(1, options.maxRanges ?? DEFAULT_MAX_RANGES);
  const maxResolution = Math.min(LOCATION_RESOLUTION, Math.max(0, Math.floor(options.maxResolution ?? 9)));
  const inside: number[] = [];
  let boundary = new CellList();
  for (const cell of getRes0Cells()) {
    const split = splitOf(cell);
    const placement = placeCell(prepared, split);
    if (placement === INSIDE) pushRange(inside, split);
    else if (placement === BOUNDARY) boundary.add(split);
  }
  let resolution = 0;
  while (boundary.cells.length > 0 && resolution < maxResolution) {
    // Refine a level in slices, so that the range budget is filled rather than missed by a whole level.
    const sliceSize = Math.max(1, Math.ceil(boundary.cells.length / REFINEMENT_SLICES));
    const next = new CellList();
    let done = 0;
    while (done < boundary.cells.length) {
      const end = Math.min(boundary.cells.length, done + sliceSize);
      const sliceInside: number[] = [];
      const sliceBoundary = new CellList();
      for (let i = done; i < end; i++) {
        for (const child of splitChildren(boundary.cells[i]!)) {
          const placement = placeCell(prepared, child);
          if (placement === INSIDE) pushRange(sliceInside, child);
          else if (placement === BOUNDARY) sliceBoundary.add(child);
        }
      }
      const unrefined = boundary.pairs.length - 2 * end;
      const unmerged =
        inside.length + sliceInside.length + next.pairs.length + sliceBoundary.pairs.length + unrefined;
      // Merging can only lower the count, so it is needed only when the plain count is over budget.
      if (unmerged / 2 > maxRanges) {
        const insideAfter = inside.concat(sliceInside);
        const boundaryAfter = next.pairs.concat(sliceBoundary.pairs, boundary.pairs.slice(2 * end));
        const merged = mergeKeyRanges(insideAfter).length + mergeKeyRanges(boundaryAfter).length;
        if (merged / 2 > maxRanges) break;
      }
      for (const key of sliceInside) inside.push(key);
      next.append(sliceBoundary);
      done = end;
    }
    if (done < boundary.cells.length) {
      next.append(boundary.from(done));
      boundary = next;
      break;
    }
    boundary = next;
    resolution++;
  }
  let finest = 0;
  for (const cell of boundary.cells) finest = Math.max(finest, splitResolution(cell));
  return {
    inside: keyPairsToRanges(mergeKeyRanges(inside)),
    boundary: keyPairsToRanges(mergeKeyRanges(boundary.pairs)),
    resolution: boundary.cells.length > 0 ? finest : resolution,
  };
}

function pushRange(pairs: number[], cell: SplitCell): void {
  const [lo, hi] = splitKeyRange(cell);
  pairs.push(lo, hi);
}

/** How many slices a resolution is refined in: the budget is met to within a slice's growth. */
const REFINEMENT_SLICES = 8;

/** Boundary cells with their key ranges (flat lo, hi pairs) kept side by side. */
class CellList {
  readonly cells: SplitCell[] = [];
  readonly pairs: number[] = [];

  add(cell: SplitCell): void {
    this.cells.push(cell);
    const [lo, hi] = splitKeyRange(cell);
    this.pairs.push(lo, hi);
  }

  append(other: CellList): void {
    for (const cell of other.cells) this.cells.push(cell);
    for (const key of other.pairs) this.pairs.push(key);
  }

  from(start: number): CellList {
    const rest = new CellList();
    for (let i = start; i < this.cells.length; i++) rest.cells.push(this.cells[i]!);
    for (let i = 2 * start; i < this.pairs.length; i++) rest.pairs.push(this.pairs[i]!);
    return rest;
  }
}
