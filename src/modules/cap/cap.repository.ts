import type { Kysely, Transaction } from 'kysely';
import type { DB } from '../../db/schema.ts';
import type { IncidentAreaRow, IncidentAreaTable, IncidentRow, IncidentTable } from './cap.table.ts';

type Db = Kysely<DB> | Transaction<DB>;

export async function insertIncident(
  trx: Transaction<DB>,
  row: IncidentTable,
  areas: readonly IncidentAreaTable[],
): Promise<void> {
  await trx.insertInto('incidents').values(row).execute();
  // Ten columns a row: 200 rows stay well within both databases' bound-parameter limits.
  for (let i = 0; i < areas.length; i += 200) {
    await trx
      .insertInto('incident_areas')
      .values(areas.slice(i, i + 200))
      .execute();
  }
}

export function findIncidentBySource(
  db: Db,
  sender: string,
  identifier: string,
  sentAt: string,
): Promise<Pick<IncidentRow, 'id'> | undefined> {
  return db
    .selectFrom('incidents')
    .select('id')
    .where('source_sender', '=', sender)
    .where('source_identifier', '=', identifier)
    .where('sent_at', '=', sentAt)
    .executeTakeFirst();
}

export function findIncident(db: Db, id: string): Promise<IncidentRow | undefined> {
  return db.selectFrom('incidents').selectAll().where('id', '=', id).executeTakeFirst();
}

export function findIncidentAreas(db: Db, incidentId: string): Promise<IncidentAreaRow[]> {
  return db
    .selectFrom('incident_areas')
    .selectAll()
    .where('incident_id', '=', incidentId)
    .orderBy('position')
    .execute();
}

/** Incidents newest first, without their documents. */
export function listIncidents(db: Db, options: { before?: string; limit: number }) {
  let q = db
    .selectFrom('incidents')
    .select([
      'id',
      'source_sender',
      'source_identifier',
      'source_sent',
      'sent_at',
      'cap_version',
      'status',
      'msg_type',
      'scope',
      'event',
      'urgency',
      'severity',
      'certainty',
      'infos',
      'cap_references',
      'source',
      'imported_at',
      'imported_by',
      'draft_alert_id',
    ])
    .orderBy('id', 'desc')
    .limit(options.limit);
  if (options.before) q = q.where('id', '<', options.before);
  return q.execute();
}

export async function setIncidentDraftAlert(
  trx: Transaction<DB>,
  incidentId: string,
  alertId: string,
): Promise<void> {
  await trx.updateTable('incidents').set({ draft_alert_id: alertId }).where('id', '=', incidentId).execute();
}
