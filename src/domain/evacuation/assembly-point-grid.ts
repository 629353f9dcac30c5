import { KM_PER_DEGREE } from './great-circle.ts';

/**
 * Assembly points bucketed on a latitude/longitude grid whose cells are about as wide as the search
 * radius, so that finding the points near a person touches a handful of cells instead of every point.
 */
export class AssemblyPointGrid {
  private readonly cellDegrees: number;
  private readonly lonCells: number;
  private readonly buckets = new Map<number, number[]>();

  /** Buckets points `0..lats.length-1`; `radiusKm` is the search radius the grid is tuned for. */
  constructor(lats: Float64Array, lons: Float64Array, radiusKm: number) {
    this.cellDegrees = Math.min(90, Math.max(radiusKm / KM_PER_DEGREE, 1e-3));
    this.lonCells = Math.ceil(360 / this.cellDegrees);
    for (let index = 0; index < lats.length; index++) {
      const key = this.keyOf(this.latCell(lats[index]!), this.lonCell(lons[index]!));
      const bucket = this.buckets.get(key);
      if (bucket === undefined) this.buckets.set(key, [index]);
      else bucket.push(index);
    }
  }

  /**
   * Calls `visit` once for every point whose cell overlaps the box of `radiusKm` around the given point.
   * The caller still measures the exact distance: the box is a superset of the disc.
   */
  forEachNear(lat: number, lon: number, radiusKm: number, visit: (pointIndex: number) => void): void {
    const latSpan = radiusKm / KM_PER_DEGREE;
    const firstLat = this.latCell(Math.max(-90, lat - latSpan));
    const lastLat = this.latCell(Math.min(90, lat + latSpan));
    const nearestPoleLat = Math.min(89.999, Math.abs(lat) + latSpan);
    const lonSpan = latSpan / Math.cos((nearestPoleLat * Math.PI) / 180);
    const lonCellSpan = Math.ceil(lonSpan / this.cellDegrees);
    const centreLon = this.lonCell(lon);
    const wholeCircle = 2 * lonCellSpan + 1 >= this.lonCells;
    const from = wholeCircle ? 0 : centreLon - lonCellSpan;
    const to = wholeCircle ? this.lonCells - 1 : centreLon + lonCellSpan;
    for (let latCell = firstLat; latCell <= lastLat; latCell++) {
      for (let raw = from; raw <= to; raw++) {
        const lonCell = ((raw % this.lonCells) + this.lonCells) % this.lonCells;
        const bucket = this.buckets.get(this.keyOf(latCell, lonCell));
        if (bucket === undefined) continue;
        for (const pointIndex of bucket) visit(pointIndex);
      }
    }
  }

  private latCell(lat: number): number {
    return Math.floor((lat + 90) / this.cellDegrees);
  }

  private lonCell(lon: number): number {
    const wrapped = ((((lon + 180) % 360) + 360) % 360) / this.cellDegrees;
    return Math.min(this.lonCells - 1, Math.floor(wrapped));
  }

  private keyOf(latCell: number, lonCell: number): number {
    return latCell * this.lonCells + lonCell;
  }
}
