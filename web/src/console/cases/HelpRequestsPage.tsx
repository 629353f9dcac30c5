import { useEffect, useRef, useState } from 'react';
import { useI18n } from '../../i18n/I18nProvider.tsx';
import { api } from '../../shared/api.ts';
import { ProblemMessage } from '../../shared/ProblemMessage.tsx';
import { Link, navigate } from '../../shared/router.tsx';
import { useDocumentTitle } from '../../shared/useDocumentTitle.ts';
import { type Loadable, useLoad } from '../../shared/useLoad.ts';
import { useSession } from '../session/SessionProvider.tsx';
import { priorityBadge, priorityLabel, statusBadge, statusLabel, typeLabel } from './case-labels.ts';
import { casesApi, type Queue, type QueueQuery } from './cases-api.ts';
import { ReasonList } from './ReasonList.tsx';
import { SlaTimer, useNow } from './SlaTimer.tsx';
import { clockOffset, slaClock } from './sla-clock.ts';
import '../../shared/DataTable.css';
import './cases.css';

const STATUSES = ['open', 'new', 'acknowledged', 'in_progress', 'referred', 'closed', 'all'] as const;
const PRIORITIES = ['critical', 'high', 'medium', 'low'] as const;
type Status = (typeof STATUSES)[number];
type Priority = (typeof PRIORITIES)[number];

/** The queue refreshes on its own: new requests appear without a reload. */
const REFRESH_MS = 30_000;

/** The most recent data a loadable delivered, kept while it reloads so the list does not blink. */
function useLatest<T>(loadable: Loadable<T>): T | null {
  const latest = useRef<T | null>(null);
  if (loadable.status === 'ready') latest.current = loadable.data;
  return latest.current;
}

function readFilters(): { post: string; status: Status; priority: Priority | '' } {
  const params = new URLSearchParams(window.location.search);
  const status = params.get('status') ?? '';
  const priority = params.get('priority') ?? '';
  return {
    post: params.get('post') ?? '',
    status: (STATUSES as readonly string[]).includes(status) ? (status as Status) : 'open',
    priority: (PRIORITIES as readonly string[]).includes(priority) ? (priority as Priority) : '',
  };
}

/**
 * A post's queue of help requests and SOS, most urgent first: each with its priority and why, and a
 * clock counting down the time left to act (red once overdue). Headquarters chooses the post; an
 * officer sees their own post's; a partner sees what was referred to it.
 */
