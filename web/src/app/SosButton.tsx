import { useState } from 'react';
import { useMigrantI18n } from './i18n/MigrantI18n.tsx';
import { type MeProblem, meApi, toMeProblem } from './me-api.ts';
import { ProblemNote } from './Status.tsx';

type Point = { lat: number; lng: number };

/**
 * The phone's position, or null when it cannot be had in time (no permission, no fix, no GPS): an SOS
 * never waits long for a location and goes out without one.
 */
function currentPosition(timeoutMs = 8000): Promise<Point | null> {
  return new Promise((resolve) => {
    if (!('geolocation' in navigator)) return resolve(null);
    const timer = setTimeout(() => resolve(null), timeoutMs + 1000);
    navigator.geolocation.getCurrentPosition(
      (position) => {
        clearTimeout(timer);
        resolve({ lat: position.coords.latitude, lng: position.coords.longitude });
      },
      () => {
        clearTimeout(timer);
        resolve(null);
      },
      { enableHighAccuracy: true, timeout: timeoutMs, maximumAge: 60_000 },
    );
  });
}

type Step =
  | { step: 'idle' }
  | { step: 'confirm' }
  | { step: 'locating' }
  | { step: 'sending' }
  | { step: 'sent'; withLocation: boolean }
  | { step: 'failed'; problem: MeProblem };

/** The SOS button: confirm, ask for the location, send with or without it, and say what was sent. */
export function SosButton({ onSent }: { onSent?: () => void }) {
  const { t } = useMigrantI18n();
  const [state, setState] = useState<Step>({ step: 'idle' });

  const send = async () => {
    setState({ step: 'locating' });
    const location = await currentPosition();
    setState({ step: 'sending' });
    try {
      await meApi.askForHelp({ type: 'other', isSos: true, location });
      setState({ step: 'sent', withLocation: location !== null });
      onSent?.();
    } catch (error) {
      setState({ step: 'failed', problem: toMeProblem(error) });
    }
  };

  return (
    <section className="sos" aria-labelledby="sos-hint">
      {state.step !== 'confirm' && (
        <button
          type="button"
          className="sos__button"
          aria-label={t('sos.button')}
          aria-describedby="sos-hint"
          disabled={state.step === 'locating' || state.step === 'sending'}
          onClick={() => setState({ step: 'confirm' })}
        >
          SOS
        </button>
      )}
      <p id="sos-hint" className="sos__hint">
        {t('sos.hint')}
      </p>
      {state.step === 'confirm' && (
        <div
          className="sos__confirm"
          role="alertdialog"
          aria-labelledby="sos-confirm-title"
          aria-describedby="sos-confirm-text"
        >
          <h2 id="sos-confirm-title">{t('sos.confirmTitle')}</h2>
          <p id="sos-confirm-text">{t('sos.confirmText')}</p>
          <div className="sos__actions">
            <button type="button" className="button button--sos" onClick={() => void send()}>
              {t('sos.send')}
            </button>
            <button type="button" className="button button--quiet" onClick={() => setState({ step: 'idle' })}>
              {t('common.cancel')}
            </button>
          </div>
        </div>
      )}
      {(state.step === 'locating' || state.step === 'sending') && (
        <p className="loading" role="status">
          {state.step === 'locating' ? t('sos.locating') : t('common.sending')}
        </p>
      )}
      {state.step === 'sent' && (
        <div className="note note--done" role="status" data-sos="sent">
          <p>{t('sos.sent')}</p>
          <p>{state.withLocation ? t('sos.withLocation') : t('sos.withoutLocation')}</p>
        </div>
      )}
      {state.step === 'failed' && <ProblemNote problem={state.problem} onRetry={() => void send()} />}
    </section>
  );
}
