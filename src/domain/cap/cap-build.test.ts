import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { buildCapXml } from './cap-build.ts';
import { formatCapDateTime } from './cap-datetime.ts';
import { CapError } from './cap-error.ts';
import { parseCap } from './cap-parse.ts';
import {
  CAP_CATEGORIES,
  CAP_CERTAINTIES,
  CAP_MSG_TYPES,
  CAP_RESPONSE_TYPES,
  CAP_SCOPES,
  CAP_SEVERITIES,
  CAP_STATUSES,
  CAP_URGENCIES,
  type CapAlert,
  type CapArea,
  type CapInfo,
  type CapPoint,
} from './cap-types.ts';
import { findIllegalCharacter } from './xml-reader.ts';

// The shared fixtures sit beside the repository: <repo>/../shared/fixtures/cap.
const CAP_XSD = fileURLToPath(new URL('../../../../shared/fixtures/cap/cap12.xsd', import.meta.url));
const xmllintMissing = spawnSync('xmllint', ['--version']).error !== undefined;
// CI sets HAVEN_REQUIRE_XMLLINT=1: there a missing validator fails the run instead of skipping.
if (xmllintMissing && process.env.HAVEN_REQUIRE_XMLLINT === '1') {
  throw new Error(
    'xmllint is required (HAVEN_REQUIRE_XMLLINT=1) but not installed: apt-get install libxml2-utils',
  );
}
const needsXmllint = {
  skip: xmllintMissing ? 'xmllint not installed (apt-get install libxml2-utils)' : false,
};

function validateAgainstCapSchema(xml: string): { valid: boolean; report: string } {
  const run = spawnSync('xmllint', ['--noout', '--nonet', '--schema', CAP_XSD, '-'], {
    input: xml,
    encoding: 'utf8',
  });
  return { valid: run.status === 0, report: run.stderr };
}

function assertSchemaValid(xml: string): void {
  const { valid, report } = validateAgainstCapSchema(xml);
  assert.ok(valid, `xmllint rejected the document:\n${report}\n${xml}`);
}

const sent = formatCapDateTime(new Date('2026-11-27T00:00:00Z'), 180);

const beirutCoast: CapPoint[] = [
  { lat: 33.95, lon: 35.55 },
  { lat: 33.95, lon: 35.65 },
  { lat: 33.85, lon: 35.65 },
  { lat: 33.85, lon: 35.55 },
  { lat: 33.95, lon: 35.55 },
];

const area: CapArea = {
  areaDesc: 'Beirut southern suburbs',
  polygon: [beirutCoast],
  circle: [{ center: { lat: 33.8938, lon: 35.5018 }, radiusKm: 20 }],
  geocode: [{ valueName: 'ISO 3166-1', value: 'LB' }],
};

function info(language: string, headline: string, instruction: string): CapInfo {
  return {
    language,
    category: ['Security', 'Safety'],
    event: 'Armed conflict',
    responseType: ['Shelter', 'Prepare'],
    urgency: 'Immediate',
    severity: 'Severe',
    certainty: 'Likely',
    eventCode: [{ valueName: 'haven:level', value: '3' }],
    effective: sent,
    expires: formatCapDateTime(new Date('2026-11-28T00:00:00Z'), 180),
    senderName: 'Embassy in Beirut',
    headline,
    description: `${headline} <details> & "notes"`,
    instruction,
    web: 'https://haven.example.org/alerts/42',
    contact: '+961 1 000 000',
    parameter: [{ valueName: 'haven:drill', value: 'false' }],
    resource: [
      {
        resourceDesc: 'Assembly points map',
        mimeType: 'image/png',
        size: 2048,
        uri: 'https://haven.example.org/m.png',
      },
    ],
    area: [area],
  };
}

