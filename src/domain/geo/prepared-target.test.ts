import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { GeoError, type GeoErrorCode } from './geo-error.ts';
import { prepareTarget, shapeContains, targetContains, validateTarget } from './prepared-target.ts';
import { scanContains } from './scan-contains.ts';
import {
  arcticWedge,
  destinationPoint,
  fijiBox,
  fijiBoxSplit,
  fijiBoxUnwrapped,
  irregularPolygon,
  pointsAround,
  polygonWithHole,
  reversed,
  ringsOf,
  seededRandom,
  starRing,
} from './shape-fixtures.ts';
import type { PolygonShape, Position, Target } from './target.ts';

const box = (w: number, s: number, e: number, n: number): Position[] => [
  [w, s],
  [e, s],
  [e, n],
  [w, n],
  [w, s],
];
const polygon = (...rings: Position[][]): PolygonShape => ({ type: 'Polygon', coordinates: rings });

function assertGeoError(target: unknown, code: GeoErrorCode, field?: string): GeoError {
  let caught: unknown;
  try {
    validateTarget(target);
  } catch (error) {
    caught = error;
  }
  assert.ok(caught instanceof GeoError, `expected GeoError ${code}`);
  assert.equal(caught.code, code);
  if (field !== undefined) assert.equal(caught.field, field);
  return caught;
}

