import assert from 'node:assert/strict';
import { test } from 'node:test';
import { AssemblyPointGrid } from './assembly-point-grid.ts';
import { distanceKm } from './great-circle.ts';

function near(grid: AssemblyPointGrid, lat: number, lon: number, km: number) {
  const found: number[] = [];
  grid.forEachNear(lat, lon, km, (point) => found.push(point));
  return found;
}

test('finds every point within the radius, across the antimeridian and near the poles', () => {
  // A fixed spread of points, denser around the places the queries look at.
  const places: [number, number][] = [];
  for (let index = 0; index < 400; index++) {
    const centre = [
      [0, 179.9],
      [0, -179.9],
      [71, 25],
      [-89.5, 0],
      [33.9, 35.5],
    ][index % 5]!;
    places.push([
      Math.max(-90, Math.min(90, centre[0]! + Math.sin(index * 12.9898) * 1.5)),
      ((centre[1]! + Math.cos(index * 78.233) * 1.5 + 540) % 360) - 180,
    ]);
  }
  const lats = Float64Array.from(places.map((p) => p[0]));
  const lons = Float64Array.from(places.map((p) => p[1]));
  const radiusKm = 50;
  const grid = new AssemblyPointGrid(lats, lons, radiusKm);
  const queries: [number, number][] = [
    [0, 180],
    [0, -179.95],
    [71.2, 25.3],
    [-89.9, 10],
    [33.9, 35.5],
  ];
  for (const [lat, lon] of queries) {
    const found = new Set(near(grid, lat, lon, radiusKm));
    const expected = places.flatMap(([pLat, pLon], index) =>
      distanceKm(lat, lon, pLat, pLon) <= radiusKm ? [index] : [],
    );
    assert.ok(expected.length > 0, `query ${lat},${lon} should have points to find`);
    for (const index of expected) assert.ok(found.has(index), `point ${index} missed near ${lat},${lon}`);
    // A superset, but not the whole world.
    assert.ok(found.size < places.length);
  }
});

test('measures great-circle distances', () => {
  assert.equal(distanceKm(10, 20, 10, 20), 0);
  // One degree of latitude is about 111.2 km; London to Paris is about 344 km.
  assert.ok(Math.abs(distanceKm(0, 0, 1, 0) - 111.2) < 0.1);
  assert.ok(Math.abs(distanceKm(51.5074, -0.1278, 48.8566, 2.3522) - 343.6) < 1);
});
