import { type FormEvent, useMemo, useState } from 'react';
import { encodeSms } from '../../../../src/domain/messaging/sms-encoding.ts';
import { codeLabel } from '../../i18n/dictionary.ts';
import { useI18n } from '../../i18n/I18nProvider.tsx';
import { type ApiProblem, toProblem } from '../../shared/api.ts';
import { CountryListField } from '../../shared/CountryListField.tsx';
import type { LonLat } from '../../shared/map/geometry.ts';
import { ProblemMessage } from '../../shared/ProblemMessage.tsx';
import { navigate } from '../../shared/router.tsx';
import { useDocumentTitle } from '../../shared/useDocumentTitle.ts';
import { useLoad } from '../../shared/useLoad.ts';
import { levelsApi } from '../levels/levels-api.ts';
import { capLabel } from './alert-labels.ts';
import { type AlertView, alertsApi } from './alerts-api.ts';
import {
  CAP_CATEGORIES,
  CAP_CERTAINTIES,
  CAP_RESPONSE_TYPES,
  CAP_SEVERITIES,
  CAP_URGENCIES,
  type ComposeDraft,
  draftFromAlert,
  emptyInfo,
  FILTER_AGE_BANDS,
  FILTER_SEXES,
  FILTER_VULNERABILITIES,
  type InfoDraft,
  isTargetEmpty,
  newComposeDraft,
  type TargetDraft,
  toAlertBody,
  toTargetBody,
} from './compose-model.ts';
import { RecipientCountView } from './RecipientCountView.tsx';
import { TargetMap } from './TargetMap.tsx';
import { useRecipientCount } from './useRecipientCount.ts';
import './alerts.css';

/** Languages offered first when adding an info block: those most read by people abroad. */
const COMMON_LANGUAGES = [
  'en',
  'ar',
  'fil',
  'am',
  'hi',
  'ur',
  'bn',
  'ne',
  'id',
  'si',
  'ta',
  'ml',
  'fr',
  'es',
  'sw',
  'ti',
  'om',
];

/** A new alert. */
export function ComposePage() {
  const { t } = useI18n();
  useDocumentTitle(t('alerts.compose.title'));
  return <ComposeForm initial={newComposeDraft('en')} />;
}

/** A draft opened again to change it. */
export function EditDraftPage({ id }: { id: string }) {
  const { t } = useI18n();
  useDocumentTitle(t('alerts.compose.editTitle'));
  const alert = useLoad(id, (signal) => alertsApi.get(id, signal));
  if (alert.status === 'failed') return <ProblemMessage problem={alert.problem} onRetry={alert.reload} />;
  if (alert.status !== 'ready') return <p className="status-line">{t('common.loading')}</p>;
  return <ComposeForm initial={draftFromAlert(alert.data)} existing={alert.data} />;
}

type Mode = 'none' | 'polygon' | 'circle';

