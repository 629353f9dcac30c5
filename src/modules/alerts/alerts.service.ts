import type { Transaction } from 'kysely';
import type { Database } from '../../db/database.ts';
import type { DB } from '../../db/schema.ts';
import type { Viewer } from '../../domain/access/policy.ts';
import {
  type AlertFacts,
  type AlertMsgType,
  type AlertState,
  type AlertStatus,
  type AlertStep,
  decideFollowUpIssued,
  decideStep,
  type LifecycleDecision,
} from '../../domain/alerts/lifecycle.ts';
import {
  formatCapDateTime,
  normalizeImportedCapDateTime,
  parseCapDateTime,
} from '../../domain/cap/cap-datetime.ts';
import { CapError } from '../../domain/cap/cap-error.ts';
import type {
  CapCategory,
  CapCertainty,
  CapReference,
  CapResponseType,
  CapSeverity,
  CapUrgency,
} from '../../domain/cap/cap-types.ts';
import { LevelsError } from '../../domain/levels/levels-error.ts';
import { findLevel } from '../../domain/levels/scheme.ts';
import { checkSmsLength, encodeSms } from '../../domain/messaging/sms-encoding.ts';
import { canonicalLanguageTag, languageDirection } from '../../domain/reference/languages.ts';
import { AppError } from '../../errors.ts';
import { newId } from '../../lib/ids.ts';
import { appendAudit } from '../audit/audit.service.ts';
import { enqueueDeliveries } from '../delivery/delivery.fanout.ts';
import { getActiveScheme } from '../levels/levels.service.ts';
import { type AlertCapSource, alertCapXml } from './alert-cap.ts';
import { countTargetRecipients, freezeRecipients } from './alert-recipients.ts';
import { type AlertTarget, type ResolvedTarget, resolveTarget } from './alert-target.ts';
import {
  findAlert,
  findAlertByIdentifier,
  findAlertCountries,
  findAlertInfos,
  findNamedAreas,
  findUserPostId,
  insertAlert,
  listAlerts,
  listPublicAlerts,
  replaceAlertCountries,
  replaceAlertInfos,
  updateAlertIfState,
} from './alerts.repository.ts';
import type {
  AlertCancelBody,
  AlertCreate,
  AlertInfoBody,
  AlertListQuery,
  AlertPatch,
  AlertSummaryView,
  AlertTargetBody,
  AlertView,
  IssueReportView,
  IssueView,
  PreviewView,
} from './alerts.schema.ts';
import type { AlertSettings } from './alerts.settings.ts';
import type { AlertInfoRow, AlertInfoTable, AlertRow, AlertTable } from './alerts.table.ts';

/** Who acts, and from where. */
export type AlertsContext = { viewer: Viewer; ip: string | null };

/** What the alert use cases run on. */
export type AlertsEnv = { database: Database; settings: AlertSettings };

type Db = Database['db'] | Transaction<DB>;

// ------------------------------------------------------------------------------------------ access

const seesEverything = (viewer: Viewer) => viewer.role === 'hq_admin' || viewer.role === 'crisis_manager';

/** Whether the viewer may see the alert: headquarters see all, a post sees its jurisdiction and its own drafts. */
function mayRead(viewer: Viewer, row: AlertRow, countries: readonly string[]): boolean {
  if (seesEverything(viewer)) return true;
  if (viewer.role !== 'consular_officer') return false;
  return row.drafted_by === viewer.userId || countries.some((c) => viewer.jurisdiction.includes(c));
}

/** A consular officer acts only on alerts whose every country lies in the post's jurisdiction. */
function checkJurisdiction(viewer: Viewer, countries: readonly string[], field = 'body.target'): void {
  if (viewer.role !== 'consular_officer') return;
  const outside = countries.filter((c) => !viewer.jurisdiction.includes(c));
  if (outside.length) {
    const message = `The alert concerns ${outside.join(', ')}, outside your post's jurisdiction`;
    throw new AppError('alert.outside_jurisdiction', message, 403, {
      errors: [{ code: 'alert.outside_jurisdiction', field, message }],
      countries: outside,
    });
  }
}

const notFound = () => new AppError('alert.not_found', 'Alert not found', 404);

function refuse(decision: LifecycleDecision): asserts decision is Extract<LifecycleDecision, { ok: true }> {
  if (!decision.ok) throw new AppError(decision.code, decision.message, decision.status);
}

// ----------------------------------------------------------------------------------------- content

