import {
  type PointerEvent,
  type ReactNode,
  useEffect,
  useMemo,
  useRef,
  useState,
  type WheelEvent,
} from 'react';
import { useI18n } from '../../i18n/I18nProvider.tsx';
import { type CountryOutline, loadCountryOutlines } from './boundaries.ts';
import {
  type AreaShape,
  boundsOf,
  circleRadii,
  type LonLat,
  project,
  shapePath,
  unproject,
  type ViewBox,
  viewAround,
  WORLD_VIEW,
  zoomView,
} from './geometry.ts';
import './world-map.css';

/** A shape drawn over the countries: a declared area, a target polygon. */
export type MapShape = { key: string; shape: AreaShape; colour: string; title: string };
/** A circle drawn over the countries. */
export type MapCircle = { key: string; center: LonLat; radiusMeters: number; colour: string; title: string };

type Props = {
  /** What the map shows, for assistive technology. */
  label: string;
  /** Fill colours by ISO 3166-1 alpha-2 code; other countries stay neutral. */
  countryColours?: Readonly<Record<string, string>>;
  /** A tooltip per country code, e.g. its level. */
  countryTitles?: Readonly<Record<string, string>>;
  shapes?: readonly MapShape[];
  circles?: readonly MapCircle[];
  /** Points of a polygon being drawn, joined by a line. */
  drawing?: readonly LonLat[];
  /** Called with the position under a click (not a drag): drawing a polygon, placing a circle. */
  onPick?: (position: LonLat) => void;
  /** Where to look first; the map follows when this box changes. */
  focus?: [number, number, number, number] | null;
  /** Countries (alpha-2) the view also takes in, with the focus box. */
  focusCountries?: readonly string[];
  children?: ReactNode;
};

const DRAG_THRESHOLD_PX = 4;

/**
 * A world map drawn as SVG from the server's Natural Earth outlines, without tiles or outside requests.
 * Zooms with the buttons or the wheel, pans by dragging; a click reports the position under it.
 * Maps are not mirrored in right-to-left languages: east stays on the right.
 */
