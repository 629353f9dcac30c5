import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import {
  capAreaToGeoJson,
  closeCapPolygon,
  formatCapCircle,
  formatCapPolygon,
  formatDecimal,
  parseCapCircle,
  parseCapPolygon,
  parseDecimal,
} from './cap-geometry.ts';
import type { CapArea } from './cap-types.ts';

describe('CAP polygons', () => {
  test('parse "lat,lon" pairs separated by any whitespace', () => {
    assert.deepEqual(parseCapPolygon('\n  38.47,-120.14 38.34,-119.95\t38.52,-119.74\n38.47,-120.14 '), [
      { lat: 38.47, lon: -120.14 },
      { lat: 38.34, lon: -119.95 },
      { lat: 38.52, lon: -119.74 },
      { lat: 38.47, lon: -120.14 },
    ]);
  });

  test('format closes an open ring and leaves a closed one alone', () => {
    const open = [
      { lat: 1, lon: 2 },
      { lat: 3, lon: 4 },
      { lat: 5, lon: 2.5 },
    ];
    assert.equal(formatCapPolygon(open), '1,2 3,4 5,2.5 1,2');
    assert.equal(formatCapPolygon(closeCapPolygon(open)), '1,2 3,4 5,2.5 1,2');
    assert.equal(closeCapPolygon(closeCapPolygon(open)).length, 4);
  });

  test('format refuses too few points and out-of-range coordinates', () => {
    assert.throws(
      () =>
        formatCapPolygon([
          { lat: 1, lon: 1 },
          { lat: 2, lon: 2 },
        ]),
      { code: 'cap.bad_area' },
    );
    assert.throws(
      () =>
        formatCapPolygon([
          { lat: 1, lon: 1 },
          { lat: 2, lon: 181 },
          { lat: 3, lon: 1 },
        ]),
      { code: 'cap.bad_area', message: /longitude 181/ },
    );
    assert.throws(
      () =>
        formatCapPolygon([
          { lat: Number.NaN, lon: 1 },
          { lat: 2, lon: 1 },
          { lat: 3, lon: 1 },
        ]),
      { code: 'cap.bad_area' },
    );
  });
});

describe('CAP circles', () => {
  test('parse and format "lat,lon radiusKm"', () => {
    assert.deepEqual(parseCapCircle('-35.3888,147.0598 25.0'), {
      center: { lat: -35.3888, lon: 147.0598 },
      radiusKm: 25,
    });
    assert.equal(
      formatCapCircle({ center: { lat: -35.3888, lon: 147.0598 }, radiusKm: 0.5 }),
      '-35.3888,147.0598 0.5',
    );
  });

  test('refuse a missing radius, a negative radius, or extra parts', () => {
    for (const text of ['1,1', '1,1 -1', '1,1 2 3', '1,1 km', '']) {
      assert.throws(() => parseCapCircle(text, 'c'), { code: 'cap.bad_area', field: 'c' }, text);
    }
  });
});

describe('formatDecimal', () => {
  test('never writes an exponent', () => {
    assert.equal(formatDecimal(1e-7), '0.0000001');
    assert.equal(formatDecimal(-2.5e-8), '-0.000000025');
    assert.equal(formatDecimal(1.5e21), '1500000000000000000000');
    assert.equal(formatDecimal(1.2345e22), '12345000000000000000000');
    assert.equal(formatDecimal(-0), '0');
  });

  test('reads back as the same number for any finite double', () => {
    fc.assert(
      fc.property(fc.double({ noNaN: true, noDefaultInfinity: true }), (n) => {
        const text = formatDecimal(n);
        assert.doesNotMatch(text, /e/i);
        assert.equal(parseDecimal(text, 'x'), n === 0 ? 0 : n);
      }),
    );
  });

  test('parseDecimal refuses exponents and words', () => {
    for (const text of ['1e3', 'ten', '', '1.2.3']) {
      assert.throws(() => parseDecimal(text, 'altitude'), { code: 'cap.invalid_value', field: 'altitude' });
    }
  });
});

describe('capAreaToGeoJson', () => {
  const area: CapArea = {
    areaDesc: 'Yerong Creek',
    polygon: [
      [
        { lat: 10, lon: 20 },
        { lat: 11, lon: 20 },
        { lat: 11, lon: 21 },
        { lat: 10, lon: 20 },
      ],
    ],
    circle: [{ center: { lat: -35.3888, lon: 147.0598 }, radiusKm: 25 }],
    geocode: [{ valueName: 'SAME', value: '006109' }],
  };

  test('swaps to GeoJSON [lon, lat] order and gives circle radii in metres', () => {
    assert.deepEqual(capAreaToGeoJson(area), [
      {
        type: 'Polygon',
        coordinates: [
          [
            [20, 10],
            [20, 11],
            [21, 11],
            [20, 10],
          ],
        ],
      },
      { type: 'Circle', center: [147.0598, -35.3888], radiusMeters: 25_000 },
    ]);
  });

  test('closes an open ring, as GeoJSON requires', () => {
    const open = { ...area, polygon: [area.polygon[0]?.slice(0, 3) ?? []], circle: [] };
    const [shape] = capAreaToGeoJson(open);
    assert.equal(shape?.type, 'Polygon');
    const ring = shape?.type === 'Polygon' ? shape.coordinates[0] : undefined;
    assert.deepEqual(ring?.[0], ring?.[ring.length - 1]);
    assert.equal(ring?.length, 4);
  });

  test('an area with geocodes only has no shapes', () => {
    assert.deepEqual(capAreaToGeoJson({ ...area, polygon: [], circle: [] }), []);
  });
});
