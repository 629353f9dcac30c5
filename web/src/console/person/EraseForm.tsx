import { type FormEvent, useState } from 'react';
import { useI18n } from '../../i18n/I18nProvider.tsx';
import { type ApiProblem, api, toProblem } from '../../shared/api.ts';
import { ProblemMessage } from '../../shared/ProblemMessage.tsx';

type Props = { personId: string; displayName: string; onErased: () => void; onCancel: () => void };

/**
 * Irreversible erasure: a reason for the audit log, and a word typed by hand, so that nobody erases a
 * person by a slip of the mouse.
 */
export function EraseForm({ personId, displayName, onErased, onCancel }: Props) {
  const { t, locale } = useI18n();
  const [reason, setReason] = useState('');
  const [typed, setTyped] = useState('');
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<ApiProblem | null>(null);
  const word = t('erase.confirmWord');
  const confirmed = typed.trim().toLocaleLowerCase(locale) === word.toLocaleLowerCase(locale);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!confirmed || !reason.trim()) return;
    setBusy(true);
    setProblem(null);
    try {
      await api.erasePerson(personId, reason.trim());
      onErased();
    } catch (error) {
      setProblem(toProblem(error));
      setBusy(false);
    }
  };

  return (
    <form className="dialog-form" onSubmit={submit}>
      <p>
        <strong dir="auto">{displayName}</strong>
      </p>
      <p>{t('erase.intro')}</p>
      <div className="field">
        <label htmlFor="erase-reason">{t('erase.reason')}</label>
        <textarea
          id="erase-reason"
          required
          maxLength={500}
          rows={3}
          dir="auto"
          aria-describedby="erase-reason-hint"
          value={reason}
          onChange={(e) => setReason(e.target.value)}
        />
        <p className="field__hint" id="erase-reason-hint">
          {t('erase.reasonHint')}
        </p>
      </div>
      <div className="field">
        <label htmlFor="erase-confirm">{t('erase.confirmLabel', { word })}</label>
        <input
          id="erase-confirm"
          autoComplete="off"
          spellCheck={false}
          required
          value={typed}
          onChange={(e) => setTyped(e.target.value)}
        />
      </div>
      {problem && <ProblemMessage problem={problem} />}
      <div className="form-actions">
        <button
          type="submit"
          className="button button--danger"
          disabled={busy || !confirmed || !reason.trim()}
        >
          {t('erase.submit')}
        </button>
        <button type="button" className="button" onClick={onCancel}>
          {t('common.cancel')}
        </button>
      </div>
    </form>
  );
}
