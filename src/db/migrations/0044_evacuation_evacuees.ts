import type { Kysely } from 'kysely';

// The people an operation is to move. `active_claim` holds the person id while the operation is
// open and is cleared when it closes: its unique index stops two open operations claiming one person,
// even when both add them at the same moment.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('evacuation_evacuees')
    .addColumn('operation_id', 'text', (c) =>
      c.notNull().references('evacuation_operations.id').onDelete('cascade'),
    )
    .addColumn('person_id', 'text', (c) => c.notNull().references('persons.id').onDelete('cascade'))
    .addColumn('group_id', 'text', (c) => c.notNull())
    .addColumn('group_kind', 'text', (c) => c.notNull())
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('etd_ready_at', 'text')
    .addColumn('needs_medical_seat', 'integer', (c) => c.notNull())
    .addColumn('needs_accessible_site', 'integer')
    .addColumn('active_claim', 'text')
    .addColumn('added_at', 'text', (c) => c.notNull())
    .addColumn('added_by', 'text', (c) => c.references('users.id'))
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('evacuation_evacuees_pk', ['operation_id', 'person_id'])
    .execute();
  await db.schema
    .createIndex('evacuation_evacuees_claim_idx')
    .on('evacuation_evacuees')
    .column('active_claim')
    .unique()
    .execute();
  await db.schema
    .createIndex('evacuation_evacuees_person_idx')
    .on('evacuation_evacuees')
    .column('person_id')
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('evacuation_evacuees').execute();
}
