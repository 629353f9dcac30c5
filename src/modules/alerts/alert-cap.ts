import { type AlertState, wasIssued } from '../../domain/alerts/lifecycle.ts';
import { buildCapXml } from '../../domain/cap/cap-build.ts';
import { formatCapDateTime } from '../../domain/cap/cap-datetime.ts';
import type {
  CapAlert,
  CapArea,
  CapCategory,
  CapCertainty,
  CapInfo,
  CapPoint,
  CapReference,
  CapResponseType,
  CapSeverity,
  CapUrgency,
  CapValuePair,
} from '../../domain/cap/cap-types.ts';
import type { Position } from '../../domain/geo/target.ts';
import type { AlertTarget } from './alert-target.ts';
import { countryName } from './alert-target.ts';
import type { NamedAreaRecord } from './alerts.repository.ts';
import type { TargetFilters, TargetPolygon } from './alerts.schema.ts';

/** Everything the CAP document of one alert is written from. */
export type AlertCapSource = {
  identifier: string;
  sender: string;
  status: 'Actual' | 'Exercise';
  msgType: 'Alert' | 'Update' | 'Cancel';
  scope: 'Public' | 'Restricted';
  restriction: string | null;
  state: AlertState;
  /** CAP sent, set when the alert was issued. */
  sent: string | null;
  references: CapReference[];
  category: CapCategory[];
  event: string;
  urgency: CapUrgency;
  severity: CapSeverity;
  certainty: CapCertainty;
  responseType: CapResponseType[];
  effective: string | null;
  expires: string | null;
  infos: { language: string; headline: string; description: string | null; instruction: string | null }[];
  target: AlertTarget;
  areas: NamedAreaRecord[];
  /** Countries where the recipients are, for describing drawn shapes. */
  countries: string[];
  askResponse: boolean;
  level: number | null;
};

const ISO_COUNTRY = 'ISO 3166-1 alpha-2';

/** GeoJSON positions are [lon, lat] and may run past ±180 across the antimeridian; CAP wants lat,lon in range. */
function toCapRing(ring: readonly Position[]): CapPoint[] {
  return ring.map((p) => {
    const lon = p[0] ?? 0;
    return { lat: p[1] ?? 0, lon: lon > 180 ? lon - 360 : lon < -180 ? lon + 360 : lon };
  });
}

/**
 * CAP polygons have no holes: each polygon's outer ring is written, so a CAP reader sees the area as the
 * outline it lies in. Haven's own targeting, not the CAP document, decides who is inside.
 */
function outerRings(geometry: TargetPolygon): CapPoint[][] {
  if (geometry.type === 'Polygon') return geometry.coordinates[0] ? [toCapRing(geometry.coordinates[0])] : [];
  return geometry.coordinates.flatMap((polygon) => (polygon[0] ? [toCapRing(polygon[0])] : []));
}

const countryGeocode = (code: string): CapValuePair => ({ valueName: ISO_COUNTRY, value: code });

function describeWhere(countries: readonly string[]): string {
  return countries.length ? ` (${countries.map(countryName).join(', ')})` : '';
}

/** One CAP <area> per country, named area, drawn polygon and circle, each with a readable areaDesc. */
export function capAreas(source: Pick<AlertCapSource, 'target' | 'areas' | 'countries'>): CapArea[] {
  const { target, areas, countries } = source;
  const where = describeWhere(countries);
  return [
    ...target.countries.map((code) => ({
      areaDesc: countryName(code),
      polygon: [],
      circle: [],
      geocode: [countryGeocode(code)],
    })),
    ...areas.map((a) => ({
      areaDesc: `${a.name}, ${countryName(a.country)}`,
      polygon: outerRings(a.geometry as TargetPolygon),
      circle: [],
      geocode: [countryGeocode(a.country)],
    })),
    ...target.polygons.map((p, i) => ({
      areaDesc: `Area drawn on the map${target.polygons.length > 1 ? ` ${i + 1}` : ''}${where}`,
      polygon: outerRings(p),
      circle: [],
      geocode: [],
    })),
    ...target.circles.map((c) => ({
      areaDesc: `Within ${Number((c.radiusMeters / 1000).toFixed(3))} km of ${c.center[1]}, ${c.center[0]}${where}`,
      polygon: [],
      circle: [{ center: { lat: c.center[1] ?? 0, lon: c.center[0] ?? 0 }, radiusKm: c.radiusMeters / 1000 }],
      geocode: [],
    })),
  ];
}

/** The filters in words, as CAP's <audience>; absent when the alert goes to everyone in the area. */
export function describeAudience(filters: TargetFilters): string | undefined {
  const parts: string[] = [];
  if (filters.languages?.length) parts.push(`reading ${filters.languages.join(', ')}`);
  if (filters.sexes?.length) parts.push(`sex ${filters.sexes.join(', ')}`);
  if (filters.ageBands?.length) parts.push(`aged ${filters.ageBands.join(', ')}`);
  if (filters.vulnerabilities?.length) parts.push(`with ${filters.vulnerabilities.join(', ')}`);
  if (filters.householdHeadsOnly) parts.push('heads of household');
  if (filters.employerIds?.length) parts.push(`of ${filters.employerIds.length} named employer(s)`);
  return parts.length ? `Registered nationals: ${parts.join('; ')}` : undefined;
}

/**
 * The alert as a CAP message. An alert not yet issued is written with status Draft (CAP's "not
 * actionable") and the time of writing as sent, with a note saying what it will be; an issued alert
 * carries its own status (Exercise for a drill), its sent time and its references.
 */
export function toCapAlert(source: AlertCapSource, now: Date): CapAlert {
  const issued = wasIssued(source.state) && source.sent !== null;
  const area = capAreas(source);
  const audience = describeAudience(source.target.filters);
  const parameter: CapValuePair[] = source.askResponse
    ? [{ valueName: 'haven:response-requested', value: 'safe need-help' }]
    : [];
  const eventCode: CapValuePair[] =
    source.level !== null ? [{ valueName: 'haven:alert-level', value: String(source.level) }] : [];
  const notes: string[] = [];
  if (source.status === 'Exercise') notes.push('EXERCISE: this is a drill, not a real alert.');
  if (!issued)
    notes.push(`Not issued: this alert is ${source.state}; when issued its status will be ${source.status}.`);
  const info: CapInfo[] = source.infos.map((i) => ({
    language: i.language,
    category: source.category,
    event: source.event,
    responseType: source.responseType,
    urgency: source.urgency,
    severity: source.severity,
    certainty: source.certainty,
    ...(audience ? { audience } : {}),
    eventCode,
    ...(source.effective ? { effective: source.effective } : {}),
    ...(source.expires ? { expires: source.expires } : {}),
    headline: i.headline,
    ...(i.description ? { description: i.description } : {}),
    ...(i.instruction ? { instruction: i.instruction } : {}),
    parameter,
    resource: [],
    area,
  }));
  return {
    identifier: source.identifier,
    sender: source.sender,
    sent: issued && source.sent ? source.sent : formatCapDateTime(now),
    status: issued ? source.status : 'Draft',
    msgType: source.msgType,
    scope: source.scope,
    ...(source.scope === 'Restricted' && source.restriction ? { restriction: source.restriction } : {}),
    addresses: [],
    code: [],
    ...(notes.length ? { note: notes.join(' ') } : {}),
    references: source.references,
    incidents: [],
    info,
  };
}

/** The CAP 1.2 document of an alert (see toCapAlert). Throws CapError when the content cannot be CAP. */
export function alertCapXml(source: AlertCapSource, now: Date): string {
  return buildCapXml(toCapAlert(source, now));
}
