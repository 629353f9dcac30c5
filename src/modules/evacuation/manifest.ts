// A leg's manifest as CSV (for airlines, bus companies and border posts) and as a print-ready HTML
// page. It lists who travels, with their household and seat kind; the only health fact it shows is
// that someone travels in a medical place.

export type ManifestEntry = {
  personId: string;
  familyName: string | null;
  givenNames: string;
  household: string | null;
  seat: string;
  assemblyPoint: string;
  documentStatus: string;
  etdReadyAt: string | null;
  boardedAt: string | null;
};

export type Manifest = {
  crisis: string;
  country: string;
  leg: {
    id: string;
    mode: string;
    origin: string;
    destination: string;
    departsAt: string;
    status: string;
    seats: number;
    medicalSeats: number;
  };
  generatedAt: string;
  entries: ManifestEntry[];
};

const CSV_HEADER = [
  'seq',
  'person_id',
  'family_name',
  'given_names',
  'household',
  'seat',
  'assembly_point',
  'document_status',
  'etd_ready_at',
  'boarded',
  'boarded_at',
];

/**
 * One CSV field: quoted when it holds a separator, a quote or a line break; a leading `=`, `+`, `-`,
 * `@`, tab or carriage return is defused with an apostrophe so that a spreadsheet never runs it as a
 * formula.
 */
export function csvField(value: string | number | null): string {
  if (value === null) return '';
  let text = String(value);
  if (typeof value === 'string' && /^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** The manifest as CSV (RFC 4180, CRLF line ends) with a header line. */
export function renderManifestCsv(manifest: Manifest): string {
  const lines = [CSV_HEADER.join(',')];
  manifest.entries.forEach((e, index) => {
    lines.push(
      [
        index + 1,
        e.personId,
        e.familyName,
        e.givenNames,
        e.household,
        e.seat,
        e.assemblyPoint,
        e.documentStatus,
        e.etdReadyAt,
        e.boardedAt ? 'yes' : 'no',
        e.boardedAt,
      ]
        .map(csvField)
        .join(','),
    );
  });
  return `${lines.join('\r\n')}\r\n`;
}

const ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/** Text made safe for HTML content and quoted attribute values. */
export const escapeHtml = (text: string): string => text.replace(/[&<>"']/g, (c) => ESCAPES[c]!);

const DOCUMENT_LABELS: Record<string, string> = {
  with_person: 'Passport',
  held_by_employer: 'ETD (passport held by employer)',
  lost: 'ETD (passport lost)',
  none: 'ETD (no passport)',
  unknown: 'ETD (status unknown)',
};

const readableTime = (iso: string) => iso.replace('T', ' ').replace(/:\d\d(\.\d+)?Z$/, ' UTC');

/**
 * The manifest as a print-ready page: no script, every value escaped, a table that repeats its
 * header on each printed page, and a tick box and signature lines for the officer at the door.
 */
export function renderManifestHtml(manifest: Manifest): string {
  const { leg } = manifest;
  const medical = manifest.entries.filter((e) => e.seat === 'medical').length;
  const boarded = manifest.entries.filter((e) => e.boardedAt !== null).length;
  const rows = manifest.entries
    .map((e, index) => {
      const document = DOCUMENT_LABELS[e.documentStatus] ?? e.documentStatus;
      const etd = e.etdReadyAt ? ` — ready ${readableTime(e.etdReadyAt)}` : '';
      return `<tr>
<td class="num">${index + 1}</td>
<td><strong>${escapeHtml(e.familyName ?? '')}</strong> ${escapeHtml(e.givenNames)}</td>
<td>${escapeHtml(e.household ?? '—')}</td>
<td>${e.seat === 'medical' ? '<span class="medical">Medical seat</span>' : 'Seat'}</td>
<td>${escapeHtml(e.assemblyPoint)}</td>
<td>${escapeHtml(document + etd)}</td>
<td class="box">${e.boardedAt ? '&#x2611;' : '&#x2610;'}</td>
</tr>`;
    })
    .join('\n');
  const title = `Manifest: ${leg.mode} to ${leg.destination}`;
  return `<!doctype html>
<html lang="en" dir="ltr">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>
body{font-family:system-ui,sans-serif;margin:1.5rem;color:#000;line-height:1.35}
h1{font-size:1.4rem;margin:0 0 .25rem}
.facts{display:grid;grid-template-columns:repeat(auto-fit,minmax(12rem,1fr));gap:.25rem 1rem;margin:.5rem 0 1rem;padding:0}
.facts div{margin:0}.facts dt{font-size:.75rem;text-transform:uppercase;color:#444}.facts dd{margin:0;font-weight:600}
table{border-collapse:collapse;width:100%;font-size:.9rem}
th,td{border:1px solid #888;padding:.3rem .4rem;text-align:left;vertical-align:top}
thead th{background:#eee}
.num{text-align:right;width:2.5rem}.box{text-align:center;font-size:1.2rem;width:3rem}
.medical{font-weight:700}
.sign{display:flex;gap:3rem;margin-top:2rem}.sign div{flex:1;border-top:1px solid #000;padding-top:.25rem;font-size:.8rem}
.confidential{font-size:.8rem;color:#444}
@media print{
  @page{size:A4;margin:12mm}
  body{margin:0;font-size:10pt}
  thead{display:table-header-group}
  tr{break-inside:avoid}
  thead th{background:none}
  .facts{grid-template-columns:repeat(3,1fr)}
}
</style>
</head>
<body>
<h1>${escapeHtml(title)}</h1>
<p class="confidential">Confidential: personal data of evacuees. Keep with the crew; destroy after arrival is confirmed.</p>
<dl class="facts">
<div><dt>Operation</dt><dd>${escapeHtml(manifest.crisis)} (${escapeHtml(manifest.country)})</dd></div>
<div><dt>Leg</dt><dd>${escapeHtml(leg.id)}</dd></div>
<div><dt>From</dt><dd>${escapeHtml(leg.origin)}</dd></div>
<div><dt>Departs</dt><dd><time datetime="${escapeHtml(leg.departsAt)}">${escapeHtml(readableTime(leg.departsAt))}</time></dd></div>
<div><dt>Status</dt><dd>${escapeHtml(leg.status)}</dd></div>
<div><dt>Passengers</dt><dd>${manifest.entries.length} of ${leg.seats} seats (${medical} of ${leg.medicalSeats} medical)</dd></div>
<div><dt>Boarded</dt><dd>${boarded}</dd></div>
<div><dt>Printed</dt><dd>${escapeHtml(readableTime(manifest.generatedAt))}</dd></div>
</dl>
<table>
<thead><tr><th class="num">#</th><th>Name</th><th>Household</th><th>Seat</th><th>Assembly point</th><th>Travel document</th><th>Aboard</th></tr></thead>
<tbody>
${rows || '<tr><td colspan="7">Nobody is assigned to this leg.</td></tr>'}
</tbody>
</table>
<div class="sign"><div>Officer (name, signature)</div><div>Crew (name, signature)</div><div>Head count at departure</div></div>
</body>
</html>
`;
}