function ComposeForm({ initial, existing }: { initial: ComposeDraft; existing?: AlertView }) {
  const { t, format } = useI18n();
  const [draft, setDraft] = useState<ComposeDraft>(initial);
  const [mode, setMode] = useState<Mode>('none');
  const [drawing, setDrawing] = useState<LonLat[]>([]);
  const [radiusKm, setRadiusKm] = useState(20);
  const [problem, setProblem] = useState<ApiProblem | null>(null);
  const [busy, setBusy] = useState(false);
  const areas = useLoad('areas', (signal) => levelsApi.areas(undefined, signal));
  const targetBody = useMemo(() => toTargetBody(draft.target), [draft.target]);
  const count = useRecipientCount(targetBody, isTargetEmpty(draft.target));
  const drill = draft.status === 'Exercise';

  const set = <K extends keyof ComposeDraft>(key: K, value: ComposeDraft[K]) =>
    setDraft((d) => ({ ...d, [key]: value }));
  const setTarget = <K extends keyof TargetDraft>(key: K, value: TargetDraft[K]) =>
    setDraft((d) => ({ ...d, target: { ...d.target, [key]: value } }));
  const setInfo = (index: number, patch: Partial<InfoDraft>) =>
    setDraft((d) => ({
      ...d,
      infos: d.infos.map((info, i) => (i === index ? { ...info, ...patch } : info)),
    }));
  const toggle = <T extends string>(list: readonly T[], value: T): T[] =>
    list.includes(value) ? list.filter((v) => v !== value) : [...list, value];

  const pick = (position: LonLat) => {
    if (mode === 'polygon') setDrawing((points) => [...points, position]);
    if (mode === 'circle') setTarget('circles', [...draft.target.circles, { center: position, radiusKm }]);
  };
  const finishPolygon = () => {
    if (drawing.length >= 3) setTarget('polygons', [...draft.target.polygons, drawing]);
    setDrawing([]);
    setMode('none');
  };

  const save = async (then: 'stay' | 'submit') => {
    setProblem(null);
    setBusy(true);
    try {
      const body = toAlertBody(draft);
      const saved = existing ? await alertsApi.patch(existing.id, body) : await alertsApi.create(body);
      if (then === 'submit') await alertsApi.submit(saved.id);
      navigate(`/alerts/${encodeURIComponent(saved.id)}`);
    } catch (error) {
      setProblem(toProblem(error));
      setBusy(false);
    }
  };
  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    void save('submit');
  };

  const usedLanguages = draft.infos.map((i) => i.language);
  const areaItems = areas.status === 'ready' ? areas.data.items : [];

  return (
    <form className={drill ? 'compose compose--drill' : 'compose'} onSubmit={onSubmit}>
      <div className="page-heading">
        <h1>{existing ? t('alerts.compose.editTitle') : t('alerts.compose.title')}</h1>
        <p>{t('alerts.compose.intro')}</p>
      </div>
      {drill && (
        <p className="drill-banner" role="note">
          {t('alerts.drillBanner')}
        </p>
      )}

      <section className="card" aria-labelledby="compose-cap">
        <h2 id="compose-cap">{t('alerts.compose.message')}</h2>
        <fieldset className="choice-group choice-group--wrap">
          <legend>{t('alerts.field.status')}</legend>
          <label className="choice">
            <input type="radio" name="status" checked={drill} onChange={() => set('status', 'Exercise')} />
            {t('alerts.status.Exercise')}
          </label>
          <label className="choice">
            <input type="radio" name="status" checked={!drill} onChange={() => set('status', 'Actual')} />
            {t('alerts.status.Actual')}
          </label>
        </fieldset>
        <div className="form-grid">
          <div className="field">
            <label htmlFor="compose-event">{t('alerts.field.event')}</label>
            <input
              id="compose-event"
              value={draft.event}
              dir="auto"
              onChange={(e) => set('event', e.target.value)}
            />
          </div>
          <CapSelect
            id="compose-urgency"
            label={t('alerts.field.urgency')}
            values={CAP_URGENCIES}
            value={draft.urgency}
            onChange={(v) => set('urgency', v)}
          />
          <CapSelect
            id="compose-severity"
            label={t('alerts.field.severity')}
            values={CAP_SEVERITIES}
            value={draft.severity}
            onChange={(v) => set('severity', v)}
          />
          <CapSelect
            id="compose-certainty"
            label={t('alerts.field.certainty')}
            values={CAP_CERTAINTIES}
            value={draft.certainty}
            onChange={(v) => set('certainty', v)}
          />
          <div className="field">
            <label htmlFor="compose-effective">{t('alerts.field.effective')}</label>
            <input
              id="compose-effective"
              type="datetime-local"
              value={draft.effective}
              onChange={(e) => set('effective', e.target.value)}
            />
          </div>
          <div className="field">
            <label htmlFor="compose-expires">{t('alerts.field.expires')}</label>
            <input
              id="compose-expires"
              type="datetime-local"
              value={draft.expires}
              onChange={(e) => set('expires', e.target.value)}
            />
          </div>
        </div>
        <fieldset className="choice-group choice-group--wrap">
          <legend>{t('alerts.field.category')}</legend>
          {CAP_CATEGORIES.map((c) => (
            <label key={c} className="choice">
              <input
                type="checkbox"
                checked={draft.category.includes(c)}
                onChange={() => set('category', toggle(draft.category, c))}
              />
              {capLabel(t, c)}
            </label>
          ))}
        </fieldset>
        <fieldset className="choice-group choice-group--wrap">
          <legend>{t('alerts.field.responseType')}</legend>
          {CAP_RESPONSE_TYPES.map((c) => (
            <label key={c} className="choice">
              <input
                type="checkbox"
                checked={draft.responseType.includes(c)}
                onChange={() => set('responseType', toggle(draft.responseType, c))}
              />
              {capLabel(t, c)}
            </label>
          ))}
        </fieldset>
        <label className="choice">
          <input
            type="checkbox"
            checked={draft.askResponse}
            onChange={(e) => set('askResponse', e.target.checked)}
          />
          {t('alerts.field.askResponse')}
        </label>
      </section>

      <section className="card" aria-labelledby="compose-infos">
        <h2 id="compose-infos">{t('alerts.compose.languages')}</h2>
        {draft.infos.map((info, index) => (
          <InfoBlockFields
            key={info.language}
            info={info}
            index={index}
            removable={draft.infos.length > 1}
            onChange={(patch) => setInfo(index, patch)}
            onRemove={() =>
              set(
                'infos',
                draft.infos.filter((_, i) => i !== index),
              )
            }
          />
        ))}
        <div className="field compose__add-language">
          <label htmlFor="compose-add-language">{t('alerts.compose.addLanguage')}</label>
          <select
            id="compose-add-language"
            value=""
            onChange={(e) => {
              if (e.target.value) set('infos', [...draft.infos, emptyInfo(e.target.value)]);
            }}
          >
            <option value="">{t('common.choose')}</option>
            {COMMON_LANGUAGES.filter((tag) => !usedLanguages.includes(tag)).map((tag) => (
              <option key={tag} value={tag}>
                {format.language(tag)} ({tag})
              </option>
            ))}
          </select>
        </div>
      </section>

      <section className="card compose__target" aria-labelledby="compose-target">
        <h2 id="compose-target">{t('alerts.compose.target')}</h2>
        <div className="compose__target-grid">
          <div>
            <CountryListField
              id="compose-countries"
              label={t('alerts.target.countries')}
              hint={t('alerts.target.countriesHint')}
              value={draft.target.countries}
              onChange={(codes) => setTarget('countries', codes)}
            />
            {areaItems.length > 0 && (
              <fieldset className="choice-group choice-group--wrap">
                <legend>{t('alerts.target.areas')}</legend>
                {areaItems.map((a) => (
                  <label key={a.id} className="choice">
                    <input
                      type="checkbox"
                      checked={draft.target.areaIds.includes(a.id)}
                      onChange={() => setTarget('areaIds', toggle(draft.target.areaIds, a.id))}
                    />
                    <span dir="auto">{a.name}</span>{' '}
                    <span className="muted">({format.region(a.country)})</span>
                  </label>
                ))}
              </fieldset>
            )}
            <fieldset className="choice-group choice-group--wrap">
              <legend>{t('alerts.target.draw')}</legend>
              {(['none', 'polygon', 'circle'] as const).map((m) => (
                <label key={m} className="choice">
                  <input
                    type="radio"
                    name="draw-mode"
                    checked={mode === m}
                    onChange={() => {
                      setMode(m);
                      setDrawing([]);
                    }}
                  />
                  {t(`alerts.target.mode.${m}`)}
                </label>
              ))}
            </fieldset>
            {mode === 'polygon' && (
              <div className="form-actions">
                <span className="field__hint">
                  {t('alerts.target.polygonHint', { count: drawing.length })}
                </span>
                <button
                  type="button"
                  className="button button--small"
                  disabled={drawing.length < 3}
                  onClick={finishPolygon}
                >
                  {t('alerts.target.finishPolygon')}
                </button>
                <button
                  type="button"
                  className="button button--small"
                  disabled={drawing.length === 0}
                  onClick={() => setDrawing([])}
                >
                  {t('map.clearPoints')}
                </button>
              </div>
            )}
            {mode === 'circle' && (
              <div className="field">
                <label htmlFor="compose-radius">{t('alerts.target.radius')}</label>
                <input
                  id="compose-radius"
                  type="number"
                  min={0.1}
                  max={10000}
                  step={0.1}
                  value={radiusKm}
                  onChange={(e) => setRadiusKm(Number(e.target.value))}
                />
                <p className="field__hint">{t('alerts.target.circleHint')}</p>
              </div>
            )}
            {(draft.target.polygons.length > 0 || draft.target.circles.length > 0) && (
              <ul className="compose__shapes">
                {draft.target.polygons.map((ring, index) => (
                  // biome-ignore lint/suspicious/noArrayIndexKey: shapes have no identity but their place
                  <li key={`p${index}`}>
                    {t('alerts.target.polygonN', { n: index + 1 })} ·{' '}
                    {t('alerts.target.points', { count: ring.length })}
                    <button
                      type="button"
                      className="button button--small button--danger-quiet"
                      onClick={() =>
                        setTarget(
                          'polygons',
                          draft.target.polygons.filter((_, i) => i !== index),
                        )
                      }
                    >
                      {t('alerts.remove')}
                    </button>
                  </li>
                ))}
                {draft.target.circles.map((circle, index) => (
                  // biome-ignore lint/suspicious/noArrayIndexKey: shapes have no identity but their place
                  <li key={`c${index}`}>
                    {t('alerts.target.circleN', { n: index + 1 })} ·{' '}
                    {t('alerts.target.circleInfo', {
                      km: circle.radiusKm,
                      lat: circle.center[1],
                      lon: circle.center[0],
                    })}
                    <button
                      type="button"
                      className="button button--small button--danger-quiet"
                      onClick={() =>
                        setTarget(
                          'circles',
                          draft.target.circles.filter((_, i) => i !== index),
                        )
                      }
                    >
                      {t('alerts.remove')}
                    </button>
                  </li>
                ))}
              </ul>
            )}
          </div>
          <div>
            <TargetMap
              countries={draft.target.countries}
              areas={areaItems.filter((a) => draft.target.areaIds.includes(a.id))}
              polygons={targetBody.polygons ?? []}
              circles={targetBody.circles ?? []}
              drawing={drawing}
              onPick={mode === 'none' ? undefined : pick}
              follow={mode === 'none'}
            />
            <RecipientCountView count={count} />
          </div>
        </div>

        <h3>{t('alerts.compose.filters')}</h3>
        <div className="form-grid">
          <div className="field">
            <label htmlFor="compose-filter-languages">{t('alerts.filter.languages')}</label>
            <input
              id="compose-filter-languages"
              dir="ltr"
              value={draft.target.languages.join(', ')}
              placeholder="ar, fil"
              onChange={(e) => setTarget('languages', e.target.value.split(/[\s,]+/).filter(Boolean))}
            />
            <p className="field__hint">{t('alerts.filter.languagesHint')}</p>
          </div>
          <div className="field">
            <label htmlFor="compose-filter-employers">{t('alerts.filter.employers')}</label>
            <input
              id="compose-filter-employers"
              dir="ltr"
              value={draft.target.employerIds.join(', ')}
              onChange={(e) => setTarget('employerIds', e.target.value.split(/[\s,]+/).filter(Boolean))}
            />
            <p className="field__hint">{t('alerts.filter.employersHint')}</p>
          </div>
        </div>
        <fieldset className="choice-group choice-group--wrap">
          <legend>{t('alerts.filter.sexes')}</legend>
          {FILTER_SEXES.map((s) => (
            <label key={s} className="choice">
              <input
                type="checkbox"
                checked={draft.target.sexes.includes(s)}
                onChange={() => setTarget('sexes', toggle(draft.target.sexes, s))}
              />
              {codeLabel(t, 'sex', s)}
            </label>
          ))}
        </fieldset>
        <fieldset className="choice-group choice-group--wrap">
          <legend>{t('alerts.filter.ageBands')}</legend>
          {FILTER_AGE_BANDS.map((band) => (
            <label key={band} className="choice">
              <input
                type="checkbox"
                checked={draft.target.ageBands.includes(band)}
                onChange={() => setTarget('ageBands', toggle(draft.target.ageBands, band))}
              />
              {codeLabel(t, 'ageBand', band)}
            </label>
          ))}
        </fieldset>
        <fieldset className="choice-group choice-group--wrap">
          <legend>{t('alerts.filter.vulnerabilities')}</legend>
          {FILTER_VULNERABILITIES.map((v) => (
            <label key={v} className="choice">
              <input
                type="checkbox"
                checked={draft.target.vulnerabilities.includes(v)}
                onChange={() => setTarget('vulnerabilities', toggle(draft.target.vulnerabilities, v))}
              />
              {codeLabel(t, 'vulnerability', v)}
            </label>
          ))}
        </fieldset>
        <label className="choice">
          <input
            type="checkbox"
            checked={draft.target.householdHeadsOnly}
            onChange={(e) => setTarget('householdHeadsOnly', e.target.checked)}
          />
          {t('alerts.filter.householdHeads')}
        </label>
      </section>

      {problem && <ProblemMessage problem={problem} />}
      <div className="form-actions compose__actions">
        <button type="button" className="button" disabled={busy} onClick={() => void save('stay')}>
          {t('alerts.saveDraft')}
        </button>
        <button type="submit" className="button button--primary" disabled={busy}>
          {drill ? t('alerts.submitDrill') : t('alerts.submit')}
        </button>
      </div>
    </form>
  );
}