/** An alert's content, checked and in stored form. */
type Content = {
  status: AlertStatus;
  scope: 'Public' | 'Restricted';
  restriction: string | null;
  category: CapCategory[];
  event: string;
  urgency: CapUrgency;
  severity: CapSeverity;
  certainty: CapCertainty;
  responseType: CapResponseType[];
  effective: string | null;
  expires: string | null;
  expiresAt: string | null;
  infos: InfoContent[];
  resolved: ResolvedTarget;
  askResponse: boolean;
  level: number | null;
};

type InfoContent = {
  language: string;
  headline: string;
  description: string | null;
  instruction: string | null;
  smsText: string;
};

function fieldError(code: string, message: string, field: string, status = 422): AppError {
  return new AppError(code, message, status, { errors: [{ code, field, message }] });
}

const optionalText = (text: string | undefined | null): string | null => {
  const trimmed = text?.trim();
  return trimmed ? trimmed : null;
};

/** Info blocks: one per language, texts present, each SMS text within the deployment's segment limit. */
function checkInfos(infos: readonly AlertInfoBody[], settings: AlertSettings): InfoContent[] {
  const seen = new Map<string, number>();
  const tooLong: { code: string; field: string; message: string; segments: number; encoding: string }[] = [];
  const out = infos.map((info, i) => {
    const field = `body.infos[${i}]`;
    const language = canonicalLanguageTag(info.language);
    if (!language)
      throw fieldError('alert.language_invalid', 'Not a BCP 47 language tag', `${field}.language`);
    const earlier = seen.get(language.toLowerCase());
    if (earlier !== undefined) {
      throw fieldError(
        'alert.duplicate_language',
        `Language ${language} already has a block (infos[${earlier}]); write one block per language`,
        `${field}.language`,
      );
    }
    seen.set(language.toLowerCase(), i);
    const headline = info.headline.trim();
    const smsText = info.smsText.trim();
    if (!headline) throw fieldError('alert.text_missing', 'The headline is empty', `${field}.headline`);
    if (!smsText) throw fieldError('alert.text_missing', 'The SMS text is empty', `${field}.smsText`);
    const check = checkSmsLength(smsText, settings.maxSmsSegments);
    if (!check.ok) {
      tooLong.push({
        code: 'alert.sms_too_long',
        field: `${field}.smsText`,
        message: `The ${language} SMS text takes ${check.sms.segments} segments (${check.sms.encoding}); at most ${settings.maxSmsSegments} are allowed`,
        segments: check.sms.segments,
        encoding: check.sms.encoding,
      });
    }
    return {
      language,
      headline,
      description: optionalText(info.description),
      instruction: optionalText(info.instruction),
      smsText,
    };
  });
  if (tooLong.length) {
    throw new AppError(
      'alert.sms_too_long',
      `An SMS text is longer than ${settings.maxSmsSegments} segments`,
      422,
      { errors: tooLong, maxSegments: settings.maxSmsSegments },
    );
  }
  return out;
}

/** A date-time as CAP writes it ('Z' becomes +00:00), or a coded 422. */
function capDate(value: string | undefined | null, field: string): string | null {
  if (value === undefined || value === null || value.trim() === '') return null;
  try {
    return normalizeImportedCapDateTime(value.trim(), field);
  } catch (e) {
    if (e instanceof CapError) throw fieldError('alert.bad_date', e.message, field);
    throw e;
  }
}

async function checkLevel(database: Database, level: number | null | undefined): Promise<number | null> {
  if (level === undefined || level === null) return null;
  const { scheme } = await getActiveScheme(database);
  try {
    findLevel(scheme, level);
  } catch (e) {
    if (e instanceof LevelsError) throw fieldError('alert.level_outside_scheme', e.message, 'body.level');
    throw e;
  }
  return level;
}

/** The complete fields of an alert: a create body, or an existing alert's fields with a patch applied. */
type ContentInput = Omit<AlertCreate, 'target'> & { target: AlertTargetBody };

async function checkContent(env: AlertsEnv, input: ContentInput): Promise<Content> {
  const { database, settings } = env;
  const scope = input.scope ?? 'Public';
  const restriction = optionalText(input.restriction);
  if (scope === 'Restricted' && !restriction) {
    throw fieldError(
      'alert.restriction_missing',
      'A Restricted alert says who may see it',
      'body.restriction',
    );
  }
  const event = input.event.trim();
  if (!event) throw fieldError('alert.text_missing', 'The event is empty', 'body.event');
  const effective = capDate(input.effective, 'body.effective');
  const expires = capDate(input.expires, 'body.expires');
  const expiresAt = expires ? parseCapDateTime(expires).date : null;
  if (effective && expiresAt && expiresAt.getTime() <= parseCapDateTime(effective).date.getTime()) {
    throw fieldError(
      'alert.expires_before_effective',
      'The alert must expire after it takes effect',
      'body.expires',
    );
  }
  const infos = checkInfos(input.infos, settings);
  const level = await checkLevel(database, input.level);
  const resolved = await resolveTarget(database.db, input.target);
  return {
    status: input.status ?? 'Actual',
    scope,
    restriction: scope === 'Restricted' ? restriction : null,
    category: [...new Set(input.category)],
    event,
    urgency: input.urgency,
    severity: input.severity,
    certainty: input.certainty,
    responseType: [...new Set(input.responseType ?? [])],
    effective,
    expires,
    expiresAt: expiresAt ? expiresAt.toISOString() : null,
    infos,
    resolved,
    askResponse: input.askResponse ?? false,
    level,
  };
}