describe('target validation', () => {
  test('accepts valid shapes and returns the input', () => {
    const random = seededRandom(1);
    const target: Target = [
      polygonWithHole(random),
      { type: 'MultiPolygon', coordinates: [[box(0, 0, 1, 1)], [box(2, 0, 3, 1)]] },
      { type: 'Circle', center: [13.19, 32.89], radiusMeters: 20_000 },
      fijiBox,
      fijiBoxUnwrapped,
      arcticWedge,
    ];
    assert.equal(validateTarget(target), target);
  });

  test('geo.ring_not_closed', () => {
    assertGeoError([polygon(box(0, 0, 1, 1).slice(0, 4))], 'geo.ring_not_closed', 'target[0].coordinates[0]');
  });

  test('geo.ring_too_short', () => {
    assertGeoError(
      [
        polygon([
          [0, 0],
          [1, 1],
          [0, 0],
        ]),
      ],
      'geo.ring_too_short',
    );
    // Four positions but only two distinct ones once repeats are dropped.
    assertGeoError(
      [
        polygon([
          [0, 0],
          [1, 1],
          [1, 1],
          [0, 0],
        ]),
      ],
      'geo.ring_too_short',
    );
    assertGeoError([polygon([])], 'geo.ring_too_short');
  });

  test('geo.self_intersection: bow tie, spike, collinear ring, touching rings and a crossing hole', () => {
    const bowTie = [
      [0, 0],
      [1, 1],
      [1, 0],
      [0, 1],
      [0, 0],
    ];
    assertGeoError([polygon(bowTie)], 'geo.self_intersection', 'target[0].coordinates[0]');
    const spike = [
      [0, 0],
      [2, 0],
      [2, 2],
      [2, 1],
      [0, 2],
      [0, 0],
    ];
    assertGeoError([polygon(spike)], 'geo.self_intersection');
    const flat = [
      [0, 0],
      [1, 0],
      [2, 0],
      [0, 0],
    ];
    assertGeoError([polygon(flat)], 'geo.self_intersection');
    const touching = [
      [0, 0],
      [4, 0],
      [4, 4],
      [2, 0],
      [0, 4],
      [0, 0],
    ];
    assertGeoError([polygon(touching)], 'geo.self_intersection');
    assertGeoError(
      [polygon(box(0, 0, 4, 4), box(3, 1, 5, 2))],
      'geo.self_intersection',
      'target[0].coordinates[0]',
    );
    assertGeoError([polygon(box(0, 0, 4, 4), box(1, 1, 2, 2), box(1.5, 1.5, 3, 3))], 'geo.self_intersection');
  });

  test('geo.self_intersection in a polygon of thousands of vertices', () => {
    const ring = starRing(seededRandom(5), [10, 10], 300, 5000, 0.3);
    assert.doesNotThrow(() => validateTarget([polygon(ring)]));
    // Swapping two vertices a quarter of the ring apart makes edges cross.
    const broken = ring.map((p) => [...p]);
    [broken[1000], broken[2250]] = [broken[2250]!, broken[1000]!];
    assertGeoError([polygon(broken)], 'geo.self_intersection');
    // A vertex pulled across the centre and far beyond makes two long edges cut the far side.
    const pulled = ring.map((p) => [...p]);
    pulled[10] = [10 - 3 * (pulled[10]![0]! - 10), 10 - 3 * (pulled[10]![1]! - 10)];
    assertGeoError([polygon(pulled)], 'geo.self_intersection');
  });

  test('geo.self_intersection for a ring that wraps around the globe', () => {
    const band = [
      [-170, 0],
      [-50, 0],
      [70, 0],
      [190, 0],
      [190, 1],
      [70, 1],
      [-50, 1],
      [-170, 1],
      [-170, 0],
    ];
    assertGeoError([polygon(band)], 'geo.self_intersection');
  });

  test('geo.coordinate_out_of_range', () => {
    assertGeoError([polygon(box(0, 0, 1, 91))], 'geo.coordinate_out_of_range', 'target[0].coordinates[0][2]');
    assertGeoError([polygon(box(400, 0, 401, 1))], 'geo.coordinate_out_of_range');
    assertGeoError([polygon(box(0, 0, 1, Number.NaN))], 'geo.coordinate_out_of_range');
    assertGeoError([{ type: 'Circle', center: [190, 0], radiusMeters: 10 }], 'geo.coordinate_out_of_range');
    assertGeoError([{ type: 'Circle', center: [0, -90.5], radiusMeters: 10 }], 'geo.coordinate_out_of_range');
  });

  test('geo.radius_invalid', () => {
    for (const radiusMeters of [0, -5, Number.NaN, Number.POSITIVE_INFINITY, 20_000_000, '100']) {
      assertGeoError(
        [{ type: 'Circle', center: [0, 0], radiusMeters }],
        'geo.radius_invalid',
        'target[0].radiusMeters',
      );
    }
  });

  test('geo.empty_target', () => {
    assertGeoError([], 'geo.empty_target', 'target');
    assertGeoError([{ type: 'MultiPolygon', coordinates: [] }], 'geo.empty_target');
    assertGeoError([{ type: 'Polygon', coordinates: [] }], 'geo.empty_target');
  });

  test('geo.unsupported_geometry', () => {
    assertGeoError([{ type: 'Point', coordinates: [0, 0] }], 'geo.unsupported_geometry', 'target[0]');
    assertGeoError([{ type: 'LineString', coordinates: [[0, 0]] }], 'geo.unsupported_geometry');
    assertGeoError({ type: 'Polygon', coordinates: [box(0, 0, 1, 1)] }, 'geo.unsupported_geometry', 'target');
    assertGeoError([null], 'geo.unsupported_geometry');
    assertGeoError(
      [
        {
          type: 'Polygon',
          coordinates: [
            [
              ['0', 0],
              [1, 0],
              [1, 1],
              ['0', 0],
            ],
          ],
        },
      ],
      'geo.unsupported_geometry',
    );
    assertGeoError(
      [{ type: 'Polygon', coordinates: [[[0], [1, 0], [1, 1], [0]]] }],
      'geo.unsupported_geometry',
    );
    assertGeoError([{ type: 'Circle', radiusMeters: 10 }], 'geo.unsupported_geometry', 'target[0].center');
    // An edge from 0° to 180° could go either way round.
    assertGeoError([polygon(box(0, 0, 180, 10))], 'geo.unsupported_geometry', 'target[0].coordinates[0][1]');
  });

  test('geo.pole_enclosed', () => {
    const aroundPole = [
      [0, 80],
      [120, 80],
      [-120, 80],
      [0, 80],
    ];
    assertGeoError([polygon(aroundPole)], 'geo.pole_enclosed', 'target[0].coordinates[0]');
  });

  test('geo.hole_outside_shell', () => {
    assertGeoError(
      [polygon(box(0, 0, 4, 4), box(5, 5, 6, 6))],
      'geo.hole_outside_shell',
      'target[0].coordinates[1]',
    );
    assertGeoError(
      [polygon(box(0, 0, 4, 4), box(1, 1, 3, 3), box(1.5, 1.5, 2, 2))],
      'geo.hole_outside_shell',
    );
  });

  test('messages carry no coordinates', () => {
    const odd = 12.3456789;
    const targets: unknown[] = [
      [polygon(box(odd, odd, 13, 91.5))],
      [polygon(box(odd, 0, 13, 1).slice(0, 4))],
      [{ type: 'Circle', center: [odd, odd], radiusMeters: -odd }],
      [polygon(box(odd, 0, odd + 2, 2), box(odd + 5, 5, odd + 6, 6))],
    ];
    for (const target of targets) {
      try {
        validateTarget(target);
        assert.fail('expected a GeoError');
      } catch (error) {
        assert.ok(error instanceof GeoError);
        assert.ok(!error.message.includes('12.3'), error.message);
      }
    }
  });
});

