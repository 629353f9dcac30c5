import { useState } from 'react';
import { useI18n } from '../../i18n/I18nProvider.tsx';
import { type ApiProblem, toProblem } from '../../shared/api.ts';
import { ProblemMessage } from '../../shared/ProblemMessage.tsx';
import { useLoad } from '../../shared/useLoad.ts';
import { useSession } from '../session/SessionProvider.tsx';
import { levelsApi, type TaskView } from './levels-api.ts';

/** The checklist tasks of the officer's posts, created by level declarations: take one, mark it done. */
export function TasksPanel() {
  const { t, format } = useI18n();
  const { session } = useSession();
  const me = session.status === 'active' ? session.me.userId : '';
  const [showDone, setShowDone] = useState(false);
  const tasks = useLoad(`tasks:${showDone}`, (signal) =>
    levelsApi.tasks(showDone ? undefined : 'open', signal),
  );
  const [problem, setProblem] = useState<ApiProblem | null>(null);

  const change = async (task: TaskView, patch: Parameters<typeof levelsApi.updateTask>[1]) => {
    setProblem(null);
    try {
      await levelsApi.updateTask(task.id, patch);
      tasks.reload();
    } catch (error) {
      setProblem(toProblem(error));
    }
  };

  return (
    <section className="card" aria-labelledby="tasks-heading">
      <h2 id="tasks-heading">{t('levels.tasks')}</h2>
      <label className="choice">
        <input type="checkbox" checked={showDone} onChange={(e) => setShowDone(e.target.checked)} />
        {t('levels.tasksShowDone')}
      </label>
      {problem && <ProblemMessage problem={problem} />}
      {tasks.status === 'failed' && <ProblemMessage problem={tasks.problem} onRetry={tasks.reload} />}
      {tasks.status === 'ready' && tasks.data.items.length === 0 && (
        <p className="muted">{t('levels.tasksEmpty')}</p>
      )}
      {tasks.status === 'ready' && tasks.data.items.length > 0 && (
        <ul className="tasks-list">
          {tasks.data.items.map((task) => (
            <li
              key={task.id}
              className={
                task.status === 'done' ? 'tasks-list__item tasks-list__item--done' : 'tasks-list__item'
              }
            >
              <div>
                <strong dir="auto">{task.title}</strong>
                <span className="muted">
                  {' · '}
                  {t('levels.taskFor', { country: format.region(task.country), level: task.level })}
                </span>
                {task.description && (
                  <p dir="auto" className="tasks-list__description">
                    {task.description}
                  </p>
                )}
                <p className="muted tasks-list__meta">
                  {task.status === 'done'
                    ? t('levels.taskDone', { time: format.dateTime(task.doneAt ?? task.updatedAt) })
                    : task.assigneeUserId === me
                      ? t('levels.taskMine')
                      : task.assigneeUserId
                        ? t('levels.taskAssigned')
                        : t('levels.taskUnassigned')}
                </p>
              </div>
              {task.status === 'open' && (
                <div className="tasks-list__actions">
                  {task.assigneeUserId !== me && (
                    <button
                      type="button"
                      className="button button--small"
                      onClick={() => change(task, { assigneeUserId: me })}
                    >
                      {t('levels.assignToMe')}
                    </button>
                  )}
                  <button
                    type="button"
                    className="button button--small button--primary"
                    onClick={() => change(task, { status: 'done' })}
                  >
                    {t('levels.markDone')}
                  </button>
                </div>
              )}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
