import assert from 'node:assert/strict';
import { test } from 'node:test';
import { listCities } from './cities.ts';

test('cities come with numeric coordinates, by country', () => {
  const riyadh = listCities('SA').find((c) => c.name === 'Riyadh');
  assert.ok(riyadh);
  assert.ok(Math.abs(riyadh.lat - 24.69) < 0.1 && Math.abs(riyadh.lon - 46.72) < 0.1);
  assert.ok(listCities('sa').length > 50, 'the code is case-insensitive');
  for (const c of listCities('HK')) {
    assert.equal(c.country, 'HK');
    assert.ok(c.lat > 22 && c.lat < 22.6 && c.lon > 113.8 && c.lon < 114.5, c.name);
  }
  assert.deepEqual(listCities('ZZ'), []);
});
