import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { csvField, type Manifest, renderManifestCsv, renderManifestHtml } from './manifest.ts';

const manifest: Manifest = {
  crisis: 'Flood <test>',
  country: 'AE',
  leg: {
    id: '01900000-0000-7000-8000-000000000002',
    mode: 'bus',
    origin: 'Community hall',
    destination: 'Border "North"',
    departsAt: '2026-06-01T10:00:00.000Z',
    status: 'scheduled',
    seats: 40,
    medicalSeats: 2,
  },
  generatedAt: '2026-06-01T08:00:00.000Z',
  entries: [
    {
      personId: '01900000-0000-7000-8000-000000000003',
      familyName: 'Reyes, Jr',
      givenNames: '=HYPERLINK("x")',
      household: 'Reyes household',
      seat: 'medical',
      assemblyPoint: 'Community hall',
      documentStatus: 'lost',
      etdReadyAt: '2026-06-01T06:00:00.000Z',
      boardedAt: null,
    },
    {
      personId: '01900000-0000-7000-8000-000000000004',
      familyName: null,
      givenNames: '<script>alert(1)</script>',
      household: null,
      seat: 'regular',
      assemblyPoint: 'Community hall',
      documentStatus: 'with_person',
      etdReadyAt: null,
      boardedAt: '2026-06-01T09:30:00.000Z',
    },
  ],
};

describe('manifest', () => {
  test('CSV has a header, one line per person, quoting and no live formulas', () => {
    const lines = renderManifestCsv(manifest).split('\r\n');
    assert.equal(
      lines[0],
      'seq,person_id,family_name,given_names,household,seat,assembly_point,document_status,etd_ready_at,boarded,boarded_at',
    );
    assert.equal(lines.length, 4, 'header, two people, final line end');
    assert.ok(
      lines[1]!.startsWith('1,01900000-0000-7000-8000-000000000003,"Reyes, Jr","\'=HYPERLINK(""x"")"'),
    );
    assert.ok(lines[1]!.includes(',medical,'));
    assert.ok(lines[2]!.endsWith(',yes,2026-06-01T09:30:00.000Z'));
    assert.equal(csvField('-5'), "'-5");
    assert.equal(csvField(-5), '-5');
  });

  test('HTML escapes every value, has print styles and no script', () => {
    const html = renderManifestHtml(manifest);
    assert.ok(html.includes('@media print'));
    assert.ok(!/<script/i.test(html));
    assert.ok(html.includes('&lt;script&gt;alert(1)&lt;/script&gt;'));
    assert.ok(html.includes('Flood &lt;test&gt;'));
    assert.ok(html.includes('Border &quot;North&quot;'));
    assert.ok(html.includes('Medical seat'));
    assert.ok(html.includes('2 of 40 seats (1 of 2 medical)'));
  });
});
