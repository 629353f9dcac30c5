import { useMigrantI18n } from './i18n/MigrantI18n.tsx';
import type { Answer, MyAlert } from './me-api.ts';
import { RespondButtons } from './RespondButtons.tsx';

type Props = {
  alert: MyAlert;
  /** Show the answer buttons while the alert asks for an answer (the home screen has its own). */
  withAnswers?: boolean;
  onAnswered?: (answer: Answer) => void;
};

/** One alert as the person reads it, with its answer buttons while it still asks for one. */
export function AlertCard({ alert, withAnswers = true, onAnswered }: Props) {
  const { t, dateTime } = useMigrantI18n();
  const answerable = withAnswers && alert.askResponse && !alert.closed;
  return (
    <article className="card alert" data-alert-id={alert.id}>
      <p className="alert__badges">
        {alert.drill && <span className="badge badge--drill">{t('alerts.drill')}</span>}
        {alert.level !== null && <span className="badge">{t('alerts.level', { level: alert.level })}</span>}
        {alert.closed && <span className="badge badge--muted">{t('alerts.closed')}</span>}
      </p>
      <h2 className="alert__headline" lang={alert.language} dir="auto">
        {alert.headline}
      </h2>
      <p className="alert__meta">{t('alerts.sent', { date: dateTime(alert.issuedAt) })}</p>
      {alert.description && (
        <p lang={alert.language} dir="auto">
          {alert.description}
        </p>
      )}
      {alert.instruction && (
        <div className="alert__instruction">
          <h3>{t('alerts.instruction')}</h3>
          <p lang={alert.language} dir="auto">
            {alert.instruction}
          </p>
        </div>
      )}
      {alert.myAnswer && (
        <p className="alert__answer" data-my-answer={alert.myAnswer}>
          {alert.myAnswer === 'safe' ? t('alerts.answeredSafe') : t('alerts.answeredHelp')}
        </p>
      )}
      {answerable && <RespondButtons alertId={alert.id} compact onAnswered={onAnswered} />}
    </article>
  );
}
