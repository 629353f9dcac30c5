import { type Kysely, sql, type Transaction } from 'kysely';
import type { Dialect } from '../../db/database.ts';
import type { DB } from '../../db/schema.ts';
import type {
  LevelDeclarationRow,
  LevelDeclarationTable,
  LevelSchemeTable,
  LevelTaskRow,
  NamedAreaRow,
  NamedAreaTable,
  NewLevelTaskRow,
} from './levels.table.ts';

type Db = Kysely<DB> | Transaction<DB>;

// Any constant: the advisory lock that serialises scheme changes and declarations on PostgreSQL.
const LEVELS_LOCK = 0x4c76_6c73;

/**
 * Serialises every change to schemes and declarations (PostgreSQL; SQLite writes are serial already), so
 * that a scheme edit and a declaration never check each other's rules against stale rows.
 */
export async function lockLevels(trx: Transaction<DB>, dialect: Dialect): Promise<void> {
  if (dialect === 'postgres') await sql`select pg_advisory_xact_lock(${LEVELS_LOCK})`.execute(trx);
}

export function findActiveScheme(db: Db) {
  return db.selectFrom('level_schemes').selectAll().where('active', '=', 1).executeTakeFirst();
}

export async function latestSchemeVersion(db: Db): Promise<number> {
  const row = await db
    .selectFrom('level_schemes')
    .select((eb) => eb.fn.max('version').as('v'))
    .executeTakeFirst();
  return Number(row?.v ?? 0);
}

/** Makes `row` the one active scheme version, keeping every earlier version. */
export async function insertActiveScheme(trx: Transaction<DB>, row: LevelSchemeTable): Promise<void> {
  await trx.updateTable('level_schemes').set({ active: 0 }).where('active', '=', 1).execute();
  await trx.insertInto('level_schemes').values(row).execute();
}

export async function insertArea(db: Db, row: NamedAreaTable): Promise<void> {
  await db.insertInto('named_areas').values(row).execute();
}

export function findArea(db: Db, id: string): Promise<NamedAreaRow | undefined> {
  return db.selectFrom('named_areas').selectAll().where('id', '=', id).executeTakeFirst();
}

export function findAreaByName(db: Db, country: string, name: string): Promise<NamedAreaRow | undefined> {
  return db
    .selectFrom('named_areas')
    .selectAll()
    .where('country', '=', country)
    .where('name', '=', name)
    .executeTakeFirst();
}

export async function findAreasByIds(db: Db, ids: readonly string[]): Promise<NamedAreaRow[]> {
  if (ids.length === 0) return [];
  return db
    .selectFrom('named_areas')
    .selectAll()
    .where('id', 'in', [...ids])
    .execute();
}

/** Area names only, for history and task listings that do not need the geometry. */
export async function findAreaNames(db: Db, ids: readonly string[]): Promise<Map<string, string>> {
  if (ids.length === 0) return new Map();
  const rows = await db
    .selectFrom('named_areas')
    .select(['id', 'name'])
    .where('id', 'in', [...ids])
    .execute();
  return new Map(rows.map((r) => [r.id, r.name]));
}

export function listAreas(db: Db, country?: string): Promise<NamedAreaRow[]> {
  let q = db.selectFrom('named_areas').selectAll().orderBy('country').orderBy('name').limit(1000);
  if (country) q = q.where('country', '=', country);
  return q.execute();
}

export async function insertDeclaration(trx: Transaction<DB>, row: LevelDeclarationTable): Promise<void> {
  await trx.insertInto('level_declarations').values(row).execute();
}

/** Every declaration ever made (the history is small: a few per crisis), for resolving current levels. */
export function listAllDeclarations(db: Db): Promise<LevelDeclarationRow[]> {
  return db.selectFrom('level_declarations').selectAll().orderBy('declared_at').orderBy('id').execute();
}

export type HistoryFilter = { country?: string; areaId?: string; limit: number };

/** Declarations newest first, for a country (its own and its areas') or one area. */
export function listDeclarationHistory(db: Db, f: HistoryFilter): Promise<LevelDeclarationRow[]> {
  let q = db
    .selectFrom('level_declarations')
    .selectAll()
    .orderBy('declared_at', 'desc')
    .orderBy('id', 'desc')
    .limit(f.limit);
  if (f.country) q = q.where('country', '=', f.country);
  if (f.areaId) q = q.where('area_id', '=', f.areaId);
  return q.execute();
}

