import { type FormEvent, useState } from 'react';
import { useI18n } from '../../i18n/I18nProvider.tsx';
import { type ApiProblem, toProblem } from '../../shared/api.ts';
import { ProblemMessage } from '../../shared/ProblemMessage.tsx';
import { type AlertView, alertsApi } from './alerts-api.ts';

/** Approve a submitted alert, or send it back to its drafter with a reason. Refusals show their code. */
export function ReviewActions({ alert, onDone }: { alert: AlertView; onDone: () => void }) {
  const { t } = useI18n();
  const [rejecting, setRejecting] = useState(false);
  const [reason, setReason] = useState('');
  const [problem, setProblem] = useState<ApiProblem | null>(null);
  const [busy, setBusy] = useState(false);
  const run = async (step: () => Promise<unknown>) => {
    setProblem(null);
    setBusy(true);
    try {
      await step();
      onDone();
    } catch (error) {
      setProblem(toProblem(error));
    } finally {
      setBusy(false);
    }
  };
  const reject = (event: FormEvent) => {
    event.preventDefault();
    void run(() => alertsApi.reject(alert.id, reason.trim()));
  };
  const headline = alert.infos[0]?.headline ?? '';
  return (
    <div className="review-actions">
      {problem && <ProblemMessage problem={problem} />}
      {!rejecting ? (
        <div className="form-actions">
          <button
            type="button"
            className="button button--primary"
            disabled={busy}
            aria-label={t('alerts.queue.approveFor', { headline })}
            onClick={() => run(() => alertsApi.approve(alert.id))}
          >
            {alert.drill ? t('alerts.queue.approveDrill') : t('alerts.queue.approve')}
          </button>
          <button
            type="button"
            className="button button--danger-quiet"
            disabled={busy}
            onClick={() => setRejecting(true)}
          >
            {t('alerts.queue.reject')}
          </button>
        </div>
      ) : (
        <form onSubmit={reject}>
          <div className="field">
            <label htmlFor={`reject-${alert.id}`}>{t('alerts.queue.rejectReason')}</label>
            <textarea
              id={`reject-${alert.id}`}
              dir="auto"
              rows={2}
              value={reason}
              onChange={(e) => setReason(e.target.value)}
            />
          </div>
          <div className="form-actions">
            <button type="button" className="button" onClick={() => setRejecting(false)}>
              {t('common.cancel')}
            </button>
            <button type="submit" className="button button--danger" disabled={busy}>
              {t('alerts.queue.sendBack')}
            </button>
          </div>
        </form>
      )}
    </div>
  );
}
