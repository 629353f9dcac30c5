import { useI18n } from '../../i18n/I18nProvider.tsx';
import { ProblemMessage } from '../../shared/ProblemMessage.tsx';
import { Link } from '../../shared/router.tsx';
import { useDocumentTitle } from '../../shared/useDocumentTitle.ts';
import { useLoad } from '../../shared/useLoad.ts';
import { AlertDetails } from './AlertDetails.tsx';
import { alertsApi } from './alerts-api.ts';
import { ReviewActions } from './ReviewActions.tsx';
import './alerts.css';

/** Submitted alerts awaiting a crisis manager: each with its content, live count and map. */
export function ApprovalQueuePage() {
  const { t, format } = useI18n();
  useDocumentTitle(t('alerts.queue.title'));
  const queue = useLoad('queue', async (signal) => {
    const page = await alertsApi.list({ state: 'submitted', limit: 50 }, signal);
    return Promise.all(page.items.map((item) => alertsApi.get(item.id, signal)));
  });
  return (
    <>
      <p>
        <Link to="/alerts" className="back-link">
          {t('alerts.back')}
        </Link>
      </p>
      <div className="page-heading">
        <h1>{t('alerts.queue.title')}</h1>
        <p>{t('alerts.queue.intro')}</p>
      </div>
      {queue.status === 'loading' && <p className="status-line">{t('common.loading')}</p>}
      {queue.status === 'failed' && <ProblemMessage problem={queue.problem} onRetry={queue.reload} />}
      {queue.status === 'ready' && queue.data.length === 0 && (
        <p className="empty-state card">{t('alerts.queue.empty')}</p>
      )}
      {queue.status === 'ready' &&
        queue.data.map((alert) => (
          <section
            key={alert.id}
            className={alert.drill ? 'card queue-item alert-page--drill' : 'card queue-item'}
            aria-labelledby={`q-${alert.id}`}
          >
            <h2 id={`q-${alert.id}`} dir="auto">
              {alert.drill && <span className="badge badge--warn drill-badge">{t('alerts.drill')}</span>}{' '}
              <Link to={`/alerts/${encodeURIComponent(alert.id)}`}>{alert.infos[0]?.headline}</Link>
            </h2>
            <p className="muted">
              {t('alerts.queue.submittedAt', { time: format.dateTime(alert.submittedAt ?? alert.updatedAt) })}
            </p>
            <AlertDetails alert={alert} />
            <ReviewActions alert={alert} onDone={queue.reload} />
          </section>
        ))}
    </>
  );
}
