import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, test } from 'node:test';
import { CapError, type CapErrorCode } from './cap-error.ts';
import { CAP_DEFAULT_MAX_BYTES, parseCap } from './cap-parse.ts';

// Shared fixtures sit beside the repository (<repo>/../shared/fixtures/cap); Haven's own under test/fixtures.
const sharedFixture = (name: string) =>
  readFileSync(new URL(`../../../../shared/fixtures/cap/${name}`, import.meta.url), 'utf8');
const ownFixture = (name: string) =>
  readFileSync(new URL(`../../../test/fixtures/cap/${name}`, import.meta.url), 'utf8');

function rejects(xml: string, code: CapErrorCode, field?: string, message?: RegExp): void {
  assert.throws(
    () => parseCap(xml),
    (error: unknown) => {
      assert.ok(error instanceof CapError, `expected a CapError, got ${String(error)}`);
      assert.equal(error.code, code, error.message);
      if (field !== undefined) assert.equal(error.field, field);
      if (message) assert.match(error.message, message);
      return true;
    },
  );
}

const NS = 'urn:oasis:names:tc:emergency:cap:1.2';

/** A minimal valid CAP 1.2 message whose parts a test can replace. */
function minimal({
  ns = NS,
  sent = '2026-11-27T03:00:00+03:00',
  info = '<info><category>Safety</category><event>Unrest</event><urgency>Expected</urgency><severity>Moderate</severity><certainty>Likely</certainty></info>',
  scope = '<scope>Public</scope>',
} = {}): string {
  return `<?xml version="1.0" encoding="UTF-8"?>
<alert xmlns="${ns}"><identifier>x-1</identifier><sender>s@example.org</sender><sent>${sent}</sent>
<status>Actual</status><msgType>Alert</msgType>${scope}${info}</alert>`;
}

