import { useState } from 'react';
import type * as aggregates from '../../../../src/modules/aggregates/aggregates.service.ts';
import { codeLabel } from '../../i18n/dictionary.ts';
import { useI18n } from '../../i18n/I18nProvider.tsx';
import { api } from '../../shared/api.ts';
import type { AggregateCell, AggregateDimension, AggregateView } from '../../shared/api-types.ts';
import { ProblemMessage } from '../../shared/ProblemMessage.tsx';
import { useCountryOptions } from '../../shared/useCountries.ts';
import { useDocumentTitle } from '../../shared/useDocumentTitle.ts';
import { useLoad } from '../../shared/useLoad.ts';
import './aggregates.css';

// The server's threshold, typed from its own constant: if it changes there, this fails the typecheck.
const THRESHOLD: typeof aggregates.SMALL_CELL_THRESHOLD = 5;

const DIMENSIONS: {
  by: AggregateDimension;
  title: 'aggregates.byCountry' | 'aggregates.bySex' | 'aggregates.byAgeBand';
}[] = [
  { by: 'country', title: 'aggregates.byCountry' },
  { by: 'sex', title: 'aggregates.bySex' },
  { by: 'age_band', title: 'aggregates.byAgeBand' },
];

/**
 * Registered people in figures, never individuals: by country, sex and age band, optionally within one
 * country. Cells the server suppressed (too few people to be anonymous) read "< 5".
 */
export function AggregatesPage() {
  const { t } = useI18n();
  useDocumentTitle(t('aggregates.title'));
  const countries = useCountryOptions();
  const [country, setCountry] = useState('');
  return (
    <>
      <div className="page-heading">
        <h1>{t('aggregates.title')}</h1>
        <p>{t('aggregates.intro', { threshold: THRESHOLD })}</p>
      </div>
      <div className="card aggregates-filter">
        <div className="field">
          <label htmlFor="aggregates-country">{t('aggregates.within')}</label>
          <select id="aggregates-country" value={country} onChange={(e) => setCountry(e.target.value)}>
            <option value="">{t('aggregates.allCountries')}</option>
            {countries.map((c) => (
              <option key={c.code} value={c.code}>
                {c.name}
              </option>
            ))}
          </select>
        </div>
      </div>
      <div className="aggregates-grid">
        {DIMENSIONS.map((dimension) => (
          <AggregateTable key={dimension.by} by={dimension.by} title={t(dimension.title)} country={country} />
        ))}
      </div>
    </>
  );
}

type TableProps = { by: AggregateDimension; title: string; country: string };

function AggregateTable({ by, title, country }: TableProps) {
  const { t } = useI18n();
  const figures = useLoad(`aggregates:${by}:${country}`, (signal) =>
    api.aggregates(by, country || undefined, signal),
  );
  const id = `aggregates-${by}`;
  return (
    <section className="card aggregates-table" aria-labelledby={id}>
      <h2 id={id}>{title}</h2>
      {figures.status === 'loading' && (
        <p className="status-line" role="status">
          {t('common.loading')}
        </p>
      )}
      {figures.status === 'failed' && <ProblemMessage problem={figures.problem} onRetry={figures.reload} />}
      {figures.status === 'ready' && <Figures view={figures.data} by={by} caption={title} />}
    </section>
  );
}

function Figures({ view, by, caption }: { view: AggregateView; by: AggregateDimension; caption: string }) {
  const { t, format } = useI18n();
  if (view.cells.length === 0) return <p className="muted">{t('aggregates.empty')}</p>;
  const largest = Math.max(1, ...view.cells.map((cell) => cell.count ?? 0));
  const label = (cell: AggregateCell): string => {
    if (cell.key === 'unknown') return t(by === 'age_band' ? 'ageBand.unknown' : 'aggregates.unknown');
    if (by === 'country' || by === 'nationality') return format.region(cell.key);
    if (by === 'sex') return codeLabel(t, 'sex', cell.key);
    return codeLabel(t, 'ageBand', cell.key);
  };
  const cells = by === 'country' ? sortByCount(view.cells) : view.cells;
  return (
    <>
      <table>
        <caption className="visually-hidden">{caption}</caption>
        <thead>
          <tr>
            <th scope="col">{t('aggregates.group')}</th>
            <th scope="col" className="aggregates-table__count">
              {t('aggregates.people')}
            </th>
            <th scope="col" className="aggregates-table__bar-cell">
              <span className="visually-hidden">{t('aggregates.share')}</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {cells.map((cell) => (
            <tr key={cell.key}>
              <th scope="row">{label(cell)}</th>
              <td className="aggregates-table__count">
                {cell.suppressed ? <Suppressed /> : format.number(cell.count ?? 0)}
              </td>
              <td className="aggregates-table__bar-cell" aria-hidden="true">
                {!cell.suppressed && (
                  <span
                    className="aggregates-table__bar"
                    style={{ inlineSize: `${Math.round(((cell.count ?? 0) / largest) * 100)}%` }}
                  />
                )}
              </td>
            </tr>
          ))}
        </tbody>
        <tfoot>
          <tr>
            <th scope="row">{t('aggregates.total')}</th>
            <td className="aggregates-table__count">
              {view.total === null ? <Suppressed /> : format.number(view.total)}
            </td>
            <td className="aggregates-table__bar-cell" />
          </tr>
        </tfoot>
      </table>
      {view.erasedIncluded > 0 && (
        <p className="aggregates-table__note">
          {t('aggregates.erasedIncluded', { count: view.erasedIncluded })}
        </p>
      )}
    </>
  );
}

/** A suppressed cell: "< 5" to the eye, "fewer than 5, hidden…" to a screen reader. */
function Suppressed() {
  const { t } = useI18n();
  return (
    <span
      className="aggregates-table__suppressed"
      title={t('aggregates.suppressedLabel', { threshold: THRESHOLD })}
    >
      <span aria-hidden="true" dir="ltr">
        {t('aggregates.suppressed', { threshold: THRESHOLD })}
      </span>
      <span className="visually-hidden">{t('aggregates.suppressedLabel', { threshold: THRESHOLD })}</span>
    </span>
  );
}

/** Largest first, suppressed cells last, so the countries that matter most lead. */
function sortByCount(cells: AggregateCell[]): AggregateCell[] {
  return [...cells].sort((a, b) => (b.count ?? -1) - (a.count ?? -1) || a.key.localeCompare(b.key));
}
