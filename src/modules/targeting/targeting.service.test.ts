import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { sql } from 'kysely';
import { openTestDatabase, type TestDatabase } from '../../../test/helpers/database.ts';
import { prepareTarget } from '../../domain/geo/prepared-target.ts';
import {
  antimeridianPolygon,
  gaussian,
  irregularPolygon,
  multiPolygon,
  offsetKm,
  pointsAround,
  pointsAroundCircle,
  polygonWithHole,
  ringsOf,
  seededRandom,
} from '../../domain/geo/shape-fixtures.ts';
import type { CircleShape, Target } from '../../domain/geo/target.ts';
import { ageBand, type PersonValues, SEXES } from '../../domain/registry/person.ts';
import { AppError } from '../../errors.ts';
import { newId } from '../../lib/ids.ts';
import { insertPersonRows } from '../registry/persons.repository.ts';
import { toPersonRows } from '../registry/persons.service.ts';
import { planSelection, type TargetFilters, type TargetSpec } from './selection-plan.ts';
import { rangeQueryStatement } from './targeting.repository.ts';
import {
  countRecipients,
  countRecipientsByCountry,
  type Recipient,
  selectRecipientIds,
  streamRecipients,
} from './targeting.service.ts';

const NOW = new Date('2026-06-01T00:00:00Z');
const random = seededRandom(20260601);

// Shapes over five clusters of synthetic persons: Libya, Lebanon, the Philippines, Riyadh and Fiji.
const irregular = irregularPolygon(random);
const withHole = polygonWithHole(random);
const islands = multiPolygon(random);
const riyadhCircle: CircleShape = { type: 'Circle', center: [46.7, 24.7], radiusMeters: 20_000 };
const acrossAntimeridian = antimeridianPolygon(random);

const LANGUAGES = ['ar', 'ar-LB', 'en', 'en-GB', 'fil', 'tl', 'fr'];
const VULNERABLE = ['pregnant', 'disability', 'medical', 'elderly'];

/** What the test knows of each synthetic person, to select by brute force. */
type Known = {
  id: string;
  lat: number | null;
  lon: number | null;
  country: string | null;
  sex: string;
  birthYear: number | null;
  role: 'head' | 'member' | null;
  employerId: string | null;
  vulnerabilities: string[];
  languages: string[];
};

const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
const sample = <T>(items: readonly T[], most: number): T[] => [
  ...new Set(Array.from({ length: Math.floor(random() * (most + 1)) }, () => pick(items))),
];

const employerIds = [newId(), newId(), newId()];
const householdId = newId();

/** Points of one cluster: a city's gaussian spread plus points dense along the shape's boundary. */
function clusterPoints(
  center: [number, number],
  spreadKm: number,
  count: number,
  edge: Array<[number, number]>,
) {
  const points: Array<[number, number]> = [...edge];
  while (points.length < count) {
    const [lon, lat] = offsetKm(
      center[0],
      center[1],
      gaussian(random) * spreadKm,
      gaussian(random) * spreadKm,
    );
    points.push([lon > 180 ? lon - 360 : lon, lat]);
  }
  return points;
}

