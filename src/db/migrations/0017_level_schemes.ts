import { type Kysely, sql } from 'kysely';

// Every version of the deployment's alert-level scheme is kept; exactly one is active.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('level_schemes')
    .addColumn('version', 'integer', (c) => c.primaryKey())
    .addColumn('scheme_id', 'text', (c) => c.notNull())
    .addColumn('scheme', 'text', (c) => c.notNull())
    .addColumn('active', 'integer', (c) => c.notNull())
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text', (c) => c.references('users.id'))
    .execute();
  await db.schema
    .createIndex('level_schemes_one_active')
    .on('level_schemes')
    .column('active')
    .unique()
    .where(sql.ref('active'), '=', 1)
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('level_schemes').execute();
}
