import { type Insertable, type Kysely, PostgresAdapter, sql } from 'kysely';
import type pg from 'pg';
import type { DB } from '../../db/schema.ts';
import type { ResponseRow, ResponseTable } from './responses.table.ts';

// Rows per INSERT statement: well under SQLite's and PostgreSQL's bound-parameter limits.
const INSERT_CHUNK = 500;

export async function insertResponses(db: Kysely<DB>, rows: Insertable<ResponseTable>[]): Promise<void> {
  for (let start = 0; start < rows.length; start += INSERT_CHUNK) {
    await db
      .insertInto('responses')
      .values(rows.slice(start, start + INSERT_CHUNK))
      .execute();
  }
}

/** A reply-link answer to store: its id, who, which alert, what, and when it arrived. */
export type LinkResponseRow = {
  id: string;
  person_id: string;
  alert_id: string;
  answer: string;
  received_at: string;
};

/**
 * Stores reply-link answers with one statement (one round trip, atomic on its own): the language is
 * the one the person was sent the alert in, and an answer from a person who no longer exists is left
 * out. Answers the stored ids with their language. The lookups are correlated subqueries on purpose: a
 * join would let PostgreSQL, which cannot tell how many rows the JSON holds, scan whole tables by hash
 * instead of probing their primary keys once per answer.
 */
export async function insertLinkResponses(
  db: Kysely<DB>,
  rows: readonly LinkResponseRow[],
  createdAt: string,
): Promise<{ id: string; language: string | null }[]> {
  const json = JSON.stringify(rows);
  const values =
    db.getExecutor().adapter instanceof PostgresAdapter
      ? sql`json_to_recordset(cast(${json} as json))
          as v(id text, person_id text, alert_id text, answer text, received_at text)`
      : sql`(select json_extract(value, '$.id') as id, json_extract(value, '$.person_id') as person_id,
            json_extract(value, '$.alert_id') as alert_id, json_extract(value, '$.answer') as answer,
            json_extract(value, '$.received_at') as received_at from json_each(${json})) as v`;
  const { rows: stored } = await sql<{ id: string; language: string | null }>`
    insert into responses (id, person_id, alert_id, answer, channel, language, recorded_by, received_at, created_at)
    select v.id, v.person_id, v.alert_id, v.answer, 'link',
      (select ar.language from alert_recipients ar where ar.alert_id = v.alert_id and ar.person_id = v.person_id),
      null, v.received_at, ${createdAt}
    from ${values}
    where (select 1 from persons p where p.id = v.person_id) = 1
    returning id, language`.execute(db);
  return stored;
}

// The same statement for PostgreSQL's own driver, prepared once per connection under a name: the
// server then parses it once and may keep its plan, instead of parsing and planning every batch.
const LINK_RESPONSES_PG = {
  name: 'haven_link_responses_v1',
  text: `insert into responses (id, person_id, alert_id, answer, channel, language, recorded_by, received_at, created_at)
    select v.id, v.person_id, v.alert_id, v.answer, 'link',
      (select ar.language from alert_recipients ar where ar.alert_id = v.alert_id and ar.person_id = v.person_id),
      null, v.received_at, $2
    from json_to_recordset(cast($1 as json)) as v(id text, person_id text, alert_id text, answer text, received_at text)
    where (select 1 from persons p where p.id = v.person_id) = 1
    returning id, language`,
};

/** `insertLinkResponses` on PostgreSQL through the pool, as a named prepared statement (no transaction around it). */
export async function insertLinkResponsesPrepared(
  pool: pg.Pool,
  rows: readonly LinkResponseRow[],
  createdAt: string,
): Promise<{ id: string; language: string | null }[]> {
  const result = await pool.query<{ id: string; language: string | null }>({
    ...LINK_RESPONSES_PG,
    values: [JSON.stringify(rows), createdAt],
  });
  return result.rows;
}

/** The latest issued alert or update that was sent to the person on any channel (cancellations ask nothing). */
export async function findLatestAlertSentTo(db: Kysely<DB>, personId: string): Promise<string | null> {
  const row = await db
    .selectFrom('deliveries')
    .innerJoin('alerts', 'alerts.id', 'deliveries.alert_id')
    .select('alerts.id')
    .where('deliveries.person_id', '=', personId)
    .where('deliveries.sent_at', 'is not', null)
    .where('alerts.issued_at', 'is not', null)
    .where('alerts.msg_type', '!=', 'Cancel')
    .orderBy('alerts.issued_at', 'desc')
    .orderBy('alerts.id', 'desc')
    .limit(1)
    .executeTakeFirst();
  return row?.id ?? null;
}

/** A person's answers, newest first. */
export function findResponsesOfPerson(
  db: Kysely<DB>,
  personId: string,
  limit: number,
): Promise<ResponseRow[]> {
  return db
    .selectFrom('responses')
    .selectAll()
    .where('person_id', '=', personId)
    .orderBy('received_at', 'desc')
    .orderBy('id', 'desc')
    .limit(limit)
    .execute();
}

/** The answer that counts for one person and alert: the latest. */
export async function findLatestAnswer(
  db: Kysely<DB>,
  personId: string,
  alertId: string,
): Promise<{ answer: string; received_at: string } | undefined> {
  return db
    .selectFrom('responses')
    .select(['answer', 'received_at'])
    .where('alert_id', '=', alertId)
    .where('person_id', '=', personId)
    .orderBy('received_at', 'desc')
    .orderBy('id', 'desc')
    .limit(1)
    .executeTakeFirst();
}
