import { type Kysely, sql } from 'kysely';
import { isPostgres } from './dialect.ts';

export async function up(db: Kysely<unknown>): Promise<void> {
  const pg = isPostgres(db);
  await db.schema
    .createTable('persons')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('external_ref', 'text', (c) => c.unique())
    .addColumn('given_names', 'text', (c) => c.notNull())
    .addColumn('family_name', 'text')
    // Lower-cased, diacritic-free copy of the names, for search in any script.
    .addColumn('name_search', 'text', (c) => c.notNull())
    .addColumn('sex', 'text', (c) => c.notNull())
    .addColumn('birth_date', 'text')
    .addColumn('birth_year', 'integer')
    .addColumn('nationality', 'text')
    .addColumn('lat', 'double precision')
    .addColumn('lon', 'double precision')
    .addColumn('location_country', 'text')
    .addColumn('address', 'text')
    // H3 index (resolution 9) as 15-char hex: with byte-wise collation, string order is numeric order,
    // so every coarser cell is one contiguous range of this column.
    .addColumn('h3_cell', pg ? sql`text collate "C"` : 'text')
    .addColumn('household_id', 'text', (c) => c.references('households.id').onDelete('set null'))
    .addColumn('household_role', 'text')
    .addColumn('employer_id', 'text', (c) => c.references('organizations.id').onDelete('set null'))
    .addColumn('vulnerabilities', 'text', (c) => c.notNull())
    .addColumn('document_status', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('persons_h3_idx').on('persons').column('h3_cell').execute();
  await db.schema
    .createIndex('persons_country_idx')
    .on('persons')
    .columns(['location_country', 'id'])
    .execute();
  await db.schema.createIndex('persons_household_idx').on('persons').column('household_id').execute();
  await db.schema.createIndex('persons_employer_idx').on('persons').column('employer_id').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('persons').execute();
}