const multilingualAlert: CapAlert = {
  identifier: 'haven-2026-0042',
  sender: 'alerts@haven.example.org',
  sent,
  status: 'Actual',
  msgType: 'Alert',
  scope: 'Public',
  addresses: [],
  code: ['haven:alert'],
  references: [],
  incidents: ['lb-2026-crisis'],
  info: [
    info('en', 'Shelter in place', 'Stay indoors, away from windows.'),
    info('ar', 'ابقوا في أماكنكم', 'ابقوا داخل المنازل بعيدًا عن النوافذ.'),
    info('am', 'ባሉበት ይቆዩ', 'ከመስኮቶች ርቀው በቤት ውስጥ ይቆዩ።'),
    info('fil', 'Manatili sa kinaroroonan', 'Manatili sa loob ng bahay, malayo sa mga bintana.'),
  ],
};

const update: CapAlert = {
  ...multilingualAlert,
  identifier: 'haven-2026-0043',
  sent: formatCapDateTime(new Date('2026-11-27T02:00:00Z'), 180),
  msgType: 'Update',
  references: [{ sender: 'alerts@haven.example.org', identifier: 'haven-2026-0042', sent }],
  note: 'Area widened to the airport road.',
};

const cancel: CapAlert = {
  identifier: 'haven-2026-0044',
  sender: 'alerts@haven.example.org',
  sent: formatCapDateTime(new Date('2026-11-27T08:30:00Z'), 180),
  status: 'Actual',
  msgType: 'Cancel',
  scope: 'Public',
  addresses: [],
  code: [],
  references: [
    { sender: 'alerts@haven.example.org', identifier: 'haven-2026-0042', sent },
    { sender: 'alerts@haven.example.org', identifier: 'haven-2026-0043', sent: update.sent },
  ],
  incidents: [],
  note: 'Sent in error.',
  info: [],
};

const drill: CapAlert = {
  ...multilingualAlert,
  identifier: 'haven-drill-7',
  status: 'Exercise',
  scope: 'Restricted',
  restriction: 'Consular staff and wardens only',
  note: 'DRILL: no action required.',
  info: [
    {
      ...info('en', 'DRILL: evacuation exercise', 'Go to the assembly point.'),
      area: [{ ...area, altitude: 0, ceiling: 1200.5 }],
    },
  ],
};

const privateAlert: CapAlert = {
  ...multilingualAlert,
  identifier: 'haven-private-1',
  sent: formatCapDateTime(new Date('2026-11-27T00:00:00Z'), -330),
  scope: 'Private',
  addresses: ['warden-north', 'Ward Coordinator Zone 2'],
  info: [info('ne', 'सुरक्षित स्थानमा रहनुहोस्', 'झ्यालबाट टाढा घरभित्र बस्नुहोस्।')],
};

const samples: Record<string, CapAlert> = {
  'multilingual alert (en, ar, am, fil) with polygon and circle': multilingualAlert,
  'Update with references': update,
  'Cancel of two earlier messages': cancel,
  'Exercise (drill) with Restricted scope and altitude/ceiling': drill,
  'Private scope with quoted addresses and a negative offset': privateAlert,
};

