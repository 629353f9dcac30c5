import type { Database } from '../../db/database.ts';
import { authorizePerson, type Viewer } from '../../domain/access/policy.ts';
import { DELIVERY_STATES, type DeliveryState } from '../../domain/delivery/outcome.ts';
import { AppError } from '../../errors.ts';
import { appendAudit, recordAudit } from '../audit/audit.service.ts';
import { findAccessFacts } from '../registry/persons.repository.ts';
import { findFanouts } from './delivery.fanout.repository.ts';
import type { DeliveryStatusView, PersonDeliveriesView } from './delivery.schema.ts';
import {
  countByChannelAndState,
  countProblems,
  findAlertAccessFacts,
  listPersonDeliveries,
} from './delivery.status.repository.ts';

/** Who asks, and from where. */
export type DeliveryContext = { viewer: Viewer; ip: string | null };

const alertNotFound = () => new AppError('alert.not_found', 'Alert not found', 404);
const personNotFound = () => new AppError('person.not_found', 'Person not found', 404);

/**
 * Whether the viewer may follow an alert's delivery: headquarters every alert, a consular officer the
 * alerts of the post's jurisdiction and their own (the same rule as reading the alert).
 */
export async function checkAlertVisible(database: Database, viewer: Viewer, alertId: string): Promise<void> {
  const facts = await findAlertAccessFacts(database.db, alertId);
  if (!facts) throw alertNotFound();
  if (viewer.role === 'hq_admin' || viewer.role === 'crisis_manager') return;
  if (
    viewer.role === 'consular_officer' &&
    (facts.drafted_by === viewer.userId || facts.countries.some((c) => viewer.jurisdiction.includes(c)))
  ) {
    return;
  }
  throw alertNotFound();
}

const emptyCounts = (): Record<DeliveryState, number> & { total: number } => ({
  queued: 0,
  sending: 0,
  sent: 0,
  delivered: 0,
  failed: 0,
  dead: 0,
  total: 0,
});

/** An alert's delivery, counted by channel and state, with its fan-out progress and its dead letters by reason. */
export async function readDeliveryStatus(database: Database, alertId: string): Promise<DeliveryStatusView> {
  const [rows, problems, slices] = await Promise.all([
    countByChannelAndState(database.db, alertId),
    countProblems(database.db, alertId),
    findFanouts(database.db, alertId),
  ]);
  const totals = emptyCounts();
  const byChannel = new Map<string, ReturnType<typeof emptyCounts>>();
  for (const r of rows) {
    if (!(DELIVERY_STATES as readonly string[]).includes(r.state)) continue;
    const counts = byChannel.get(r.channel) ?? emptyCounts();
    counts[r.state as DeliveryState] += r.n;
    counts.total += r.n;
    totals[r.state as DeliveryState] += r.n;
    totals.total += r.n;
    byChannel.set(r.channel, counts);
  }
  const fanoutState: DeliveryStatusView['fanout']['state'] =
    slices.length === 0
      ? 'none'
      : slices.every((f) => f.state === 'done')
        ? 'done'
        : slices.every((f) => f.state === 'pending')
          ? 'pending'
          : 'running';
  const sum = (field: 'recipients' | 'written' | 'unreachable') => slices.reduce((n, f) => n + f[field], 0);
  return {
    alertId,
    fanout: {
      state: fanoutState,
      recipients: sum('recipients'),
      written: sum('written'),
      unreachable: sum('unreachable'),
    },
    channels: [...byChannel]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([channel, counts]) => ({ channel, ...counts })),
    totals,
    problems: problems
      .map((p) => ({ channel: p.channel, state: p.state as 'failed' | 'dead', code: p.code, count: p.n }))
      .sort((a, b) => b.count - a.count || a.code.localeCompare(b.code)),
    settled:
      fanoutState !== 'pending' && fanoutState !== 'running' && totals.queued === 0 && totals.sending === 0,
  };
}

/** The delivery status of an alert the viewer may see. */
export async function getDeliveryStatus(
  database: Database,
  viewer: Viewer,
  alertId: string,
): Promise<DeliveryStatusView> {
  await checkAlertVisible(database, viewer, alertId);
  return readDeliveryStatus(database, alertId);
}

/**
 * A person's delivery history, newest first (the last 200). The viewer must be allowed to read
 * delivery data about that person (a consular officer: within the post's jurisdiction); the read is
 * written to the audit log in the same transaction, and a refusal is audited too.
 */
export async function getPersonDeliveries(
  database: Database,
  ctx: DeliveryContext,
  personId: string,
): Promise<PersonDeliveriesView> {
  const { viewer } = ctx;
  const outcome = await database.db.transaction().execute(async (trx) => {
    const person = await trx
      .selectFrom('persons')
      .select(['id', 'location_country', 'nationality', 'employer_id'])
      .where('id', '=', personId)
      .executeTakeFirst();
    if (!person) return { missing: true as const };
    const { consents, overrides } = await findAccessFacts(trx, [personId], viewer, new Date().toISOString());
    const latest = consents.at(-1);
    const decision = authorizePerson(viewer, 'delivery.read', {
      country: person.location_country,
      nationality: person.nationality,
      employerId: person.employer_id,
      consentedTo: latest?.status === 'granted' ? [latest.organization_id] : [],
      emergencyOverride: overrides.length > 0,
    });
    if (!decision.allow) return { denied: decision.reason ?? decision.code };
    const rows = await listPersonDeliveries(trx, personId, 200);
    await appendAudit(trx, database.dialect, {
      actorUserId: viewer.userId,
      actorRole: viewer.role,
      action: 'delivery.read',
      outcome: 'allowed',
      personIds: [personId],
      ip: ctx.ip,
      details: { count: rows.length },
    });
    return { rows };
  });
  if ('missing' in outcome) throw personNotFound();
  if ('denied' in outcome && outcome.denied !== undefined) {
    await recordAudit(database.db, database.dialect, {
      actorUserId: viewer.userId,
      actorRole: viewer.role,
      action: 'delivery.read',
      outcome: 'denied',
      personIds: [personId],
      ip: ctx.ip,
      details: { reason: outcome.denied },
    });
    throw personNotFound();
  }
  if (!('rows' in outcome) || outcome.rows === undefined) throw personNotFound();
  return {
    personId,
    items: outcome.rows.map((r) => ({
      id: String(r.id),
      kind: r.alert_id !== null ? ('alert' as const) : ('direct_message' as const),
      alertId: r.alert_id,
      alertIdentifier: r.identifier,
      drill: r.alert_id !== null && r.status !== 'Actual',
      event: r.event,
      purpose: r.alert_id !== null ? null : r.purpose,
      channel: r.channel,
      state: r.state as DeliveryState,
      attempts: r.attempts,
      code: r.code,
      fallbackFrom: r.fallback_from,
      createdAt: r.created_at,
      sentAt: r.sent_at,
      doneAt: r.done_at,
    })),
  };
}
