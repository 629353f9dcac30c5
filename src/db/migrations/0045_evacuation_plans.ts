import type { Kysely } from 'kysely';

// Every plan version of an operation, with the settings it was made with and its summary. The
// placements of the version in force live in evacuation_placements.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('evacuation_plans')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('operation_id', 'text', (c) =>
      c.notNull().references('evacuation_operations.id').onDelete('cascade'),
    )
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('trigger', 'text', (c) => c.notNull())
    .addColumn('planned_at', 'text', (c) => c.notNull())
    .addColumn('planned_by', 'text', (c) => c.references('users.id'))
    .addColumn('settings', 'text', (c) => c.notNull())
    .addColumn('summary', 'text', (c) => c.notNull())
    .addColumn('warnings', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('evacuation_plans_version_idx')
    .on('evacuation_plans')
    .columns(['operation_id', 'version'])
    .unique()
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('evacuation_plans').execute();
}
