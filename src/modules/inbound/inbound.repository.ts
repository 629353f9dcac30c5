import { type Insertable, type Kysely, PostgresAdapter, sql } from 'kysely';
import type { DB } from '../../db/schema.ts';
import type { InboundMessageRow, InboundMessageTable } from './inbound.table.ts';

export async function insertInboundMessage(
  db: Kysely<DB>,
  row: Insertable<InboundMessageTable>,
): Promise<void> {
  await db.insertInto('inbound_messages').values(row).execute();
}

export function findByProviderId(
  db: Kysely<DB>,
  channel: string,
  providerId: string,
): Promise<InboundMessageRow | undefined> {
  return db
    .selectFrom('inbound_messages')
    .selectAll()
    .where('channel', '=', channel)
    .where('provider_id', '=', providerId)
    .executeTakeFirst();
}

/**
 * Serialises the messages of one number until the transaction ends, so that concurrent ones count each
 * other against the flood limit. SQLite has one writer already; PostgreSQL takes an advisory lock keyed
 * by the number's hash.
 */
export async function lockNumber(db: Kysely<DB>, numberHash: string): Promise<void> {
  if (!(db.getExecutor().adapter instanceof PostgresAdapter)) return;
  const key = BigInt(`0x${numberHash.slice(0, 15)}`).toString();
  await sql`select pg_advisory_xact_lock(${key}::bigint)`.execute(db);
}

/** Messages from one number (by its keyed hash) received since a time. */
export async function countFromNumberSince(
  db: Kysely<DB>,
  numberHash: string,
  sinceIso: string,
): Promise<number> {
  const row = await db
    .selectFrom('inbound_messages')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('number_hash', '=', numberHash)
    .where('received_at', '>', sinceIso)
    .executeTakeFirst();
  return Number(row?.n ?? 0);
}

/** People who gave this E.164 number as a phone contact (at most `limit`). */
export async function findPersonsWithPhone(db: Kysely<DB>, phone: string, limit: number): Promise<string[]> {
  const rows = await db
    .selectFrom('contacts')
    .select('person_id')
    .distinct()
    .where('kind', '=', 'phone')
    .where('value', '=', phone)
    .limit(limit)
    .execute();
  return rows.map((r) => r.person_id);
}

export type InboundListFilter = {
  outcome: string;
  /** Consular officers see messages of people in these countries only; null: every message. */
  countries: string[] | null;
  /** Keyset cursor: messages received before this (received_at, id). */
  before: { receivedAt: string; id: string } | null;
  limit: number;
};

/** Messages with one outcome, newest first, within the viewer's countries. */
export function listInboundMessages(db: Kysely<DB>, filter: InboundListFilter): Promise<InboundMessageRow[]> {
  let query = db
    .selectFrom('inbound_messages')
    .selectAll('inbound_messages')
    .where('outcome', '=', filter.outcome);
  if (filter.countries !== null) {
    const countries = filter.countries.length > 0 ? filter.countries : ['--'];
    query = query
      .innerJoin('persons', 'persons.id', 'inbound_messages.person_id')
      .where('persons.location_country', 'in', countries);
  }
  if (filter.before) {
    const { receivedAt, id } = filter.before;
    query = query.where((eb) =>
      eb.or([
        eb('inbound_messages.received_at', '<', receivedAt),
        eb.and([eb('inbound_messages.received_at', '=', receivedAt), eb('inbound_messages.id', '<', id)]),
      ]),
    );
  }
  return query
    .orderBy('inbound_messages.received_at', 'desc')
    .orderBy('inbound_messages.id', 'desc')
    .limit(filter.limit)
    .execute();
}