export function HelpRequestsPage() {
  const { t, format } = useI18n();
  useDocumentTitle(t('cases.title'));
  const { session } = useSession();
  const role = session.status === 'active' ? session.me.role : '';
  const choosesPost = role === 'hq_admin' || role === 'crisis_manager';
  const [filters, setFilters] = useState(readFilters);
  const query: QueueQuery = {
    ...(filters.post && choosesPost ? { post: filters.post } : {}),
    status: filters.status,
    ...(filters.priority ? { priority: filters.priority } : {}),
  };
  const key = `cases:${query.post ?? ''}:${filters.status}:${filters.priority}`;
  const receivedAt = useRef(Date.now());
  const queue = useLoad(key, async (signal) => {
    const data = await casesApi.queue(query, signal);
    receivedAt.current = Date.now();
    return data;
  });
  const posts = useLoad('posts', (signal) => api.posts(signal));
  const data: Queue | null = useLatest(queue);
  const now = useNow();

  const reload = queue.reload;
  useEffect(() => {
    const timer = window.setInterval(reload, REFRESH_MS);
    return () => window.clearInterval(timer);
  }, [reload]);

  const change = (next: Partial<typeof filters>) => {
    const merged = { ...filters, ...next };
    setFilters(merged);
    const params = new URLSearchParams();
    if (merged.post) params.set('post', merged.post);
    if (merged.status !== 'open') params.set('status', merged.status);
    if (merged.priority) params.set('priority', merged.priority);
    const search = params.toString();
    navigate(search ? `/help-requests?${search}` : '/help-requests', { replace: true });
  };

  const postName = (id: string | null) =>
    (posts.status === 'ready' && id ? posts.data.items.find((p) => p.id === id)?.name : undefined) ?? null;
  const offset = data ? clockOffset(data.asOf, receivedAt.current) : 0;

  return (
    <>
      <div className="page-heading">
        <h1>{t('cases.title')}</h1>
        <p>{t('cases.intro')}</p>
        {data?.postId && !choosesPost && (
          <p className="muted">{t('cases.postOf', { post: postName(data.postId) ?? '' })}</p>
        )}
      </div>
      <div className="case-filters">
        {choosesPost && (
          <div className="field">
            <label htmlFor="cases-post">{t('cases.filter.post')}</label>
            <select id="cases-post" value={filters.post} onChange={(e) => change({ post: e.target.value })}>
              <option value="">{t('cases.filter.allPosts')}</option>
              {posts.status === 'ready' &&
                posts.data.items.map((p) => (
                  <option key={p.id} value={p.id}>
                    {p.name}
                  </option>
                ))}
            </select>
          </div>
        )}
        <div className="field">
          <label htmlFor="cases-status">{t('cases.filter.status')}</label>
          <select
            id="cases-status"
            value={filters.status}
            onChange={(e) => change({ status: e.target.value as Status })}
          >
            {STATUSES.map((s) => (
              <option key={s} value={s}>
                {s === 'open'
                  ? t('cases.filter.open')
                  : s === 'all'
                    ? t('cases.filter.all')
                    : statusLabel(t, s)}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="cases-priority">{t('cases.filter.priority')}</label>
          <select
            id="cases-priority"
            value={filters.priority}
            onChange={(e) => change({ priority: e.target.value as Priority | '' })}
          >
            <option value="">{t('cases.filter.anyPriority')}</option>
            {PRIORITIES.map((p) => (
              <option key={p} value={p}>
                {priorityLabel(t, p)}
              </option>
            ))}
          </select>
        </div>
      </div>
      {!data && queue.status === 'loading' && <p className="status-line">{t('common.loading')}</p>}
      {queue.status === 'failed' && <ProblemMessage problem={queue.problem} onRetry={queue.reload} />}
      {data && data.items.length === 0 && <p className="empty-state card">{t('cases.empty')}</p>}
      {data && data.items.length > 0 && (
        <div className="data-table">
          <table className="case-queue">
            <caption className="visually-hidden">{t('cases.title')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('cases.col.priority')}</th>
                <th scope="col">{t('cases.col.request')}</th>
                <th scope="col">{t('cases.col.person')}</th>
                <th scope="col">{t('cases.col.status')}</th>
                <th scope="col">{t('cases.col.sla')}</th>
                <th scope="col">{t('cases.col.why')}</th>
                <th scope="col">{t('cases.col.assigned')}</th>
              </tr>
            </thead>
            <tbody>
              {data.items.map((item) => {
                const overdue = slaClock(item.sla, now, offset).kind === 'overdue';
                return (
                  <tr key={item.id} className={overdue ? 'case-queue__overdue' : undefined}>
                    <td data-label={t('cases.col.priority')}>
                      <span className={priorityBadge(item.priority)}>{priorityLabel(t, item.priority)}</span>
                      {item.isSos && <span className="badge badge--danger case-sos">{t('cases.sos')}</span>}
                    </td>
                    <th scope="row" data-label={t('cases.col.request')}>
                      <Link to={`/help-requests/${encodeURIComponent(item.id)}`}>
                        {typeLabel(t, item.type)}
                      </Link>
                      <span className="muted case-created"> {format.dateTime(item.createdAt)}</span>
                    </th>
                    <td data-label={t('cases.col.person')} dir="auto">
                      {item.person.name ?? t('common.withheld')}
                    </td>
                    <td data-label={t('cases.col.status')}>
                      <span className={statusBadge(item.status)}>{statusLabel(t, item.status)}</span>
                    </td>
                    <td data-label={t('cases.col.sla')}>
                      <SlaTimer sla={item.sla} now={now} offsetMs={offset} />
                    </td>
                    <td data-label={t('cases.col.why')}>
                      <ReasonList reasons={item.reasons} compact />
                    </td>
                    <td data-label={t('cases.col.assigned')}>
                      {item.assignedTo?.email ?? item.referredTo?.name ?? t('cases.nobody')}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
          <p className="muted">{t('cases.count', { count: data.items.length })}</p>
        </div>
      )}
    </>
  );
}