function syntheticPersons(): Known[] {
  const located: Array<{ point: [number, number] | null; country: string | null }> = [];
  const add = (points: Array<[number, number]>, country: string) => {
    for (const point of points) {
      // Some persons are recorded in another country than where they stand, some in none.
      const roll = random();
      located.push({ point, country: roll < 0.08 ? 'SY' : roll < 0.12 ? null : country });
    }
  };
  add(clusterPoints([14.5, 31.2], 90, 450, pointsAround(random, ringsOf(irregular), 150)), 'LY');
  add(clusterPoints([35.6, 33.9], 45, 450, pointsAround(random, ringsOf(withHole), 150)), 'LB');
  add(clusterPoints([121.2, 13.5], 150, 450, pointsAround(random, ringsOf(islands), 150)), 'PH');
  add(clusterPoints([46.7, 24.7], 25, 400, pointsAroundCircle(random, [46.7, 24.7], 20, 150)), 'SA');
  add(clusterPoints([179.8, -17.5], 80, 450, pointsAround(random, ringsOf(acrossAntimeridian), 150)), 'FJ');
  add(clusterPoints([55.3, 25.2], 30, 200, []), 'AE');
  for (let i = 0; i < 100; i++) located.push({ point: null, country: pick(['AE', 'LB', 'SA']) });
  // Shuffled so that id order has nothing to do with place.
  for (let i = located.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [located[i], located[j]] = [located[j]!, located[i]!];
  }
  return located.map(({ point, country }) => ({
    id: newId(NOW.getTime()),
    lon: point ? point[0] : null,
    lat: point ? point[1] : null,
    country,
    sex: pick(SEXES),
    birthYear: random() < 0.1 ? null : 1940 + Math.floor(random() * 86),
    role: pick(['head', 'member', null] as const),
    employerId: random() < 0.5 ? null : pick(employerIds),
    vulnerabilities: sample(VULNERABLE, 2),
    languages: sample(LANGUAGES, 3),
  }));
}

const toValues = (k: Known): PersonValues => ({
  externalRef: null,
  givenNames: 'Synthetic',
  familyName: null,
  sex: k.sex as PersonValues['sex'],
  birthDate: null,
  birthYear: k.birthYear,
  nationality: 'PH',
  languages: k.languages,
  phones: [],
  emails: [],
  location: { lat: k.lat, lon: k.lon, country: k.country, address: null },
  householdId: k.role ? householdId : null,
  householdRole: k.role,
  employerId: k.employerId,
  vulnerabilities: k.vulnerabilities as PersonValues['vulnerabilities'],
  documentStatus: 'unknown',
});

/** The selection by brute force: the exact test on every person, the country rule, then the filters. */
function bruteForce(persons: readonly Known[], spec: TargetSpec): Known[] {
  const shapes = spec.shapes?.length ? prepareTarget(spec.shapes) : null;
  const countries = new Set(spec.countries ?? []);
  const f: TargetFilters = spec.filters ?? {};
  const speaks = (k: Known, tag: string) => k.languages.some((l) => l === tag || l.startsWith(`${tag}-`));
  return persons
    .filter(
      (k) =>
        (k.country !== null && countries.has(k.country)) ||
        (shapes !== null && k.lat !== null && k.lon !== null && shapes.contains(k.lon, k.lat)),
    )
    .filter((k) => !f.sexes?.length || f.sexes.includes(k.sex))
    .filter((k) => !f.ageBands?.length || f.ageBands.includes(ageBand(k.birthYear, NOW)))
    .filter((k) => !f.householdHeadsOnly || k.role === 'head')
    .filter((k) => !f.employerIds?.length || (k.employerId !== null && f.employerIds.includes(k.employerId)))
    .filter(
      (k) => !f.vulnerabilities?.length || k.vulnerabilities.some((v) => f.vulnerabilities!.includes(v)),
    )
    .filter((k) => !f.languages?.length || f.languages.some((tag) => speaks(k, tag)))
    .sort((a, b) => (a.id < b.id ? -1 : 1));
}

function countsByCountry(persons: readonly Known[]) {
  const byCountry: Record<string, number> = {};
  let withoutCountry = 0;
  for (const k of persons) {
    if (k.country === null) withoutCountry++;
    else byCountry[k.country] = (byCountry[k.country] ?? 0) + 1;
  }
  return { total: persons.length, byCountry, withoutCountry };
}

async function collect(stream: AsyncGenerator<Recipient[]>): Promise<Recipient[][]> {
  const batches: Recipient[][] = [];
  for await (const batch of stream) batches.push(batch);
  return batches;
}

let database: TestDatabase;
let persons: Known[];

before(async () => {
  database = await openTestDatabase();
  persons = syntheticPersons();
  const ts = NOW.toISOString();
  await database.db
    .insertInto('organizations')
    .values(
      employerIds.map((id, i) => ({
        id,
        name: `Employer ${i}`,
        type: 'employer',
        country: 'SA',
        created_at: ts,
        updated_at: ts,
      })),
    )
    .execute();
  await database.db
    .insertInto('households')
    .values({
      id: householdId,
      label: 'Household',
      kind: 'household',
      external_ref: null,
      created_at: ts,
      updated_at: ts,
    })
    .execute();
  await database.db.transaction().execute((trx) =>
    insertPersonRows(
      trx,
      persons.map((k) => toPersonRows(k.id, toValues(k), ts, ts)),
    ),
  );
});

