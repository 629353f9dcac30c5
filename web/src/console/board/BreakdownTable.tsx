import { codeLabel } from '../../i18n/dictionary.ts';
import { useI18n } from '../../i18n/I18nProvider.tsx';
import { Hidden } from './BoardFigures.tsx';
import type { BoardView } from './board-api.ts';

type Dimension = keyof BoardView['breakdowns'];
type Group = BoardView['breakdowns'][Dimension][number];

const TITLES = {
  country: 'board.byCountry',
  area: 'board.byArea',
  sex: 'board.bySex',
  ageBand: 'board.byAgeBand',
  vulnerability: 'board.byVulnerability',
} as const;

const COLUMNS = [
  { key: 'targeted', label: 'board.targeted' },
  { key: 'reached', label: 'board.reached' },
  { key: 'safe', label: 'board.safe' },
  { key: 'needHelp', label: 'board.needHelp' },
  { key: 'noAnswer', label: 'board.noAnswer' },
] as const;

type Props = { dimension: Dimension; groups: readonly Group[]; threshold: number | null; limit?: number };

/** The board's figures for one breakdown: a row per group, the largest first (age bands in order). */
export function BreakdownTable({ dimension, groups, threshold, limit }: Props) {
  const { t, format } = useI18n();
  const id = `board-by-${dimension}`;
  const shown = limit === undefined ? groups : groups.slice(0, limit);
  const label = (key: string): string => {
    if (key === 'unknown') return dimension === 'ageBand' ? t('ageBand.unknown') : t('board.unknown');
    switch (dimension) {
      case 'country':
        return format.region(key);
      case 'sex':
        return codeLabel(t, 'sex', key);
      case 'ageBand':
        return codeLabel(t, 'ageBand', key);
      case 'vulnerability':
        return key === 'none' ? t('board.vulnerabilityNone') : codeLabel(t, 'vulnerability', key);
      case 'area':
        return key;
      default: {
        const exhaustive: never = dimension;
        return exhaustive;
      }
    }
  };
  return (
    <section className="card board-breakdown" aria-labelledby={id} data-breakdown={dimension}>
      <h2 id={id}>{t(TITLES[dimension])}</h2>
      {groups.length === 0 ? (
        <p className="muted">{t('board.noGroups')}</p>
      ) : (
        <table>
          <caption className="visually-hidden">{t(TITLES[dimension])}</caption>
          <thead>
            <tr>
              <th scope="col">{t('board.group')}</th>
              {COLUMNS.map((c) => (
                <th scope="col" key={c.key} className="board-breakdown__count">
                  {t(c.label)}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {shown.map((group) => (
              <tr key={group.key} data-key={group.key}>
                <th scope="row">
                  {dimension === 'area' && group.key !== 'unknown' ? (
                    <code dir="ltr">{label(group.key)}</code>
                  ) : (
                    label(group.key)
                  )}
                </th>
                {COLUMNS.map((c) => (
                  <td key={c.key} className="board-breakdown__count" data-column={c.key}>
                    {group[c.key] === null ? (
                      <Hidden threshold={threshold} />
                    ) : (
                      format.number(group[c.key] ?? 0)
                    )}
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {groups.length > shown.length && (
        <p className="muted">{t('board.moreGroups', { count: groups.length - shown.length })}</p>
      )}
      {dimension === 'vulnerability' && groups.length > 0 && (
        <p className="muted">{t('board.vulnerabilityNote')}</p>
      )}
      {dimension === 'area' && groups.length > 0 && <p className="muted">{t('board.areaNote')}</p>}
    </section>
  );
}