/** The stored alert's fields in the form of a create body, so that a patch or a follow-up can start from them. */
function contentInputOf(row: AlertRow, infos: readonly AlertInfoRow[]): ContentInput {
  const target = JSON.parse(row.target) as AlertTarget;
  return {
    status: row.status as AlertStatus,
    scope: row.scope as 'Public' | 'Restricted',
    ...(row.restriction ? { restriction: row.restriction } : {}),
    category: JSON.parse(row.categories) as CapCategory[],
    event: row.event,
    urgency: row.urgency as CapUrgency,
    severity: row.severity as CapSeverity,
    certainty: row.certainty as CapCertainty,
    responseType: JSON.parse(row.response_types) as CapResponseType[],
    ...(row.effective ? { effective: row.effective } : {}),
    ...(row.expires ? { expires: row.expires } : {}),
    infos: infos.map((i) => ({
      language: i.language,
      headline: i.headline,
      ...(i.description ? { description: i.description } : {}),
      ...(i.instruction ? { instruction: i.instruction } : {}),
      smsText: i.sms_text,
    })),
    target,
    askResponse: row.ask_response === 1,
    level: row.level,
  };
}

/** Applies a partial body over full content; a key present in the patch replaces the stored value. */
function applyPatch(base: ContentInput, patch: AlertPatch): ContentInput {
  const merged: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(patch)) if (value !== undefined) merged[key] = value;
  return merged as ContentInput;
}

const contentColumns = (c: Content) => ({
  status: c.status,
  scope: c.scope,
  restriction: c.restriction,
  categories: JSON.stringify(c.category),
  event: c.event,
  urgency: c.urgency,
  severity: c.severity,
  certainty: c.certainty,
  response_types: JSON.stringify(c.responseType),
  effective: c.effective,
  expires: c.expires,
  expires_at: c.expiresAt,
  target: JSON.stringify(c.resolved.target),
  ask_response: c.askResponse ? 1 : 0,
  level: c.level,
});

const infoRows = (alertId: string, infos: readonly InfoContent[]): AlertInfoTable[] =>
  infos.map((i, position) => ({
    alert_id: alertId,
    position,
    language: i.language,
    headline: i.headline,
    description: i.description,
    instruction: i.instruction,
    sms_text: i.smsText,
  }));

/**
 * The countries an alert concerns: those its target names (directly or through named areas) and those
 * where the recipient count finds people. A consular officer may only write alerts whose every such
 * country is in the post's jurisdiction.
 */
async function concernedCountries(
  db: Db,
  viewer: Viewer,
  resolved: ResolvedTarget,
  now: Date,
): Promise<string[]> {
  checkJurisdiction(viewer, resolved.namedCountries);
  const count = await countTargetRecipients(db, resolved.spec, now);
  const countries = [...new Set([...resolved.namedCountries, ...Object.keys(count.byCountry)])].sort();
  checkJurisdiction(viewer, countries);
  return countries;
}

/**
 * Writes the CAP document once before saving, so content CAP cannot carry (a character XML forbids, an
 * area CAP cannot express) is refused when the officer writes it, not when the alert is exported.
 */
function checkCapExport(source: AlertCapSource, now: Date): void {
  try {
    alertCapXml(source, now);
  } catch (e) {
    if (e instanceof CapError) throw fieldError(e.code, e.message, e.field ? `cap.${e.field}` : 'body');
    throw e;
  }
}

function capSourceOf(
  row: Pick<AlertTable, 'identifier' | 'sender' | 'msg_type' | 'state' | 'sent' | 'cap_references'>,
  content: Content,
  countries: string[],
): AlertCapSource {
  return {
    identifier: row.identifier,
    sender: row.sender,
    status: content.status,
    msgType: row.msg_type as AlertMsgType,
    scope: content.scope,
    restriction: content.restriction,
    state: row.state as AlertState,
    sent: row.sent,
    references: JSON.parse(row.cap_references) as CapReference[],
    category: content.category,
    event: content.event,
    urgency: content.urgency,
    severity: content.severity,
    certainty: content.certainty,
    responseType: content.responseType,
    effective: content.effective,
    expires: content.expires,
    infos: content.infos,
    target: content.resolved.target,
    areas: content.resolved.areas,
    countries,
    askResponse: content.askResponse,
    level: content.level,
  };
}

