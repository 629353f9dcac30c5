import type { Kysely, Transaction, Updateable } from 'kysely';
import type { DB } from '../../db/schema.ts';
import type {
  AlertInfoRow,
  AlertInfoTable,
  AlertRecipientTable,
  AlertRow,
  AlertTable,
} from './alerts.table.ts';

type Db = Kysely<DB> | Transaction<DB>;

/** A named area of the levels module, as alerts use it. */
export type NamedAreaRecord = { id: string; name: string; country: string; geometry: unknown };

export async function findNamedAreas(db: Db, ids: readonly string[]): Promise<NamedAreaRecord[]> {
  if (ids.length === 0) return [];
  const rows = await db
    .selectFrom('named_areas')
    .select(['id', 'name', 'country', 'geometry'])
    .where('id', 'in', [...ids])
    .execute();
  const byId = new Map(rows.map((r) => [r.id, { ...r, geometry: JSON.parse(r.geometry) as unknown }]));
  return ids.flatMap((id) => byId.get(id) ?? []);
}

/** The post a user belongs to (null for headquarters staff). */
export async function findUserPostId(db: Db, userId: string): Promise<string | null> {
  const row = await db.selectFrom('users').select('post_id').where('id', '=', userId).executeTakeFirst();
  return row?.post_id ?? null;
}

export async function insertAlert(trx: Transaction<DB>, row: AlertTable): Promise<void> {
  await trx.insertInto('alerts').values(row).execute();
}

export async function replaceAlertInfos(
  trx: Transaction<DB>,
  alertId: string,
  rows: AlertInfoTable[],
): Promise<void> {
  await trx.deleteFrom('alert_infos').where('alert_id', '=', alertId).execute();
  if (rows.length) await trx.insertInto('alert_infos').values(rows).execute();
}

export async function replaceAlertCountries(
  trx: Transaction<DB>,
  alertId: string,
  countries: readonly string[],
): Promise<void> {
  await trx.deleteFrom('alert_countries').where('alert_id', '=', alertId).execute();
  if (countries.length) {
    await trx
      .insertInto('alert_countries')
      .values(countries.map((country) => ({ alert_id: alertId, country })))
      .execute();
  }
}

export function findAlert(db: Db, id: string): Promise<AlertRow | undefined> {
  return db.selectFrom('alerts').selectAll().where('id', '=', id).executeTakeFirst();
}

export function findAlertByIdentifier(db: Db, identifier: string): Promise<AlertRow | undefined> {
  return db.selectFrom('alerts').selectAll().where('identifier', '=', identifier).executeTakeFirst();
}

export async function findAlertInfos(
  db: Db,
  alertIds: readonly string[],
): Promise<Map<string, AlertInfoRow[]>> {
  const out = new Map<string, AlertInfoRow[]>();
  if (alertIds.length === 0) return out;
  const rows = await db
    .selectFrom('alert_infos')
    .selectAll()
    .where('alert_id', 'in', [...alertIds])
    .orderBy('alert_id')
    .orderBy('position')
    .execute();
  for (const r of rows) {
    const list = out.get(r.alert_id);
    if (list) list.push(r);
    else out.set(r.alert_id, [r]);
  }
  return out;
}

export async function findAlertCountries(
  db: Db,
  alertIds: readonly string[],
): Promise<Map<string, string[]>> {
  const out = new Map<string, string[]>();
  if (alertIds.length === 0) return out;
  const rows = await db
    .selectFrom('alert_countries')
    .selectAll()
    .where('alert_id', 'in', [...alertIds])
    .orderBy('alert_id')
    .orderBy('country')
    .execute();
  for (const r of rows) {
    const list = out.get(r.alert_id);
    if (list) list.push(r.country);
    else out.set(r.alert_id, [r.country]);
  }
  return out;
}

/**
 * Changes an alert only if it is still in `expectedState`; answers whether it was. Two people taking
 * steps on one alert at once cannot both succeed.
 */
export async function updateAlertIfState(
  trx: Transaction<DB>,
  id: string,
  expectedState: string,
  change: Updateable<AlertTable>,
): Promise<boolean> {
  const result = await trx
    .updateTable('alerts')
    .set(change)
    .where('id', '=', id)
    .where('state', '=', expectedState)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

export type AlertListFilter = {
  /** null: every alert; otherwise alerts concerning one of these countries, or drafted by `ownerId`. */
  countries: readonly string[] | null;
  ownerId: string;
  state?: string;
  status?: string;
  /** Id of the last alert of the previous page: the list runs newest first. */
  before?: string;
  limit: number;
};

export async function listAlerts(db: Db, f: AlertListFilter): Promise<AlertRow[]> {
  let q = db.selectFrom('alerts').selectAll().orderBy('id', 'desc').limit(f.limit);
  if (f.state) q = q.where('state', '=', f.state);
  if (f.status) q = q.where('status', '=', f.status);
  if (f.before) q = q.where('id', '<', f.before);
  const countries = f.countries;
  if (countries !== null) {
    q = q.where((eb) =>
      eb.or([
        eb('drafted_by', '=', f.ownerId),
        ...(countries.length
          ? [
              eb.exists(
                eb
                  .selectFrom('alert_countries')
                  .select('alert_countries.alert_id')
                  .whereRef('alert_countries.alert_id', '=', 'alerts.id')
                  .where('alert_countries.country', 'in', [...countries]),
              ),
            ]
          : []),
      ]),
    );
  }
  return q.execute();
}

/** The alerts that follow this one (its Updates and Cancels), oldest first. */
export function findFollowUps(db: Db, alertId: string): Promise<AlertRow[]> {
  return db.selectFrom('alerts').selectAll().where('follows_alert_id', '=', alertId).orderBy('id').execute();
}

// Each row binds five values; 500 rows stay far below SQLite's and PostgreSQL's bound-parameter limits.
const RECIPIENT_ROWS_PER_INSERT = 500;

/** Writes frozen recipients in multi-row inserts. */
export async function insertAlertRecipients(
  trx: Transaction<DB>,
  rows: readonly AlertRecipientTable[],
): Promise<void> {
  for (let i = 0; i < rows.length; i += RECIPIENT_ROWS_PER_INSERT) {
    await trx
      .insertInto('alert_recipients')
      .values(rows.slice(i, i + RECIPIENT_ROWS_PER_INSERT))
      .execute();
  }
}

/** Recipients frozen for an alert, and how many read each language. */
export async function countAlertRecipients(
  db: Db,
  alertId: string,
): Promise<{ total: number; byLanguage: Record<string, number> }> {
  const rows = await db
    .selectFrom('alert_recipients')
    .select((eb) => ['language', eb.fn.countAll<number>().as('n')])
    .where('alert_id', '=', alertId)
    .groupBy('language')
    .execute();
  const byLanguage: Record<string, number> = {};
  let total = 0;
  for (const r of rows) {
    byLanguage[r.language] = Number(r.n);
    total += Number(r.n);
  }
  return { total, byLanguage };
}

/** Issued alerts for the public feed, newest first. */
export function listPublicAlerts(
  db: Db,
  options: { includeDrills: boolean; limit: number },
): Promise<AlertRow[]> {
  let q = db
    .selectFrom('alerts')
    .selectAll()
    .where('scope', '=', 'Public')
    .where('state', 'in', ['issued', 'superseded', 'cancelled'])
    .orderBy('issued_at', 'desc')
    .orderBy('id', 'desc')
    .limit(options.limit);
  q = options.includeDrills
    ? q.where('status', 'in', ['Actual', 'Exercise'])
    : q.where('status', '=', 'Actual');
  return q.execute();
}
