import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import {
  type CurrentLevels,
  isLift,
  type LevelDeclaration,
  levelAt,
  NO_LEVEL,
  resolveCurrentLevels,
} from './current-levels.ts';

/** A stand-in geometry for these tests: a latitude/longitude box. */
type Box = { south: number; west: number; north: number; east: number };
type Point = { lat: number; lon: number };
const inBox = (box: Box, p: Point) =>
  p.lat >= box.south && p.lat <= box.north && p.lon >= box.west && p.lon <= box.east;

const hour = 3_600_000;
const t0 = Date.parse('2026-03-01T00:00:00Z');
const at = (hours: number) => new Date(t0 + hours * hour);

let sequence = 0;
function country(
  code: string,
  level: number,
  effectiveHours: number,
  extra: Partial<LevelDeclaration<Box>> = {},
) {
  sequence += 1;
  return {
    id: `d${String(sequence).padStart(3, '0')}`,
    scope: { kind: 'country', country: code },
    level,
    effectiveAt: at(effectiveHours),
    declaredAt: at(effectiveHours),
    reason: 'situation report',
    declaredBy: 'user-7',
    ...extra,
  } satisfies LevelDeclaration<Box>;
}

function area(
  areaId: string,
  box: Box,
  level: number,
  effectiveHours: number,
  extra: Partial<LevelDeclaration<Box>> = {},
) {
  return country('LB', level, effectiveHours, {
    scope: { kind: 'area', areaId, country: 'LB', geometry: box },
    ...extra,
  });
}

const south: Box = { south: 33.0, west: 35.0, north: 33.6, east: 36.0 };
const beirut: Box = { south: 33.8, west: 35.4, north: 34.0, east: 35.6 };
const southCoast: Box = { south: 33.2, west: 35.1, north: 33.4, east: 35.3 };

const levelsOf = (current: CurrentLevels<Box>) => ({
  countries: Object.fromEntries([...current.countries].map(([k, v]) => [k, v.level])),
  areas: Object.fromEntries([...current.areas].map(([k, v]) => [k, v.level])),
});

describe('resolveCurrentLevels', () => {
  test('takes the latest effective declaration per scope, so a lower level lowers it', () => {
    const history = [country('LB', 2, 0), country('LB', 4, 10), country('LB', 3, 20), country('SD', 1, 5)];
    assert.deepEqual(levelsOf(resolveCurrentLevels(history, at(30))), {
      countries: { LB: 3, SD: 1 },
      areas: {},
    });
    assert.deepEqual(levelsOf(resolveCurrentLevels(history, at(15))), {
      countries: { LB: 4, SD: 1 },
      areas: {},
    });
    assert.deepEqual(levelsOf(resolveCurrentLevels(history, at(1))), { countries: { LB: 2 }, areas: {} });
  });

  test('names the declaration in force', () => {
    const raise = country('LB', 4, 10);
    const current = resolveCurrentLevels([country('LB', 2, 0), raise], at(11)).countries.get('LB');
    assert.equal(current?.declaration, raise);
  });

  test('level 0 or a lift removes the level', () => {
    assert.equal(
      resolveCurrentLevels([country('LB', 3, 0), country('LB', NO_LEVEL, 5)], at(6)).countries.size,
      0,
    );
    assert.equal(
      resolveCurrentLevels([country('LB', 3, 0), country('LB', 3, 5, { lift: true })], at(6)).countries.size,
      0,
    );
    const relevel = [country('LB', 3, 0), country('LB', 0, 5), country('LB', 1, 8)];
    assert.deepEqual(levelsOf(resolveCurrentLevels(relevel, at(9))).countries, { LB: 1 });
  });

  test('a future effective time is not yet current', () => {
    const history = [country('LB', 1, 0), { ...country('LB', 4, 48), declaredAt: at(2) }];
    assert.deepEqual(levelsOf(resolveCurrentLevels(history, at(24))).countries, { LB: 1 });
    assert.deepEqual(levelsOf(resolveCurrentLevels(history, at(48))).countries, { LB: 4 });
  });

  test('a backdated declaration does not count before it was made', () => {
    const backdated = { ...country('LB', 4, 2), declaredAt: at(10) };
    const history = [country('LB', 1, 0), backdated];
    assert.deepEqual(levelsOf(resolveCurrentLevels(history, at(5))).countries, { LB: 1 });
    assert.deepEqual(levelsOf(resolveCurrentLevels(history, at(10))).countries, { LB: 4 });
  });

  test('a later correction with the same effective time wins', () => {
    const first = { ...country('LB', 4, 10), declaredAt: at(9) };
    const correction = { ...country('LB', 3, 10), declaredAt: at(10) };
    assert.deepEqual(levelsOf(resolveCurrentLevels([correction, first], at(11))).countries, { LB: 3 });
  });

  test('country codes are compared without regard to case', () => {
    const history = [country('lb', 2, 0), country('LB', 3, 1)];
    assert.deepEqual(levelsOf(resolveCurrentLevels(history, at(2))).countries, { LB: 3 });
  });

  test('areas are their own scopes, apart from the country', () => {
    const history = [
      country('LB', 2, 0),
      area('south', south, 4, 1),
      area('beirut', beirut, 3, 1),
      area('beirut', beirut, 0, 3),
      country('LB', 1, 4),
    ];
    const current = resolveCurrentLevels(history, at(5));
    assert.deepEqual(levelsOf(current), { countries: { LB: 1 }, areas: { south: 4 } });
    assert.equal(current.areas.get('south')?.scope.geometry, south);
  });

  test('does not depend on the order of the history', () => {
    const history = [
      country('LB', 2, 0),
      country('LB', 4, 3),
      { ...country('LB', 1, 3), declaredAt: at(4) },
      country('LB', 0, 6),
      area('south', south, 4, 1),
      area('south', south, 2, 2),
      country('SD', 3, 1),
      { ...country('SD', 4, 1), id: 'zz-same-instants' },
    ];
    const expected = levelsOf(resolveCurrentLevels(history, at(5)));
    assert.deepEqual(expected, { countries: { LB: 1, SD: 4 }, areas: { south: 2 } });
    fc.assert(
      fc.property(fc.shuffledSubarray(history, { minLength: history.length }), (shuffled) => {
        assert.deepEqual(levelsOf(resolveCurrentLevels(shuffled, at(5))), expected);
      }),
    );
  });

  test('refuses declarations it cannot read', () => {
    for (const bad of [
      country('LB', -1, 0),
      country('LB', 2.5, 0),
      { ...country('LB', 1, 0), effectiveAt: new Date('nope') },
      country('', 1, 0),
      area(' ', south, 1, 0),
    ]) {
      assert.throws(() => resolveCurrentLevels([bad], at(1)), { code: 'levels.bad_declaration' });
    }
  });
});

