import type { Transaction } from 'kysely';
import type { Database } from '../../db/database.ts';
import type { DB } from '../../db/schema.ts';
import type { Viewer } from '../../domain/access/policy.ts';
import { parseCapDateTime } from '../../domain/cap/cap-datetime.ts';
import { CapError } from '../../domain/cap/cap-error.ts';
import { capAreaToGeoJson } from '../../domain/cap/cap-geometry.ts';
import { CAP_DEFAULT_MAX_BYTES, parseCap } from '../../domain/cap/cap-parse.ts';
import {
  CAP_NAMESPACE_1_1,
  type CapAlert,
  type CapArea,
  type CapCategory,
  type CapCertainty,
  type CapInfo,
  type CapReference,
  type CapResponseType,
  type CapSeverity,
  type CapUrgency,
  type CapValuePair,
} from '../../domain/cap/cap-types.ts';
import { readXmlDocument } from '../../domain/cap/xml-reader.ts';
import { GeoError } from '../../domain/geo/geo-error.ts';
import { validateTarget } from '../../domain/geo/prepared-target.ts';
import type { TargetShape } from '../../domain/geo/target.ts';
import { checkSmsLength } from '../../domain/messaging/sms-encoding.ts';
import { canonicalLanguageTag } from '../../domain/reference/languages.ts';
import { AppError } from '../../errors.ts';
import { newId } from '../../lib/ids.ts';
import { countTargetRecipients } from '../alerts/alert-recipients.ts';
import type {
  AlertCreate,
  AlertInfoBody,
  AlertView,
  TargetCircle,
  TargetPolygon,
} from '../alerts/alerts.schema.ts';
import { type AlertsEnv, draftAlert } from '../alerts/alerts.service.ts';
import { appendAudit } from '../audit/audit.service.ts';
import {
  findIncident,
  findIncidentAreas,
  findIncidentBySource,
  insertIncident,
  listIncidents,
  setIncidentDraftAlert,
} from './cap.repository.ts';
import type {
  DraftFromIncidentBody,
  IncidentInfoView,
  IncidentListQuery,
  IncidentSummaryView,
  IncidentView,
} from './cap.schema.ts';
import type { IncidentAreaRow, IncidentAreaTable, IncidentRow } from './cap.table.ts';

/** Who imports: a signed-in user through the API, or an operator at the command line. */
export type ImportActor = { via: 'api'; viewer: Viewer; ip: string | null } | { via: 'cli' };

/** Largest CAP document accepted, in bytes. */
export const CAP_IMPORT_MAX_BYTES = CAP_DEFAULT_MAX_BYTES;

type StoredShape = TargetPolygon | (TargetCircle & { type: 'Circle' });

/** A CapError as the API answers it: 413 for size, 422 for everything else, with the field concerned. */
export function capProblem(e: CapError): AppError {
  const status = e.code === 'cap.too_large' ? 413 : 422;
  return new AppError(e.code, e.message, status, {
    errors: [{ code: e.code, field: e.field ?? 'body', message: e.message }],
  });
}

type AreaOutcome = Omit<IncidentAreaTable, 'incident_id'>;

/**
 * Each area of each info block as targeting shapes. An area that fails the geometry checks (or has no
 * polygon or circle, only geocodes) is kept with its error instead of failing the import: the officer
 * sees what was left out. An area repeated across info blocks (one block per language) is kept once,
 * with the geocodes of every copy.
 */
function convertAreas(alert: CapAlert): AreaOutcome[] {
  const seen = new Map<string, { outcome: AreaOutcome; geocodes: CapValuePair[] }>();
  const out: { outcome: AreaOutcome; geocodes: CapValuePair[] }[] = [];
  alert.info.forEach((info, infoIndex) => {
    info.area.forEach((area, areaIndex) => {
      const key = JSON.stringify([area.areaDesc, area.polygon, area.circle]);
      const earlier = seen.get(key);
      if (earlier) {
        for (const g of area.geocode) {
          if (!earlier.geocodes.some((e) => e.valueName === g.valueName && e.value === g.value))
            earlier.geocodes.push(g);
        }
        return;
      }
      const entry = {
        outcome: convertArea(area, infoIndex, areaIndex, out.length),
        geocodes: [...area.geocode],
      };
      seen.set(key, entry);
      out.push(entry);
    });
  });
  return out.map(({ outcome, geocodes }) => ({ ...outcome, geocodes: JSON.stringify(geocodes) }));
}

