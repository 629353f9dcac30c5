import { AlertCard } from './AlertCard.tsx';
import { useMigrantI18n } from './i18n/MigrantI18n.tsx';
import { meApi } from './me-api.ts';
import { Loading, ProblemNote } from './Status.tsx';
import { useDocumentTitle } from './useDocumentTitle.ts';
import { useMeLoad } from './useMeLoad.ts';

/** Every alert sent to the person, newest first, in their language. */
export function AlertsPage() {
  const { t, locale } = useMigrantI18n();
  useDocumentTitle(t('alerts.title'));
  const alerts = useMeLoad(`alerts:${locale}`, (signal) => meApi.alerts(locale, signal));
  return (
    <>
      <h1>{t('alerts.title')}</h1>
      {alerts.status === 'loading' && <Loading />}
      {alerts.status === 'failed' && <ProblemNote problem={alerts.problem} onRetry={alerts.reload} />}
      {alerts.status === 'ready' &&
        (alerts.data.items.length === 0 ? (
          <p className="card empty">{t('alerts.empty')}</p>
        ) : (
          <ul className="list">
            {alerts.data.items.map((alert) => (
              <li key={alert.id}>
                <AlertCard alert={alert} onAnswered={alerts.reload} />
              </li>
            ))}
          </ul>
        ))}
    </>
  );
}
