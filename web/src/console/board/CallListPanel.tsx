import { useState } from 'react';
import { useI18n } from '../../i18n/I18nProvider.tsx';
import { type ApiProblem, toProblem } from '../../shared/api.ts';
import { ProblemMessage } from '../../shared/ProblemMessage.tsx';
import { Link } from '../../shared/router.tsx';
import { boardApi, type CallListEntry, type CallOutcome } from './board-api.ts';
import { useRefreshing } from './useRefreshing.ts';

const OUTCOMES: readonly CallOutcome[] = ['reached_safe', 'reached_need_help', 'no_answer', 'wrong_number'];
const LAST_OUTCOMES = [...OUTCOMES, 'answered', 'help_requested'] as const;

/**
 * The call list of the board's alerts: people still silent after the second window, with their
 * phones, and a button for each outcome of a call. It follows the live board.
 */
export function CallListPanel({ alertIds, version }: { alertIds: readonly string[]; version: string }) {
  const { t, format } = useI18n();
  const list = useRefreshing(alertIds.join(','), version, async (signal) => {
    const pages = await Promise.all(alertIds.map((alertId) => boardApi.callList(alertId, signal)));
    return pages.flatMap((p) => p.items);
  });
  const [problem, setProblem] = useState<ApiProblem | null>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const [recorded, setRecorded] = useState<{ name: string; outcome: CallOutcome } | null>(null);

  const record = async (entry: CallListEntry, outcome: CallOutcome) => {
    setBusy(entry.id);
    setProblem(null);
    try {
      await boardApi.recordCall(entry.id, outcome);
      setRecorded({ name: entry.name, outcome });
      list.reload();
    } catch (error) {
      setProblem(toProblem(error));
    } finally {
      setBusy(null);
    }
  };
  const lastOutcome = (code: string | null) =>
    code === null
      ? t('common.empty')
      : (LAST_OUTCOMES as readonly string[]).includes(code)
        ? t(`callList.outcome.${code as (typeof LAST_OUTCOMES)[number]}`)
        : code;

  const entries = list.data ?? [];
  return (
    <section className="card board-calls" aria-labelledby="board-calls-heading">
      <h2 id="board-calls-heading">{t('callList.title')}</h2>
      <p className="muted">{t('callList.intro')}</p>
      {list.problem && <ProblemMessage problem={list.problem} onRetry={list.reload} />}
      {problem && <ProblemMessage problem={problem} />}
      {recorded && (
        <p className="status-line" role="status">
          {t('callList.recorded', {
            name: recorded.name,
            outcome: t(`callList.outcome.${recorded.outcome}`),
          })}
        </p>
      )}
      {!list.data ? (
        <p className="status-line">{t('common.loading')}</p>
      ) : entries.length === 0 ? (
        <p className="muted">{t('callList.empty')}</p>
      ) : (
        <div className="data-table">
          <table>
            <caption className="visually-hidden">{t('callList.title')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('board.name')}</th>
                <th scope="col">{t('callList.phones')}</th>
                <th scope="col">{t('callList.lastOutcome')}</th>
                <th scope="col">{t('common.actions')}</th>
              </tr>
            </thead>
            <tbody>
              {entries.map((entry) => (
                <tr key={entry.id} data-call={entry.id}>
                  <th scope="row" data-label={t('board.name')}>
                    <Link to={`/persons/${encodeURIComponent(entry.personId)}`} dir="auto">
                      {entry.name}
                    </Link>
                    {entry.drill && (
                      <span className="badge badge--warn board-badge">{t('alerts.drill')}</span>
                    )}
                  </th>
                  <td data-label={t('callList.phones')}>
                    {entry.phones.length === 0
                      ? t('callList.noPhone')
                      : entry.phones.map((phone) => (
                          <a key={phone} href={`tel:${phone}`} dir="ltr" className="board-phone">
                            {phone}
                          </a>
                        ))}
                  </td>
                  <td data-label={t('callList.lastOutcome')}>
                    {lastOutcome(entry.outcome)}
                    {entry.attempts > 0 && (
                      <span className="data-table__sub">
                        {t('callList.attempts', { count: entry.attempts })}
                        {entry.lastAttemptAt ? ` · ${format.dateTime(entry.lastAttemptAt)}` : ''}
                      </span>
                    )}
                  </td>
                  <td data-label={t('common.actions')}>
                    <fieldset className="board-call-actions">
                      <legend className="visually-hidden">
                        {t('callList.actionsFor', { name: entry.name })}
                      </legend>
                      {OUTCOMES.map((outcome) => (
                        <button
                          key={outcome}
                          type="button"
                          className={
                            outcome === 'reached_need_help'
                              ? 'button button--small button--danger'
                              : 'button button--small'
                          }
                          disabled={busy !== null}
                          onClick={() => void record(entry, outcome)}
                        >
                          {t(`callList.outcome.${outcome}`)}
                        </button>
                      ))}
                    </fieldset>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
