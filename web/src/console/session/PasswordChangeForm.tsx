import { type FormEvent, useState } from 'react';
import { useT } from '../../i18n/I18nProvider.tsx';
import { type ApiProblem, api, toProblem } from '../../shared/api.ts';
import { ProblemMessage } from '../../shared/ProblemMessage.tsx';
import { useDocumentTitle } from '../../shared/useDocumentTitle.ts';
import { useSession } from './SessionProvider.tsx';
import './session.css';

/** The server's rule, checked here too so that a typo is caught before the round trip. */
export const MIN_PASSWORD_LENGTH = 12;

/** Replaces the one-time password an account starts with. */
export function PasswordChangeForm() {
  const t = useT();
  useDocumentTitle(t('password.title'));
  const { refresh } = useSession();
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [again, setAgain] = useState('');
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<ApiProblem | null>(null);
  const [mismatch, setMismatch] = useState(false);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setMismatch(next !== again);
    if (next !== again) return;
    setBusy(true);
    setProblem(null);
    try {
      await api.changePassword({ currentPassword: current, newPassword: next });
      await refresh();
    } catch (error) {
      setProblem(toProblem(error));
      setBusy(false);
    }
  };

  return (
    <div className="session-card card">
      <h1>{t('password.title')}</h1>
      <p className="session-card__intro">{t('password.intro', { min: MIN_PASSWORD_LENGTH })}</p>
      <form className="session-form" onSubmit={submit}>
        <div className="field">
          <label htmlFor="password-current">{t('password.current')}</label>
          <input
            id="password-current"
            type="password"
            autoComplete="current-password"
            required
            maxLength={200}
            value={current}
            onChange={(e) => setCurrent(e.target.value)}
          />
        </div>
        <div className="field">
          <label htmlFor="password-new">{t('password.new')}</label>
          <input
            id="password-new"
            type="password"
            autoComplete="new-password"
            required
            minLength={MIN_PASSWORD_LENGTH}
            maxLength={200}
            value={next}
            onChange={(e) => setNext(e.target.value)}
          />
        </div>
        <div className="field">
          <label htmlFor="password-again">{t('password.again')}</label>
          <input
            id="password-again"
            type="password"
            autoComplete="new-password"
            required
            minLength={MIN_PASSWORD_LENGTH}
            maxLength={200}
            value={again}
            aria-invalid={mismatch}
            aria-describedby={mismatch ? 'password-mismatch' : undefined}
            onChange={(e) => setAgain(e.target.value)}
          />
          {mismatch && (
            <p id="password-mismatch" className="field__error">
              {t('password.mismatch')}
            </p>
          )}
        </div>
        {problem && <ProblemMessage problem={problem} />}
        <div className="session-form__actions">
          <button type="submit" className="button button--primary" disabled={busy}>
            {t('password.submit')}
          </button>
        </div>
      </form>
    </div>
  );
}
