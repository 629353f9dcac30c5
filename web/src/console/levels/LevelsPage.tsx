import { useMemo, useState } from 'react';
import { useI18n } from '../../i18n/I18nProvider.tsx';
import { type MapShape, WorldMap } from '../../shared/map/WorldMap.tsx';
import { ProblemMessage } from '../../shared/ProblemMessage.tsx';
import { useCountryOptions } from '../../shared/useCountries.ts';
import { useDocumentTitle } from '../../shared/useDocumentTitle.ts';
import { useLoad } from '../../shared/useLoad.ts';
import { can } from '../permissions.ts';
import { useSession } from '../session/SessionProvider.tsx';
import { DeclareLevelForm } from './DeclareLevelForm.tsx';
import { LevelBadge } from './LevelBadge.tsx';
import { type CurrentLevelsView, levelsApi, localized, type SchemeVersionView } from './levels-api.ts';
import { TasksPanel } from './TasksPanel.tsx';
import '../../shared/DataTable.css';
import '../../shared/map/world-map.css';
import './levels.css';

/**
 * Alert levels: the world map coloured by the level in force, with the scheme's legend, the levels and
 * their advisories, each country's history, the declaration form for crisis managers and the posts'
 * checklist tasks.
 */
export function LevelsPage() {
  const { t, locale, format } = useI18n();
  useDocumentTitle(t('levels.title'));
  const { session } = useSession();
  const role = session.status === 'active' ? session.me.role : '';
  const scheme = useLoad('scheme', (signal) => levelsApi.scheme(signal));
  const current = useLoad('current', (signal) => levelsApi.current(signal));
  const [notice, setNotice] = useState<string | null>(null);
  const [historyCountry, setHistoryCountry] = useState('');

  return (
    <>
      <div className="page-heading">
        <h1>{t('levels.title')}</h1>
        <p>{t('levels.intro')}</p>
      </div>
      {notice && (
        <div className="notice" role="status">
          <p>{notice}</p>
        </div>
      )}
      {scheme.status === 'failed' && <ProblemMessage problem={scheme.problem} onRetry={scheme.reload} />}
      {current.status === 'failed' && <ProblemMessage problem={current.problem} onRetry={current.reload} />}
      {current.status === 'loading' && (
        <p className="status-line" role="status">
          {t('common.loading')}
        </p>
      )}
      {current.status === 'ready' && (
        <LevelsOverview
          current={current.data}
          scheme={scheme.status === 'ready' ? scheme.data : null}
          locale={locale}
          onShowHistory={setHistoryCountry}
        />
      )}

      {can(role, 'levels.declare') && scheme.status === 'ready' && (
        <DeclareLevelForm
          scheme={scheme.data}
          onDeclared={(result) => {
            const place = result.declaration.areaName ?? format.region(result.declaration.country);
            setNotice(
              t('levels.declared', {
                place,
                level: result.declaration.level,
                tasks: result.tasksCreated,
              }),
            );
            current.reload();
            if (historyCountry === result.declaration.country) setHistoryCountry(result.declaration.country);
          }}
        />
      )}

      <LevelHistory
        country={historyCountry}
        onCountry={setHistoryCountry}
        refreshKey={current.status === 'ready' ? current.data.asOf : ''}
      />

      {can(role, 'tasks.work') && <TasksPanel />}
    </>
  );
}

type OverviewProps = {
  current: CurrentLevelsView;
  scheme: SchemeVersionView | null;
  locale: string;
  onShowHistory: (country: string) => void;
};