type CapSelectProps<T extends string> = {
  id: string;
  label: string;
  values: readonly T[];
  value: T;
  onChange: (value: T) => void;
};

function CapSelect<T extends string>({ id, label, values, value, onChange }: CapSelectProps<T>) {
  const { t } = useI18n();
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <select id={id} value={value} onChange={(e) => onChange(e.target.value as T)}>
        {values.map((v) => (
          <option key={v} value={v}>
            {capLabel(t, v)}
          </option>
        ))}
      </select>
    </div>
  );
}

type InfoProps = {
  info: InfoDraft;
  index: number;
  removable: boolean;
  onChange: (patch: Partial<InfoDraft>) => void;
  onRemove: () => void;
};

/** One language's texts; the SMS text shows its encoding and segments as it is typed. */
function InfoBlockFields({ info, index, removable, onChange, onRemove }: InfoProps) {
  const { t, format } = useI18n();
  const sms = encodeSms(info.smsText);
  const id = (field: string) => `info-${index}-${field}`;
  const languageName = format.language(info.language);
  // The text fields follow the language they are written in, whatever the interface language.
  const dir = ['ar', 'fa', 'ur', 'he', 'ps', 'ckb', 'yi', 'dv'].includes(info.language.split('-')[0] ?? '')
    ? 'rtl'
    : 'ltr';
  return (
    <fieldset className="info-block" lang={info.language}>
      <legend>{t('alerts.info.legend', { language: languageName, tag: info.language })}</legend>
      <div className="field">
        <label htmlFor={id('headline')}>{t('alerts.info.headline', { language: languageName })}</label>
        <input
          id={id('headline')}
          value={info.headline}
          dir={dir}
          maxLength={200}
          onChange={(e) => onChange({ headline: e.target.value })}
        />
      </div>
      <div className="field">
        <label htmlFor={id('description')}>{t('alerts.info.description', { language: languageName })}</label>
        <textarea
          id={id('description')}
          rows={3}
          value={info.description}
          dir={dir}
          onChange={(e) => onChange({ description: e.target.value })}
        />
      </div>
      <div className="field">
        <label htmlFor={id('instruction')}>{t('alerts.info.instruction', { language: languageName })}</label>
        <textarea
          id={id('instruction')}
          rows={2}
          value={info.instruction}
          dir={dir}
          onChange={(e) => onChange({ instruction: e.target.value })}
        />
      </div>
      <div className="field">
        <label htmlFor={id('sms')}>{t('alerts.info.sms', { language: languageName })}</label>
        <textarea
          id={id('sms')}
          rows={2}
          value={info.smsText}
          dir={dir}
          aria-describedby={id('sms-count')}
          onChange={(e) => onChange({ smsText: e.target.value })}
        />
        <p
          className="field__hint sms-count"
          id={id('sms-count')}
          aria-live="polite"
          data-segments={sms.segments}
          data-encoding={sms.encoding}
        >
          {t('alerts.info.smsCount', {
            encoding: sms.encoding,
            units: sms.units,
            segments: sms.segments,
            perSegment: sms.perSegment,
          })}
        </p>
      </div>
      {removable && (
        <button type="button" className="button button--small button--danger-quiet" onClick={onRemove}>
          {t('alerts.info.remove', { language: languageName })}
        </button>
      )}
    </fieldset>
  );
}
