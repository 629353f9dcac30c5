import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { cellToBoundary, cellToChildren, cellToParent, getPentagons, latLngToCell } from 'h3-js';
import { type CellRange, cellOf, isInRanges } from './cell-range.ts';
import { type CoverOptions, cellReach, coverTarget, DEFAULT_MAX_RANGES } from './covering.ts';
import { GeoError } from './geo-error.ts';
import { type PreparedTarget, prepareTarget } from './prepared-target.ts';
import {
  antimeridianPolygon,
  arcticWedge,
  combPolygon,
  countryPolygon,
  fijiBox,
  fijiBoxSplit,
  gaussian,
  irregularPolygon,
  multiPolygon,
  pointsAround,
  pointsAroundCircle,
  polygonWithHole,
  ringsOf,
  seededRandom,
} from './shape-fixtures.ts';
import { angularDistance } from './sphere.ts';
import type { Target } from './target.ts';

type Point = [number, number];

function assertWellFormed(ranges: readonly CellRange[]): void {
  for (let i = 0; i < ranges.length; i++) {
    const range = ranges[i]!;
    assert.match(range.lo, /^89[0-9a-f]{13}$/);
    assert.match(range.hi, /^89[0-9a-f]{13}$/);
    assert.ok(range.lo <= range.hi);
    if (i > 0) assert.ok(ranges[i - 1]!.hi < range.lo, 'ranges are sorted and disjoint');
  }
}

/**
 * Selects the points the way the repository does (cell in an inside range, or in a boundary range and
 * passing the exact test) and checks the result equals the exact test on every point.
 */
function assertCoveringSelectsExactly(
  target: PreparedTarget,
  points: readonly Point[],
  options?: CoverOptions,
): { insideShare: number; ranges: number } {
  const covering = coverTarget(target, options);
  assertWellFormed(covering.inside);
  assertWellFormed(covering.boundary);
  const mismatches: Point[] = [];
  let contained = 0;
  let takenWhole = 0;
  for (const point of points) {
    const cell = cellOf(point[1], point[0]);
    const whole = isInRanges(cell, covering.inside);
    const boundary = isInRanges(cell, covering.boundary);
    assert.ok(!(whole && boundary), 'a cell is in both inside and boundary ranges');
    const exact = target.contains(point[0], point[1]);
    if (exact) contained++;
    if (whole) takenWhole++;
    if ((whole || (boundary && exact)) !== exact) mismatches.push(point);
  }
  assert.deepEqual(mismatches.slice(0, 5), [], `${mismatches.length} points selected wrongly`);
  assert.ok(contained > 0 && contained < points.length, 'points fall on both sides');
  const ranges = covering.inside.length + covering.boundary.length;
  return { insideShare: takenWhole / contained, ranges };
}

describe('cellReach', () => {
  test('holds every point whose resolution-9 cell descends from the cell, at every resolution', () => {
    const random = seededRandom(31);
    const points: Point[] = [];
    for (let i = 0; i < 1500; i++)
      points.push([360 * random() - 180, Math.asin(2 * random() - 1) * (180 / Math.PI)]);
    for (const pentagon of getPentagons(0)) {
      const [lat, lon] = cellToBoundary(pentagon)[0]!;
      for (let i = 0; i < 40; i++)
        points.push([lon + gaussian(random) * 3, Math.max(-90, Math.min(90, lat + gaussian(random) * 3))]);
    }
    for (let i = 0; i < 200; i++) points.push([360 * random() - 180, 89 + random()]);
    for (const [lon, lat] of points) {
      const cell = cellOf(lat, lon);
      for (let res = 0; res <= 9; res++) {
        const reach = cellReach(cellToParent(cell, res));
        const d = angularDistance(reach.lat, reach.lon, lat, lon);
        assert.ok(d <= reach.radius, `resolution ${res}: ${d} > ${reach.radius}`);
      }
    }
  });

  test('holds the outline of every resolution-9 descendant of hexagons and pentagons', () => {
    const cells = [
      getPentagons(5)[2]!,
      getPentagons(6)[7]!,
      latLngToCell(0.5, 20.1, 5),
      latLngToCell(-45, -75, 6),
    ];
    for (const cell of cells) {
      const reach = cellReach(cell);
      for (const child of cellToChildren(cell, 9)) {
        for (const [lat, lon] of cellToBoundary(child)) {
          assert.ok(
            angularDistance(reach.lat, reach.lon, lat, lon) <= reach.radius,
            `${child} reaches out of ${cell}`,
          );
        }
      }
    }
  });
});

