import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { findCrossing, type UnwrappedRing, unwrapRing } from './polygon-rings.ts';
import { seededRandom } from './shape-fixtures.ts';

type Point = [number, number];

const cross = (a: Point, b: Point, c: Point) => (b[0] - a[0]) * (c[1] - a[1]) - (b[1] - a[1]) * (c[0] - a[0]);
const between = (a: number, b: number, c: number) => Math.min(a, b) <= c && c <= Math.max(a, b);
const onSegment = (a: Point, b: Point, c: Point) =>
  cross(a, b, c) === 0 && between(a[0], b[0], c[0]) && between(a[1], b[1], c[1]);

/** Closed segments share a point (exact on small integers). */
function meet(a: Point, b: Point, c: Point, d: Point): boolean {
  const d1 = Math.sign(cross(a, b, c));
  const d2 = Math.sign(cross(a, b, d));
  const d3 = Math.sign(cross(c, d, a));
  const d4 = Math.sign(cross(c, d, b));
  if (d1 * d2 < 0 && d3 * d4 < 0) return true;
  return onSegment(a, b, c) || onSegment(a, b, d) || onSegment(c, d, a) || onSegment(c, d, b);
}

/** Two consecutive edges a-b, b-c share more than b: they fold back along one line. */
const foldsBack = (a: Point, b: Point, c: Point) =>
  cross(a, b, c) === 0 && (a[0] - b[0]) * (c[0] - b[0]) + (a[1] - b[1]) * (c[1] - b[1]) > 0;

function bruteForceCrossing(rings: Point[][]): boolean {
  const edges: Array<{ ring: number; i: number; n: number; a: Point; b: Point }> = [];
  rings.forEach((ring, r) => {
    ring.forEach((a, i) => {
      edges.push({ ring: r, i, n: ring.length, a, b: ring[(i + 1) % ring.length]! });
    });
  });
  for (let p = 0; p < edges.length; p++) {
    for (let q = p + 1; q < edges.length; q++) {
      const e = edges[p]!;
      const f = edges[q]!;
      if (e.ring === f.ring && (f.i === e.i + 1 || (e.i === 0 && f.i === e.n - 1))) {
        const [first, second] = f.i === e.i + 1 ? [e, f] : [f, e];
        if (foldsBack(first.a, first.b, second.b)) return true;
        continue;
      }
      if (meet(e.a, e.b, f.a, f.b)) return true;
    }
  }
  return false;
}

const toRing = (points: Point[]): UnwrappedRing => ({
  xs: Float64Array.from(points, (p) => p[0]),
  ys: Float64Array.from(points, (p) => p[1]),
});

function randomRing(random: () => number, size: number, offset: number): Point[] {
  const ring: Point[] = [];
  while (ring.length < size) {
    const p: Point = [offset + Math.floor(random() * 6), Math.floor(random() * 6)];
    const last = ring[ring.length - 1];
    if (!last || last[0] !== p[0] || last[1] !== p[1]) ring.push(p);
  }
  if (ring[0]![0] === ring[size - 1]![0] && ring[0]![1] === ring[size - 1]![1]) ring.pop();
  return ring.length >= 3 ? ring : randomRing(random, size, offset);
}

describe('findCrossing', () => {
  test('agrees with a brute-force check on small rings full of touching and collinear edges', () => {
    const random = seededRandom(21);
    let simple = 0;
    for (let trial = 0; trial < 4000; trial++) {
      const rings = [randomRing(random, 3 + Math.floor(random() * 6), 0)];
      if (trial % 3 === 0)
        rings.push(randomRing(random, 3 + Math.floor(random() * 3), Math.floor(random() * 4)));
      const expected = bruteForceCrossing(rings);
      assert.equal(findCrossing(rings.map(toRing)) >= 0, expected, JSON.stringify(rings));
      if (!expected) simple++;
    }
    assert.ok(simple > 200, 'the trials include simple rings too');
  });
});

describe('unwrapRing', () => {
  test('continues longitudes across the antimeridian whichever way the ring is written', () => {
    const jump = unwrapRing(
      [
        [179, 0],
        [-179, 0],
        [-179, 1],
        [179, 1],
        [179, 0],
      ],
      'ring',
    );
    assert.deepEqual(Array.from(jump.xs), [179, 181, 181, 179]);
    const beyond = unwrapRing(
      [
        [179, 0],
        [181, 0],
        [181, 1],
        [179, 1],
        [179, 0],
      ],
      'ring',
    );
    assert.deepEqual(Array.from(beyond.xs), [179, 181, 181, 179]);
  });

  test('drops the closing position and repeated positions', () => {
    const ring = unwrapRing(
      [
        [0, 0],
        [0, 0],
        [1, 0],
        [1, 1],
        [1, 1],
        [0, 0],
      ],
      'ring',
    );
    assert.deepEqual(Array.from(ring.xs), [0, 1, 1]);
    assert.deepEqual(Array.from(ring.ys), [0, 0, 1]);
  });
});