// ------------------------------------------------------------------------------------------- views

type Loaded = { row: AlertRow; infos: AlertInfoRow[]; countries: string[] };

async function loadAlert(db: Db, id: string): Promise<Loaded | undefined> {
  const row = await findAlert(db, id);
  if (!row) return undefined;
  const [infos, countries] = await Promise.all([findAlertInfos(db, [id]), findAlertCountries(db, [id])]);
  return { row, infos: infos.get(id) ?? [], countries: countries.get(id) ?? [] };
}

/** Loads an alert the viewer may see, or answers 404 (an alert outside one's jurisdiction looks absent). */
async function loadVisible(db: Db, viewer: Viewer, id: string): Promise<Loaded> {
  const loaded = await loadAlert(db, id);
  if (!loaded || !mayRead(viewer, loaded.row, loaded.countries)) throw notFound();
  return loaded;
}

function summaryFields(r: AlertRow, countries: string[]) {
  const status = r.status as AlertStatus;
  return {
    id: r.id,
    identifier: r.identifier,
    sender: r.sender,
    status,
    drill: status === 'Exercise',
    msgType: r.msg_type as AlertMsgType,
    scope: r.scope as 'Public' | 'Restricted',
    restriction: r.restriction,
    state: r.state as AlertState,
    references: JSON.parse(r.cap_references) as CapReference[],
    followsAlertId: r.follows_alert_id,
    category: JSON.parse(r.categories) as string[],
    event: r.event,
    urgency: r.urgency,
    severity: r.severity,
    certainty: r.certainty,
    responseType: JSON.parse(r.response_types) as string[],
    effective: r.effective,
    expires: r.expires,
    countries,
    askResponse: r.ask_response === 1,
    postId: r.post_id,
    level: r.level,
    incidentId: r.incident_id,
    sent: r.sent,
    draftedBy: r.drafted_by,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    submittedBy: r.submitted_by,
    submittedAt: r.submitted_at,
    approvedBy: r.approved_by,
    approvedAt: r.approved_at,
    rejection:
      r.rejection_reason && r.rejected_by && r.rejected_at
        ? { reason: r.rejection_reason, by: r.rejected_by, at: r.rejected_at }
        : null,
    issuedBy: r.issued_by,
    issuedAt: r.issued_at,
    closedAt: r.closed_at,
    closedByAlertId: r.closed_by_alert_id,
    recipientCount: r.recipient_count,
  };
}

/** An alert as the API shows it, with each SMS text's encoding and segment count. */
export function toAlertView(loaded: Loaded, settings: AlertSettings): AlertView {
  const { row, infos, countries } = loaded;
  const target = JSON.parse(row.target) as AlertTarget;
  return {
    ...summaryFields(row, countries),
    infos: infos.map((i) => ({
      language: i.language,
      direction: languageDirection(i.language),
      headline: i.headline,
      description: i.description,
      instruction: i.instruction,
      smsText: i.sms_text,
      sms: encodeSms(i.sms_text),
    })),
    maxSmsSegments: settings.maxSmsSegments,
    target: {
      countries: target.countries,
      areaIds: target.areaIds,
      polygons: target.polygons,
      circles: target.circles,
      filters: target.filters,
    },
    issueReport: row.issue_report ? (JSON.parse(row.issue_report) as IssueReportView) : null,
  };
}

// --------------------------------------------------------------------------------------- use cases

function audit(
  trx: Transaction<DB>,
  env: AlertsEnv,
  ctx: AlertsContext,
  action: string,
  row: Pick<AlertTable, 'id' | 'identifier' | 'status' | 'msg_type'>,
  event: string,
  now: Date,
  extra: Record<string, string | number | boolean | null> = {},
) {
  return appendAudit(
    trx,
    env.database.dialect,
    {
      actorUserId: ctx.viewer.userId,
      actorRole: ctx.viewer.role,
      action,
      outcome: 'done',
      personIds: [],
      ip: ctx.ip,
      details: {
        event,
        alertId: row.id,
        identifier: row.identifier,
        msgType: row.msg_type,
        drill: row.status === 'Exercise',
        ...extra,
      },
    },
    now,
  );
}