describe('containment', () => {
  const withHole = prepareTarget([polygon(box(0, 0, 4, 4), box(1, 1, 2, 2))]);

  test('holes exclude their inside; the boundary of the shell and of holes counts as inside', () => {
    assert.equal(withHole.contains(3, 3), true);
    assert.equal(withHole.contains(1.5, 1.5), false);
    assert.equal(withHole.contains(5, 1), false);
    assert.equal(withHole.contains(-0.0001, 2), false);
    for (const [lon, lat] of [
      [0, 2],
      [4, 4],
      [2, 0],
      [1, 1.5],
      [1.5, 2],
      [2, 2],
      [4, 3.25],
    ] as const) {
      assert.equal(withHole.contains(lon, lat), true, `${lon},${lat}`);
    }
  });

  test('ring direction does not matter', () => {
    const random = seededRandom(8);
    const shape = polygonWithHole(random);
    const [outer, hole] = shape.coordinates as Position[][];
    const flipped = prepareTarget([polygon(reversed(outer!), reversed(hole!))]);
    const original = prepareTarget([shape]);
    let inside = 0;
    for (const [lon, lat] of pointsAround(random, ringsOf(shape), 5000)) {
      assert.equal(flipped.contains(lon, lat), original.contains(lon, lat));
      if (original.contains(lon, lat)) inside++;
    }
    assert.ok(inside > 1000 && inside < 4000);
  });

  test('a box from 170°E to 170°W holds points on both sides of the antimeridian and nothing else', () => {
    for (const shape of [fijiBox, fijiBoxUnwrapped, fijiBoxSplit]) {
      const fiji = prepareTarget([shape]);
      for (const lon of [170, 175, 179.999, 180, -180, -179.5, -170])
        assert.equal(fiji.contains(lon, -17), true);
      assert.equal(fiji.contains(190, -17), true, 'longitudes past 180 are read modulo 360');
      for (const lon of [169.9, 0, -169.9, 10, -10, 90, -90]) assert.equal(fiji.contains(lon, -17), false);
      assert.equal(fiji.contains(175, -14.9), false);
      assert.equal(fiji.contains(175, -20), true);
    }
    const random = seededRandom(9);
    const forms = [fijiBox, fijiBoxUnwrapped, fijiBoxSplit].map((shape) => prepareTarget([shape]));
    for (let i = 0; i < 5000; i++) {
      const lon = 160 + random() * 40 - (random() < 0.5 ? 360 : 0);
      const lat = -22 + random() * 9;
      const answers = forms.map((f) => f.contains(lon, lat));
      assert.deepEqual(answers, [answers[0], answers[0], answers[0]]);
    }
  });

  test('a circle holds exactly the points within its radius, across the antimeridian and over a pole', () => {
    const cases: Array<[number, number, number]> = [
      [13.19, 32.89, 20],
      [179.95, -16.5, 30],
      [0, 89.8, 50],
    ];
    const random = seededRandom(10);
    for (const [lon, lat, km] of cases) {
      const circle = prepareTarget([{ type: 'Circle', center: [lon, lat], radiusMeters: km * 1000 }]);
      for (let i = 0; i < 200; i++) {
        const bearing = random() * 2 * Math.PI;
        assert.equal(circle.contains(...destinationPoint(lon, lat, km - 0.002, bearing)), true);
        assert.equal(circle.contains(...destinationPoint(lon, lat, km + 0.002, bearing)), false);
      }
    }
    const polar = prepareTarget([{ type: 'Circle', center: [0, 89.8], radiusMeters: 50_000 }]);
    assert.equal(polar.contains(180, 89.9), true);
    assert.equal(polar.contains(-135, 90), true);
  });

  test('a polygon near the pole keeps its straight longitude/latitude edges', () => {
    const wedge = prepareTarget([arcticWedge]);
    assert.equal(wedge.contains(45, 85), true);
    assert.equal(wedge.contains(89.99, 89.89), true);
    assert.equal(wedge.contains(45, 89.95), false);
    assert.equal(wedge.contains(100, 85), false);
    assert.equal(wedge.contains(-45, 85), false);
  });

  test('targetContains and shapeContains agree with the prepared target', () => {
    const random = seededRandom(12);
    const shape = irregularPolygon(random);
    const prepared = prepareTarget([shape]);
    for (const [lon, lat] of pointsAround(random, ringsOf(shape), 2000).filter((_, i) => i % 25 === 0)) {
      const expected = prepared.contains(lon, lat);
      assert.equal(targetContains([shape], lon, lat), expected);
      assert.equal(targetContains(prepared, lon, lat), expected);
      assert.equal(shapeContains(shape, lon, lat), expected);
    }
  });
});

describe('scanContains', () => {
  test('returns, in order, exactly the points the target contains', () => {
    const random = seededRandom(13);
    const shape = polygonWithHole(random);
    const target: Target = [shape, { type: 'Circle', center: [35.9, 34.2], radiusMeters: 25_000 }, fijiBox];
    const prepared = prepareTarget(target);
    const points = [
      ...pointsAround(random, ringsOf(shape), 20_000),
      ...pointsAround(random, ringsOf(fijiBoxUnwrapped), 5000),
      [190, -17] as [number, number],
      [-540, -17] as [number, number],
    ];
    const lons = Float64Array.from(points, (p) => p[0]);
    const lats = Float64Array.from(points, (p) => p[1]);
    const expected: number[] = [];
    points.forEach(([lon, lat], i) => {
      if (prepared.contains(lon, lat)) expected.push(i);
    });
    assert.ok(expected.length > 5000);
    assert.deepEqual(Array.from(scanContains(lons, lats, target)), expected);
  });

  test('refuses columns of different lengths', () => {
    assert.throws(() => scanContains(new Float64Array(2), new Float64Array(3), [fijiBox]), RangeError);
  });
});
