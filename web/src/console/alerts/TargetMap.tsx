import { useI18n } from '../../i18n/I18nProvider.tsx';
import type { AreaShape, LonLat } from '../../shared/map/geometry.ts';
import { polygonFromPoints } from '../../shared/map/geometry.ts';
import { boundsOfTarget, type MapCircle, type MapShape, WorldMap } from '../../shared/map/WorldMap.tsx';

const TARGET_COLOUR = '#c2410c';
const TARGET_COUNTRY_COLOUR = '#f4b183';

type Props = {
  countries: readonly string[];
  areas: readonly { id: string; name: string; geometry: AreaShape }[];
  polygons: readonly AreaShape[];
  circles: readonly { center: number[]; radiusMeters: number }[];
  drawing?: readonly LonLat[];
  onPick?: (position: LonLat) => void;
  /** Follow the target with the view (read-only maps); a map being drawn on stays where the officer put it. */
  follow?: boolean;
};

/** A target on the world map: whole countries shaded, areas, polygons and circles outlined over them. */
export function TargetMap({ countries, areas, polygons, circles, drawing, onPick, follow = true }: Props) {
  const { t } = useI18n();
  const countryColours = Object.fromEntries(countries.map((code) => [code, TARGET_COUNTRY_COLOUR]));
  const shapes: MapShape[] = [
    ...areas.map((a) => ({ key: `area:${a.id}`, shape: a.geometry, colour: TARGET_COLOUR, title: a.name })),
    ...polygons.map((shape, index) => ({
      key: `polygon:${index}`,
      shape,
      colour: TARGET_COLOUR,
      title: t('alerts.target.polygonN', { n: index + 1 }),
    })),
  ];
  if (drawing && drawing.length >= 3) {
    shapes.push({ key: 'drawing', shape: polygonFromPoints(drawing), colour: '#0a58a8', title: '' });
  }
  const mapCircles: MapCircle[] = circles.map((c, index) => ({
    key: `circle:${index}`,
    center: [c.center[0] ?? 0, c.center[1] ?? 0],
    radiusMeters: c.radiusMeters,
    colour: TARGET_COLOUR,
    title: t('alerts.target.circleN', { n: index + 1 }),
  }));
  const focus = follow ? boundsOfTarget([...areas.map((a) => a.geometry), ...polygons], circles) : null;
  return (
    <WorldMap
      label={t('alerts.target.mapLabel')}
      countryColours={countryColours}
      shapes={shapes}
      circles={mapCircles}
      drawing={drawing ?? []}
      onPick={onPick}
      focus={focus}
      focusCountries={follow ? countries : undefined}
    />
  );
}
