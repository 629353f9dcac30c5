import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { circleRadii, polygonFromPoints, shapePath, unproject, viewAround, zoomView } from './geometry.ts';

describe('world map geometry', () => {
  test('a drawn polygon is closed on its first point', () => {
    const polygon = polygonFromPoints([
      [46, 24],
      [47, 24],
      [47, 25],
    ]);
    assert.deepEqual(polygon, {
      type: 'Polygon',
      coordinates: [
        [
          [46, 24],
          [47, 24],
          [47, 25],
          [46, 24],
        ],
      ],
    });
  });

  test('paths put north up and draw every ring, holes included', () => {
    const path = shapePath({
      type: 'Polygon',
      coordinates: [
        [
          [0, 0],
          [10, 0],
          [10, 10],
          [0, 0],
        ],
        [
          [2, 1],
          [3, 1],
          [3, 2],
          [2, 1],
        ],
      ],
    });
    assert.equal(path.split('Z').length - 1, 2);
    assert.match(path, /L10\.000 -10\.000/);
  });

  test('a circle widens east-west away from the equator', () => {
    const equator = circleRadii([0, 0], 111_320);
    const north = circleRadii([0, 60], 111_320);
    assert.ok(Math.abs(equator.rx - 1) < 1e-9);
    assert.ok(Math.abs(north.rx - 2) < 1e-6);
    assert.equal(north.ry, 1);
  });

  test('views keep the 2:1 shape, stay in the world and zoom around a point', () => {
    const view = viewAround([46, 24, 47, 25]);
    assert.equal(view[2], view[3] * 2);
    const zoomed = zoomView([-180, -90, 360, 180], 2, [0, 0]);
    assert.deepEqual(zoomed, [-90, -45, 180, 90]);
    assert.deepEqual(zoomView([-180, -90, 360, 180], 0.5), [-180, -90, 360, 180]);
    assert.deepEqual(unproject(200, -100), [180, 90]);
  });
});

describe('the antimeridian on the map', () => {
  test('a ring crossing it is drawn whole on both sides instead of across the world', () => {
    const fiji = shapePath({
      type: 'Polygon',
      coordinates: [
        [
          [179, -16],
          [-179, -16],
          [-179, -17],
          [179, -17],
          [179, -16],
        ],
      ],
    });
    assert.doesNotMatch(fiji, /M179\.000 16\.000L-179/, 'no step from +179 to -179');
    assert.match(fiji, /L181\.000 16\.000/);
    assert.match(fiji, /M-181\.000 16\.000/);
  });

  test('a ring around a pole is drawn as it is', () => {
    const ring = [
      [-180, -80],
      [0, -70],
      [180, -80],
      [180, -90],
      [-180, -90],
      [-180, -80],
    ];
    const path = shapePath({ type: 'Polygon', coordinates: [ring] });
    assert.equal(path.split('M').length - 1, 1);
    assert.match(path, /L180\.000 90\.000L-180\.000 90\.000/);
  });
});