describe('buildCapXml', () => {
  describe('validates against cap12.xsd with xmllint', needsXmllint, () => {
    for (const [name, alert] of Object.entries(samples)) {
      test(name, () => {
        assertSchemaValid(buildCapXml(alert));
      });
    }

    test('xmllint itself refuses a document whose sent uses Z (the check can fail)', () => {
      const xml = buildCapXml(multilingualAlert).replace(
        `<sent>${sent}</sent>`,
        '<sent>2026-11-27T00:00:00Z</sent>',
      );
      assert.equal(validateAgainstCapSchema(xml).valid, false);
    });

    test('random alerts validate', () => {
      fc.assert(
        fc.property(alertArbitrary, (alert) => {
          assertSchemaValid(buildCapXml(alert));
        }),
        { numRuns: 12 },
      );
    });
  });

  describe('round trip: parseCap(buildCapXml(x)) equals x', () => {
    for (const [name, alert] of Object.entries(samples)) {
      test(name, () => {
        assert.deepEqual(parseCap(buildCapXml(alert)), alert);
      });
    }

    test('texts with markup, quotes, "]]>", carriage returns and scripts of many languages', () => {
      const tricky = '<b>Tom & "Jerry"</b> ]]> it\'s a\r\nb\tc — 日本語 ✓ 𝄞 עברית';
      const alert: CapAlert = {
        ...multilingualAlert,
        info: [{ ...info('en', tricky, tricky), senderName: tricky, area: [{ ...area, areaDesc: tricky }] }],
      };
      assert.deepEqual(parseCap(buildCapXml(alert)), alert);
    });

    test('random alerts', () => {
      fc.assert(
        fc.property(alertArbitrary, (alert) => {
          assert.deepEqual(parseCap(buildCapXml(alert)), alert);
        }),
        { numRuns: 150 },
      );
    });
  });

  test('writes the CAP 1.2 namespace, one info block per language, offsets never Z', () => {
    const xml = buildCapXml(multilingualAlert);
    assert.match(
      xml,
      /^<\?xml version="1.0" encoding="UTF-8"\?>\n<alert xmlns="urn:oasis:names:tc:emergency:cap:1.2">/,
    );
    assert.equal(xml.match(/<info>/g)?.length, 4);
    assert.deepEqual(
      [...xml.matchAll(/<language>([^<]+)<\/language>/g)].map((m) => m[1]),
      ['en', 'ar', 'am', 'fil'],
    );
    assert.match(xml, /<sent>2026-11-27T03:00:00\+03:00<\/sent>/);
    assert.doesNotMatch(xml, /\d\dZ</);
  });

  test('closes an open ring by repeating the first point', () => {
    const open = beirutCoast.slice(0, 4);
    const xml = buildCapXml({
      ...multilingualAlert,
      info: [{ ...info('en', 'h', 'i'), area: [{ ...area, polygon: [open] }] }],
    });
    assert.match(xml, /<polygon>33.95,35.55 33.95,35.65 33.85,35.65 33.85,35.55 33.95,35.55<\/polygon>/);
    const parsed = parseCap(xml);
    assert.deepEqual(parsed.info[0]?.area[0]?.polygon[0], beirutCoast);
  });

  test('escapes markup instead of emitting it', () => {
    const xml = buildCapXml({
      ...multilingualAlert,
      info: [{ ...info('en', '</headline><injected/>', 'x'), description: 'a & b' }],
    });
    assert.match(xml, /<headline>&lt;\/headline&gt;&lt;injected\/&gt;<\/headline>/);
    assert.match(xml, /<description>a &amp; b<\/description>/);
    assert.doesNotMatch(xml, /<injected\/>/);
  });

  describe('refuses what CAP or Haven does not allow', () => {
    const cases: [string, CapAlert, CapError['code'], string | undefined][] = [
      ['sent in Z form', { ...multilingualAlert, sent: '2026-11-27T00:00:00Z' }, 'cap.bad_date', 'sent'],
      [
        'expires without offset',
        { ...multilingualAlert, info: [{ ...info('en', 'h', 'i'), expires: '2026-11-27T00:00:00' }] },
        'cap.bad_date',
        'info[0].expires',
      ],
      [
        'two info blocks in one language',
        { ...multilingualAlert, info: [info('en', 'a', 'b'), info('EN', 'c', 'd')] },
        'cap.duplicate_language',
        'info[1].language',
      ],
      ['Update without references', { ...update, references: [] }, 'cap.missing_field', 'references'],
      ['Cancel without references', { ...cancel, references: [] }, 'cap.missing_field', 'references'],
      [
        'Restricted without restriction',
        { ...drill, restriction: undefined },
        'cap.missing_field',
        'restriction',
      ],
      ['Private without addresses', { ...privateAlert, addresses: [] }, 'cap.missing_field', 'addresses'],
      [
        'identifier with a comma',
        { ...multilingualAlert, identifier: 'a,b' },
        'cap.invalid_value',
        'identifier',
      ],
      [
        'reference sender with a space',
        { ...update, references: [{ sender: 'a b', identifier: 'x', sent }] },
        'cap.invalid_value',
        'references[0].sender',
      ],
      [
        'unknown status',
        { ...multilingualAlert, status: 'Rehearsal' as CapAlert['status'] },
        'cap.invalid_value',
        'status',
      ],
      [
        'no category',
        { ...multilingualAlert, info: [{ ...info('en', 'h', 'i'), category: [] }] },
        'cap.missing_field',
        'info[0].category',
      ],
      [
        'bad language tag',
        { ...multilingualAlert, info: [info('english please', 'h', 'i')] },
        'cap.invalid_value',
        'info[0].language',
      ],
      [
        'a control character in a headline',
        { ...multilingualAlert, info: [info('en', 'bell\u0007', 'i')] },
        'cap.invalid_value',
        'info[0].headline',
      ],
      [
        'polygon of two points',
        {
          ...multilingualAlert,
          info: [{ ...info('en', 'h', 'i'), area: [{ ...area, polygon: [beirutCoast.slice(0, 2)] }] }],
        },
        'cap.bad_area',
        'info[0].area[0].polygon[0]',
      ],
      [
        'latitude out of range',
        {
          ...multilingualAlert,
          info: [
            {
              ...info('en', 'h', 'i'),
              area: [{ ...area, circle: [{ center: { lat: 91, lon: 0 }, radiusKm: 1 }] }],
            },
          ],
        },
        'cap.bad_area',
        'info[0].area[0].circle[0]',
      ],
      [
        'negative radius',
        {
          ...multilingualAlert,
          info: [
            {
              ...info('en', 'h', 'i'),
              area: [{ ...area, circle: [{ center: { lat: 1, lon: 1 }, radiusKm: -2 }] }],
            },
          ],
        },
        'cap.bad_area',
        'info[0].area[0].circle[0]',
      ],
      [
        'ceiling without altitude',
        { ...multilingualAlert, info: [{ ...info('en', 'h', 'i'), area: [{ ...area, ceiling: 10 }] }] },
        'cap.missing_field',
        'info[0].area[0].altitude',
      ],
    ];
    for (const [name, alert, code, field] of cases) {
      test(name, () => {
        assert.throws(
          () => buildCapXml(alert),
          (error: unknown) => error instanceof CapError && error.code === code && error.field === field,
        );
      });
    }
  });
});