function convertArea(area: CapArea, infoIndex: number, areaIndex: number, position: number): AreaOutcome {
  const base = { position, info_index: infoIndex, area_desc: area.areaDesc, geocodes: '[]' };
  const shapes = capAreaToGeoJson(area) as StoredShape[];
  if (shapes.length === 0) {
    return {
      ...base,
      shapes: null,
      error_code: 'cap.area_no_shape',
      error_message: 'The area is given by geocodes only; draw it or pick a named area to target it',
    };
  }
  for (const [i, shape] of shapes.entries()) {
    try {
      validateTarget([shape as TargetShape]);
    } catch (e) {
      if (!(e instanceof GeoError)) throw e;
      const where = `info[${infoIndex}].area[${areaIndex}] shape ${i + 1}`;
      return { ...base, shapes: null, error_code: e.code, error_message: `${where}: ${e.message}` };
    }
  }
  return { ...base, shapes: JSON.stringify(shapes), error_code: null, error_message: null };
}

const severityRank: Record<string, number> = { Extreme: 4, Severe: 3, Moderate: 2, Minor: 1, Unknown: 0 };

function infoSummary(info: CapInfo): IncidentInfoView {
  return {
    language: info.language,
    event: info.event,
    headline: info.headline ?? null,
    description: info.description ?? null,
    instruction: info.instruction ?? null,
    senderName: info.senderName ?? null,
    category: [...info.category],
    responseType: [...info.responseType],
    urgency: info.urgency,
    severity: info.severity,
    certainty: info.certainty,
    effective: info.effective ?? null,
    expires: info.expires ?? null,
  };
}

function audit(
  trx: Transaction<DB>,
  database: Database,
  actor: ImportActor,
  action: string,
  details: Record<string, string | number | boolean | null>,
  now: Date,
) {
  return appendAudit(
    trx,
    database.dialect,
    {
      actorUserId: actor.via === 'api' ? actor.viewer.userId : null,
      actorRole: actor.via === 'api' ? actor.viewer.role : 'cli',
      action,
      outcome: 'done',
      personIds: [],
      ip: actor.via === 'api' ? actor.ip : null,
      details,
    },
    now,
  );
}

/**
 * Imports a CAP 1.1 or 1.2 message from a host-country agency as an incident: parsed safely (no DTD,
 * no entities, nothing fetched), its areas converted to targeting shapes and checked, the original
 * document kept. The same message (sender, identifier, sent) imported again is 409 `cap.duplicate`.
 * Parse failures are 422 with the parser's code (`cap.dtd_forbidden`, `cap.bad_namespace`,
 * `cap.bad_date`, `cap.missing_field`...), 413 `cap.too_large` over the size limit.
 */
export async function importCapMessage(
  database: Database,
  xml: string,
  actor: ImportActor,
  now = new Date(),
): Promise<IncidentView> {
  let alert: CapAlert;
  try {
    alert = parseCap(xml, { maxBytes: CAP_IMPORT_MAX_BYTES });
  } catch (e) {
    if (e instanceof CapError) throw capProblem(e);
    throw e;
  }
  const capVersion = readXmlDocument(xml).namespace === CAP_NAMESPACE_1_1 ? '1.1' : '1.2';
  const sentAt = parseCapDateTime(alert.sent).date.toISOString();
  const areas = convertAreas(alert);
  const first = alert.info[0];
  const worst = [...alert.info].sort(
    (a, b) => (severityRank[b.severity] ?? 0) - (severityRank[a.severity] ?? 0),
  )[0];
  const id = newId(now.getTime());
  const row: IncidentRow = {
    id,
    source_sender: alert.sender,
    source_identifier: alert.identifier,
    source_sent: alert.sent,
    sent_at: sentAt,
    cap_version: capVersion,
    status: alert.status,
    msg_type: alert.msgType,
    scope: alert.scope,
    event: first?.event ?? alert.msgType,
    urgency: first?.urgency ?? 'Unknown',
    severity: worst?.severity ?? 'Unknown',
    certainty: first?.certainty ?? 'Unknown',
    infos: JSON.stringify(alert.info.map(infoSummary)),
    cap_references: JSON.stringify(alert.references),
    original_xml: xml,
    source: actor.via,
    imported_at: now.toISOString(),
    imported_by: actor.via === 'api' ? actor.viewer.userId : null,
    draft_alert_id: null,
  };
  const duplicate = (incidentId?: string) =>
    new AppError(
      'cap.duplicate',
      'This message (sender, identifier, sent) has already been imported',
      409,
      incidentId ? { incidentId } : {},
    );
  await database.db.transaction().execute(async (trx) => {
    const existing = await findIncidentBySource(trx, alert.sender, alert.identifier, sentAt);
    if (existing) throw duplicate(existing.id);
    try {
      await insertIncident(
        trx,
        row,
        areas.map((a) => ({ ...a, incident_id: id })),
      );
    } catch (e) {
      // Two imports of one message at once: the unique index lets only one through.
      if (/unique|duplicate key/i.test((e as Error).message)) throw duplicate();
      throw e;
    }
    await audit(
      trx,
      database,
      actor,
      'cap.import',
      {
        event: 'cap.imported',
        incidentId: id,
        sender: alert.sender,
        identifier: alert.identifier,
        status: alert.status,
        areas: areas.length,
        rejectedAreas: areas.filter((a) => a.error_code !== null).length,
      },
      now,
    );
  });
  return incidentView(
    database,
    row,
    areas.map((a) => ({ ...a, incident_id: id })),
    now,
  );
}

