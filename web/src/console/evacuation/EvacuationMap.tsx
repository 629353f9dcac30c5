import { type PointerEvent, useMemo, useRef, useState, type WheelEvent } from 'react';
import { useT } from '../../i18n/I18nProvider.tsx';
import { useLoad } from '../../shared/useLoad.ts';
import { boundsOf, fitProjection, markerRadius, ringsToPath } from './board-model.ts';
import {
  type AssemblyPointView,
  type BoundaryFeature,
  evacuationApi,
  type LegView,
} from './evacuation-api.ts';

type Props = { country: string; points: readonly AssemblyPointView[]; legs: readonly LegView[] };

const WIDTH = 800;

/** The initial view: the whole country, or closer when the points gather in a small part of it. */
function pointsView(
  screen: readonly { x: number; y: number }[],
  height: number,
): { x: number; y: number; w: number } {
  const whole = { x: 0, y: 0, w: WIDTH };
  if (screen.length === 0) return whole;
  const xs = screen.map((p) => p.x);
  const ys = screen.map((p) => p.y);
  const span = Math.max(
    Math.max(...xs) - Math.min(...xs),
    ((Math.max(...ys) - Math.min(...ys)) * WIDTH) / height,
  );
  const w = Math.min(WIDTH, Math.max(WIDTH / 3, span * 1.6));
  if (w >= WIDTH) return whole;
  const cx = (Math.max(...xs) + Math.min(...xs)) / 2;
  const cy = (Math.max(...ys) + Math.min(...ys)) / 2;
  return { x: cx - w / 2, y: cy - ((w / WIDTH) * height) / 2, w };
}

function polygonsOf(feature: BoundaryFeature): number[][][][] {
  return feature.geometry.type === 'Polygon' ? [feature.geometry.coordinates] : feature.geometry.coordinates;
}

/**
 * The operation's country drawn from its reference boundary, with the assembly points sized by capacity
 * (a ring marks step-free access) and the number of legs leaving each. Drag to pan, wheel or buttons
 * to zoom; the first view closes in on the points, so a large country does not shrink them to one dot.
 */
export function EvacuationMap({ country, points, legs }: Props) {
  const t = useT();
  const boundary = useLoad(`boundary:${country}`, (signal) => evacuationApi.boundary(country, signal));
  const polygons = boundary.status === 'ready' ? polygonsOf(boundary.data) : [];

  const projection = useMemo(() => {
    const positions: [number, number][] = [];
    for (const polygon of polygons)
      for (const ring of polygon) for (const p of ring) positions.push([p[0] ?? 0, p[1] ?? 0]);
    for (const point of points) positions.push([point.lon, point.lat]);
    const bounds = boundsOf(positions);
    return bounds ? fitProjection(bounds, WIDTH) : null;
  }, [polygons, points]);

  const outline = useMemo(
    () => (projection ? polygons.map((polygon) => ringsToPath(polygon, projection)).join('') : ''),
    [polygons, projection],
  );

  const [view, setView] = useState<{ x: number; y: number; w: number } | null>(null);
  const drag = useRef<{ x: number; y: number } | null>(null);
  const svg = useRef<SVGSVGElement>(null);

  if (!projection) {
    return (
      <p className="muted">{boundary.status === 'loading' ? t('common.loading') : t('evac.map.empty')}</p>
    );
  }
  const height = projection.height;
  const box =
    view ??
    pointsView(
      points.map((p) => projection.project(p.lon, p.lat)),
      height,
    );
  const boxHeight = (box.w / WIDTH) * height;
  const unitsPerPixel = () => box.w / (svg.current?.clientWidth || WIDTH);
  const largest = Math.max(0, ...points.map((p) => p.capacity));
  const legsFrom = (id: string) =>
    legs.filter((leg) => leg.originAssemblyPointId === id && leg.status !== 'cancelled').length;

  const zoom = (factor: number) => {
    const w = Math.min(WIDTH, Math.max(WIDTH / 40, box.w * factor));
    const cx = box.x + box.w / 2;
    const cy = box.y + boxHeight / 2;
    const h = (w / WIDTH) * height;
    setView({ x: cx - w / 2, y: cy - h / 2, w });
  };
  const onWheel = (event: WheelEvent) => zoom(event.deltaY > 0 ? 1.25 : 0.8);
  const onPointerDown = (event: PointerEvent<SVGSVGElement>) => {
    drag.current = { x: event.clientX, y: event.clientY };
    event.currentTarget.setPointerCapture(event.pointerId);
  };
  const onPointerMove = (event: PointerEvent) => {
    if (!drag.current) return;
    const scale = unitsPerPixel();
    const dx = (event.clientX - drag.current.x) * scale;
    const dy = (event.clientY - drag.current.y) * scale;
    drag.current = { x: event.clientX, y: event.clientY };
    // The drawing keeps west on the left in Arabic too: a map is not mirrored.
    setView({ x: box.x - dx, y: box.y - dy, w: box.w });
  };

  return (
    <figure className="evac-map">
      <svg
        ref={svg}
        role="img"
        aria-label={t('evac.map.label', { count: points.length })}
        viewBox={`${box.x} ${box.y} ${box.w} ${boxHeight}`}
        onWheel={onWheel}
        onPointerDown={onPointerDown}
        onPointerMove={onPointerMove}
        onPointerUp={() => {
          drag.current = null;
        }}
      >
        <path d={outline} className="evac-map__land" fillRule="evenodd" />
        {points.map((point) => {
          const { x, y } = projection.project(point.lon, point.lat);
          const r = (markerRadius(point.capacity, largest) * box.w) / WIDTH;
          return (
            <g key={point.id} className="evac-map__point">
              <title>
                {t('evac.map.pointTitle', {
                  name: point.name,
                  capacity: point.capacity,
                  legs: legsFrom(point.id),
                })}
                {point.accessible ? ` · ${t('evac.points.accessible')}` : ''}
              </title>
              <circle cx={x} cy={y} r={r} className="evac-map__marker" />
              {point.accessible && (
                <circle cx={x} cy={y} r={r + (3 * box.w) / WIDTH} className="evac-map__accessible" />
              )}
              <text x={x + r + (4 * box.w) / WIDTH} y={y} fontSize={(13 * box.w) / WIDTH} dy="0.35em">
                {point.name}
              </text>
            </g>
          );
        })}
      </svg>
      <figcaption className="evac-map__caption">
        <span className="evac-map__key">
          <span className="evac-map__swatch" aria-hidden="true" /> {t('evac.map.keySize')}
        </span>
        <span className="evac-map__key">
          <span className="evac-map__swatch evac-map__swatch--ring" aria-hidden="true" />{' '}
          {t('evac.points.accessible')}
        </span>
        <span className="evac-map__zoom">
          <button
            type="button"
            className="button button--small"
            onClick={() => zoom(0.7)}
            aria-label={t('evac.map.zoomIn')}
          >
            +
          </button>
          <button
            type="button"
            className="button button--small"
            onClick={() => zoom(1 / 0.7)}
            aria-label={t('evac.map.zoomOut')}
          >
            −
          </button>
          <button type="button" className="button button--small" onClick={() => setView(null)}>
            {t('evac.map.reset')}
          </button>
        </span>
      </figcaption>
    </figure>
  );
}