type DraftOrigin = {
  msgType: AlertMsgType;
  references: CapReference[];
  followsAlertId: string | null;
  incidentId: string | null;
};

const ORIGINAL: DraftOrigin = { msgType: 'Alert', references: [], followsAlertId: null, incidentId: null };

/** Runs after the alert row is written, inside the same transaction (an incident records its draft). */
export type AfterDraft = (trx: Transaction<DB>, alertId: string) => Promise<void>;

async function saveDraft(
  env: AlertsEnv,
  ctx: AlertsContext,
  input: ContentInput,
  origin: DraftOrigin,
  now: Date,
  afterDraft?: AfterDraft,
): Promise<AlertView> {
  const { database, settings } = env;
  const content = await checkContent(env, input);
  const countries = await concernedCountries(database.db, ctx.viewer, content.resolved, now);
  const id = newId(now.getTime());
  const stamp = now.toISOString();
  const row: AlertTable = {
    id,
    identifier: `urn:haven:${settings.deployment}:alert:${id}`,
    sender: settings.sender,
    msg_type: origin.msgType,
    state: 'draft',
    cap_references: JSON.stringify(origin.references),
    follows_alert_id: origin.followsAlertId,
    ...contentColumns(content),
    post_id: await findUserPostId(database.db, ctx.viewer.userId),
    incident_id: origin.incidentId,
    sent: null,
    drafted_by: ctx.viewer.userId,
    created_at: stamp,
    updated_at: stamp,
    submitted_by: null,
    submitted_at: null,
    approved_by: null,
    approved_at: null,
    rejected_by: null,
    rejected_at: null,
    rejection_reason: null,
    issued_by: null,
    issued_at: null,
    closed_at: null,
    closed_by_alert_id: null,
    recipient_count: null,
    issue_report: null,
  };
  checkCapExport(capSourceOf(row, content, countries), now);
  await database.db.transaction().execute(async (trx) => {
    await insertAlert(trx, row);
    await replaceAlertInfos(trx, id, infoRows(id, content.infos));
    await replaceAlertCountries(trx, id, countries);
    await afterDraft?.(trx, id);
    const event =
      origin.msgType === 'Alert' ? 'alert.drafted' : `alert.${origin.msgType.toLowerCase()}_drafted`;
    await audit(trx, env, ctx, 'alerts.draft', row, event, now, {
      followsAlertId: origin.followsAlertId,
      incidentId: origin.incidentId,
    });
  });
  return getAlertView(env, ctx, id);
}

/** Drafts a new alert (msgType Alert) from the officer's body. */
export function draftAlert(
  env: AlertsEnv,
  ctx: AlertsContext,
  body: AlertCreate,
  now = new Date(),
  from: { incidentId?: string; afterDraft?: AfterDraft } = {},
): Promise<AlertView> {
  return saveDraft(
    env,
    ctx,
    body,
    { ...ORIGINAL, incidentId: from.incidentId ?? null },
    now,
    from.afterDraft,
  );
}

/** Changes a draft; only drafts change, and only within the author's jurisdiction. */
export async function changeDraft(
  env: AlertsEnv,
  ctx: AlertsContext,
  id: string,
  patch: AlertPatch,
  now = new Date(),
): Promise<AlertView> {
  const { database } = env;
  const loaded = await loadVisible(database.db, ctx.viewer, id);
  checkJurisdiction(ctx.viewer, loaded.countries);
  refuse(decideStep(factsOf(loaded.row), 'edit', ctx.viewer, now));
  const base = contentInputOf(loaded.row, loaded.infos);
  if (loaded.row.msg_type !== 'Alert' && patch.status && patch.status !== loaded.row.status) {
    throw fieldError(
      'alert.status_mismatch',
      'An update or cancellation keeps the status of the alert it follows',
      'body.status',
    );
  }
  const content = await checkContent(env, applyPatch(base, patch));
  const countries = await concernedCountries(database.db, ctx.viewer, content.resolved, now);
  checkCapExport(capSourceOf(loaded.row, content, countries), now);
  await database.db.transaction().execute(async (trx) => {
    const changed = await updateAlertIfState(trx, id, 'draft', {
      ...contentColumns(content),
      updated_at: now.toISOString(),
    });
    if (!changed) throw new AppError('alert.not_draft', 'The alert is no longer a draft', 409);
    await replaceAlertInfos(trx, id, infoRows(id, content.infos));
    await replaceAlertCountries(trx, id, countries);
    await audit(trx, env, ctx, 'alerts.draft', loaded.row, 'alert.changed', now);
  });
  return getAlertView(env, ctx, id);
}