function summaryOf(row: Omit<IncidentRow, 'original_xml'>): IncidentSummaryView {
  const infos = JSON.parse(row.infos) as IncidentInfoView[];
  return {
    id: row.id,
    source: { sender: row.source_sender, identifier: row.source_identifier, sent: row.source_sent },
    capVersion: row.cap_version,
    status: row.status,
    drill: row.status === 'Exercise',
    msgType: row.msg_type,
    scope: row.scope,
    event: row.event,
    urgency: row.urgency,
    severity: row.severity,
    certainty: row.certainty,
    headlines: infos.map((i) => ({ language: i.language, headline: i.headline })),
    importedAt: row.imported_at,
    importedBy: row.imported_by,
    importedVia: row.source,
    draftAlertId: row.draft_alert_id,
  };
}

/** The union of the incident's valid areas, as an alert target; null when none could be used. */
function proposedTarget(
  areas: readonly IncidentAreaRow[],
): { polygons: TargetPolygon[]; circles: TargetCircle[] } | null {
  const polygons: TargetPolygon[] = [];
  const circles: TargetCircle[] = [];
  for (const area of areas) {
    if (!area.shapes) continue;
    for (const shape of JSON.parse(area.shapes) as StoredShape[]) {
      if (shape.type === 'Circle') circles.push({ center: shape.center, radiusMeters: shape.radiusMeters });
      else polygons.push(shape);
    }
  }
  return polygons.length + circles.length ? { polygons, circles } : null;
}

async function incidentView(
  database: Database,
  row: IncidentRow,
  areas: readonly IncidentAreaRow[],
  now: Date,
): Promise<IncidentView> {
  const target = proposedTarget(areas);
  const preview = target
    ? await countTargetRecipients(
        database.db,
        {
          shapes: [
            ...target.polygons.map((p) => p as TargetShape),
            ...target.circles.map(
              (c): TargetShape => ({ type: 'Circle', center: c.center, radiusMeters: c.radiusMeters }),
            ),
          ],
        },
        now,
      )
    : null;
  return {
    ...summaryOf(row),
    infos: JSON.parse(row.infos) as IncidentInfoView[],
    references: JSON.parse(row.cap_references) as CapReference[],
    areas: areas.map((a) => ({
      position: a.position,
      infoIndex: a.info_index,
      areaDesc: a.area_desc,
      shapes: a.shapes ? (JSON.parse(a.shapes) as StoredShape[]) : null,
      geocodes: JSON.parse(a.geocodes) as CapValuePair[],
      error: a.error_code ? { code: a.error_code, message: a.error_message ?? '' } : null,
    })),
    rejectedAreas: areas.filter((a) => a.error_code !== null).length,
    proposedTarget: target,
    preview,
  };
}

const incidentNotFound = () => new AppError('cap.incident_not_found', 'Incident not found', 404);

export async function getIncidentView(
  database: Database,
  id: string,
  now = new Date(),
): Promise<IncidentView> {
  const row = await findIncident(database.db, id);
  if (!row) throw incidentNotFound();
  return incidentView(database, row, await findIncidentAreas(database.db, id), now);
}

