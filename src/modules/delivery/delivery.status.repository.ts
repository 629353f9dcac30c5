// Read-side queries of the outbox: an alert's counts by channel and state, its problems, the facts its
// access check needs, and one person's delivery history.

import { type Db, findAlertCountries } from './delivery.sql.ts';

// ------------------------------------------------------------------------------------------- status

/** Deliveries of an alert by channel and state. */
export async function countByChannelAndState(db: Db, alertId: string) {
  const rows = await db
    .selectFrom('deliveries')
    .select(['channel', 'state', (eb) => eb.fn.countAll<number>().as('n')])
    .where('alert_id', '=', alertId)
    .groupBy(['channel', 'state'])
    .execute();
  return rows.map((r) => ({ channel: r.channel, state: r.state, n: Number(r.n) }));
}

/** Failed and dead deliveries of an alert by channel and reason. */
export async function countProblems(db: Db, alertId: string) {
  const rows = await db
    .selectFrom('deliveries')
    .select(['channel', 'state', 'code', (eb) => eb.fn.countAll<number>().as('n')])
    .where('alert_id', '=', alertId)
    .where('state', 'in', ['failed', 'dead'])
    .groupBy(['channel', 'state', 'code'])
    .execute();
  return rows.map((r) => ({ channel: r.channel, state: r.state, code: r.code ?? 'unknown', n: Number(r.n) }));
}

/** What deciding who may see an alert's delivery needs: its drafter and its countries. */
export async function findAlertAccessFacts(db: Db, alertId: string) {
  const alert = await db
    .selectFrom('alerts')
    .select(['id', 'drafted_by', 'state', 'recipient_count'])
    .where('id', '=', alertId)
    .executeTakeFirst();
  if (!alert) return undefined;
  return { ...alert, countries: await findAlertCountries(db, alertId) };
}

/**
 * A person's deliveries, newest first: each with the alert it belongs to, or the purpose of the direct
 * message it carries (never the message's text).
 */
export async function listPersonDeliveries(db: Db, personId: string, limit: number) {
  return db
    .selectFrom('deliveries as d')
    .leftJoin('alerts as a', 'a.id', 'd.alert_id')
    .leftJoin('direct_messages as m', 'm.id', 'd.message_id')
    .select([
      'd.id',
      'a.id as alert_id',
      'a.identifier',
      'a.status',
      'a.event',
      'm.purpose',
      'd.channel',
      'd.state',
      'd.attempts',
      'd.code',
      'd.fallback_from',
      'd.created_at',
      'd.sent_at',
      'd.done_at',
    ])
    .where('d.person_id', '=', personId)
    .orderBy('d.id', 'desc')
    .limit(limit)
    .execute();
}