after(async () => {
  await database?.drop();
});

/** Asserts that the count and the stream both give exactly the brute-force selection. */
async function assertExact(spec: TargetSpec, options: { maxRanges?: number } = {}) {
  const expected = bruteForce(persons, spec);
  assert.deepEqual(await countRecipients(database.db, spec, NOW, options), { total: expected.length });
  assert.deepEqual(
    await countRecipientsByCountry(database.db, spec, NOW, options),
    countsByCountry(expected),
  );
  const ids = await selectRecipientIds(database.db, spec, NOW, options);
  assert.deepEqual(
    ids,
    expected.map((k) => k.id),
  );
  return expected.length;
}

const TARGETS: Array<[string, TargetSpec]> = [
  ['an irregular polygon about 250 km across', { shapes: [irregular] }],
  ['a polygon with a hole', { shapes: [withHole] }],
  ['a multipolygon of three islands, one with a hole', { shapes: [islands] }],
  ['a 20 km circle', { shapes: [riyadhCircle] }],
  ['a polygon across the antimeridian', { shapes: [acrossAntimeridian] }],
  ['a whole country', { countries: ['AE'] }],
  ['a country and a shape that overlap', { countries: ['LB', 'SY'], shapes: [withHole] }],
  [
    'countries and several shapes',
    { countries: ['FJ', 'AE'], shapes: [riyadhCircle, irregular, acrossAntimeridian] },
  ],
];

describe('recipient selection equals the exact test over every person', () => {
  for (const [name, spec] of TARGETS) {
    test(name, async () => {
      const selected = await assertExact(spec);
      assert.ok(selected > 20, `the target selects some persons (${selected})`);
      assert.ok(selected < persons.length - 100, 'and leaves others out');
    });
  }

  test('whatever the covering budget: few ranges leave more to the exact test, many are queried in parts', async () => {
    await assertExact({ shapes: [irregular, withHole] }, { maxRanges: 20 });
    await assertExact({ countries: ['LB'], shapes: [islands, riyadhCircle] }, { maxRanges: 60 });
    // Fine coverings: more ranges than one SQLite statement takes, so the inside is counted in parts.
    await assertExact({ shapes: [irregular] }, { maxRanges: 12_000 });
  });

  test('a country with nobody in it selects nobody', async () => {
    assert.equal(await assertExact({ countries: ['NO'] }), 0);
  });
});

describe('filters narrow the union', () => {
  const area: TargetSpec = { countries: ['AE', 'SY'], shapes: [withHole, riyadhCircle] };
  const FILTERS: Array<[string, TargetFilters]> = [
    ['languages, base language matching regional forms', { languages: ['ar', 'fil'] }],
    ['a regional language tag', { languages: ['en-GB'] }],
    ['sexes', { sexes: ['female', 'other'] }],
    ['age bands', { ageBands: ['0-17', '45-59', '60+'] }],
    ['one age band', { ageBands: ['18-29'] }],
    ['vulnerabilities (any of)', { vulnerabilities: ['pregnant', 'disability'] }],
    ['household heads only', { householdHeadsOnly: true }],
    ['employers', { employerIds: [employerIds[0]!, employerIds[2]!] }],
  ];
  for (const [name, filters] of FILTERS) {
    test(name, async () => {
      const selected = await assertExact({ ...area, filters });
      assert.ok(
        selected > 5 && selected < bruteForce(persons, area).length,
        `the filter narrows (${selected})`,
      );
    });
  }

  test('all filters at once', async () => {
    const filters: TargetFilters = {
      languages: ['ar', 'en'],
      sexes: ['female', 'male'],
      ageBands: ['18-29', '30-44', '45-59'],
      vulnerabilities: ['medical', 'pregnant', 'elderly'],
      householdHeadsOnly: true,
      employerIds,
    };
    const selected = await assertExact({ countries: ['AE', 'LY', 'LB', 'PH', 'SA', 'FJ'], filters });
    assert.ok(selected > 0);
  });

  test('empty filter lists filter nothing', async () => {
    const spec: TargetSpec = {
      shapes: [withHole],
      filters: { languages: [], sexes: [], vulnerabilities: [] },
    };
    assert.equal(await assertExact(spec), bruteForce(persons, { shapes: [withHole] }).length);
  });
});