export function WorldMap({
  label,
  countryColours = {},
  countryTitles = {},
  shapes = [],
  circles = [],
  drawing = [],
  onPick,
  focus = null,
  focusCountries = [],
  children,
}: Props) {
  const { t } = useI18n();
  const [outlines, setOutlines] = useState<CountryOutline[]>([]);
  const [failed, setFailed] = useState(false);
  const focusBox = useMemo(() => {
    const positions: number[][] = [];
    if (focus) positions.push([focus[0], focus[1]], [focus[2], focus[3]]);
    for (const outline of outlines) {
      if (focusCountries.includes(outline.code)) positions.push(...mainlandPositions(outline.geometry));
    }
    return boundsOf(positions);
  }, [focus, focusCountries, outlines]);
  const focusKey = focusBox ? focusBox.map((v) => v.toFixed(2)).join(',') : '';
  const [view, setView] = useState<ViewBox>(() => viewAround(focusBox));
  const svgRef = useRef<SVGSVGElement>(null);
  const drag = useRef<{ x: number; y: number; view: ViewBox; moved: boolean } | null>(null);

  useEffect(() => {
    let mounted = true;
    loadCountryOutlines().then(
      (items) => mounted && setOutlines(items),
      () => mounted && setFailed(true),
    );
    return () => {
      mounted = false;
    };
  }, []);

  // biome-ignore lint/correctness/useExhaustiveDependencies: the key stands for the box's values
  useEffect(() => {
    if (focusKey) setView(viewAround(focusBox));
  }, [focusKey]);

  const paths = useMemo(
    () => outlines.map((outline) => ({ ...outline, d: shapePath(outline.geometry) })),
    [outlines],
  );

  const toSvgPoint = (clientX: number, clientY: number): [number, number] | null => {
    const svg = svgRef.current;
    const matrix = svg?.getScreenCTM();
    if (!svg || !matrix) return null;
    const point = new DOMPoint(clientX, clientY).matrixTransform(matrix.inverse());
    return [point.x, point.y];
  };

  const onPointerDown = (event: PointerEvent<SVGSVGElement>) => {
    if (event.button !== 0) return;
    drag.current = { x: event.clientX, y: event.clientY, view, moved: false };
  };
  const onPointerMove = (event: PointerEvent<SVGSVGElement>) => {
    const start = drag.current;
    const svg = svgRef.current;
    if (!start || !svg) return;
    const dx = event.clientX - start.x;
    const dy = event.clientY - start.y;
    if (!start.moved && Math.hypot(dx, dy) < DRAG_THRESHOLD_PX) return;
    if (!start.moved) svg.setPointerCapture(event.pointerId);
    start.moved = true;
    const scale = start.view[2] / svg.getBoundingClientRect().width;
    const [x, y, w, h] = start.view;
    setView(zoomView([x - dx * scale, y - dy * scale, w, h], 1));
  };
  const onPointerUp = (event: PointerEvent<SVGSVGElement>) => {
    const start = drag.current;
    drag.current = null;
    if (!start || start.moved || !onPick) return;
    const point = toSvgPoint(event.clientX, event.clientY);
    if (point) onPick(unproject(point[0], point[1]));
  };
  const onWheel = (event: WheelEvent<SVGSVGElement>) => {
    const point = toSvgPoint(event.clientX, event.clientY) ?? undefined;
    setView((current) => zoomView(current, event.deltaY < 0 ? 1.25 : 0.8, point));
  };

  // Strokes keep their on-screen width whatever the zoom.
  const unit = view[2] / 900;
  const drawn = drawing.map(project);

  return (
    <div className="world-map" dir="ltr">
      <svg
        ref={svgRef}
        role="img"
        aria-label={label}
        viewBox={view.join(' ')}
        preserveAspectRatio="xMidYMid meet"
        className={onPick ? 'world-map__svg world-map__svg--picking' : 'world-map__svg'}
        onPointerDown={onPointerDown}
        onPointerMove={onPointerMove}
        onPointerUp={onPointerUp}
        onPointerCancel={() => {
          drag.current = null;
        }}
        onWheel={onWheel}
      >
        <rect x={-180} y={-90} width={360} height={180} className="world-map__sea" />
        <g className="world-map__countries" strokeWidth={unit}>
          {paths.map((country) => (
            <path
              key={country.code}
              d={country.d}
              fillRule="evenodd"
              fill={countryColours[country.code] ?? undefined}
              style={countryColours[country.code] ? { fill: countryColours[country.code] } : undefined}
              className="world-map__country"
              data-country={country.code}
            >
              <title>
                {countryTitles[country.code]
                  ? `${country.name}: ${countryTitles[country.code]}`
                  : country.name}
              </title>
            </path>
          ))}
        </g>
        <g className="world-map__shapes" strokeWidth={unit * 2}>
          {shapes.map((item) => (
            <path
              key={item.key}
              d={shapePath(item.shape)}
              fillRule="evenodd"
              fill={item.colour}
              stroke={item.colour}
              className="world-map__shape"
            >
              <title>{item.title}</title>
            </path>
          ))}
          {circles.map((circle) => {
            const [cx, cy] = project(circle.center);
            const { rx, ry } = circleRadii(circle.center, circle.radiusMeters);
            return (
              <ellipse
                key={circle.key}
                cx={cx}
                cy={cy}
                rx={rx}
                ry={ry}
                fill={circle.colour}
                stroke={circle.colour}
                className="world-map__shape"
              >
                <title>{circle.title}</title>
              </ellipse>
            );
          })}
        </g>
        {drawn.length > 0 && (
          <g className="world-map__drawing">
            <polyline points={drawn.map((p) => p.join(',')).join(' ')} strokeWidth={unit * 2} fill="none" />
            {drawn.map(([x, y], index) => (
              // biome-ignore lint/suspicious/noArrayIndexKey: points are only ever appended or cleared
              <circle key={index} cx={x} cy={y} r={unit * 4} />
            ))}
          </g>
        )}
      </svg>
      <div className="world-map__controls">
        <button
          type="button"
          className="button button--small"
          onClick={() => setView((v) => zoomView(v, 2))}
          aria-label={t('map.zoomIn')}
        >
          +
        </button>
        <button
          type="button"
          className="button button--small"
          onClick={() => setView((v) => zoomView(v, 0.5))}
          aria-label={t('map.zoomOut')}
        >
          −
        </button>
        <button type="button" className="button button--small" onClick={() => setView(WORLD_VIEW)}>
          {t('map.world')}
        </button>
      </div>
      {failed && <p className="world-map__note">{t('map.unavailable')}</p>}
      {children}
    </div>
  );
}

/**
 * The positions of a country's largest polygon: far islands and overseas parts (French Guiana, Alaska's
 * Aleutians) would otherwise zoom the map out to half the world.
 */
function mainlandPositions(shape: AreaShape): number[][] {
  const polygons = shape.type === 'Polygon' ? [shape.coordinates] : shape.coordinates;
  let best: number[][] = [];
  for (const rings of polygons) {
    const outer = rings[0] ?? [];
    if (outer.length > best.length) best = outer;
  }
  return best;
}

/** The bounding box of some shapes and circles, to focus a map on a target. */
export function boundsOfTarget(
  shapes: readonly AreaShape[],
  circles: readonly { center: number[]; radiusMeters: number }[],
): [number, number, number, number] | null {
  const positions: number[][] = [];
  for (const shape of shapes) {
    const polygons = shape.type === 'Polygon' ? [shape.coordinates] : shape.coordinates;
    for (const rings of polygons) for (const ring of rings) positions.push(...ring);
  }
  for (const circle of circles) {
    const [lon = 0, lat = 0] = circle.center;
    const { rx, ry } = circleRadii([lon, lat], circle.radiusMeters);
    positions.push([lon - rx, lat - ry], [lon + rx, lat + ry]);
  }
  return boundsOf(positions);
}
