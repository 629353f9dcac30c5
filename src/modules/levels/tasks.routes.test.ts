import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { buildTestApp, type TestApp } from '../../../test/helpers/app.ts';
import { PHILIPPINE_CRISIS_ALERT_SCHEME } from '../../domain/levels/presets.ts';

let t: TestApp;
/** A second post covering the UAE (and Oman), besides the fixtures' UAE and Hong Kong posts. */
let postGulfId: string;
before(async () => {
  t = await buildTestApp();
  const res = await t.app.inject({
    method: 'POST',
    url: '/api/posts',
    payload: {
      organizationId: t.fixtures.originOrgId,
      name: 'Consulate Gulf (test)',
      kind: 'consulate',
      country: 'AE',
      jurisdiction: ['AE', 'OM'],
    },
  });
  assert.equal(res.statusCode, 201, res.body);
  postGulfId = res.json().id;
});
after(async () => {
  await t?.close();
});

type Task = {
  id: string;
  postId: string;
  declarationId: string;
  checklistItemId: string;
  status: string;
  level: number;
  country: string;
};

const declare = async (payload: object) => {
  const res = await t.app.inject({
    method: 'POST',
    url: '/api/alert-levels',
    headers: t.as('crisis_manager'),
    payload,
  });
  assert.equal(res.statusCode, 201, res.body);
  return res.json() as { declaration: { id: string }; tasksCreated: number };
};
const listTasks = async (
  query: string,
  role: 'crisis_manager' | 'consular_officer' | 'hq_admin' = 'crisis_manager',
) => {
  const res = await t.app.inject({ url: `/api/tasks${query}`, headers: t.as(role) });
  return res;
};
const patch = (
  id: string,
  payload: object,
  role: 'crisis_manager' | 'consular_officer' | 'hq_admin' = 'crisis_manager',
) => t.app.inject({ method: 'PATCH', url: `/api/tasks/${id}`, headers: t.as(role), payload });

const checklist = (n: number) =>
  PHILIPPINE_CRISIS_ALERT_SCHEME.levels.find((l) => l.number === n)!.actions.checklist.map((c) => c.id);