function factsOf(row: AlertRow): AlertFacts {
  return {
    state: row.state as AlertState,
    status: row.status as AlertStatus,
    draftedBy: row.drafted_by,
    submittedBy: row.submitted_by,
    expiresAt: row.expires_at ? new Date(row.expires_at) : null,
  };
}

/** One lifecycle step that changes only the alert row (submit, approve, reject). */
async function takeStep(
  env: AlertsEnv,
  ctx: AlertsContext,
  id: string,
  step: Extract<AlertStep, 'submit' | 'approve' | 'reject'>,
  now: Date,
  reason?: string,
): Promise<AlertView> {
  const { database } = env;
  const stamp = now.toISOString();
  await database.db.transaction().execute(async (trx) => {
    const loaded = await loadVisible(trx, ctx.viewer, id);
    if (step === 'submit') checkJurisdiction(ctx.viewer, loaded.countries);
    const decision = decideStep(factsOf(loaded.row), step, ctx.viewer, now);
    refuse(decision);
    const change =
      step === 'submit'
        ? { state: decision.next, submitted_by: ctx.viewer.userId, submitted_at: stamp }
        : step === 'approve'
          ? { state: decision.next, approved_by: ctx.viewer.userId, approved_at: stamp }
          : {
              state: decision.next,
              rejected_by: ctx.viewer.userId,
              rejected_at: stamp,
              rejection_reason: reason ?? '',
              submitted_by: null,
              submitted_at: null,
            };
    const changed = await updateAlertIfState(trx, id, loaded.row.state, { ...change, updated_at: stamp });
    if (!changed)
      throw new AppError('alert.changed_meanwhile', 'The alert changed meanwhile; reload it', 409);
    const action = step === 'submit' ? 'alerts.draft' : 'alerts.approve';
    const event = { submit: 'alert.submitted', approve: 'alert.approved', reject: 'alert.rejected' }[step];
    await audit(trx, env, ctx, action, loaded.row, event, now, {
      ...(step === 'approve' ? { selfApproved: decision.selfApproved } : {}),
    });
  });
  return getAlertView(env, ctx, id);
}

export const submitAlert = (env: AlertsEnv, ctx: AlertsContext, id: string, now = new Date()) =>
  takeStep(env, ctx, id, 'submit', now);

export const approveAlert = (env: AlertsEnv, ctx: AlertsContext, id: string, now = new Date()) =>
  takeStep(env, ctx, id, 'approve', now);

/** Sends a submitted alert back to draft with the reason; its author mends it and submits again. */
export function rejectAlert(
  env: AlertsEnv,
  ctx: AlertsContext,
  id: string,
  reason: string,
  now = new Date(),
) {
  const trimmed = reason.trim();
  if (!trimmed) throw fieldError('alert.reason_missing', 'Say why the alert is rejected', 'body.reason');
  return takeStep(env, ctx, id, 'reject', now, trimmed);
}

/**
 * Issues an approved alert. In one transaction: the alert becomes issued with its CAP `sent` time, its
 * recipient set is frozen into alert_recipients by streaming the target's persons in batches (each with
 * the info block of their language, or the fallback), the report is stored, the original of an Update or
 * Cancel becomes superseded or cancelled, and the step is audited. Either all of it happens or none.
 */