function LevelsOverview({ current, scheme, locale, onShowHistory }: OverviewProps) {
  const { t, format } = useI18n();
  const colours = useMemo(
    () => Object.fromEntries(current.countries.map((c) => [c.country, c.colour])),
    [current],
  );
  const titles = useMemo(
    () =>
      Object.fromEntries(
        current.countries.map((c) => [
          c.country,
          t('levels.levelNamed', { level: c.level, name: localized(c.name, locale) }),
        ]),
      ),
    [current, t, locale],
  );
  const shapes: MapShape[] = current.areas.map((area) => ({
    key: area.areaId,
    shape: area.geometry,
    colour: area.colour,
    title: `${area.areaName}: ${t('levels.levelNamed', { level: area.level, name: localized(area.name, locale) })}`,
  }));
  const entries = [
    ...current.countries.map((c) => ({ ...c, key: c.country, place: format.region(c.country), area: false })),
    ...current.areas.map((a) => ({
      ...a,
      key: a.areaId,
      place: t('levels.areaIn', { area: a.areaName, country: format.region(a.country) }),
      area: true,
    })),
  ].sort((a, b) => b.level - a.level || a.place.localeCompare(b.place, locale));

  return (
    <section className="card levels-overview" aria-labelledby="levels-map-heading">
      <h2 id="levels-map-heading">{t('levels.mapTitle')}</h2>
      <WorldMap
        label={t('levels.mapLabel')}
        countryColours={colours}
        countryTitles={titles}
        shapes={shapes}
      />
      {scheme && (
        <ul className="map-legend" aria-label={t('levels.legend')}>
          {scheme.scheme.levels.map((level) => (
            <li key={level.number}>
              <span className="map-legend__swatch" style={{ background: level.colour }} aria-hidden="true" />
              {t('levels.levelNamed', { level: level.number, name: localized(level.name, locale) })}
            </li>
          ))}
        </ul>
      )}
      <h2>{t('levels.inForce')}</h2>
      {entries.length === 0 ? (
        <p className="muted">{t('levels.none')}</p>
      ) : (
        <ul className="levels-list">
          {entries.map((entry) => (
            <li
              key={entry.key}
              className="levels-list__item"
              style={{ borderInlineStartColor: entry.colour }}
            >
              <div className="levels-list__head">
                <LevelBadge colour={entry.colour}>
                  {t('levels.levelNamed', { level: entry.level, name: localized(entry.name, locale) })}
                </LevelBadge>
                <strong dir="auto">{entry.place}</strong>
                <span className="muted">
                  {t('levels.since', { time: format.dateTime(entry.effectiveAt) })}
                </span>
                <button
                  type="button"
                  className="button button--small"
                  onClick={() => onShowHistory(entry.country)}
                >
                  {t('levels.showHistory')}
                </button>
              </div>
              <p dir="auto" className="levels-list__advisory">
                {localized(entry.advisory, locale)}
              </p>
              <p dir="auto" className="muted levels-list__reason">
                {t('levels.reason')}: {entry.reason}
              </p>
            </li>
          ))}
        </ul>
      )}
      {current.upcoming.length > 0 && (
        <>
          <h3>{t('levels.upcoming')}</h3>
          <ul>
            {current.upcoming.map((d) => (
              <li key={d.id}>
                {t('levels.upcomingItem', {
                  place: d.areaName ?? format.region(d.country),
                  level: d.level,
                  time: format.dateTime(d.effectiveAt),
                })}
              </li>
            ))}
          </ul>
        </>
      )}
    </section>
  );
}

type HistoryProps = { country: string; onCountry: (country: string) => void; refreshKey: string };

function LevelHistory({ country, onCountry, refreshKey }: HistoryProps) {
  const { t, format, locale } = useI18n();
  const countries = useCountryOptions();
  const history = useLoad(country ? `${country}:${refreshKey}` : null, (signal) =>
    levelsApi.history(country, signal),
  );
  return (
    <section className="card" aria-labelledby="levels-history-heading">
      <h2 id="levels-history-heading">{t('levels.history')}</h2>
      <div className="field">
        <label htmlFor="levels-history-country">{t('levels.country')}</label>
        <select id="levels-history-country" value={country} onChange={(e) => onCountry(e.target.value)}>
          <option value="">{t('common.choose')}</option>
          {countries.map((c) => (
            <option key={c.code} value={c.code}>
              {c.name}
            </option>
          ))}
        </select>
      </div>
      {history.status === 'failed' && <ProblemMessage problem={history.problem} onRetry={history.reload} />}
      {history.status === 'ready' && history.data.items.length === 0 && (
        <p className="muted">{t('levels.historyEmpty')}</p>
      )}
      {history.status === 'ready' && history.data.items.length > 0 && (
        <div className="data-table">
          <table>
            <caption className="visually-hidden">{t('levels.history')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('levels.effective')}</th>
                <th scope="col">{t('levels.scope')}</th>
                <th scope="col">{t('levels.level')}</th>
                <th scope="col">{t('levels.reason')}</th>
                <th scope="col">{t('levels.declaredAt')}</th>
              </tr>
            </thead>
            <tbody>
              {history.data.items.map((d) => (
                <tr key={d.id}>
                  <td data-label={t('levels.effective')}>{format.dateTime(d.effectiveAt)}</td>
                  <td data-label={t('levels.scope')} dir="auto">
                    {d.areaName ?? format.region(d.country)}
                  </td>
                  <td data-label={t('levels.level')}>
                    {d.level === 0 ? (
                      t('levels.lifted')
                    ) : (
                      <LevelBadge colour={d.colour}>
                        {t('levels.levelNamed', { level: d.level, name: localized(d.levelName, locale) })}
                      </LevelBadge>
                    )}
                  </td>
                  <td data-label={t('levels.reason')} dir="auto">
                    {d.reason}
                  </td>
                  <td data-label={t('levels.declaredAt')}>{format.dateTime(d.declaredAt)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
