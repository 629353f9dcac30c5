import { type FormEvent, useEffect, useState } from 'react';
import { useT } from '../../i18n/I18nProvider.tsx';
import { type ApiProblem, api, toProblem } from '../../shared/api.ts';
import type { TotpEnrolment } from '../../shared/api-types.ts';
import { ProblemMessage } from '../../shared/ProblemMessage.tsx';
import { useDocumentTitle } from '../../shared/useDocumentTitle.ts';
import { useSession } from './SessionProvider.tsx';
import { groupKey } from './session-steps.ts';
import './session.css';

type Mode =
  | { kind: 'preparing' }
  | { kind: 'verify' }
  | { kind: 'enrol'; enrolment: TotpEnrolment; qr: string | null }
  | { kind: 'failed'; problem: ApiProblem };

async function qrImage(uri: string): Promise<string> {
  // Loaded only here, so the console bundle does not carry a QR encoder it rarely needs.
  const qrcode = await import('qrcode');
  const svg = await qrcode.toString(uri, { type: 'svg', margin: 1, errorCorrectionLevel: 'M' });
  return `data:image/svg+xml;charset=utf-8,${encodeURIComponent(svg)}`;
}

/**
 * The second factor. An account without one sets it up here first: starting enrolment is refused for an
 * account that already has one, which is how this screen knows to just ask for the code.
 */
export function TotpForm() {
  const t = useT();
  useDocumentTitle(t('totp.title'));
  const { refresh } = useSession();
  const [mode, setMode] = useState<Mode>({ kind: 'preparing' });
  const [code, setCode] = useState('');
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<ApiProblem | null>(null);

  useEffect(() => {
    let live = true;
    api.beginTotpEnrolment().then(
      (enrolment) => {
        if (!live) return;
        setMode({ kind: 'enrol', enrolment, qr: null });
        qrImage(enrolment.uri).then(
          (qr) => live && setMode({ kind: 'enrol', enrolment, qr }),
          () => {
            // Without the picture, the setup key below still works.
          },
        );
      },
      (error: unknown) => {
        if (!live) return;
        const p = toProblem(error);
        setMode(p.code === 'auth.totp_already_enabled' ? { kind: 'verify' } : { kind: 'failed', problem: p });
      },
    );
    return () => {
      live = false;
    };
  }, []);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setProblem(null);
    try {
      await api.passTotp(code.replace(/\s/g, ''));
      await refresh();
    } catch (error) {
      setProblem(toProblem(error));
      setCode('');
      setBusy(false);
    }
  };

  return (
    <div className="session-card card">
      <h1>{t('totp.title')}</h1>
      {mode.kind === 'preparing' && (
        <p className="status-line" role="status">
          {t('common.loading')}
        </p>
      )}
      {mode.kind === 'failed' && <ProblemMessage problem={mode.problem} />}
      {mode.kind === 'verify' && <p className="session-card__intro">{t('totp.introVerify')}</p>}
      {mode.kind === 'enrol' && (
        <>
          <p className="session-card__intro">{t('totp.introEnrol')}</p>
          <div className="totp-enrol">
            {mode.qr ? (
              <img className="totp-enrol__qr" src={mode.qr} alt={t('totp.qrAlt')} width={180} height={180} />
            ) : (
              <div className="totp-enrol__qr" aria-hidden="true" />
            )}
            <div>
              <p className="totp-enrol__label">{t('totp.setupKey')}</p>
              <code className="totp-enrol__key" dir="ltr">
                {groupKey(mode.enrolment.secret)}
              </code>
              <p>
                <a href={mode.enrolment.uri}>{t('totp.openApp')}</a>
              </p>
            </div>
          </div>
        </>
      )}
      {(mode.kind === 'verify' || mode.kind === 'enrol') && (
        <form className="session-form" onSubmit={submit}>
          <div className="field">
            <label htmlFor="totp-code">{t('totp.code')}</label>
            <input
              id="totp-code"
              className="totp-code"
              inputMode="numeric"
              autoComplete="one-time-code"
              dir="ltr"
              pattern="[0-9 ]{6,8}"
              required
              maxLength={8}
              value={code}
              onChange={(e) => setCode(e.target.value)}
            />
          </div>
          {problem && <ProblemMessage problem={problem} />}
          <div className="session-form__actions">
            <button type="submit" className="button button--primary" disabled={busy}>
              {t('totp.submit')}
            </button>
          </div>
        </form>
      )}
    </div>
  );
}