export async function issueAlert(
  env: AlertsEnv,
  ctx: AlertsContext,
  id: string,
  now = new Date(),
): Promise<IssueView> {
  const { database, settings } = env;
  const stamp = now.toISOString();
  const report = await database.db.transaction().execute(async (trx) => {
    const loaded = await loadVisible(trx, ctx.viewer, id);
    const { row } = loaded;
    checkJurisdiction(ctx.viewer, loaded.countries);
    refuse(decideStep(factsOf(row), 'issue', ctx.viewer, now));
    const original = row.follows_alert_id ? await findAlert(trx, row.follows_alert_id) : undefined;
    let closes: AlertState | undefined;
    if (original && row.msg_type !== 'Alert') {
      const decision = decideFollowUpIssued(
        { state: original.state as AlertState },
        row.msg_type as Exclude<AlertMsgType, 'Alert'>,
      );
      refuse(decision);
      closes = decision.next;
    }
    const claimed = await updateAlertIfState(trx, id, 'approved', {
      state: 'issued',
      sent: formatCapDateTime(now),
      issued_by: ctx.viewer.userId,
      issued_at: stamp,
      updated_at: stamp,
    });
    if (!claimed) throw new AppError('alert.already_issued', 'The alert has already been issued', 409);
    const target = JSON.parse(row.target) as AlertTarget;
    const resolved = await resolveTarget(trx, target);
    const frozen = await freezeRecipients(trx, {
      alertId: id,
      spec: resolved.spec,
      infos: loaded.infos.map((i) => ({ language: i.language })),
      fallbackLanguages: settings.fallbackLanguages,
      batchSize: settings.recipientBatchSize,
      now,
      allowedCountries: ctx.viewer.role === 'consular_officer' ? ctx.viewer.jurisdiction : null,
    });
    if (frozen.outsideJurisdiction.length) checkJurisdiction(ctx.viewer, frozen.outsideJurisdiction);
    await updateAlertIfState(trx, id, 'issued', {
      recipient_count: frozen.report.recipients,
      issue_report: JSON.stringify(frozen.report),
    });
    const countries = [
      ...new Set([...resolved.namedCountries, ...Object.keys(frozen.report.byCountry)]),
    ].sort();
    await replaceAlertCountries(trx, id, countries);
    if (original && closes) {
      const closed = await updateAlertIfState(trx, original.id, 'issued', {
        state: closes,
        closed_at: stamp,
        closed_by_alert_id: id,
        updated_at: stamp,
      });
      if (!closed)
        throw new AppError('alert.changed_meanwhile', 'The original alert changed meanwhile; reload it', 409);
      await audit(trx, env, ctx, 'alerts.issue', original, `alert.${closes}`, now, { byAlertId: id });
    }
    await audit(trx, env, ctx, 'alerts.issue', row, 'alert.issued', now, {
      recipients: frozen.report.recipients,
      fallbackCount: frozen.report.fallbackCount,
    });
    await enqueueDeliveries(trx, id, { now });
    return frozen.report;
  });
  return { alert: await getAlertView(env, ctx, id), report };
}

/**
 * Drafts an Update or a Cancel of an issued alert: a new alert referencing the original (and every
 * message the original itself referenced), starting from the original's content, with the same status.
 * It goes through the same lifecycle; issuing it supersedes or cancels the original.
 */
export async function draftFollowUp(
  env: AlertsEnv,
  ctx: AlertsContext,
  id: string,
  msgType: Exclude<AlertMsgType, 'Alert'>,
  body: AlertPatch | AlertCancelBody,
  now = new Date(),
): Promise<AlertView> {
  const loaded = await loadVisible(env.database.db, ctx.viewer, id);
  const { row } = loaded;
  checkJurisdiction(ctx.viewer, loaded.countries);
  refuse(decideStep(factsOf(row), 'follow_up', ctx.viewer, now));
  if ('status' in body && body.status && body.status !== row.status) {
    throw fieldError(
      'alert.status_mismatch',
      'An update or cancellation keeps the status of the alert it follows',
      'body.status',
    );
  }
  if (!row.sent) throw new AppError('alert.not_issued', 'The alert has not been issued', 409);
  const references = [
    ...(JSON.parse(row.cap_references) as CapReference[]),
    { sender: row.sender, identifier: row.identifier, sent: row.sent },
  ];
  const input = applyPatch(contentInputOf(row, loaded.infos), body as AlertPatch);
  return saveDraft(
    env,
    ctx,
    input,
    { msgType, references, followsAlertId: row.id, incidentId: row.incident_id },
    now,
  );
}

export async function getAlertView(env: AlertsEnv, ctx: AlertsContext, id: string): Promise<AlertView> {
  return toAlertView(await loadVisible(env.database.db, ctx.viewer, id), env.settings);
}

/** Alerts the viewer may see, newest first, a page at a time. */
export async function listAlertViews(
  env: AlertsEnv,
  ctx: AlertsContext,
  query: AlertListQuery,
): Promise<{ items: AlertSummaryView[]; nextCursor: string | null }> {
  const { db } = env.database;
  const limit = query.limit ?? 50;
  const rows = await listAlerts(db, {
    countries: seesEverything(ctx.viewer) ? null : ctx.viewer.jurisdiction,
    ownerId: ctx.viewer.userId,
    ...(query.state ? { state: query.state } : {}),
    ...(query.status ? { status: query.status } : {}),
    ...(query.cursor ? { before: query.cursor } : {}),
    limit,
  });
  const ids = rows.map((r) => r.id);
  const [infos, countries] = await Promise.all([findAlertInfos(db, ids), findAlertCountries(db, ids)]);
  const items = rows.map((r) => {
    const blocks = infos.get(r.id) ?? [];
    return {
      ...summaryFields(r, countries.get(r.id) ?? []),
      headline: blocks[0]?.headline ?? '',
      languages: blocks.map((b) => b.language),
    };
  });
  return { items, nextCursor: rows.length === limit ? (rows.at(-1)?.id ?? null) : null };
}

