import { optionalMessage } from '../i18n/dictionary.ts';
import { useT } from '../i18n/I18nProvider.tsx';
import { type ApiProblem, NETWORK_UNREACHABLE, UNEXPECTED_RESPONSE } from './api.ts';
import './ProblemMessage.css';

type Props = { problem: ApiProblem; onRetry?: () => void };

/**
 * A failed request, with an explanation and the stable code (what an officer quotes to support). Codes
 * the dictionary knows are explained in the interface language; others show the server's own detail.
 */
export function ProblemMessage({ problem, onRetry }: Props) {
  const t = useT();
  const detail =
    problem.code === NETWORK_UNREACHABLE
      ? t('problem.network')
      : problem.code === UNEXPECTED_RESPONSE
        ? t('problem.unexpected')
        : (optionalMessage(t, `problemCode.${problem.code}`) ?? problem.detail ?? t('problem.unexpected'));
  return (
    <div className="problem" role="alert">
      <p className="problem__title">{t('problem.title')}</p>
      <p className="problem__detail" dir="auto">
        {detail}
      </p>
      <p className="problem__code">
        {t('problem.code')}: <code dir="ltr">{problem.code}</code>
      </p>
      {onRetry && (
        <button type="button" className="button" onClick={onRetry}>
          {t('problem.retry')}
        </button>
      )}
    </div>
  );
}
