import { type FormEvent, useState } from 'react';
import { useMigrantI18n } from './i18n/MigrantI18n.tsx';
import { type MeProblem, meApi, setCsrfToken, toMeProblem } from './me-api.ts';
import { ProblemNote } from './Status.tsx';
import { useDocumentTitle } from './useDocumentTitle.ts';

/** Sign-in in two steps: the phone number or e-mail address, then the 6-digit code sent to it. */
export function SignInPage({ onSignedIn }: { onSignedIn: () => void }) {
  const { t, locale } = useMigrantI18n();
  useDocumentTitle(t('signIn.title'));
  const [contact, setContact] = useState('');
  const [code, setCode] = useState('');
  const [step, setStep] = useState<'contact' | 'code'>('contact');
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<MeProblem | null>(null);

  const askForCode = async (event?: FormEvent) => {
    event?.preventDefault();
    setBusy(true);
    setProblem(null);
    try {
      await meApi.signIn(contact.trim(), locale);
      setCode('');
      setStep('code');
    } catch (error) {
      setProblem(toMeProblem(error));
    } finally {
      setBusy(false);
    }
  };

  const verify = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setProblem(null);
    try {
      const session = await meApi.verify(contact.trim(), code);
      setCsrfToken(session.csrfToken);
      onSignedIn();
    } catch (error) {
      setProblem(toMeProblem(error));
      setBusy(false);
    }
  };

  return (
    <div className="sign-in">
      <h1>{step === 'contact' ? t('signIn.title') : t('signIn.codeTitle')}</h1>
      {step === 'contact' ? (
        <form className="card form" onSubmit={(event) => void askForCode(event)}>
          <p>{t('signIn.intro')}</p>
          <label className="field">
            <span className="field__label">{t('signIn.contact')}</span>
            <input
              name="contact"
              value={contact}
              onChange={(event) => setContact(event.target.value)}
              required
              maxLength={254}
              autoComplete="username"
              dir="ltr"
              aria-describedby="contact-hint"
            />
          </label>
          <p id="contact-hint" className="field__hint">
            {t('signIn.contactHint')}
          </p>
          <button type="submit" className="button button--primary" disabled={busy || contact.trim() === ''}>
            {busy ? t('common.sending') : t('signIn.send')}
          </button>
        </form>
      ) : (
        <form className="card form" onSubmit={(event) => void verify(event)}>
          <p role="status">{t('signIn.codeSent')}</p>
          <p className="sign-in__contact" dir="ltr">
            {contact}
          </p>
          <label className="field">
            <span className="field__label">{t('signIn.code')}</span>
            <input
              name="code"
              className="field__code"
              value={code}
              onChange={(event) => setCode(event.target.value.replace(/[^\d]/g, '').slice(0, 6))}
              required
              inputMode="numeric"
              autoComplete="one-time-code"
              pattern="[0-9]{6}"
              dir="ltr"
            />
          </label>
          <button type="submit" className="button button--primary" disabled={busy || code.length !== 6}>
            {t('signIn.verify')}
          </button>
          <div className="sign-in__other">
            <button
              type="button"
              className="button button--quiet"
              disabled={busy}
              onClick={() => void askForCode()}
            >
              {t('signIn.resend')}
            </button>
            <button
              type="button"
              className="button button--quiet"
              onClick={() => {
                setStep('contact');
                setProblem(null);
              }}
            >
              {t('signIn.otherContact')}
            </button>
          </div>
        </form>
      )}
      {problem && <ProblemNote problem={problem} />}
    </div>
  );
}