/** How many people a target reaches, by country: the live count shown while composing. */
export async function previewRecipients(
  env: AlertsEnv,
  ctx: AlertsContext,
  target: AlertTargetBody,
  now = new Date(),
): Promise<PreviewView> {
  const resolved = await resolveTarget(env.database.db, target);
  const count = await countTargetRecipients(env.database.db, resolved.spec, now);
  const outside =
    ctx.viewer.role === 'consular_officer'
      ? [...new Set([...resolved.namedCountries, ...Object.keys(count.byCountry)])].filter(
          (c) => !ctx.viewer.jurisdiction.includes(c),
        )
      : [];
  return {
    total: count.total,
    byCountry: count.byCountry,
    withoutCountry: count.withoutCountry,
    outsideJurisdiction: outside.sort(),
  };
}

async function capSourceOfLoaded(db: Db, loaded: Loaded): Promise<AlertCapSource> {
  const { row, infos, countries } = loaded;
  const target = JSON.parse(row.target) as AlertTarget;
  return {
    identifier: row.identifier,
    sender: row.sender,
    status: row.status as AlertStatus,
    msgType: row.msg_type as AlertMsgType,
    scope: row.scope as 'Public' | 'Restricted',
    restriction: row.restriction,
    state: row.state as AlertState,
    sent: row.sent,
    references: JSON.parse(row.cap_references) as CapReference[],
    category: JSON.parse(row.categories) as CapCategory[],
    event: row.event,
    urgency: row.urgency as CapUrgency,
    severity: row.severity as CapSeverity,
    certainty: row.certainty as CapCertainty,
    responseType: JSON.parse(row.response_types) as CapResponseType[],
    effective: row.effective,
    expires: row.expires,
    infos: infos.map((i) => ({
      language: i.language,
      headline: i.headline,
      description: i.description,
      instruction: i.instruction,
    })),
    target,
    areas: await findNamedAreas(db, target.areaIds),
    countries,
    askResponse: row.ask_response === 1,
    level: row.level,
  };
}

/** The CAP 1.2 document of an alert the viewer may see. */
export async function getAlertCapXml(
  env: AlertsEnv,
  ctx: AlertsContext,
  id: string,
  now = new Date(),
): Promise<string> {
  const { db } = env.database;
  const loaded = await loadVisible(db, ctx.viewer, id);
  return alertCapXml(await capSourceOfLoaded(db, loaded), now);
}

const PUBLIC_STATES = new Set(['issued', 'superseded', 'cancelled']);

/** The CAP document of an issued public alert, for anyone; anything else is 404. */
export async function getPublicCapXml(env: AlertsEnv, identifier: string, now = new Date()): Promise<string> {
  const { db } = env.database;
  const row = await findAlertByIdentifier(db, identifier);
  if (row?.scope !== 'Public' || !PUBLIC_STATES.has(row.state)) {
    throw new AppError('cap.alert_not_found', 'No public alert has this identifier', 404);
  }
  const loaded = await loadAlert(db, row.id);
  if (!loaded) throw new AppError('cap.alert_not_found', 'No public alert has this identifier', 404);
  return alertCapXml(await capSourceOfLoaded(db, loaded), now);
}

/** One entry of the public feed. */
export type PublicAlertEntry = {
  identifier: string;
  status: AlertStatus;
  msgType: AlertMsgType;
  state: AlertState;
  event: string;
  severity: string;
  urgency: string;
  sent: string;
  issuedAt: string;
  headline: string;
  language: string;
  description: string | null;
  countries: string[];
};

/** Issued public alerts, newest first: Actual ones, and drills too when asked. */
export async function listPublicAlertEntries(
  env: AlertsEnv,
  options: { includeDrills: boolean; limit?: number },
): Promise<PublicAlertEntry[]> {
  const { db } = env.database;
  const rows = await listPublicAlerts(db, {
    includeDrills: options.includeDrills,
    limit: options.limit ?? 100,
  });
  const ids = rows.map((r) => r.id);
  const [infos, countries] = await Promise.all([findAlertInfos(db, ids), findAlertCountries(db, ids)]);
  return rows.map((r) => {
    const first = infos.get(r.id)?.[0];
    return {
      identifier: r.identifier,
      status: r.status as AlertStatus,
      msgType: r.msg_type as AlertMsgType,
      state: r.state as AlertState,
      event: r.event,
      severity: r.severity,
      urgency: r.urgency,
      sent: r.sent ?? '',
      issuedAt: r.issued_at ?? r.updated_at,
      headline: first?.headline ?? r.event,
      language: first?.language ?? 'en',
      description: first?.description ?? null,
      countries: countries.get(r.id) ?? [],
    };
  });
}