describe('parseCap on real-world fixtures', () => {
  test('australia.cap (prefixed CAP 1.2, circle, empty <value/>) parses', () => {
    const alert = parseCap(sharedFixture('australia.cap'));
    assert.equal(alert.identifier, 'tag:www.rfs.nsw.gov.au2011-10-06:40184');
    assert.equal(alert.sent, '2011-10-05T23:04:00+10:00');
    assert.deepEqual(alert.code, ['urn:oasis:names:tc:emergency:cap:1.2:profile:CAP-AU:1.0']);
    assert.equal(alert.info.length, 2);
    const first = alert.info[0];
    assert.deepEqual(first?.category, ['Fire', 'Met']);
    assert.deepEqual(first?.responseType, ['Evacuate']);
    assert.equal(first?.language, 'en-AU');
    assert.deepEqual(first?.eventCode[1], {
      valueName: 'non-standard secondary event code',
      value: 'structure_fire',
    });
    assert.deepEqual(
      first?.parameter.find((p) => p.valueName === 'AllocatedResources'),
      { valueName: 'AllocatedResources', value: '' },
    );
    assert.match(first?.description ?? '', /^ALERT LEVEL: Not Applicable<br \/>LOCATION: 12 Cox Street/);
    assert.deepEqual(first?.resource, [
      {
        resourceDesc: 'map',
        mimeType: 'text/html',
        uri: 'http://www.rfs.nsw.gov.au/dsp_content.cfm?CAT_ID=683',
      },
    ]);
    assert.deepEqual(first?.area[0]?.circle, [{ center: { lat: -35.3888, lon: 147.0598 }, radiusKm: 25 }]);
    assert.deepEqual(alert.info[1]?.area[0]?.geocode, [
      { valueName: 'http://www.psma.com.au/?product=postcode-boundaries', value: '2642' },
    ]);
  });

  test('canada.cap (bilingual Update with references and polygons) parses', () => {
    const alert = parseCap(sharedFixture('canada.cap'));
    assert.equal(alert.msgType, 'Update');
    assert.equal(alert.source, 'Environment Canada - Environnement Canada - Toronto (CWTO)');
    assert.equal(alert.restriction, undefined, 'an empty <restriction/> is absent');
    assert.equal('note' in alert, false);
    assert.deepEqual(alert.addresses, []);
    assert.deepEqual(alert.references, [
      { sender: 'cap@ec.gc.ca', identifier: '2.49.0.1.124.a3f342a4.2012', sent: '2012-05-02T21:45:05-00:00' },
      { sender: 'cap@ec.gc.ca', identifier: '2.49.0.1.124.60f31a3a.2012', sent: '2012-05-02T21:55:21-00:00' },
    ]);
    assert.deepEqual(
      alert.info.map((i) => [i.language, i.headline]),
      [
        ['en-CA', 'severe thunderstorm watch'],
        ['fr-CA', "veille d'orages violents"],
      ],
    );
    const french = alert.info[1];
    assert.equal(french?.area[0]?.areaDesc, "Windsor - Leamington - comté d'Essex");
    const ring = french?.area[0]?.polygon[0] ?? [];
    assert.equal(ring.length, 17);
    assert.deepEqual(ring[0], { lat: 42.3481, lon: -82.9314 });
    assert.deepEqual(ring[0], ring[ring.length - 1]);
    assert.equal(french?.area[0]?.geocode.length, 10);
  });

  test('invalid.cap is refused, naming the missing scope', () => {
    rejects(sharedFixture('invalid.cap'), 'cap.missing_field', 'scope', /scope is required/);
  });

  test('xee.cap is refused as a DTD, never expanding "&xxe;"', () => {
    rejects(sharedFixture('xee.cap'), 'cap.dtd_forbidden');
  });

  test('xee.cap pointed at a live loopback server causes no request', async () => {
    let requests = 0;
    const server = createServer((_req, res) => {
      requests += 1;
      res.end('<!ENTITY send SYSTEM "http://127.0.0.1/leak">');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = server.address() as AddressInfo;
      const xml = sharedFixture('xee.cap').replaceAll('localhost:8080', `127.0.0.1:${port}`);
      assert.ok(xml.includes(`127.0.0.1:${port}`));
      rejects(xml, 'cap.dtd_forbidden');
      // Give any stray connection a turn of the event loop to arrive.
      await new Promise((resolve) => setImmediate(resolve));
      assert.equal(requests, 0);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });

  test('the CAP domain code imports nothing that can reach the network or the file system', () => {
    const folder = new URL('./', import.meta.url);
    const sources = readdirSync(folder).filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'));
    assert.ok(sources.includes('cap-parse.ts'));
    for (const file of sources) {
      const code = readFileSync(new URL(file, folder), 'utf8');
      const imports = [...code.matchAll(/from '([^']+)'/g)].map((m) => m[1] ?? '');
      for (const specifier of imports) {
        assert.ok(specifier.startsWith('./') || specifier === 'geojson', `${file} imports ${specifier}`);
      }
      assert.doesNotMatch(code, /\b(require|import)\s*\(/, `${file} loads code dynamically`);
    }
  });
});

describe('parseCap on CAP 1.1', () => {
  test('maps a CAP 1.1 message to the same model', () => {
    const alert = parseCap(ownFixture('cap11-earthquake.cap'));
    assert.equal(alert.identifier, 'HCSA-EQ-2026-0042');
    assert.deepEqual(alert.incidents, ['EQ-2026-03-14', 'coastal aftershocks']);
    const info = alert.info[0];
    assert.equal(info?.certainty, 'Likely', '"Very Likely" is read as "Likely"');
    assert.deepEqual(info?.category, ['Geo', 'Safety']);
    assert.equal(info?.headline, 'Strong earthquake: aftershocks & landslides likely');
    assert.equal(
      info?.description,
      'A magnitude 6.8 earthquake struck at 06:05 <local time>. Aftershocks & landslides are likely.',
    );
    assert.equal(
      info?.instruction,
      'Leave damaged buildings. Keep away from steep slopes \u2013 do not return until told.',
    );
    assert.equal(info?.onset, '2026-03-14T06:05:00+03:00');
    assert.deepEqual(info?.resource[0]?.size, 48213);
    assert.equal(info?.area[0]?.polygon[0]?.length, 5);
    assert.deepEqual(info?.area[1], {
      areaDesc: 'Epicentre',
      polygon: [],
      circle: [{ center: { lat: 36.7, lon: 27.4 }, radiusKm: 20 }],
      geocode: [],
      altitude: 0,
      ceiling: 1500.5,
    });
  });

  test('"Very Likely" is not accepted in a CAP 1.2 message', () => {
    rejects(
      minimal({
        info: '<info><category>Met</category><event>e</event><urgency>Past</urgency><severity>Minor</severity><certainty>Very Likely</certainty></info>',
      }),
      'cap.invalid_value',
      'info[0].certainty',
    );
  });
});

describe('parseCap refuses bad input with a coded error', () => {
  test('a minimal message parses, language defaulting to en-US', () => {
    const alert = parseCap(minimal());
    assert.equal(alert.info[0]?.language, 'en-US');
    assert.deepEqual(alert.info[0]?.area, []);
  });

  test('wrong namespace', () => {
    rejects(
      minimal({ ns: 'urn:oasis:names:tc:emergency:cap:1.0' }),
      'cap.bad_namespace',
      undefined,
      /cap:1\.0/,
    );
    rejects(minimal({ ns: 'http://example.org/alerts' }), 'cap.bad_namespace');
  });

  test('no namespace at all', () => {
    rejects(minimal().replace(` xmlns="${NS}"`, ''), 'cap.bad_namespace', undefined, /no namespace/);
  });

  test('CAP elements in a foreign namespace do not count', () => {
    const xml = minimal({ scope: '<scope xmlns="http://example.org/other">Public</scope>' });
    rejects(xml, 'cap.missing_field', 'scope');
  });

  test('a root other than <alert>', () => {
    rejects(`<info xmlns="${NS}"/>`, 'cap.missing_field', 'alert');
  });

  test('bad dates', () => {
    rejects(minimal({ sent: '2026-02-30T10:00:00+00:00' }), 'cap.bad_date', 'sent');
    rejects(minimal({ sent: '2026-11-27T03:00:00' }), 'cap.bad_date', 'sent', /offset/);
    rejects(minimal({ sent: 'yesterday' }), 'cap.bad_date', 'sent');
    rejects(minimal({ sent: '2026-11-27T24:00:00+00:00' }), 'cap.bad_date', 'sent');
    rejects(minimal({ sent: '2026-11-27T03:00:00+15:00' }), 'cap.bad_date', 'sent');
  });

  test("agency dates in 'Z' form or with fractions are rewritten in CAP 1.2 form", () => {
    assert.equal(parseCap(minimal({ sent: '2026-11-27T03:00:00Z' })).sent, '2026-11-27T03:00:00+00:00');
    assert.equal(
      parseCap(minimal({ sent: '2026-11-27T03:00:00.250-05:00' })).sent,
      '2026-11-27T03:00:00-05:00',
    );
  });

  test('a bad reference date names the reference', () => {
    const xml = minimal({
      scope: '<scope>Public</scope><references>a,b,2026-99-01T00:00:00+00:00</references>',
    });
    rejects(xml, 'cap.bad_date', 'references[0].sent');
  });

  test('a malformed reference', () => {
    const xml = minimal({ scope: '<scope>Public</scope><references>a,b</references>' });
    rejects(xml, 'cap.invalid_value', 'references');
  });

  test('invalid enumeration values', () => {
    rejects(
      minimal({ scope: '<scope>Everyone</scope>' }),
      'cap.invalid_value',
      'scope',
      /Public, Restricted, Private/,
    );
    rejects(minimal({ scope: '<scope>public</scope>' }), 'cap.invalid_value', 'scope');
    const info =
      '<info><category>Met</category><category>Weather</category><event>e</event><urgency>Past</urgency><severity>Minor</severity><certainty>Likely</certainty></info>';
    rejects(minimal({ info }), 'cap.invalid_value', 'info[0].category[1]');
  });

  test('missing fields are named with their path', () => {
    rejects(
      minimal({
        info: '<info><category>Met</category><urgency>Past</urgency><severity>Minor</severity><certainty>Likely</certainty></info>',
      }),
      'cap.missing_field',
      'info[0].event',
    );
    rejects(
      minimal({
        info: '<info><category>Met</category><event>e</event><urgency>Past</urgency><severity>Minor</severity><certainty>Likely</certainty><area><polygon>1,1 1,2 2,2 1,1</polygon></area></info>',
      }),
      'cap.missing_field',
      'info[0].area[0].areaDesc',
    );
    rejects(
      minimal({
        info: '<info><event>e</event><urgency>Past</urgency><severity>Minor</severity><certainty>Likely</certainty></info>',
      }),
      'cap.missing_field',
      'info[0].category',
    );
  });

  test('an element CAP allows once, given twice', () => {
    rejects(
      minimal({ scope: '<scope>Public</scope><scope>Private</scope>' }),
      'cap.invalid_value',
      'scope',
      /2 times/,
    );
  });

  test('bad polygons and circles', () => {
    const withArea = (area: string) =>
      minimal({
        info: `<info><category>Met</category><event>e</event><urgency>Past</urgency><severity>Minor</severity><certainty>Likely</certainty><area><areaDesc>a</areaDesc>${area}</area></info>`,
      });
    const field = 'info[0].area[0].polygon[0]';
    rejects(withArea('<polygon>1,1 1,2 2,2 2,1</polygon>'), 'cap.bad_area', field, /not closed/);
    rejects(withArea('<polygon>1,1 1,2 1,1</polygon>'), 'cap.bad_area', field, /at least 4/);
    rejects(withArea('<polygon>1,1 1,2 1,1 1,2 1,1</polygon>'), 'cap.bad_area', field, /distinct/);
    rejects(withArea('<polygon>1,1 1,200 2,2 1,1</polygon>'), 'cap.bad_area', field, /longitude 200/);
    rejects(withArea('<polygon>1;1 1,2 2,2 1;1</polygon>'), 'cap.bad_area', field, /lat,lon/);
    rejects(withArea('<circle>1,1</circle>'), 'cap.bad_area', 'info[0].area[0].circle[0]');
    rejects(withArea('<circle>95,1 10</circle>'), 'cap.bad_area', 'info[0].area[0].circle[0]', /latitude 95/);
    rejects(withArea('<circle>1,1 -3</circle>'), 'cap.bad_area', 'info[0].area[0].circle[0]');
    rejects(withArea('<altitude>high</altitude>'), 'cap.invalid_value', 'info[0].area[0].altitude');
  });

  test('a bad resource size', () => {
    const info =
      '<info><category>Met</category><event>e</event><urgency>Past</urgency><severity>Minor</severity><certainty>Likely</certainty><resource><resourceDesc>m</resourceDesc><mimeType>image/png</mimeType><size>12kB</size></resource></info>';
    rejects(minimal({ info }), 'cap.invalid_value', 'info[0].resource[0].size');
  });

  test('not well-formed XML, with its line', () => {
    rejects(minimal().replace('</alert>', ''), 'cap.malformed', undefined, /<alert> is not closed/);
    rejects(minimal().replace('</sender>', '</sendr>'), 'cap.malformed', undefined, /line 2/);
    rejects(minimal().replace('x-1', 'x & 1'), 'cap.malformed', undefined, /&amp;/);
    rejects('', 'cap.malformed');
    rejects('not xml at all', 'cap.malformed');
  });

  test('an undeclared entity is malformed, not expanded or kept', () => {
    rejects(minimal().replace('x-1', 'x-1&xxe;'), 'cap.malformed', undefined, /&xxe;/);
  });

  test('documents over the size limit, counted in UTF-8 bytes', () => {
    const padding = (n: number) => `<!--${'x'.repeat(n)}-->`;
    const big = minimal() + padding(CAP_DEFAULT_MAX_BYTES);
    rejects(big, 'cap.too_large');
    const small = minimal();
    const bytes = new TextEncoder().encode(small).length;
    assert.doesNotThrow(() => parseCap(small, { maxBytes: bytes }));
    assert.throws(() => parseCap(small, { maxBytes: bytes - 1 }), { code: 'cap.too_large' });
    // Arabic letters take two bytes each: 400 characters are 800 bytes.
    const arabic = `${small}<!--${'ب'.repeat(400)}-->`;
    const arabicBytes = new TextEncoder().encode(arabic).length;
    assert.equal(arabicBytes, bytes + 7 + 800);
    assert.doesNotThrow(() => parseCap(arabic, { maxBytes: arabicBytes }));
    assert.throws(() => parseCap(arabic, { maxBytes: arabicBytes - 1 }), { code: 'cap.too_large' });
  });

  test('a DOCTYPE without entities is still refused', () => {
    rejects(minimal().replace('<alert', '<!DOCTYPE alert>\n<alert'), 'cap.dtd_forbidden');
  });

  test('the "billion laughs" entity bomb is refused before expansion', () => {
    const bomb = `<?xml version="1.0"?>
<!DOCTYPE alert [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
]>
<alert xmlns="${NS}"><identifier>&lol3;</identifier></alert>`;
    rejects(bomb, 'cap.dtd_forbidden');
  });

  test('an XML signature and unknown extensions are ignored', () => {
    const xml = minimal().replace(
      '</alert>',
      '<Signature xmlns="http://www.w3.org/2000/09/xmldsig#"><SignedInfo/></Signature></alert>',
    );
    assert.equal(parseCap(xml).identifier, 'x-1');
  });
});