describe('the stream', () => {
  const spec: TargetSpec = { countries: ['AE'], shapes: [irregular, islands] };

  test('yields full, sorted, non-overlapping batches of the requested size', async () => {
    const batches = await collect(streamRecipients(database.db, spec, { batchSize: 97, now: NOW }));
    const expected = bruteForce(persons, spec);
    assert.ok(batches.length > 3);
    for (const b of batches.slice(0, -1)) assert.equal(b.length, 97);
    assert.ok(batches.at(-1)!.length >= 1 && batches.at(-1)!.length <= 97);
    const ids = batches.flat().map((r) => r.personId);
    assert.deepEqual(ids, [...ids].sort(), 'sorted within and across batches');
    assert.equal(new Set(ids).size, ids.length);
    assert.deepEqual(
      ids,
      expected.map((k) => k.id),
    );
  });

  test('a vulnerability filter still yields full batches', async () => {
    const filtered: TargetSpec = { ...spec, filters: { vulnerabilities: ['medical'] } };
    const batches = await collect(streamRecipients(database.db, filtered, { batchSize: 10, now: NOW }));
    for (const b of batches.slice(0, -1)) assert.equal(b.length, 10);
    assert.deepEqual(
      batches.flat().map((r) => r.personId),
      bruteForce(persons, filtered).map((k) => k.id),
    );
  });

  test('carries each recipient’s country and languages in preference order', async () => {
    const byId = new Map(persons.map((k) => [k.id, k]));
    const recipients = (await collect(streamRecipients(database.db, spec, { now: NOW }))).flat();
    assert.ok(recipients.some((r) => r.languages.length > 1));
    assert.ok(recipients.some((r) => r.languages.length === 0));
    for (const r of recipients) {
      const k = byId.get(r.personId)!;
      assert.deepEqual(
        { country: r.country, languages: r.languages },
        { country: k.country, languages: k.languages },
      );
    }
  });

  test('a consumer that stops early releases the connection and the selection table', async () => {
    // More early stops than the PostgreSQL test pool has connections: a leak would hang here.
    const cheap: TargetSpec = { countries: ['AE'], shapes: [riyadhCircle] };
    for (let i = 0; i < 8; i++) {
      for await (const batch of streamRecipients(database.db, cheap, { batchSize: 5, now: NOW })) {
        assert.equal(batch.length, 5);
        break;
      }
    }
    const count = await countRecipients(database.db, { shapes: [riyadhCircle] }, NOW);
    assert.equal(count.total, bruteForce(persons, { shapes: [riyadhCircle] }).length);
    if (database.dialect === 'sqlite') {
      const { rows } = await sql<{ n: number }>`select count(*) as n from temp.sqlite_master`.execute(
        database.db,
      );
      assert.equal(rows[0]!.n, 0);
    }
  });

  test('runs inside a caller’s transaction', async () => {
    const ids = await database.db.transaction().execute((trx) => selectRecipientIds(trx, spec, NOW));
    assert.deepEqual(
      ids,
      bruteForce(persons, spec).map((k) => k.id),
    );
  });
});

