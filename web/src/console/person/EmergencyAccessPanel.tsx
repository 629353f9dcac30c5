import { type FormEvent, useState } from 'react';
import { useT } from '../../i18n/I18nProvider.tsx';
import { type ApiProblem, api, toProblem } from '../../shared/api.ts';
import { Dialog } from '../../shared/Dialog.tsx';
import { ProblemMessage } from '../../shared/ProblemMessage.tsx';

/** The server's bounds: at least this many characters of reason, at most this many minutes. */
const MIN_REASON = 10;
const DURATIONS = [15, 30, 60, 120, 240] as const;
const DEFAULT_MINUTES = 60;

type Props = { personId: string; onOpened: (expiresAt: string) => void };

/**
 * The life-saving exception, offered where a record does not open: with a stated reason, for a limited
 * time, flagged in the audit log. The server answers the same for "not yours" and "does not exist", so
 * the offer stands on any missing record; for one that does not exist, it is refused just the same.
 */
export function EmergencyAccessPanel({ personId, onOpened }: Props) {
  const t = useT();
  const [open, setOpen] = useState(false);
  return (
    <section className="card emergency-panel" aria-labelledby="emergency-title">
      <h2 id="emergency-title">{t('emergency.title')}</h2>
      <p>{t('emergency.intro')}</p>
      <button type="button" className="button" onClick={() => setOpen(true)}>
        {t('emergency.open')}
      </button>
      <Dialog title={t('emergency.title')} tone="danger" open={open} onClose={() => setOpen(false)}>
        <EmergencyForm
          personId={personId}
          onCancel={() => setOpen(false)}
          onOpened={(expiresAt) => {
            setOpen(false);
            onOpened(expiresAt);
          }}
        />
      </Dialog>
    </section>
  );
}

type FormProps = { personId: string; onOpened: (expiresAt: string) => void; onCancel: () => void };

function EmergencyForm({ personId, onOpened, onCancel }: FormProps) {
  const t = useT();
  const [reason, setReason] = useState('');
  const [minutes, setMinutes] = useState<number>(DEFAULT_MINUTES);
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<ApiProblem | null>(null);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setProblem(null);
    try {
      const access = await api.openEmergencyAccess(personId, { reason: reason.trim(), minutes });
      onOpened(access.expiresAt);
    } catch (error) {
      setProblem(toProblem(error));
      setBusy(false);
    }
  };

  return (
    <form className="dialog-form" onSubmit={submit}>
      <p>{t('emergency.warning')}</p>
      <div className="field">
        <label htmlFor="emergency-reason">{t('emergency.reason')}</label>
        <textarea
          id="emergency-reason"
          required
          minLength={MIN_REASON}
          maxLength={500}
          rows={3}
          dir="auto"
          aria-describedby="emergency-reason-hint"
          value={reason}
          onChange={(e) => setReason(e.target.value)}
        />
        <p className="field__hint" id="emergency-reason-hint">
          {t('emergency.reasonHint', { min: MIN_REASON })}
        </p>
      </div>
      <div className="field">
        <label htmlFor="emergency-minutes">{t('emergency.minutes')}</label>
        <select id="emergency-minutes" value={minutes} onChange={(e) => setMinutes(Number(e.target.value))}>
          {DURATIONS.map((value) => (
            <option key={value} value={value}>
              {t('emergency.minutesOption', { count: value })}
            </option>
          ))}
        </select>
      </div>
      {problem && <ProblemMessage problem={problem} />}
      <div className="form-actions">
        <button type="submit" className="button button--danger" disabled={busy}>
          {t('emergency.submit')}
        </button>
        <button type="button" className="button" onClick={onCancel}>
          {t('common.cancel')}
        </button>
      </div>
    </form>
  );
}
