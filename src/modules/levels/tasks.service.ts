import type { Transaction } from 'kysely';
import type { Database } from '../../db/database.ts';
import type { DB } from '../../db/schema.ts';
import { type Role, roleMayAct, type Viewer } from '../../domain/access/policy.ts';
import type { Level } from '../../domain/levels/scheme.ts';
import { AppError } from '../../errors.ts';
import { newId } from '../../lib/ids.ts';
import { appendAudit } from '../audit/audit.service.ts';
import {
  findAssigneeFacts,
  findPostIdsCovering,
  findPostIdsCoveringAny,
  findPostJurisdiction,
  findTask,
  insertTasks,
  listTasks,
  postExists,
  type TaskChange,
  type TaskRecord,
  updateTask,
} from './levels.repository.ts';
import type { TaskPatch, TaskQuery, TaskStatus, TaskView } from './levels.schema.ts';
import type { LevelsContext } from './levels.service.ts';
import type { LevelDeclarationRow, NewLevelTaskRow } from './levels.table.ts';

const toTaskView = (t: TaskRecord): TaskView => ({
  id: t.id,
  declarationId: t.declaration_id,
  postId: t.post_id,
  country: t.country,
  areaId: t.area_id,
  level: t.level,
  checklistItemId: t.checklist_item_id,
  title: t.title,
  description: t.description,
  status: t.status as TaskStatus,
  assigneeUserId: t.assignee_user_id,
  doneAt: t.done_at,
  doneBy: t.done_by,
  createdAt: t.created_at,
  updatedAt: t.updated_at,
});

/**
 * Creates the level's checklist, one task per item, for every post whose jurisdiction includes the
 * declaration's country; returns how many were created. Runs inside the declaration's transaction.
 */
export async function createDeclarationTasks(
  trx: Transaction<DB>,
  declaration: LevelDeclarationRow,
  level: Level,
  now: Date,
): Promise<number> {
  const postIds = await findPostIdsCovering(trx, declaration.country);
  const ts = now.toISOString();
  const rows: NewLevelTaskRow[] = postIds.flatMap((postId) =>
    level.actions.checklist.map((item) => ({
      id: newId(now.getTime()),
      declaration_id: declaration.id,
      post_id: postId,
      checklist_item_id: item.id,
      title: item.title,
      description: item.description ?? null,
      status: 'open',
      assignee_user_id: null,
      done_at: null,
      done_by: null,
      created_at: ts,
      updated_at: ts,
    })),
  );
  await insertTasks(trx, rows);
  return rows.length;
}

const denied = () =>
  new AppError('access.denied_record', 'These tasks belong to a post outside your jurisdiction', 403);

/** Whether tasks are limited to the posts covering the viewer's countries (consular officers) or open to all. */
const limitedToJurisdiction = (role: Role) => role === 'consular_officer';

const overlaps = (a: readonly string[], b: readonly string[]) => a.some((c) => b.includes(c));

/**
 * Tasks the viewer may work on, newest first. A consular officer sees only the tasks of posts covering
 * a country of their jurisdiction; asking for another post's tasks is refused.
 */
export async function listTasksFor(
  database: Database,
  viewer: Viewer,
  query: TaskQuery,
): Promise<TaskView[]> {
  const { db } = database;
  let postIds: string[] | undefined = query.postId ? [query.postId] : undefined;
  if (limitedToJurisdiction(viewer.role)) {
    const mine = await findPostIdsCoveringAny(db, viewer.jurisdiction);
    if (query.postId && !mine.includes(query.postId)) {
      throw (await postExists(db, query.postId))
        ? denied()
        : new AppError('tasks.post_not_found', 'No such post', 404);
    }
    postIds ??= mine;
  }
  const rows = await listTasks(db, {
    postIds,
    status: query.status,
    declarationId: query.declarationId,
    limit: query.limit ?? 500,
  });
  return rows.map(toTaskView);
}

async function checkAssignee(
  trx: Transaction<DB>,
  userId: string,
  postJurisdiction: readonly string[],
): Promise<void> {
  const user = await findAssigneeFacts(trx, userId);
  if (!user) throw new AppError('tasks.assignee_not_found', 'No user has this id', 422);
  const role = user.role as Role;
  if (user.disabled === 1 || !roleMayAct(role, 'tasks.work')) {
    throw new AppError('tasks.assignee_not_eligible', 'This user may not work on checklist tasks', 422);
  }
  if (limitedToJurisdiction(role) && !overlaps(user.jurisdiction, postJurisdiction)) {
    throw new AppError('tasks.assignee_not_eligible', "This user's post does not cover the task's post", 422);
  }
}

/**
 * Assigns a task (or unassigns it with null) and marks it done or open again. Done records when and
 * by whom; reopening clears both. Audited in the same transaction.
 */
export async function updateTaskAs(
  database: Database,
  ctx: LevelsContext,
  id: string,
  patch: TaskPatch,
  now = new Date(),
): Promise<TaskView> {
  if (patch.assigneeUserId === undefined && patch.status === undefined) {
    throw new AppError('tasks.empty_patch', 'Give assigneeUserId, status or both', 422);
  }
  return database.db.transaction().execute(async (trx) => {
    const task = await findTask(trx, id);
    if (!task) throw new AppError('tasks.not_found', 'Task not found', 404);
    const postJurisdiction = await findPostJurisdiction(trx, task.post_id);
    if (limitedToJurisdiction(ctx.viewer.role) && !overlaps(ctx.viewer.jurisdiction, postJurisdiction))
      throw denied();

    const change: TaskChange = { updated_at: now.toISOString() };
    if (patch.assigneeUserId !== undefined) {
      if (patch.assigneeUserId !== null) await checkAssignee(trx, patch.assigneeUserId, postJurisdiction);
      change.assignee_user_id = patch.assigneeUserId;
    }
    if (patch.status !== undefined && patch.status !== task.status) {
      change.status = patch.status;
      change.done_at = patch.status === 'done' ? now.toISOString() : null;
      change.done_by = patch.status === 'done' ? ctx.viewer.userId : null;
    }
    await updateTask(trx, id, change);
    await appendAudit(
      trx,
      database.dialect,
      {
        actorUserId: ctx.viewer.userId,
        actorRole: ctx.viewer.role,
        action: 'tasks.work',
        outcome: 'done',
        personIds: [],
        ip: ctx.ip,
        details: {
          event: 'task.updated',
          taskId: id,
          status: change.status ?? task.status,
          assigneeUserId:
            change.assignee_user_id === undefined ? task.assignee_user_id : change.assignee_user_id,
        },
      },
      now,
    );
    return toTaskView({ ...task, ...change });
  });
}
