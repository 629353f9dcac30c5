import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ageBand } from '../../domain/registry/person.ts';
import { AGE_BANDS, birthYearsOfAgeBand, planSelection } from './selection-plan.ts';

const NOW = new Date('2026-06-01T00:00:00Z');
const box = {
  type: 'Polygon' as const,
  coordinates: [
    [
      [55.0, 25.0],
      [55.6, 25.0],
      [55.6, 25.4],
      [55.0, 25.4],
      [55.0, 25.0],
    ],
  ],
};

const inRange = (year: number, r: { from: number | null; to: number | null }) =>
  (r.from === null || year >= r.from) && (r.to === null || year <= r.to);

describe('age bands as birth years', () => {
  test('each standard band takes exactly the birth years that ageBand puts in it', () => {
    for (const band of AGE_BANDS) {
      const range = birthYearsOfAgeBand(band, NOW.getUTCFullYear())!;
      for (let year = 1900; year <= 2030; year++) {
        assert.equal(inRange(year, range), ageBand(year, NOW) === band, `${band} ${year}`);
      }
    }
  });

  test('other bands count ages the same way; malformed or reversed ones are refused', () => {
    assert.deepEqual(birthYearsOfAgeBand('18-59', 2026), { from: 1967, to: 2008 });
    assert.deepEqual(birthYearsOfAgeBand('65+', 2026), { from: null, to: 1961 });
    assert.equal(birthYearsOfAgeBand('30-18', 2026), undefined);
    assert.equal(birthYearsOfAgeBand('adult', 2026), undefined);
    assert.equal(birthYearsOfAgeBand('-5', 2026), undefined);
  });

  test('bands that touch are joined into one range of birth years', () => {
    const plan = planSelection({ countries: ['AE'], filters: { ageBands: ['30-44', '18-29', '60+'] } }, NOW);
    assert.deepEqual(plan.filters.birthYears, [
      { from: null, to: 1966 },
      { from: 1982, to: 2008 },
    ]);
  });
});

describe('planning a selection', () => {
  test('normalises countries and filters, and covers the shapes', () => {
    const plan = planSelection(
      {
        countries: ['are', 'AE', 'lb'],
        shapes: [box],
        filters: { sexes: ['Female', 'female'], languages: ['AR', 'en-gb'], vulnerabilities: ['Pregnant'] },
      },
      NOW,
    );
    assert.deepEqual(plan.countries, ['AE', 'LB']);
    assert.deepEqual(plan.filters.sexes, ['female']);
    assert.deepEqual(plan.filters.languages, ['ar', 'en-GB']);
    assert.deepEqual([...(plan.vulnerabilities ?? [])], ['pregnant']);
    assert.ok(plan.inside.length > 0 && plan.boundary.length > 0);
    assert.ok(plan.shapes?.contains(55.3, 25.2));
  });

  test('a country-only spec has no covering and no exact test', () => {
    const plan = planSelection({ countries: ['LB'] }, NOW);
    assert.equal(plan.shapes, null);
    assert.deepEqual([plan.inside, plan.boundary], [[], []]);
    assert.equal(plan.vulnerabilities, null);
  });

  test('a geometry fault names the bad shape', () => {
    assert.throws(
      () => planSelection({ shapes: [box, { type: 'Circle', center: [0, 95], radiusMeters: 10 }] }, NOW),
      (e: unknown) => {
        const error = e as { code: string; status: number; details: { errors: Array<{ field: string }> } };
        assert.equal(error.code, 'geo.coordinate_out_of_range');
        assert.equal(error.status, 422);
        assert.match(error.details.errors[0]!.field, /^shapes\[1\]/);
        return true;
      },
    );
  });
});
