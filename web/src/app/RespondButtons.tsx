import { useState } from 'react';
import { useMigrantI18n } from './i18n/MigrantI18n.tsx';
import { type Answer, type MeProblem, meApi, toMeProblem } from './me-api.ts';
import { ProblemNote } from './Status.tsx';

type Props = {
  /** The alert answered; null: the latest one sent to the person. */
  alertId: string | null;
  /** Called once the answer is recorded. */
  onAnswered?: (answer: Answer) => void;
  compact?: boolean;
};

/** "I am safe" and "I need help": two big buttons, one tap each. */
export function RespondButtons({ alertId, onAnswered, compact = false }: Props) {
  const { t, locale } = useMigrantI18n();
  const [state, setState] = useState<
    | { step: 'idle' }
    | { step: 'sending'; answer: Answer }
    | { step: 'done'; answer: Answer }
    | { step: 'failed'; problem: MeProblem; answer: Answer }
  >({ step: 'idle' });

  const answer = (value: Answer) => {
    setState({ step: 'sending', answer: value });
    meApi.respond(value, alertId, locale).then(
      () => {
        setState({ step: 'done', answer: value });
        onAnswered?.(value);
      },
      (error: unknown) => setState({ step: 'failed', problem: toMeProblem(error), answer: value }),
    );
  };

  const busy = state.step === 'sending';
  return (
    <div className={compact ? 'respond respond--compact' : 'respond'}>
      <div className="respond__buttons">
        <button type="button" className="button button--safe" disabled={busy} onClick={() => answer('safe')}>
          {t('respond.safe')}
        </button>
        <button
          type="button"
          className="button button--help"
          disabled={busy}
          onClick={() => answer('need_help')}
        >
          {t('respond.needHelp')}
        </button>
      </div>
      {busy && (
        <p className="loading" role="status">
          {t('common.sending')}
        </p>
      )}
      {state.step === 'done' && (
        <p className="note note--done" role="status" data-answer={state.answer}>
          {state.answer === 'safe' ? t('respond.thanksSafe') : t('respond.thanksHelp')}
        </p>
      )}
      {state.step === 'failed' && (
        <ProblemNote problem={state.problem} onRetry={() => answer(state.answer)} />
      )}
    </div>
  );
}
