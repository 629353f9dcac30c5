// Plane geometry for the console's world map: an equirectangular projection where one SVG unit is one
// degree, x eastward from -180 and y southward from -90, so that GeoJSON draws without a library.

/** [longitude, latitude] in degrees. */
export type LonLat = [number, number];
/** A GeoJSON Polygon or MultiPolygon, as the API sends and accepts them. */
export type AreaShape =
  | { type: 'Polygon'; coordinates: number[][][] }
  | { type: 'MultiPolygon'; coordinates: number[][][][] };
/** A visible part of the map: x, y, width, height in SVG units (degrees). */
export type ViewBox = [number, number, number, number];

export const WORLD_VIEW: ViewBox = [-180, -90, 360, 180];
const METRES_PER_DEGREE = 111_320;

/** The SVG point of a position: x is the longitude, y the latitude turned downward. */
export function project([lon, lat]: readonly number[]): [number, number] {
  return [lon ?? 0, -(lat ?? 0)];
}

/** The position under an SVG point, rounded to about a metre. */
export function unproject(x: number, y: number): LonLat {
  const round = (v: number) => Math.round(v * 1e5) / 1e5;
  return [round(Math.max(-180, Math.min(180, x))), round(Math.max(-90, Math.min(90, -y)))];
}

/**
 * A ring with its longitudes made continuous: a step of more than 180° is taken the short way round,
 * so that a shape crossing the antimeridian (Fiji, Chukotka, a Pacific target) does not draw a line
 * across the whole world. The result may reach beyond ±180.
 */
export function unwrapRing(ring: readonly (readonly number[])[]): [number, number][] {
  const out: [number, number][] = [];
  let shift = 0;
  let previous: number | undefined;
  for (const [lon = 0, lat = 0] of ring) {
    if (previous !== undefined) {
      if (lon - previous > 180) shift -= 360;
      else if (previous - lon > 180) shift += 360;
    }
    previous = lon;
    out.push([lon + shift, lat]);
  }
  return out;
}

const ringPath = (ring: readonly (readonly number[])[], offset: number) => {
  const steps = ring.map((position, index) => {
    const [x, y] = project(position);
    return `${index === 0 ? 'M' : 'L'}${(x + offset).toFixed(3)} ${y.toFixed(3)}`;
  });
  return `${steps.join('')}Z`;
};

/**
 * The SVG path of a Polygon or MultiPolygon; holes cut out with the even-odd rule. A ring that runs
 * past the antimeridian is drawn twice, a world apart, so that both sides of the map show their part.
 */
export function shapePath(shape: AreaShape): string {
  const polygons = shape.type === 'Polygon' ? [shape.coordinates] : shape.coordinates;
  const parts: string[] = [];
  for (const rings of polygons) {
    for (const ring of rings) {
      const unwrapped = unwrapRing(ring);
      // A ring around a pole (Antarctica) goes once round the world: it is drawn as it is.
      const aroundPole = Math.abs((unwrapped.at(-1)?.[0] ?? 0) - (unwrapped[0]?.[0] ?? 0)) > 180;
      if (aroundPole) {
        parts.push(ringPath(ring, 0));
        continue;
      }
      parts.push(ringPath(unwrapped, 0));
      if (unwrapped.some(([lon]) => lon > 180)) parts.push(ringPath(unwrapped, -360));
      if (unwrapped.some(([lon]) => lon < -180)) parts.push(ringPath(unwrapped, 360));
    }
  }
  return parts.join('');
}

/** A circle on the ground as an ellipse in degrees: wider east-west away from the equator. */
export function circleRadii(center: LonLat, radiusMeters: number): { rx: number; ry: number } {
  const ry = radiusMeters / METRES_PER_DEGREE;
  const cos = Math.max(Math.cos((center[1] * Math.PI) / 180), 0.01);
  return { rx: ry / cos, ry };
}

/** The bounding box [west, south, east, north] of some positions, or null when there are none. */
export function boundsOf(positions: readonly (readonly number[])[]): [number, number, number, number] | null {
  if (positions.length === 0) return null;
  let west = 180;
  let south = 90;
  let east = -180;
  let north = -90;
  for (const [lon = 0, lat = 0] of positions) {
    west = Math.min(west, lon);
    east = Math.max(east, lon);
    south = Math.min(south, lat);
    north = Math.max(north, lat);
  }
  return [west, south, east, north];
}

/** Every position of a shape, for its bounds. */
export function positionsOf(shape: AreaShape): number[][] {
  const polygons = shape.type === 'Polygon' ? [shape.coordinates] : shape.coordinates;
  return polygons.flat(2);
}

/**
 * The view that shows a box with a margin, keeping the map's 2:1 shape and staying within the world.
 * A tiny box (a city) still shows some surroundings.
 */
export function viewAround(bounds: [number, number, number, number] | null, margin = 0.15): ViewBox {
  if (!bounds) return WORLD_VIEW;
  const [west, south, east, north] = bounds;
  let width = Math.max((east - west) * (1 + 2 * margin), 4);
  let height = Math.max((north - south) * (1 + 2 * margin), 2);
  if (width < height * 2) width = height * 2;
  else height = width / 2;
  width = Math.min(width, 360);
  height = Math.min(height, 180);
  const cx = (west + east) / 2;
  const cy = -(south + north) / 2;
  return clampView([cx - width / 2, cy - height / 2, width, height]);
}

/** Keeps a view inside the world. */
export function clampView([x, y, width, height]: ViewBox): ViewBox {
  const w = Math.min(width, 360);
  const h = Math.min(height, 180);
  return [Math.max(-180, Math.min(180 - w, x)), Math.max(-90, Math.min(90 - h, y)), w, h];
}

/** The view zoomed by a factor (above 1 zooms in) around an SVG point. */
export function zoomView(view: ViewBox, factor: number, around?: [number, number]): ViewBox {
  const [x, y, width, height] = view;
  const [px, py] = around ?? [x + width / 2, y + height / 2];
  const w = Math.max(0.5, Math.min(360, width / factor));
  const h = w / 2;
  return clampView([px - ((px - x) * w) / width, py - ((py - y) * h) / height, w, h]);
}

/** Closes a ring of clicked points into a GeoJSON Polygon. */
export function polygonFromPoints(points: readonly LonLat[]): AreaShape {
  const first = points[0];
  const ring = first ? [...points.map((p) => [p[0], p[1]]), [first[0], first[1]]] : [];
  return { type: 'Polygon', coordinates: [ring] };
}