// Generators for whole alerts. Texts are trimmed and XML-legal because that is the model's canonical
// form: parseCap trims and XML cannot carry control characters.
const text = fc
  .oneof(
    fc.string({ unit: 'grapheme', minLength: 1, maxLength: 24 }),
    fc.constantFrom('<&>"\'', 'a ]]> b', 'line\r\nbreak', 'تحذير', 'ማስጠንቀቂያ', 'Babala'),
  )
  .map((s) => s.trim())
  .filter((s) => s !== '' && findIllegalCharacter(s) === -1);
const token = fc.stringMatching(/^[A-Za-z0-9._:@-]{1,16}$/);
const listItem = fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9 ._-]{0,12}[A-Za-z0-9]$/);
const capDate = fc
  .tuple(
    fc.date({
      min: new Date('1990-01-01T00:00:00Z'),
      max: new Date('2090-01-01T00:00:00Z'),
      noInvalidDate: true,
    }),
    fc.integer({ min: -840, max: 840 }),
  )
  .map(([date, offset]) => formatCapDateTime(date, offset));
const coordinate = (limit: number) =>
  fc.double({ min: -limit, max: limit, noNaN: true, noDefaultInfinity: true }).map((x) => x + 0);
const point = fc.record({ lat: coordinate(90), lon: coordinate(180) }, { noNullPrototype: true });
const ring = fc
  .uniqueArray(point, { minLength: 3, maxLength: 7, selector: (p) => `${p.lat},${p.lon}` })
  .map((points) => [...points, points[0] as CapPoint]);
const pair = fc.record(
  { valueName: text, value: fc.oneof(fc.constant(''), text) },
  { noNullPrototype: true },
);
const areaArbitrary: fc.Arbitrary<CapArea> = fc
  .record(
    {
      areaDesc: text,
      polygon: fc.array(ring, { maxLength: 2 }),
      circle: fc.array(
        fc.record(
          { center: point, radiusKm: fc.double({ min: 0, max: 2000, noNaN: true }).map((x) => x + 0) },
          { noNullPrototype: true },
        ),
        { maxLength: 2 },
      ),
      geocode: fc.array(pair, { maxLength: 2 }),
      altitude: fc.integer({ min: -1000, max: 30000 }),
    },
    { requiredKeys: ['areaDesc', 'polygon', 'circle', 'geocode'], noNullPrototype: true },
  )
  .chain((a) =>
    a.altitude === undefined
      ? fc.constant(a)
      : fc
          .option(
            fc.integer({ min: 0, max: 600_000 }).map((x) => x / 10),
            { nil: undefined },
          )
          .map((ceiling) => (ceiling === undefined ? a : { ...a, ceiling })),
  );
