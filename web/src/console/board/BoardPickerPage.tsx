import { useI18n } from '../../i18n/I18nProvider.tsx';
import { ProblemMessage } from '../../shared/ProblemMessage.tsx';
import { Link } from '../../shared/router.tsx';
import { useDocumentTitle } from '../../shared/useDocumentTitle.ts';
import { useLoad } from '../../shared/useLoad.ts';
import { boardApi } from './board-api.ts';
import './board.css';

/** Where the board starts: the issued alerts and the crises the viewer may follow, newest first. */
export function BoardPickerPage() {
  const { t, format } = useI18n();
  useDocumentTitle(t('board.title'));
  const subjects = useLoad('board-subjects', (signal) => boardApi.subjects(signal));
  return (
    <>
      <div className="page-heading">
        <h1>{t('board.title')}</h1>
        <p>{t('board.intro')}</p>
      </div>
      {subjects.status === 'failed' && (
        <ProblemMessage problem={subjects.problem} onRetry={subjects.reload} />
      )}
      {subjects.status === 'loading' && <p className="status-line">{t('common.loading')}</p>}
      {subjects.status === 'ready' && (
        <div className="board-picker">
          <section className="card" aria-labelledby="board-pick-alerts">
            <h2 id="board-pick-alerts">{t('board.pickAlert')}</h2>
            {subjects.data.alerts.length === 0 ? (
              <p className="muted">{t('board.noSubjects')}</p>
            ) : (
              <ul className="board-picker__list">
                {subjects.data.alerts.map((alert) => (
                  <li key={alert.id} data-alert={alert.id}>
                    {alert.drill && (
                      <span className="badge badge--warn board-badge">{t('alerts.drill')}</span>
                    )}{' '}
                    <Link to={`/board/alerts/${encodeURIComponent(alert.id)}`} dir="auto">
                      {alert.headline ?? alert.event}
                    </Link>
                    <span className="muted">
                      {' '}
                      · {format.dateTime(alert.issuedAt)}
                      {alert.recipients !== null && (
                        <> · {t('board.recipients', { count: alert.recipients })}</>
                      )}
                    </span>
                  </li>
                ))}
              </ul>
            )}
          </section>
          <section className="card" aria-labelledby="board-pick-incidents">
            <h2 id="board-pick-incidents">{t('board.pickIncident')}</h2>
            {subjects.data.incidents.length === 0 ? (
              <p className="muted">{t('board.noIncidents')}</p>
            ) : (
              <ul className="board-picker__list">
                {subjects.data.incidents.map((incident) => (
                  <li key={incident.id}>
                    <Link to={`/board/incidents/${encodeURIComponent(incident.id)}`} dir="auto">
                      {incident.event}
                    </Link>
                    <span className="muted">
                      {' '}
                      · {t('board.alertCount', { count: incident.alerts })} ·{' '}
                      {format.dateTime(incident.firstIssuedAt)}
                    </span>
                  </li>
                ))}
              </ul>
            )}
          </section>
        </div>
      )}
    </>
  );
}
