import { useState } from 'react';
import { useI18n } from '../../i18n/I18nProvider.tsx';
import { type ApiProblem, toProblem } from '../../shared/api.ts';
import { ProblemMessage } from '../../shared/ProblemMessage.tsx';
import { Link } from '../../shared/router.tsx';
import { type BoardKind, boardApi, type UnaccountedPage } from './board-api.ts';
import { useRefreshing } from './useRefreshing.ts';

type Person = UnaccountedPage['items'][number];

/**
 * The people of the board not heard from, within the viewer's scope, each linking to their page. The
 * first page follows the live board; more pages load on request. Every person shown is audited.
 */
export function UnaccountedList({ kind, id, version }: { kind: BoardKind; id: string; version: string }) {
  const { t, format } = useI18n();
  const first = useRefreshing(`${kind}:${id}`, version, (signal) =>
    boardApi.unaccounted(kind, id, null, signal),
  );
  const [more, setMore] = useState<{ base: UnaccountedPage; items: Person[]; cursor: string | null } | null>(
    null,
  );
  const [problem, setProblem] = useState<ApiProblem | null>(null);
  const [busy, setBusy] = useState(false);
  const page = first.data;
  // Pages loaded beyond the first belong to the first page they followed; a new first page drops them.
  const extra = more && more.base === page ? more : null;
  const items = [...(page?.items ?? []), ...(extra?.items ?? [])];
  const cursor = extra ? extra.cursor : (page?.nextCursor ?? null);

  const loadMore = async () => {
    if (!page || !cursor) return;
    setBusy(true);
    setProblem(null);
    try {
      const next = await boardApi.unaccounted(kind, id, cursor);
      setMore({ base: page, items: [...(extra?.items ?? []), ...next.items], cursor: next.nextCursor });
    } catch (error) {
      setProblem(toProblem(error));
    } finally {
      setBusy(false);
    }
  };

  const channel = (code: string) =>
    code === 'push' || code === 'sms' || code === 'email' || code === 'webhook'
      ? t(`delivery.channel.${code}`)
      : code;
  const state = (code: string) =>
    code === 'queued' ||
    code === 'sending' ||
    code === 'sent' ||
    code === 'delivered' ||
    code === 'failed' ||
    code === 'dead'
      ? t(`delivery.state.${code}`)
      : code;

  return (
    <section className="card board-unaccounted" aria-labelledby="board-unaccounted-heading">
      <h2 id="board-unaccounted-heading">{t('board.unaccounted')}</h2>
      {first.problem && <ProblemMessage problem={first.problem} onRetry={first.reload} />}
      {!page ? (
        <p className="status-line">{t('common.loading')}</p>
      ) : items.length === 0 ? (
        <p className="muted">{t('board.unaccountedEmpty')}</p>
      ) : (
        <div className="data-table">
          <table>
            <caption className="visually-hidden">{t('board.unaccounted')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('board.name')}</th>
                <th scope="col">{t('board.country')}</th>
                <th scope="col">{t('board.messages')}</th>
                <th scope="col">{t('callList.title')}</th>
              </tr>
            </thead>
            <tbody>
              {items.map((p) => (
                <tr key={p.personId} data-person={p.personId}>
                  <th scope="row" data-label={t('board.name')}>
                    <Link to={`/persons/${encodeURIComponent(p.personId)}`} dir="auto">
                      {p.name}
                    </Link>
                  </th>
                  <td data-label={t('board.country')}>
                    {p.country ? format.region(p.country) : t('board.unknown')}
                  </td>
                  <td data-label={t('board.messages')}>
                    {p.deliveries.length === 0
                      ? t('board.noMessages')
                      : format.list(p.deliveries.map((d) => `${channel(d.channel)}: ${state(d.state)}`))}
                    {!p.reached && (
                      <span className="badge badge--warn board-badge">{t('board.notReached')}</span>
                    )}
                  </td>
                  <td data-label={t('callList.title')}>
                    {p.onCallList ? t('board.onCallList') : t('common.empty')}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {problem && <ProblemMessage problem={problem} />}
      {cursor && (
        <button type="button" className="button" onClick={() => void loadMore()} disabled={busy}>
          {t('board.loadMore')}
        </button>
      )}
      <p className="muted">{t('board.auditedNote')}</p>
    </section>
  );
}
