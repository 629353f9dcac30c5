import { useI18n } from '../../i18n/I18nProvider.tsx';
import type { BoardView } from './board-api.ts';
import { percentOf } from './board-model.ts';

type Totals = BoardView['totals'];

const FIGURES = [
  { key: 'targeted', label: 'board.targeted' },
  { key: 'reached', label: 'board.reached' },
  { key: 'safe', label: 'board.safe' },
  { key: 'needHelp', label: 'board.needHelp' },
  { key: 'noAnswer', label: 'board.noAnswer' },
] as const;

/** The headline: targeted, reached, safe, need help, no answer, each with its share of the targeted. */
export function BoardFigures({ totals, threshold }: { totals: Totals; threshold: number | null }) {
  const { t, format } = useI18n();
  return (
    <section className="board-figures" aria-label={t('board.headlineCaption')}>
      {FIGURES.map(({ key, label }) => {
        const value = totals[key];
        const share = key === 'targeted' ? null : percentOf(value, totals.targeted);
        return (
          <div key={key} className={`board-figure board-figure--${key}`} data-figure={key}>
            <span className="board-figure__value" data-value={value ?? ''}>
              {value === null ? <Hidden threshold={threshold} /> : format.number(value)}
            </span>
            <span className="board-figure__label">{t(label)}</span>
            {share !== null && (
              <span className="board-figure__share">
                {t('board.share', { percent: format.number(share) })}
              </span>
            )}
          </div>
        );
      })}
    </section>
  );
}

/** A count hidden for the viewer's role: "< 5" to the eye, a sentence to a screen reader. */
export function Hidden({ threshold }: { threshold: number | null }) {
  const { t } = useI18n();
  const limit = threshold ?? 5;
  return (
    <span className="board-hidden" title={t('aggregates.suppressedLabel', { threshold: limit })}>
      <span aria-hidden="true" dir="ltr">
        {t('aggregates.suppressed', { threshold: limit })}
      </span>
      <span className="visually-hidden">{t('aggregates.suppressedLabel', { threshold: limit })}</span>
    </span>
  );
}
