import { type Kysely, sql } from 'kysely';
import { isPostgres } from './dialect.ts';

// A push subscription is a contact of kind `push` whose value is the subscription's JSON
// ({"endpoint":…,"keys":{…}}). Its endpoint names one browser's subscription, so it belongs to one person
// at a time: unique among push contacts, and looked up by it when a browser unsubscribes.
export async function up(db: Kysely<unknown>): Promise<void> {
  const endpoint = isPostgres(db)
    ? sql`(cast(value as jsonb) ->> 'endpoint')`
    : sql`json_extract(value, '$.endpoint')`;
  await sql`create unique index contacts_push_endpoint_uq on contacts ((${endpoint})) where kind = 'push'`.execute(
    db,
  );
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop index contacts_push_endpoint_uq`.execute(db);
}
