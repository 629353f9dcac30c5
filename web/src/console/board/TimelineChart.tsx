import { useI18n } from '../../i18n/I18nProvider.tsx';
import { ProblemMessage } from '../../shared/ProblemMessage.tsx';
import { type BoardKind, boardApi } from './board-api.ts';
import { timelineBars, timelineTotals } from './board-model.ts';
import { useRefreshing } from './useRefreshing.ts';

const WIDTH = 720;
const HEIGHT = 160;

/**
 * Answers over time as stacked bars, drawn in SVG: safe below, need help above, one bar per minute
 * (or per wider bucket on a long crisis). Time runs left to right in every language, as on a clock.
 */
export function TimelineChart({ kind, id, version }: { kind: BoardKind; id: string; version: string }) {
  const { t, format } = useI18n();
  const timeline = useRefreshing(`${kind}:${id}`, version, (signal) => boardApi.timeline(kind, id, signal));
  const data = timeline.data;
  const totals = data ? timelineTotals(data.points) : null;
  const { bars, max } = timelineBars(data?.points ?? [], { width: WIDTH, height: HEIGHT });
  const first = data?.points[0];
  const last = data?.points.at(-1);
  return (
    <section className="card board-timeline" aria-labelledby="board-timeline-heading">
      <h2 id="board-timeline-heading">{t('board.timeline')}</h2>
      {timeline.problem && <ProblemMessage problem={timeline.problem} onRetry={timeline.reload} />}
      {!data ? (
        <p className="status-line">{t('common.loading')}</p>
      ) : (
        <>
          <p className="board-timeline__legend">
            <span className="board-timeline__key board-timeline__key--safe" aria-hidden="true" />
            {t('board.safe')}: <strong data-timeline-total="safe">{format.number(totals?.safe ?? 0)}</strong>
            <span className="board-timeline__key board-timeline__key--help" aria-hidden="true" />
            {t('board.needHelp')}:{' '}
            <strong data-timeline-total="needHelp">{format.number(totals?.needHelp ?? 0)}</strong>
            <span className="muted"> · {t('board.bucketMinutes', { count: data.bucketMinutes })}</span>
          </p>
          <div className="board-timeline__chart" dir="ltr">
            <svg
              viewBox={`0 0 ${WIDTH} ${HEIGHT}`}
              preserveAspectRatio="none"
              role="img"
              aria-label={t('board.timelineLabel', {
                safe: format.number(totals?.safe ?? 0),
                needHelp: format.number(totals?.needHelp ?? 0),
              })}
            >
              <line x1={0} y1={HEIGHT - 0.5} x2={WIDTH} y2={HEIGHT - 0.5} className="board-timeline__axis" />
              {bars.map((bar) => (
                <g key={bar.at}>
                  <title>
                    {`${format.dateTime(bar.at)} — ${t('board.safe')}: ${bar.safe.value ?? '–'}, ${t('board.needHelp')}: ${bar.needHelp.value ?? '–'}`}
                  </title>
                  {bar.safe.height > 0 && (
                    <rect
                      x={bar.x}
                      y={bar.safe.y}
                      width={bar.width}
                      height={bar.safe.height}
                      className="board-timeline__safe"
                    />
                  )}
                  {bar.needHelp.height > 0 && (
                    <rect
                      x={bar.x}
                      y={bar.needHelp.y}
                      width={bar.width}
                      height={bar.needHelp.height}
                      className="board-timeline__help"
                    />
                  )}
                </g>
              ))}
            </svg>
            <div className="board-timeline__scale">
              <span>{first ? format.dateTime(first.at) : ''}</span>
              <span>{t('board.timelineMax', { count: max })}</span>
              <span>{last ? format.dateTime(last.at) : ''}</span>
            </div>
          </div>
        </>
      )}
    </section>
  );
}