describe('query plans', () => {
  /** The plan's lines: SQLite's EXPLAIN QUERY PLAN details, or PostgreSQL's EXPLAIN text. */
  async function planOf(statement: ReturnType<typeof rangeQueryStatement>): Promise<string[]> {
    if (database.dialect === 'sqlite') {
      const { rows } = await sql<{ detail: string }>`explain query plan ${statement}`.execute(database.db);
      return rows.map((r) => r.detail);
    }
    const { rows } = await sql<{ 'QUERY PLAN': string }>`explain ${statement}`.execute(database.db);
    return rows.map((r) => r['QUERY PLAN']);
  }

  test('each cell range is one index range scan, whatever the filters, even without statistics', async () => {
    const plain = planSelection({ shapes: [irregular] }, NOW);
    const filtered = planSelection(
      {
        countries: ['AE'],
        shapes: [irregular],
        filters: { employerIds, sexes: ['female'], languages: ['ar'] },
      },
      NOW,
    );
    const queries = [
      { ranges: plain.inside, excludedCountries: [], filters: plain.filters },
      { ranges: filtered.inside, excludedCountries: filtered.countries, filters: filtered.filters },
    ];
    for (const q of queries) {
      for (const read of [false, true]) {
        const lines = await planOf(rangeQueryStatement(database.dialect, q, read));
        const shown = lines.join('\n');
        if (database.dialect === 'sqlite') {
          const rangeScan =
            /^SEARCH p USING (COVERING )?INDEX persons_(h3|targeting)_idx \(h3_cell>\? AND h3_cell<\?\)$/;
          assert.ok(
            lines.some((l) => rangeScan.test(l)),
            shown,
          );
          assert.ok(!lines.some((l) => l.startsWith('SCAN p')), shown);
        } else {
          assert.ok(
            lines.some((l) =>
              /(Index (Only )?Scan using|Bitmap Index Scan on) persons_(h3|targeting)_idx/.test(l),
            ),
            shown,
          );
          assert.ok(
            lines.some((l) => l.includes('Index Cond: ((h3_cell >= r.lo) AND (h3_cell <= r.hi))')),
            shown,
          );
          assert.ok(!lines.some((l) => /Seq Scan on persons|Materialize/.test(l)), shown);
        }
      }
    }
  });
});

describe('invalid specs', () => {
  const refused = async (spec: unknown, code: string, options: object = {}) => {
    await assert.rejects(countRecipients(database.db, spec as TargetSpec, NOW), (e: unknown) => {
      assert.ok(e instanceof AppError);
      assert.equal(e.code, code);
      assert.equal(e.status, 422);
      return true;
    });
    await assert.rejects(
      collect(streamRecipients(database.db, spec as TargetSpec, { now: NOW, ...options })),
      {
        code,
      },
    );
  };

  test('an empty target', async () => {
    await refused({}, 'target.empty');
    await refused({ countries: [], shapes: [], filters: { sexes: ['female'] } }, 'target.empty');
  });

  test('an unknown country, sex, vulnerability, language or age band', async () => {
    await refused({ countries: ['XX'] }, 'target.country_unknown');
    await refused({ countries: ['LB'], filters: { sexes: ['robot'] } }, 'target.sex_invalid');
    await refused(
      { countries: ['LB'], filters: { vulnerabilities: ['rich'] } },
      'target.vulnerability_invalid',
    );
    await refused({ countries: ['LB'], filters: { languages: ['not a tag'] } }, 'target.language_invalid');
    await refused({ countries: ['LB'], filters: { ageBands: ['30-18'] } }, 'target.age_band_invalid');
  });

  test('a bad shape, with the geometry’s own code', async () => {
    const open: Target = [
      {
        type: 'Polygon',
        coordinates: [
          [
            [0, 0],
            [1, 0],
            [1, 1],
          ],
        ],
      },
    ];
    await refused({ shapes: open }, 'geo.ring_not_closed');
    const bow: Target = [
      {
        type: 'Polygon',
        coordinates: [
          [
            [0, 0],
            [1, 1],
            [1, 0],
            [0, 1],
            [0, 0],
          ],
        ],
      },
    ];
    await refused({ shapes: bow }, 'geo.self_intersection');
    await refused({ shapes: [{ type: 'Circle', center: [0, 0], radiusMeters: -1 }] }, 'geo.radius_invalid');
  });

  test('a batch size out of range', async () => {
    await assert.rejects(collect(streamRecipients(database.db, { countries: ['LB'] }, { batchSize: 0 })), {
      code: 'target.batch_size_invalid',
    });
  });
});
