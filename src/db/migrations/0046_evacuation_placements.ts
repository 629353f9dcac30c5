import type { Kysely } from 'kysely';

// Where the plan in force puts each evacuee: a leg, an assembly point and a kind of seat, or a reason
// why not. Replaced as a whole, in one transaction, by each new plan version.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('evacuation_placements')
    .addColumn('operation_id', 'text', (c) =>
      c.notNull().references('evacuation_operations.id').onDelete('cascade'),
    )
    .addColumn('person_id', 'text', (c) => c.notNull().references('persons.id').onDelete('cascade'))
    .addColumn('plan_id', 'text', (c) => c.notNull().references('evacuation_plans.id'))
    .addColumn('group_id', 'text', (c) => c.notNull())
    .addColumn('tier', 'integer', (c) => c.notNull())
    .addColumn('leg_id', 'text', (c) => c.references('evacuation_legs.id'))
    .addColumn('assembly_point_id', 'text', (c) => c.references('evacuation_assembly_points.id'))
    .addColumn('seat', 'text')
    .addColumn('reason', 'text')
    .addPrimaryKeyConstraint('evacuation_placements_pk', ['operation_id', 'person_id'])
    .execute();
  await db.schema
    .createIndex('evacuation_placements_leg_idx')
    .on('evacuation_placements')
    .column('leg_id')
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('evacuation_placements').execute();
}
