import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { parseCap } from '../../domain/cap/cap-parse.ts';
import { type AlertCapSource, alertCapXml, describeAudience, toCapAlert } from './alert-cap.ts';
import { assertValidCap, needsXmllint } from './alerts.test-kit.ts';

const now = new Date('2026-11-27T12:00:00Z');

const source = (over: Partial<AlertCapSource> = {}): AlertCapSource => ({
  identifier: 'urn:haven:test:alert:0190a000-0000-7000-8000-000000000001',
  sender: 'urn:haven:test',
  status: 'Actual',
  msgType: 'Alert',
  scope: 'Public',
  restriction: null,
  state: 'issued',
  sent: '2026-11-27T12:00:00+00:00',
  references: [],
  category: ['Met'],
  event: 'Cyclone',
  urgency: 'Expected',
  severity: 'Severe',
  certainty: 'Likely',
  responseType: ['Prepare'],
  effective: null,
  expires: '2026-11-28T12:00:00+12:00',
  infos: [{ language: 'en', headline: 'Cyclone approaching', description: null, instruction: null }],
  target: {
    countries: [],
    areaIds: [],
    polygons: [
      {
        type: 'Polygon',
        coordinates: [
          // Across the antimeridian, written with longitudes past 180, with a hole.
          [
            [177, -19],
            [182, -19],
            [182, -16],
            [177, -16],
            [177, -19],
          ],
          [
            [178, -18],
            [179, -18],
            [179, -17],
            [178, -17],
            [178, -18],
          ],
        ],
      },
    ],
    circles: [],
    filters: {},
  },
  areas: [],
  countries: ['FJ'],
  askResponse: false,
  level: null,
  ...over,
});

describe('alert to CAP', () => {
  test('writes outer rings only, with longitudes brought into range', () => {
    const cap = toCapAlert(source(), now);
    const [area] = cap.info[0]?.area ?? [];
    assert.equal(area?.areaDesc, 'Area drawn on the map (Fiji)');
    assert.equal(area?.polygon.length, 1, 'CAP has no holes: the outline is written');
    assert.deepEqual(
      area?.polygon[0]?.map((p) => p.lon),
      [177, -178, -178, 177, 177],
    );
  });

  test('an alert not yet issued is a CAP Draft; a drill says so in its note', () => {
    const draft = toCapAlert(source({ state: 'approved', sent: null, status: 'Exercise' }), now);
    assert.equal(draft.status, 'Draft');
    assert.equal(draft.sent, '2026-11-27T12:00:00+00:00');
    assert.match(draft.note ?? '', /^EXERCISE: this is a drill.*when issued its status will be Exercise\.$/);
    const issued = toCapAlert(source({ status: 'Exercise' }), now);
    assert.equal(issued.status, 'Exercise');
  });

  test('the filters become the audience', () => {
    assert.equal(describeAudience({}), undefined);
    assert.equal(
      describeAudience({ languages: ['ar'], householdHeadsOnly: true, vulnerabilities: ['pregnant'] }),
      'Registered nationals: reading ar; with pregnant; heads of household',
    );
  });

  test('the document validates and reads back', needsXmllint, () => {
    const xml = alertCapXml(
      source({
        msgType: 'Update',
        references: [
          {
            sender: 'urn:haven:test',
            identifier: 'urn:haven:test:alert:1',
            sent: '2026-11-27T10:00:00+00:00',
          },
        ],
        askResponse: true,
        level: 2,
        target: { ...source().target, circles: [{ center: [178.4, -18.1], radiusMeters: 1500 }] },
      }),
      now,
    );
    assertValidCap(xml);
    const back = parseCap(xml);
    assert.equal(back.references[0]?.identifier, 'urn:haven:test:alert:1');
    assert.deepEqual(back.info[0]?.area[1]?.circle, [{ center: { lat: -18.1, lon: 178.4 }, radiusKm: 1.5 }]);
  });
});