describe('checklist tasks', () => {
  let aeTasks: Task[];
  let hkTasks: Task[];

  test('declaring a level creates its checklist for every post covering the country, and only those', async () => {
    const ae = await declare({ country: 'AE', level: 2, reason: 'Unrest' });
    assert.equal(ae.tasksCreated, 2 * checklist(2).length);
    const res = await listTasks(`?declarationId=${ae.declaration.id}`);
    assert.equal(res.statusCode, 200, res.body);
    aeTasks = res.json().items;
    assert.deepEqual(
      [...new Set(aeTasks.map((x) => x.postId))].sort(),
      [t.fixtures.postAeId, postGulfId].sort(),
    );
    for (const postId of [t.fixtures.postAeId, postGulfId]) {
      assert.deepEqual(
        aeTasks
          .filter((x) => x.postId === postId)
          .map((x) => x.checklistItemId)
          .sort(),
        [...checklist(2)].sort(),
      );
    }
    assert.ok(aeTasks.every((x) => x.status === 'open' && x.level === 2 && x.country === 'AE'));

    const hk = await declare({ country: 'HK', level: 1, reason: 'Typhoon season' });
    assert.equal(hk.tasksCreated, checklist(1).length);
    hkTasks = (await listTasks(`?postId=${t.fixtures.postHkId}`)).json().items;
    assert.deepEqual(hkTasks.map((x) => x.checklistItemId).sort(), [...checklist(1)].sort());

    const lift = await declare({ country: 'HK', level: 0, reason: 'Over' });
    assert.equal(lift.tasksCreated, 0, 'lifting creates no tasks');
    const none = await declare({ country: 'NZ', level: 1, reason: 'No post covers it' });
    assert.equal(none.tasksCreated, 0);
  });

  test('a consular officer sees only the tasks of posts covering their jurisdiction', async () => {
    const res = await listTasks('', 'consular_officer');
    assert.equal(res.statusCode, 200, res.body);
    const posts = new Set(res.json().items.map((x: Task) => x.postId));
    assert.deepEqual([...posts].sort(), [t.fixtures.postAeId, postGulfId].sort());
    const other = await listTasks(`?postId=${t.fixtures.postHkId}`, 'consular_officer');
    assert.equal(other.statusCode, 403);
    assert.equal(other.json().code, 'access.denied_record');
    const all = (await listTasks('', 'hq_admin')).json().items;
    assert.ok(
      all.some((x: Task) => x.postId === t.fixtures.postHkId),
      'headquarters sees every post',
    );
  });

  test('a task is assigned, marked done and reopened, and filtered by status', async () => {
    const task = aeTasks.find((x) => x.postId === t.fixtures.postAeId)!;
    const officerId = t.fixtures.users.consular_officer.id;
    const assigned = await patch(task.id, { assigneeUserId: officerId });
    assert.equal(assigned.statusCode, 200, assigned.body);
    assert.equal(assigned.json().assigneeUserId, officerId);
    assert.equal(assigned.json().status, 'open');

    const done = await patch(task.id, { status: 'done' }, 'consular_officer');
    assert.equal(done.statusCode, 200, done.body);
    assert.equal(done.json().status, 'done');
    assert.equal(done.json().doneBy, officerId);
    assert.ok(!Number.isNaN(Date.parse(done.json().doneAt)));
    assert.equal(done.json().assigneeUserId, officerId, 'marking done keeps the assignee');

    const doneList = (
      await listTasks(`?postId=${t.fixtures.postAeId}&status=done`, 'consular_officer')
    ).json().items;
    assert.deepEqual(
      doneList.map((x: Task) => x.id),
      [task.id],
    );

    const reopened = await patch(task.id, { status: 'open', assigneeUserId: null });
    assert.equal(reopened.json().status, 'open');
    assert.equal(reopened.json().doneAt, null);
    assert.equal(reopened.json().doneBy, null);
    assert.equal(reopened.json().assigneeUserId, null);

    const audit = await t.database.db
      .selectFrom('audit_log')
      .select('details')
      .where('action', '=', 'tasks.work')
      .execute();
    assert.equal(audit.filter((a) => JSON.parse(a.details).taskId === task.id).length, 3);
  });

  test("an officer of another post is refused another post's task", async () => {
    const res = await patch(hkTasks[0]!.id, { status: 'done' }, 'consular_officer');
    assert.equal(res.statusCode, 403);
    assert.equal(res.json().code, 'access.denied_record');
    const still = (await listTasks(`?postId=${t.fixtures.postHkId}`))
      .json()
      .items.find((x: Task) => x.id === hkTasks[0]!.id);
    assert.equal(still.status, 'open');
  });

  test('assignment and patch errors are coded', async () => {
    const hkTask = hkTasks[0]!.id;
    const cases: [string, object, number, string][] = [
      [hkTask, { assigneeUserId: t.fixtures.users.consular_officer.id }, 422, 'tasks.assignee_not_eligible'],
      [hkTask, { assigneeUserId: t.fixtures.users.analyst.id }, 422, 'tasks.assignee_not_eligible'],
      [hkTask, { assigneeUserId: '01900000-0000-7000-8000-000000000000' }, 422, 'tasks.assignee_not_found'],
      [hkTask, {}, 422, 'tasks.empty_patch'],
      [hkTask, { status: 'finished' }, 400, 'request.invalid'],
      ['01900000-0000-7000-8000-000000000000', { status: 'done' }, 404, 'tasks.not_found'],
    ];
    for (const [id, body, status, code] of cases) {
      const res = await patch(id, body);
      assert.equal(res.statusCode, status, `${JSON.stringify(body)}: ${res.body}`);
      assert.equal(res.json().code, code);
    }
    const ok = await patch(hkTask, { assigneeUserId: t.fixtures.users.crisis_manager.id });
    assert.equal(ok.statusCode, 200, 'headquarters staff may be given any post’s task');
  });
});
