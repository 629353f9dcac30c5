import { type FormEvent, useState } from 'react';
import { useI18n } from '../../i18n/I18nProvider.tsx';
import { type ApiProblem, toProblem } from '../../shared/api.ts';
import { type LonLat, polygonFromPoints } from '../../shared/map/geometry.ts';
import { WorldMap } from '../../shared/map/WorldMap.tsx';
import { ProblemMessage } from '../../shared/ProblemMessage.tsx';
import { useCountryOptions } from '../../shared/useCountries.ts';
import { useLoad } from '../../shared/useLoad.ts';
import { textColourOn } from './LevelBadge.tsx';
import {
  type DeclarationCreate,
  type DeclarationResult,
  levelsApi,
  localized,
  localTimeToIso,
  type SchemeVersionView,
} from './levels-api.ts';

type Scope = 'country' | 'drawn' | 'saved';
type Props = { scheme: SchemeVersionView; onDeclared: (result: DeclarationResult) => void };

/**
 * Declares a level for a country, for an area drawn on the map point by point, or for a saved area.
 * The server checks everything (level in the scheme, polygon valid, reason given) and its coded
 * refusal is shown as it is.
 */
export function DeclareLevelForm({ scheme, onDeclared }: Props) {
  const { t, locale } = useI18n();
  const countries = useCountryOptions();
  const [scope, setScope] = useState<Scope>('country');
  const [country, setCountry] = useState('');
  const [areaName, setAreaName] = useState('');
  const [points, setPoints] = useState<LonLat[]>([]);
  const [areaId, setAreaId] = useState('');
  const [level, setLevel] = useState('');
  const [reason, setReason] = useState('');
  const [effective, setEffective] = useState('');
  const [problem, setProblem] = useState<ApiProblem | null>(null);
  const [busy, setBusy] = useState(false);
  const areas = useLoad(scope === 'saved' ? `areas:${country}` : null, (signal) =>
    levelsApi.areas(country || undefined, signal),
  );
  const chosen = scheme.scheme.levels.find((l) => String(l.number) === level);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setProblem(null);
    setBusy(true);
    const body: DeclarationCreate = { level: Number(level), reason: reason.trim() };
    const effectiveAt = localTimeToIso(effective);
    if (effectiveAt) body.effectiveAt = effectiveAt;
    if (country) body.country = country;
    if (scope === 'drawn') body.area = { name: areaName.trim(), geometry: polygonFromPoints(points) };
    if (scope === 'saved' && areaId) body.areaId = areaId;
    try {
      const result = await levelsApi.declare(body);
      setReason('');
      setPoints([]);
      setAreaName('');
      onDeclared(result);
    } catch (error) {
      setProblem(toProblem(error));
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="card" aria-labelledby="declare-heading">
      <h2 id="declare-heading">{t('levels.declareTitle')}</h2>
      <form onSubmit={submit} className="declare-form">
        <fieldset className="choice-group choice-group--wrap">
          <legend>{t('levels.scope')}</legend>
          {(['country', 'drawn', 'saved'] as const).map((value) => (
            <label key={value} className="choice">
              <input
                type="radio"
                name="declare-scope"
                value={value}
                checked={scope === value}
                onChange={() => setScope(value)}
              />
              {t(`levels.scope.${value}`)}
            </label>
          ))}
        </fieldset>
        <div className="form-grid">
          <div className="field">
            <label htmlFor="declare-country">{t('levels.country')}</label>
            <select id="declare-country" value={country} onChange={(e) => setCountry(e.target.value)}>
              <option value="">{t('common.choose')}</option>
              {countries.map((c) => (
                <option key={c.code} value={c.code}>
                  {c.name}
                </option>
              ))}
            </select>
          </div>
          <div className="field">
            <label htmlFor="declare-level">{t('levels.level')}</label>
            <select
              id="declare-level"
              value={level}
              onChange={(e) => setLevel(e.target.value)}
              style={chosen ? { background: chosen.colour, color: textColourOn(chosen.colour) } : undefined}
            >
              <option value="">{t('common.choose')}</option>
              {scheme.scheme.levels.map((l) => (
                <option key={l.number} value={l.number}>
                  {t('levels.levelNamed', { level: l.number, name: localized(l.name, locale) })}
                </option>
              ))}
              <option value="0">{t('levels.lift')}</option>
            </select>
            {chosen && (
              <p className="field__hint" dir="auto">
                {localized(chosen.description, locale)}
              </p>
            )}
          </div>
          <div className="field">
            <label htmlFor="declare-effective">{t('levels.effective')}</label>
            <input
              id="declare-effective"
              type="datetime-local"
              value={effective}
              onChange={(e) => setEffective(e.target.value)}
              aria-describedby="declare-effective-hint"
            />
            <p className="field__hint" id="declare-effective-hint">
              {t('levels.effectiveHint')}
            </p>
          </div>
        </div>

        {scope === 'saved' && (
          <div className="field">
            <label htmlFor="declare-area">{t('levels.savedArea')}</label>
            <select id="declare-area" value={areaId} onChange={(e) => setAreaId(e.target.value)}>
              <option value="">{t('common.choose')}</option>
              {areas.status === 'ready' &&
                areas.data.items.map((a) => (
                  <option key={a.id} value={a.id}>
                    {a.name}
                  </option>
                ))}
            </select>
          </div>
        )}

        {scope === 'drawn' && (
          <div className="declare-form__draw">
            <div className="field">
              <label htmlFor="declare-area-name">{t('levels.areaName')}</label>
              <input
                id="declare-area-name"
                value={areaName}
                onChange={(e) => setAreaName(e.target.value)}
                dir="auto"
              />
            </div>
            <p className="field__hint">{t('levels.drawHint', { count: points.length })}</p>
            <WorldMap
              label={t('levels.drawLabel')}
              drawing={points}
              shapes={
                points.length >= 3
                  ? [
                      {
                        key: 'drawn',
                        shape: polygonFromPoints(points),
                        colour: chosen?.colour ?? '#0a58a8',
                        title: areaName,
                      },
                    ]
                  : []
              }
              onPick={(position) => setPoints((list) => [...list, position])}
            />
            <div className="form-actions">
              <button
                type="button"
                className="button button--small"
                disabled={points.length === 0}
                onClick={() => setPoints((list) => list.slice(0, -1))}
              >
                {t('map.undoPoint')}
              </button>
              <button
                type="button"
                className="button button--small"
                disabled={points.length === 0}
                onClick={() => setPoints([])}
              >
                {t('map.clearPoints')}
              </button>
            </div>
          </div>
        )}

        <div className="field">
          <label htmlFor="declare-reason">{t('levels.reason')}</label>
          <textarea
            id="declare-reason"
            value={reason}
            rows={3}
            dir="auto"
            onChange={(e) => setReason(e.target.value)}
            aria-describedby="declare-reason-hint"
          />
          <p className="field__hint" id="declare-reason-hint">
            {t('levels.reasonHint')}
          </p>
        </div>
        {problem && <ProblemMessage problem={problem} />}
        <div className="form-actions">
          <button type="submit" className="button button--primary" disabled={busy}>
            {t('levels.declare')}
          </button>
        </div>
      </form>
    </section>
  );
}
