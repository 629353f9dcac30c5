import type { Kysely } from 'kysely';

// The hand-over to return and reintegration: one case per person who arrived with an operation.
// Kept minimal here; the cases capability builds on it.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('return_cases')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('person_id', 'text', (c) => c.notNull().references('persons.id').onDelete('cascade'))
    .addColumn('operation_id', 'text', (c) => c.references('evacuation_operations.id').onDelete('set null'))
    .addColumn('leg_id', 'text', (c) => c.references('evacuation_legs.id').onDelete('set null'))
    .addColumn('stage', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('opened_at', 'text', (c) => c.notNull())
    .addColumn('opened_by', 'text', (c) => c.references('users.id'))
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('return_cases_operation_person_idx')
    .on('return_cases')
    .columns(['operation_id', 'person_id'])
    .unique()
    .execute();
  await db.schema.createIndex('return_cases_person_idx').on('return_cases').column('person_id').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('return_cases').execute();
}