const infoArbitrary = (language: string): fc.Arbitrary<CapInfo> =>
  fc.record(
    {
      language: fc.constant(language),
      category: fc.uniqueArray(fc.constantFrom(...CAP_CATEGORIES), { minLength: 1, maxLength: 3 }),
      event: text,
      responseType: fc.uniqueArray(fc.constantFrom(...CAP_RESPONSE_TYPES), { maxLength: 3 }),
      urgency: fc.constantFrom(...CAP_URGENCIES),
      severity: fc.constantFrom(...CAP_SEVERITIES),
      certainty: fc.constantFrom(...CAP_CERTAINTIES),
      audience: text,
      eventCode: fc.array(pair, { maxLength: 2 }),
      effective: capDate,
      onset: capDate,
      expires: capDate,
      senderName: text,
      headline: text,
      description: text,
      instruction: text,
      web: fc.webUrl(),
      contact: text,
      parameter: fc.array(pair, { maxLength: 2 }),
      resource: fc.array(
        fc.record(
          {
            resourceDesc: text,
            mimeType: fc.constantFrom('image/png', 'application/pdf', 'text/html'),
            size: fc.nat(),
            uri: fc.webUrl(),
            derefUri: fc.base64String({ minLength: 4, maxLength: 16 }),
            digest: fc.stringMatching(/^[0-9a-f]{40}$/),
          },
          { requiredKeys: ['resourceDesc', 'mimeType'], noNullPrototype: true },
        ),
        { maxLength: 2 },
      ),
      area: fc.array(areaArbitrary, { maxLength: 2 }),
    },
    {
      requiredKeys: [
        'language',
        'category',
        'event',
        'responseType',
        'urgency',
        'severity',
        'certainty',
        'eventCode',
        'parameter',
        'resource',
        'area',
      ],
      noNullPrototype: true,
    },
  );
const reference = fc.record({ sender: token, identifier: token, sent: capDate }, { noNullPrototype: true });
const alertArbitrary: fc.Arbitrary<CapAlert> = fc
  .record(
    {
      identifier: token,
      sender: token,
      sent: capDate,
      status: fc.constantFrom(...CAP_STATUSES),
      msgType: fc.constantFrom(...CAP_MSG_TYPES),
      source: text,
      scope: fc.constantFrom(...CAP_SCOPES),
      restriction: text,
      addresses: fc.array(listItem, { minLength: 1, maxLength: 3 }),
      code: fc.array(token, { maxLength: 2 }),
      note: text,
      references: fc.array(reference, { minLength: 1, maxLength: 2 }),
      incidents: fc.array(listItem, { maxLength: 2 }),
      languages: fc.uniqueArray(fc.constantFrom('en', 'ar', 'am', 'fil', 'fr-CA', 'zh-Hant-TW', 'es-419'), {
        maxLength: 3,
      }),
    },
    {
      requiredKeys: [
        'identifier',
        'sender',
        'sent',
        'status',
        'msgType',
        'scope',
        'addresses',
        'code',
        'references',
        'incidents',
        'languages',
      ],
      noNullPrototype: true,
    },
  )
  .chain(({ languages, ...alert }) =>
    fc.tuple(...languages.map(infoArbitrary)).map((infos): CapAlert => {
      const needsReferences = alert.msgType !== 'Alert';
      return {
        ...alert,
        restriction: alert.scope === 'Restricted' ? (alert.restriction ?? 'staff') : alert.restriction,
        references: needsReferences ? alert.references : [],
        info: infos,
      } as CapAlert;
    }),
  )
  .map((alert) => (alert.restriction === undefined ? dropKey(alert, 'restriction') : alert));

function dropKey<T extends object, K extends keyof T>(value: T, key: K): T {
  const copy = { ...value };
  delete copy[key];
  return copy;
}
