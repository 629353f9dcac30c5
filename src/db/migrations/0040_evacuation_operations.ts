import type { Kysely } from 'kysely';

// An evacuation operation: one crisis, one country (optionally one named area), one alert level.
// `boarding_key` signs the operation's boarding passes; `current_plan_id` names the plan in force.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('evacuation_operations')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('crisis', 'text', (c) => c.notNull())
    .addColumn('country', 'text', (c) => c.notNull())
    .addColumn('area_id', 'text', (c) => c.references('named_areas.id'))
    .addColumn('alert_level', 'integer', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('planning_options', 'text', (c) => c.notNull())
    .addColumn('boarding_key', 'text', (c) => c.notNull())
    .addColumn('current_plan_id', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text', (c) => c.references('users.id'))
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('evacuation_operations_country_idx')
    .on('evacuation_operations')
    .columns(['country', 'status'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('evacuation_operations').execute();
}
