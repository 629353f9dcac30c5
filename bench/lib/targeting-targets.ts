import { reversed, seededRandom, starRing } from '../../src/domain/geo/shape-fixtures.ts';
import type { Target } from '../../src/domain/geo/target.ts';
import { countryBoundary } from '../../src/domain/reference/boundaries.ts';
import type { TargetSpec } from '../../src/modules/targeting/selection-plan.ts';
import { ANCHOR_CITIES } from './targeting-population.ts';

/** One benchmark target: the spec the engine runs, and what the in-memory ceiling scans for. */
export type BenchTarget = {
  readonly name: string;
  readonly spec: TargetSpec;
  /** Shapes for the typed-array scan, or a country code for the country rule. */
  readonly scan: { shapes: Target } | { country: string };
};

const [riyadh, jeddah] = ANCHOR_CITIES.SA!;
const [dubai] = ANCHOR_CITIES.AE!;

/** Real-shaped targets over the densest parts of the synthetic population. */
export function benchTargets(): BenchTarget[] {
  const random = seededRandom(7);
  const saudiArabia = countryBoundary('SA', '50m');
  if (!saudiArabia) throw new Error('no boundary for SA');
  const country: Target = [saudiArabia.geometry as Target[number]];
  const irregular: Target = [{ type: 'Polygon', coordinates: [starRing(random, riyadh!, 125, 400, 0.35)] }];
  const circle: Target = [{ type: 'Circle', center: dubai!, radiusMeters: 20_000 }];
  const withHole: Target = [
    {
      type: 'Polygon',
      coordinates: [
        starRing(random, jeddah!, 60, 150, 0.15),
        reversed(starRing(random, jeddah!, 20, 60, 0.3)),
      ],
    },
  ];
  return [
    { name: 'Saudi Arabia, boundary 1:50m', spec: { shapes: country }, scan: { shapes: country } },
    { name: 'Saudi Arabia, country code', spec: { countries: ['SA'] }, scan: { country: 'SA' } },
    { name: 'irregular polygon ~250 km', spec: { shapes: irregular }, scan: { shapes: irregular } },
    { name: 'circle 20 km', spec: { shapes: circle }, scan: { shapes: circle } },
    { name: 'polygon ~120 km, 40 km hole', spec: { shapes: withHole }, scan: { shapes: withHole } },
  ];
}