describe('coverTarget selects exactly the points of the exact test', () => {
  const random = seededRandom(2026);

  test('an irregular polygon about 250 km across', () => {
    const shape = irregularPolygon(random);
    const target = prepareTarget([shape]);
    const points = pointsAround(random, ringsOf(shape), 20_000);
    const fine = assertCoveringSelectsExactly(target, points);
    assert.ok(fine.ranges <= DEFAULT_MAX_RANGES);
    const coarse = assertCoveringSelectsExactly(target, points, { maxResolution: 5 });
    assert.ok(coarse.ranges < fine.ranges);
    // Spread evenly, most people inside are taken whole, without the exact test.
    const even = Array.from({ length: 5000 }, (): Point => [13 + 3 * random(), 30 + 2.4 * random()]);
    const spread = assertCoveringSelectsExactly(target, even);
    assert.ok(spread.insideShare > 0.8, `only ${spread.insideShare} taken whole`);
  });

  test('a polygon with a hole', () => {
    const shape = polygonWithHole(random);
    assertCoveringSelectsExactly(prepareTarget([shape]), pointsAround(random, ringsOf(shape), 12_000), {
      maxRanges: 1_000_000,
    });
  });

  test('a multipolygon of three islands, one with a hole', () => {
    const shape = multiPolygon(random);
    assertCoveringSelectsExactly(prepareTarget([shape]), pointsAround(random, ringsOf(shape), 15_000));
  });

  test('a concave comb with narrow gaps', () => {
    assertCoveringSelectsExactly(
      prepareTarget([combPolygon]),
      pointsAround(random, ringsOf(combPolygon), 10_000),
      {
        maxRanges: 1_000_000,
      },
    );
  });

  test('a 20 km circle, down to resolution 9', () => {
    const center: Point = [13.19, 32.89];
    const target = prepareTarget([{ type: 'Circle', center, radiusMeters: 20_000 }]);
    assertCoveringSelectsExactly(target, pointsAroundCircle(random, center, 20, 15_000));
    assert.equal(coverTarget(target).resolution, 9);
    const even = Array.from({ length: 3000 }, (): Point => [13 + 0.5 * random(), 32.6 + 0.6 * random()]);
    const spread = assertCoveringSelectsExactly(target, even);
    assert.ok(spread.insideShare > 0.9, `only ${spread.insideShare} taken whole`);
  });

  test('circles across the antimeridian, over a pole and 1500 km wide', () => {
    for (const [center, km] of [
      [[179.95, -16.5], 30],
      [[0, 89.8], 50],
      [[30, -5], 1500],
    ] as Array<[Point, number]>) {
      const target = prepareTarget([{ type: 'Circle', center, radiusMeters: km * 1000 }]);
      assertCoveringSelectsExactly(target, pointsAroundCircle(random, center, km, 6000));
    }
  });

  test('polygons across the antimeridian, written with jumps or split in two', () => {
    const shape = antimeridianPolygon(random);
    assertCoveringSelectsExactly(prepareTarget([shape]), pointsAround(random, ringsOf(shape), 10_000));
    for (const box of [fijiBox, fijiBoxSplit]) {
      const points = pointsAround(
        random,
        [
          [
            [170, -20],
            [190, -20],
            [190, -15],
            [170, -15],
            [170, -20],
          ],
        ],
        6000,
      );
      assertCoveringSelectsExactly(prepareTarget([box]), points);
    }
  });

  test('a wedge reaching within 0.1° of the North Pole', () => {
    const points = pointsAround(random, ringsOf(arcticWedge), 8000).map(
      ([lon, lat]): Point => [lon, Math.min(lat, 90)],
    );
    for (let i = 0; i < 1000; i++) points.push([360 * random() - 180, 89.5 + random() * 0.5]);
    assertCoveringSelectsExactly(prepareTarget([arcticWedge]), points);
  });

  test('a country-sized polygon with a 3000-vertex outline', () => {
    const shape = countryPolygon(random);
    const result = assertCoveringSelectsExactly(
      prepareTarget([shape]),
      pointsAround(random, ringsOf(shape), 20_000),
    );
    assert.ok(result.ranges <= DEFAULT_MAX_RANGES);
  });

  test('a union of overlapping shapes, under a tight range budget', () => {
    const shape = polygonWithHole(random);
    const target = prepareTarget([shape, { type: 'Circle', center: [35.6, 33.9], radiusMeters: 15_000 }]);
    const points = pointsAround(random, ringsOf(shape), 10_000);
    const result = assertCoveringSelectsExactly(target, points, { maxRanges: 60 });
    assert.ok(result.ranges <= 60);
  });
});

describe('coverTarget cells', () => {
  test('inside cells lie wholly inside and uncovered cells wholly outside a 20 km circle', () => {
    const target: Target = [{ type: 'Circle', center: [-0.13, 51.5], radiusMeters: 20_000 }];
    const prepared = prepareTarget(target);
    const covering = coverTarget(prepared, { maxRanges: 1_000_000 });
    let inside = 0;
    let outside = 0;
    for (const parent of [
      latLngToCell(51.5, -0.13, 4),
      latLngToCell(51.6, -0.4, 4),
      latLngToCell(51.4, 0.2, 4),
    ]) {
      for (const cell of cellToChildren(parent, 9)) {
        const corners = cellToBoundary(cell).map(([lat, lon]) => prepared.contains(lon, lat));
        if (isInRanges(cell, covering.inside)) {
          assert.ok(corners.every(Boolean), `${cell} is taken whole but not inside`);
          inside++;
        } else if (!isInRanges(cell, covering.boundary)) {
          assert.ok(!corners.some(Boolean), `${cell} is left out but not outside`);
          outside++;
        }
      }
    }
    assert.ok(inside > 1000 && outside > 1000);
  });

  test('refuses an invalid target with its code', () => {
    assert.throws(
      () => coverTarget([]),
      (error: unknown) => error instanceof GeoError && error.code === 'geo.empty_target',
    );
  });
});
