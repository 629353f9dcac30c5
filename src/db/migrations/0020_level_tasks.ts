import type { Kysely } from 'kysely';

// Checklist tasks a declaration creates for each post whose jurisdiction covers the country.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('level_tasks')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('declaration_id', 'text', (c) => c.notNull().references('level_declarations.id'))
    .addColumn('post_id', 'text', (c) => c.notNull().references('posts.id'))
    .addColumn('checklist_item_id', 'text', (c) => c.notNull())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('description', 'text')
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('assignee_user_id', 'text', (c) => c.references('users.id'))
    .addColumn('done_at', 'text')
    .addColumn('done_by', 'text', (c) => c.references('users.id'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('level_tasks_post_status_idx')
    .on('level_tasks')
    .columns(['post_id', 'status'])
    .execute();
  await db.schema
    .createIndex('level_tasks_declaration_idx')
    .on('level_tasks')
    .column('declaration_id')
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('level_tasks').execute();
}