/** Posts whose jurisdiction includes the country. */
export async function findPostIdsCovering(db: Db, country: string): Promise<string[]> {
  const rows = await db
    .selectFrom('post_jurisdictions')
    .select('post_id')
    .where('country', '=', country)
    .orderBy('post_id')
    .execute();
  return [...new Set(rows.map((r) => r.post_id))];
}

/** Posts whose jurisdiction includes any of the countries. */
export async function findPostIdsCoveringAny(db: Db, countries: readonly string[]): Promise<string[]> {
  if (countries.length === 0) return [];
  const rows = await db
    .selectFrom('post_jurisdictions')
    .select('post_id')
    .where('country', 'in', [...countries])
    .execute();
  return [...new Set(rows.map((r) => r.post_id))];
}

export async function postExists(db: Db, id: string): Promise<boolean> {
  return (await db.selectFrom('posts').select('id').where('id', '=', id).executeTakeFirst()) !== undefined;
}

export async function insertTasks(trx: Transaction<DB>, rows: NewLevelTaskRow[]): Promise<void> {
  if (rows.length > 0) await trx.insertInto('level_tasks').values(rows).execute();
}

/** A task with the facts of its declaration that listings show. */
export type TaskRecord = LevelTaskRow & { country: string; area_id: string | null; level: number };

const taskColumns = [
  'level_tasks.id',
  'level_tasks.declaration_id',
  'level_tasks.post_id',
  'level_tasks.checklist_item_id',
  'level_tasks.title',
  'level_tasks.description',
  'level_tasks.status',
  'level_tasks.assignee_user_id',
  'level_tasks.done_at',
  'level_tasks.done_by',
  'level_tasks.created_at',
  'level_tasks.updated_at',
  'level_declarations.country',
  'level_declarations.area_id',
  'level_declarations.level',
] as const;

export type TaskFilter = {
  /** Only tasks of these posts; undefined means any post. */
  postIds?: readonly string[];
  status?: string;
  declarationId?: string;
  limit: number;
};

export async function listTasks(db: Db, f: TaskFilter): Promise<TaskRecord[]> {
  if (f.postIds?.length === 0) return [];
  let q = db
    .selectFrom('level_tasks')
    .innerJoin('level_declarations', 'level_declarations.id', 'level_tasks.declaration_id')
    .select(taskColumns)
    .orderBy('level_tasks.created_at', 'desc')
    .orderBy('level_tasks.id')
    .limit(f.limit);
  if (f.postIds) q = q.where('level_tasks.post_id', 'in', [...f.postIds]);
  if (f.status) q = q.where('level_tasks.status', '=', f.status);
  if (f.declarationId) q = q.where('level_tasks.declaration_id', '=', f.declarationId);
  return q.execute();
}

export function findTask(db: Db, id: string): Promise<TaskRecord | undefined> {
  return db
    .selectFrom('level_tasks')
    .innerJoin('level_declarations', 'level_declarations.id', 'level_tasks.declaration_id')
    .select(taskColumns)
    .where('level_tasks.id', '=', id)
    .executeTakeFirst();
}

export type TaskChange = Partial<
  Pick<LevelTaskRow, 'assignee_user_id' | 'status' | 'done_at' | 'done_by'>
> & {
  updated_at: string;
};

export async function updateTask(trx: Transaction<DB>, id: string, change: TaskChange): Promise<void> {
  await trx.updateTable('level_tasks').set(change).where('id', '=', id).execute();
}

/** The facts about a user that decide whether they may be given a task. */
export async function findAssigneeFacts(db: Db, userId: string) {
  const user = await db
    .selectFrom('users')
    .select(['id', 'role', 'post_id', 'disabled'])
    .where('id', '=', userId)
    .executeTakeFirst();
  if (!user) return undefined;
  const jurisdiction = user.post_id
    ? (
        await db
          .selectFrom('post_jurisdictions')
          .select('country')
          .where('post_id', '=', user.post_id)
          .execute()
      ).map((r) => r.country)
    : [];
  return { ...user, jurisdiction };
}

export async function findPostJurisdiction(db: Db, postId: string): Promise<string[]> {
  const rows = await db
    .selectFrom('post_jurisdictions')
    .select('country')
    .where('post_id', '=', postId)
    .execute();
  return rows.map((r) => r.country);
}
