import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  boundsOf,
  countBy,
  fitProjection,
  isoToLocalInput,
  localInputToIso,
  markerRadius,
  ringsToPath,
  share,
} from './board-model.ts';

describe('evacuation board model', () => {
  test('the projection puts north up, west left, inside the margins', () => {
    const bounds = boundsOf([
      [40, 20],
      [50, 30],
    ]);
    assert.ok(bounds);
    const p = fitProjection(bounds, 1000, 0.05);
    const nw = p.project(40, 30);
    const se = p.project(50, 20);
    assert.deepEqual(nw, { x: 50, y: 50 });
    assert.ok(Math.abs(se.x - 950) < 1e-9);
    assert.ok(se.y > nw.y, 'south is lower down');
    assert.ok(Math.abs(p.height - (se.y + 50)) < 1e-9, 'the height holds the box and its margin');
    // Near latitude 25°, a degree of longitude is shorter than one of latitude.
    assert.ok(se.x - nw.x < (se.y - nw.y) * 1.0);
  });

  test('no positions give no bounds', () => {
    assert.equal(boundsOf([]), null);
  });

  test('rings become closed SVG paths', () => {
    const p = fitProjection({ minLon: 0, maxLon: 10, minLat: -5, maxLat: 5 }, 100, 0);
    assert.equal(
      ringsToPath(
        [
          [
            [0, -5],
            [10, 5],
          ],
        ],
        p,
      ),
      'M0.0 100.0L100.0 0.0Z',
    );
  });

  test('marker area grows with capacity and stays within its limits', () => {
    assert.equal(markerRadius(0, 100), 4);
    assert.equal(markerRadius(100, 100), 16);
    assert.equal(markerRadius(500, 100), 16);
    assert.equal(markerRadius(25, 100), 10);
  });

  test('shares are clamped and safe for empty legs', () => {
    assert.equal(share(5, 10), 0.5);
    assert.equal(share(15, 10), 1);
    assert.equal(share(3, 0), 0);
  });

  test('counts are sorted by frequency', () => {
    assert.deepEqual(
      countBy(['b', 'a', 'b', 'c', 'a', 'b'], (x) => x),
      [
        ['b', 3],
        ['a', 2],
        ['c', 1],
      ],
    );
  });

  test('datetime-local values round-trip through UTC', () => {
    const time = new Date(2031, 4, 6, 7, 8);
    const local = isoToLocalInput(time);
    assert.equal(local, '2031-05-06T07:08');
    assert.equal(localInputToIso(local), time.toISOString());
    assert.equal(localInputToIso(''), null);
    assert.equal(localInputToIso('not a time'), null);
  });
});
