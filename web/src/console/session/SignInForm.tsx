import { type FormEvent, useState } from 'react';
import { useT } from '../../i18n/I18nProvider.tsx';
import { type ApiProblem, toProblem } from '../../shared/api.ts';
import { ProblemMessage } from '../../shared/ProblemMessage.tsx';
import { useDocumentTitle } from '../../shared/useDocumentTitle.ts';
import { useSession } from './SessionProvider.tsx';
import './session.css';

type Props = { notice: 'none' | 'expired' | 'signedOut' };

/** E-mail and password. Accounts are created by an administrator; there is no self-registration. */
export function SignInForm({ notice }: Props) {
  const t = useT();
  useDocumentTitle(t('signIn.title'));
  const { signIn } = useSession();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<ApiProblem | null>(null);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setProblem(null);
    try {
      await signIn(email.trim(), password);
    } catch (error) {
      setProblem(toProblem(error));
      setPassword('');
      setBusy(false);
    }
  };

  return (
    <div className="session-card card">
      <h1>{t('signIn.title')}</h1>
      {notice !== 'none' && (
        <p className="session-card__notice" role="status">
          {notice === 'expired' ? t('signIn.expired') : t('signIn.signedOut')}
        </p>
      )}
      <p className="session-card__intro">{t('signIn.intro')}</p>
      <form className="session-form" onSubmit={submit}>
        <div className="field">
          <label htmlFor="sign-in-email">{t('signIn.email')}</label>
          <input
            id="sign-in-email"
            type="email"
            dir="ltr"
            autoComplete="username"
            required
            maxLength={254}
            value={email}
            onChange={(e) => setEmail(e.target.value)}
          />
        </div>
        <div className="field">
          <label htmlFor="sign-in-password">{t('signIn.password')}</label>
          <input
            id="sign-in-password"
            type="password"
            autoComplete="current-password"
            required
            maxLength={200}
            value={password}
            onChange={(e) => setPassword(e.target.value)}
          />
        </div>
        {problem && <ProblemMessage problem={problem} />}
        <button type="submit" className="button button--primary" disabled={busy}>
          {busy ? t('signIn.submitting') : t('signIn.submit')}
        </button>
      </form>
    </div>
  );
}
