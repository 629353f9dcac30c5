import { type Kysely, sql, type Transaction } from 'kysely';
import type { DB } from '../../db/schema.ts';
import type { AuditLogTable } from './audit.table.ts';

type Db = Kysely<DB> | Transaction<DB>;

// Any constant: the advisory lock that serialises appends to the chain on PostgreSQL.
const AUDIT_LOCK = 0x48617665;

/** The last entry of the chain, taking the append lock first (PostgreSQL) so appends are serial. */
export async function lockChainHead(
  trx: Transaction<DB>,
  dialect: 'sqlite' | 'postgres',
): Promise<{ seq: number; hash: string } | undefined> {
  if (dialect === 'postgres') await sql`select pg_advisory_xact_lock(${AUDIT_LOCK})`.execute(trx);
  return trx
    .selectFrom('audit_log')
    .select(['seq', 'hash'])
    .orderBy('seq', 'desc')
    .limit(1)
    .executeTakeFirst();
}

export async function insertAuditRow(trx: Transaction<DB>, row: AuditLogTable): Promise<void> {
  await trx.insertInto('audit_log').values(row).execute();
}

/** Entries in chain order, from `afterSeq`, a page at a time (for verification and export). */
export function auditPage(db: Db, afterSeq: number, limit: number) {
  return db
    .selectFrom('audit_log')
    .selectAll()
    .where('seq', '>', afterSeq)
    .orderBy('seq')
    .limit(limit)
    .execute();
}

export type AuditQuery = {
  actorUserId?: string;
  personId?: string;
  action?: string;
  from?: string;
  to?: string;
  beforeSeq?: number;
  limit: number;
};

/** Entries matching a query, newest first. */
export function queryAudit(db: Db, q: AuditQuery) {
  let query = db.selectFrom('audit_log').selectAll();
  if (q.actorUserId) query = query.where('actor_user_id', '=', q.actorUserId);
  if (q.action) query = query.where('action', '=', q.action);
  if (q.personId) query = query.where('person_ids', 'like', `%"${q.personId}"%`);
  if (q.from) query = query.where('at', '>=', q.from);
  if (q.to) query = query.where('at', '<', q.to);
  if (q.beforeSeq !== undefined) query = query.where('seq', '<', q.beforeSeq);
  return query.orderBy('seq', 'desc').limit(q.limit).execute();
}
