import { useI18n } from '../../i18n/I18nProvider.tsx';
import { ProblemMessage } from '../../shared/ProblemMessage.tsx';
import { Link } from '../../shared/router.tsx';
import { useDocumentTitle } from '../../shared/useDocumentTitle.ts';
import { useLoad } from '../../shared/useLoad.ts';
import { can } from '../permissions.ts';
import { useSession } from '../session/SessionProvider.tsx';
import { BoardFigures } from './BoardFigures.tsx';
import { BreakdownTable } from './BreakdownTable.tsx';
import { type BoardKind, boardApi } from './board-api.ts';
import { CallListPanel } from './CallListPanel.tsx';
import { TimelineChart } from './TimelineChart.tsx';
import { UnaccountedList } from './UnaccountedList.tsx';
import { useBoardStream } from './useBoardStream.ts';
import './board.css';

/**
 * The accountability board of an alert or a crisis, live: headline figures, answers over time, the
 * breakdowns, and for those who may see people, who is still unaccounted for and the call list.
 */
export function BoardPage({ kind, id }: { kind: BoardKind; id: string }) {
  const { t, format } = useI18n();
  const { session } = useSession();
  const role = session.status === 'active' ? session.me.role : '';
  const initial = useLoad(`${kind}:${id}`, (signal) => boardApi.board(kind, id, signal));
  const { connection, board: live } = useBoardStream(kind, id, initial.status === 'ready');
  const board = live ?? (initial.status === 'ready' ? initial.data : null);
  useDocumentTitle(board?.subject.headline ?? board?.subject.event ?? t('board.title'));

  if (initial.status === 'failed')
    return <ProblemMessage problem={initial.problem} onRetry={initial.reload} />;
  if (!board) return <p className="status-line">{t('common.loading')}</p>;
  const { subject } = board;
  const version = board.generatedAt;
  const people = board.audience === 'people';
  const threshold = board.threshold;

  return (
    <div className={subject.drill ? 'board-page board-page--drill' : 'board-page'}>
      <p>
        <Link to="/board" className="back-link">
          {t('board.back')}
        </Link>
      </p>
      <div className="page-heading board-heading">
        <div>
          <p className="board-heading__kind">
            {t(subject.kind === 'alert' ? 'board.kind.alert' : 'board.kind.incident')}
          </p>
          <h1 dir="auto">
            {subject.drill && <span className="badge badge--warn drill-badge">{t('alerts.drill')}</span>}{' '}
            {subject.headline ?? subject.event}
          </h1>
          <p>
            {t('board.issuedAt', { time: format.dateTime(subject.issuedAt) })}
            {board.countries && (
              <>
                {' '}
                · {t('board.scopeCountries', { countries: format.list(board.countries.map(format.region)) })}
              </>
            )}
          </p>
        </div>
        <span
          className={connection === 'live' ? 'badge badge--info' : 'badge badge--warn'}
          role="status"
          data-board-connection={connection}
        >
          {connection === 'live'
            ? t('delivery.live')
            : connection === 'connecting'
              ? t('delivery.connecting')
              : t('delivery.reconnecting')}
        </span>
      </div>
      {threshold !== null && <p className="muted">{t('board.suppressedNote', { threshold })}</p>}
      <BoardFigures totals={board.totals} threshold={threshold} />
      {board.followUps && (
        <p className="board-followups" data-follow-ups>
          {t('board.followUpsSummary', {
            queued: format.number(board.followUps.queued),
            none: format.number(board.followUps.noOtherChannel + board.followUps.unreachable),
            open: format.number(board.followUps.callListOpen),
          })}
        </p>
      )}
      <TimelineChart kind={kind} id={id} version={version} />
      <div className="board-grid">
        <BreakdownTable dimension="country" groups={board.breakdowns.country} threshold={threshold} />
        <BreakdownTable dimension="sex" groups={board.breakdowns.sex} threshold={threshold} />
        <BreakdownTable dimension="ageBand" groups={board.breakdowns.ageBand} threshold={threshold} />
        {people && (
          <BreakdownTable
            dimension="vulnerability"
            groups={board.breakdowns.vulnerability}
            threshold={threshold}
          />
        )}
        <BreakdownTable dimension="area" groups={board.breakdowns.area} threshold={threshold} limit={12} />
      </div>
      {people && can(role, 'board.people') && <UnaccountedList kind={kind} id={id} version={version} />}
      {people && can(role, 'calls.work') && <CallListPanel alertIds={subject.alertIds} version={version} />}
    </div>
  );
}