describe('levelAt', () => {
  const history = [
    country('LB', 2, 0),
    area('south', south, 4, 0),
    area('south-coast', southCoast, 3, 0),
    area('beirut', beirut, 1, 0),
    country('SY', 4, 0),
  ];
  const current = resolveCurrentLevels(history, at(1));

  test("a country's level applies everywhere in it", () => {
    const result = levelAt(current, { country: 'LB' }, inBox);
    assert.equal(result.level, 2);
    assert.equal(result.source, current.countries.get('LB'));
  });

  test("an area's level wins where it is higher", () => {
    const result = levelAt(current, { country: 'LB', point: { lat: 33.3, lon: 35.2 } }, inBox);
    assert.equal(result.level, 4, 'the highest of the country and both areas holding the point');
    assert.equal(result.source, current.areas.get('south'));
  });

  test('a lower area level does not lower the country', () => {
    const result = levelAt(current, { country: 'LB', point: { lat: 33.9, lon: 35.5 } }, inBox);
    assert.equal(result.level, 2);
    assert.equal(result.source, current.countries.get('LB'));
  });

  test('an area applies to a point even without a country', () => {
    assert.equal(levelAt(current, { point: { lat: 33.5, lon: 35.9 } }, inBox).level, 4);
  });

  test('no level anywhere gives NO_LEVEL and no source', () => {
    assert.deepEqual(levelAt(current, { country: 'JO', point: { lat: 31.9, lon: 35.9 } }, inBox), {
      level: NO_LEVEL,
    });
    assert.deepEqual(levelAt(current, {}, inBox), { level: NO_LEVEL });
  });

  test('asks the containment function about area geometries and the point', () => {
    const asked: [Box, Point][] = [];
    const point = { lat: 10, lon: 10 };
    levelAt(current, { point }, (box: Box, p: Point) => {
      asked.push([box, p]);
      return false;
    });
    assert.ok(asked.length > 0);
    assert.ok(asked.every(([box, p]) => [south, southCoast, beirut].includes(box) && p === point));
  });
});

describe('isLift', () => {
  test('level 0 or the lift flag', () => {
    assert.equal(isLift({ level: 0 }), true);
    assert.equal(isLift({ level: 3, lift: true }), true);
    assert.equal(isLift({ level: 3 }), false);
  });
});
