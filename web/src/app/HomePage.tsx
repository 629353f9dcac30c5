import { Link } from '../shared/router.tsx';
import { AlertCard } from './AlertCard.tsx';
import { useMigrantI18n } from './i18n/MigrantI18n.tsx';
import { type MeView, meApi } from './me-api.ts';
import { RespondButtons } from './RespondButtons.tsx';
import { SosButton } from './SosButton.tsx';
import { Loading, ProblemNote } from './Status.tsx';
import { useDocumentTitle } from './useDocumentTitle.ts';
import { useMeLoad } from './useMeLoad.ts';

/** The first screen: "Are you safe?" with two big answers, the SOS button, and the latest alert. */
export function HomePage({ me }: { me: MeView }) {
  const { t, locale } = useMigrantI18n();
  useDocumentTitle(t('home.title'));
  const alerts = useMeLoad(`alerts:${locale}`, (signal) => meApi.alerts(locale, signal));
  const latest = alerts.status === 'ready' ? alerts.data.items[0] : undefined;
  return (
    <>
      <h1>{t('home.greeting', { name: me.givenNames })}</h1>
      <section className="card ask" aria-labelledby="ask-title">
        <h2 id="ask-title">{t('home.question')}</h2>
        {alerts.status === 'loading' ? (
          <Loading />
        ) : (
          <RespondButtons
            alertId={latest && !latest.closed ? latest.id : null}
            onAnswered={(answer) => {
              if (answer === 'safe') alerts.reload();
            }}
          />
        )}
        <p className="ask__more">
          <Link to="/app/help">{t('help.ask')}</Link>
        </p>
      </section>
      <SosButton />
      <section aria-labelledby="latest-title">
        <h2 id="latest-title" className="section-title">
          {t('home.latestAlert')}
        </h2>
        {alerts.status === 'failed' && <ProblemNote problem={alerts.problem} onRetry={alerts.reload} />}
        {alerts.status === 'ready' &&
          (latest ? (
            <>
              <AlertCard alert={latest} withAnswers={false} />
              <p>
                <Link to="/app/alerts">{t('alerts.title')}</Link>
              </p>
            </>
          ) : (
            <p className="card empty">{t('home.noAlert')}</p>
          ))}
      </section>
    </>
  );
}
