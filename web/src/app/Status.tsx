import { errorKey } from './i18n/dictionary.ts';
import { useMigrantI18n } from './i18n/MigrantI18n.tsx';
import { isSessionProblem, type MeProblem, NETWORK_UNREACHABLE } from './me-api.ts';

/** The words for a failed call: the server's code when the app has a text for it. */
export function useProblemText(): (problem: MeProblem) => string {
  const { t } = useMigrantI18n();
  return (problem) => {
    if (problem.code === NETWORK_UNREACHABLE) return t('error.network');
    if (isSessionProblem(problem)) return t('error.session');
    const key = errorKey(problem.code);
    return key ? t(key) : t('error.generic');
  };
}

/** A failure, said plainly, with a way to try again. */
export function ProblemNote({ problem, onRetry }: { problem: MeProblem; onRetry?: () => void }) {
  const { t } = useMigrantI18n();
  const text = useProblemText();
  return (
    <div className="note note--problem" role="alert" data-code={problem.code}>
      <p>{text(problem)}</p>
      {onRetry && (
        <button type="button" className="button button--quiet" onClick={onRetry}>
          {t('common.retry')}
        </button>
      )}
    </div>
  );
}

export function Loading() {
  const { t } = useMigrantI18n();
  return (
    <p className="loading" role="status">
      {t('common.loading')}
    </p>
  );
}