/** The document as the agency sent it. */
export async function getIncidentOriginal(database: Database, id: string): Promise<string> {
  const row = await findIncident(database.db, id);
  if (!row) throw incidentNotFound();
  return row.original_xml;
}

export async function listIncidentViews(
  database: Database,
  query: IncidentListQuery,
): Promise<{ items: IncidentSummaryView[]; nextCursor: string | null }> {
  const limit = query.limit ?? 50;
  const rows = await listIncidents(database.db, { limit, ...(query.cursor ? { before: query.cursor } : {}) });
  return {
    items: rows.map(summaryOf),
    nextCursor: rows.length === limit ? (rows.at(-1)?.id ?? null) : null,
  };
}

/** The longest start of `text`, cut at a word where possible, that fits in `maxSegments` SMS segments. */
export function fitSmsText(text: string, maxSegments: number): string {
  const clean = text.replace(/\s+/g, ' ').trim();
  if (checkSmsLength(clean, maxSegments).ok) return clean;
  const chars = [...clean];
  let low = 0;
  let high = chars.length;
  while (low < high) {
    const mid = Math.ceil((low + high) / 2);
    if (checkSmsLength(`${chars.slice(0, mid).join('')}…`, maxSegments).ok) low = mid;
    else high = mid - 1;
  }
  const cut = chars.slice(0, low).join('');
  const atWord = cut.lastIndexOf(' ');
  return `${(atWord > cut.length / 2 ? cut.slice(0, atWord) : cut).trimEnd()}…`;
}

/**
 * Drafts an alert from an imported incident: the agency's event and texts (one block per language,
 * the SMS text cut from the headline and instruction to the segment limit), its valid areas as the
 * target, status Exercise unless the agency's message was Actual. Anything in the body replaces the
 * proposal. The draft then follows the ordinary lifecycle.
 */
export async function draftAlertFromIncident(
  env: AlertsEnv,
  ctx: { viewer: Viewer; ip: string | null },
  incidentId: string,
  body: DraftFromIncidentBody,
  now = new Date(),
): Promise<AlertView> {
  const { database, settings } = env;
  const row = await findIncident(database.db, incidentId);
  if (!row) throw incidentNotFound();
  const infos = JSON.parse(row.infos) as IncidentInfoView[];
  const first = infos[0];
  const areas = await findIncidentAreas(database.db, incidentId);
  const target = proposedTarget(areas);
  const languages = new Set<string>();
  const blocks: AlertInfoBody[] = [];
  for (const info of infos) {
    const language = canonicalLanguageTag(info.language) ?? info.language;
    if (languages.has(language.toLowerCase())) continue;
    languages.add(language.toLowerCase());
    const headline = (info.headline ?? info.event).slice(0, 200);
    blocks.push({
      language,
      headline,
      ...(info.description ? { description: info.description.slice(0, 8000) } : {}),
      ...(info.instruction ? { instruction: info.instruction.slice(0, 4000) } : {}),
      smsText: fitSmsText([headline, info.instruction].filter(Boolean).join('. '), settings.maxSmsSegments),
    });
  }
  const expires =
    first?.expires && parseCapDateTime(first.expires).date.getTime() > now.getTime()
      ? first.expires
      : undefined;
  const proposal: AlertCreate = {
    status: row.status === 'Actual' ? 'Actual' : 'Exercise',
    category: (first?.category.length ? first.category : ['Other']) as CapCategory[],
    event: row.event.slice(0, 200),
    urgency: (first?.urgency ?? 'Unknown') as CapUrgency,
    severity: (first?.severity ?? 'Unknown') as CapSeverity,
    certainty: (first?.certainty ?? 'Unknown') as CapCertainty,
    responseType: (first?.responseType ?? []) as CapResponseType[],
    ...(expires ? { expires } : {}),
    infos: blocks,
    target: target ?? {},
  };
  const merged = { ...proposal } as Record<string, unknown>;
  for (const [key, value] of Object.entries(body)) if (value !== undefined) merged[key] = value;
  if ((merged.infos as unknown[]).length === 0) {
    throw new AppError(
      'alert.text_missing',
      'The incident has no texts: give the alert its info blocks',
      422,
    );
  }
  return draftAlert(env, ctx, merged as AlertCreate, now, {
    incidentId,
    afterDraft: (trx, alertId) => setIncidentDraftAlert(trx, incidentId, alertId),
  });
}
